// Exact moments of the dual H* = −t_nn S_nn − t_nnn S_nnn (− t_d2 S_d2) on a tiny periodic L × L torus (L ≤ 4),
// from its joint density of states in (S_nn, S_nnn, S_d2) — S_d2 the straight distance-2 sum behind
// the g3 check. One pass over the 2^(L²) states per L; after that a moment evaluation costs a sum
// over the few hundred distinct levels, which makes a dual refit per jackknife block cheap. With
// exact moments the dual fit has no Monte Carlo noise, so its errors are the target's alone.
import { checkInt } from "@physml/lattice-core";

/** Exact g1 = ⟨S_nn⟩/2N, g2 = ⟨S_nnn⟩/2N, g3 = ⟨S_d2⟩/2N and 2N·Cov(g1, g2) (2 × 2 row-major). */
export interface ExactDualMoments {
  g: [number, number];
  g3: number;
  /** ⟨S_knight⟩/2N: the (2, 1) and (1, 2) pairs, the check when g3 is fitted. */
  g4: number;
  cov: Float64Array;
  /** 2N·Cov over (g1, g2, g3), 3 × 3 row-major. */
  cov3: Float64Array;
}

/** Levels [S_nn, S_nnn, S_d2, S_knight, count] of one L, flattened. */
const STRIDE = 5;
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
    let kn = 0;
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++) {
        const v = at(x, y);
        nn += v * (at(x + 1, y) + at(x, y + 1));
        nnn += v * (at(x + 1, y + 1) + at(x + 1, y - 1));
        d2 += v * (at(x + 2, y) + at(x, y + 2));
        kn += v * (at(x + 2, y + 1) + at(x + 1, y + 2));
      }
    const key = `${nn},${nnn},${d2},${kn}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const out = new Float64Array(STRIDE * counts.size);
  let j = 0;
  for (const [key, n] of counts) out.set([...key.split(",").map(Number), n], STRIDE * j++);
  cache.set(L, out);
  return out;
}

/**
 * The dual's exact moments at couplings t = (t_nn, t_nnn[, t_d2]) on the periodic L × L torus,
 * 2 ≤ L ≤ 4 (the same normalisation as the sampled moments of the dual fit).
 */
export function exactDualMoments(
  L: number,
  t: readonly [number, number] | readonly [number, number, number],
): ExactDualMoments {
  checkInt("L", L, 2, 4);
  const dos = densityOfStates(L);
  const twoN = 2 * L * L;
  const t2 = t[2] ?? 0;
  const energy = (j: number) => t[0] * dos[j] + t[1] * dos[j + 1] + t2 * dos[j + 2];
  let shift = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < dos.length; j += STRIDE) shift = Math.max(shift, energy(j));
  // Sums of w, w·x_i and w·x_i·x_j with x = (S_nn, S_nnn, S_d2)/2N, and w·S_knight/2N.
  let z = 0;
  let kn = 0;
  const m1 = new Float64Array(3);
  const m2 = new Float64Array(9);
  for (let j = 0; j < dos.length; j += STRIDE) {
    const w = dos[j + 4] * Math.exp(energy(j) - shift);
    const x = [dos[j] / twoN, dos[j + 1] / twoN, dos[j + 2] / twoN];
    z += w;
    kn += (w * dos[j + 3]) / twoN;
    for (let a = 0; a < 3; a++) {
      m1[a] += w * x[a];
      for (let b = 0; b < 3; b++) m2[a * 3 + b] += w * x[a] * x[b];
    }
  }
  const mu = m1.map((v) => v / z);
  const cov3 = m2.map((v, k) => twoN * (v / z - mu[Math.floor(k / 3)] * mu[k % 3]));
  return {
    g: [mu[0], mu[1]],
    g3: mu[2],
    g4: kn / z,
    cov: Float64Array.of(cov3[0], cov3[1], cov3[3], cov3[4]),
    cov3,
  };
}
