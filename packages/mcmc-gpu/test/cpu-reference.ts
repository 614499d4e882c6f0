// The per-site reference of SPEC.md's int kernel, shared by the CPU kernel tests: written from
// the specification, sharing nothing with the kernels but Philox and the threshold rule.
import { type Couplings, deltaE, type squareLattice } from "@physml/lattice-core";
import { ALWAYS, thresholdFor } from "../src/acceptance.js";
import { philox4x32, philoxKey } from "../src/rng/philox.js";

/**
 * One sweep `n` of chain `chain` in place: for colour class k and its j-th site i, the word
 * j mod 4 of Philox(key(seed), (chain, n, k, ⌊j/4⌋)) against the threshold of lattice-core's ΔE.
 */
export function referenceIntSweep(
  lattice: ReturnType<typeof squareLattice>,
  c: Couplings,
  spins: Int8Array,
  chain: number,
  n: number,
  colours: 2 | 4,
  seed: number,
): void {
  const [k0, k1] = philoxKey(seed);
  const w = new Uint32Array(4);
  lattice.colourClasses(colours).forEach((cls, k) => {
    cls.forEach((i, j) => {
      philox4x32(k0, k1, chain, n, k, j >> 2, w);
      const t = thresholdFor(deltaE(lattice, c, spins, i));
      if (w[j & 3] < t || t === ALWAYS) spins[i] = -spins[i];
    });
  });
}
