// Exact moments of the dual H* = −t_nn S_nn − t_nnn S_nnn on a tiny periodic L × L torus (L ≤ 4),
// from its joint density of states in (S_nn, S_nnn, S_d2) — S_d2 the straight distance-2 sum behind
// the g3 check. One pass over the 2^(L²) states per L; after that a moment evaluation costs a sum
// over the few hundred distinct levels, which makes a dual refit per jackknife block cheap. With
// exact moments the dual fit has no Monte Carlo noise, so its errors are the target's alone.
import { checkInt } from "@physml/lattice-core";

/** Exact g1 = ⟨S_nn⟩/2N, g2 = ⟨S_nnn⟩/2N, g3 = ⟨S_d2⟩/2N and 2N·Cov(g1, g2) (2 × 2 row-major). */
export interface ExactDualMoments {
  g: [number, number];
  g3: number;
  cov: Float64Array;
}

/** Levels [S_nn, S_nnn, S_d2, count] of one L, flattened. */
const cache = new Map<number, Float64Array>();

function densityOfStates(L: number): Float64Array {
  const hit = cache.get(L);
  if (hit) return hit;
  const N = L * L;
  const s = new Int8Array(N);
  const counts = new Map<string, number>();
  const at = (x: number, y: number) => s[(((x % L) + L) % L) + L * (((y % L) + L) % L)];
  for (let k = 0; k < 2 ** N; k++) {
    for (let i = 0; i < N; i++) s[i] = (k >> i) & 1 ? -1 : 1;
    let nn = 0;
    let nnn = 0;
    let d2 = 0;
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++) {
        const v = at(x, y);
        nn += v * (at(x + 1, y) + at(x, y + 1));
        nnn += v * (at(x + 1, y + 1) + at(x + 1, y - 1));
        d2 += v * (at(x + 2, y) + at(x, y + 2));
      }
    const key = `${nn},${nnn},${d2}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const out = new Float64Array(4 * counts.size);
  let j = 0;
  for (const [key, n] of counts) {
    const [a, b, c] = key.split(",").map(Number);
    out.set([a, b, c, n], 4 * j++);
  }
  cache.set(L, out);
  return out;
}

/**
 * The dual's exact moments at couplings t = (t_nn, t_nnn) on the periodic L × L torus, 2 ≤ L ≤ 4
 * (the same normalisation as the sampled moments of the dual fit).
 */
export function exactDualMoments(L: number, t: readonly [number, number]): ExactDualMoments {
  checkInt("L", L, 2, 4);
  const dos = densityOfStates(L);
  const twoN = 2 * L * L;
  let shift = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < dos.length; j += 4) shift = Math.max(shift, t[0] * dos[j] + t[1] * dos[j + 1]);
  // Sums of w, w·a, w·b, w·c, w·a², w·ab, w·b² with a, b, c the sums per 2N.
  const m = new Float64Array(7);
  for (let j = 0; j < dos.length; j += 4) {
    const w = dos[j + 3] * Math.exp(t[0] * dos[j] + t[1] * dos[j + 1] - shift);
    const [a, b, c] = [dos[j] / twoN, dos[j + 1] / twoN, dos[j + 2] / twoN];
    m[0] += w;
    m[1] += w * a;
    m[2] += w * b;
    m[3] += w * c;
    m[4] += w * a * a;
    m[5] += w * a * b;
    m[6] += w * b * b;
  }
  const [ma, mb, mc] = [m[1] / m[0], m[2] / m[0], m[3] / m[0]];
  const cab = twoN * (m[5] / m[0] - ma * mb);
  return {
    g: [ma, mb],
    g3: mc,
    cov: Float64Array.of(twoN * (m[4] / m[0] - ma * ma), cab, cab, twoN * (m[6] / m[0] - mb * mb)),
  };
}
