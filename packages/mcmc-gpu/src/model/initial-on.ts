// Initial O(n) configurations, built on the CPU for every backend (the Ising ones are in
// ../webgpu/initial.ts).
import { philox4x32, philoxKey } from "../rng/philox.js";

/**
 * `[chain][site][n]` unit spins: all along s⁰ for `cold`; for `hot`, normalised normals from
 * Philox(key, (c, 0xFFFFFFFF, 0xFFFFFFFE − a, i)) for component pair a, a+1 (Box–Muller).
 */
export function initialOn(
  init: "cold" | "hot",
  chains: number,
  N: number,
  n: number,
  seed: number,
): Float64Array {
  const out = new Float64Array(chains * N * n);
  const [k0, k1] = philoxKey(seed);
  const w = new Uint32Array(4);
  for (let c = 0; c < chains; c++)
    for (let i = 0; i < N; i++) {
      const o = (c * N + i) * n;
      if (init === "cold") {
        out[o] = 1;
        continue;
      }
      let norm = 0;
      for (let a = 0; a < n; a += 2) {
        philox4x32(k0, k1, c, 0xffffffff, 0xfffffffe - a, i, w);
        const r = Math.sqrt(-2 * Math.log((w[0] + 1) / 4294967296));
        const phi = (2 * Math.PI * w[1]) / 4294967296;
        out[o + a] = r * Math.cos(phi);
        if (a + 1 < n) out[o + a + 1] = r * Math.sin(phi);
      }
      for (let a = 0; a < n; a++) norm += out[o + a] ** 2;
      for (let a = 0; a < n; a++) out[o + a] /= Math.sqrt(norm);
    }
  return out;
}
