// The per-site reference of SPEC.md's int kernel, shared by the CPU kernel tests: written from
// the specification, sharing nothing with the kernels but Philox and the threshold rule.
import { type Couplings, deltaE, type squareLattice } from "@physml/lattice-core";
import { ALWAYS, packedThresholds, thresholdFor } from "../src/acceptance.js";
import { packedAcceptMask } from "../src/rng/packed-hash.js";
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

/**
 * One sweep `n` of SPEC.md's packed kernel per lane, on ±1 configurations `conf[chain]`: ΔE from
 * lattice-core; lanes with ΔE ≤ 0 flip, the others flip where packedAcceptMask (tested against
 * the bit-serial definition in packed-hash.test.ts) accepts with T4 or T8. Returns the Philox
 * blocks that had a lane needing a coin ("philox g,n,k,b").
 */
export function referencePackedSweep(
  lattice: ReturnType<typeof squareLattice>,
  J: number,
  conf: Int8Array[],
  n: number,
  seed: number,
): string[] {
  const [k0, k1] = philoxKey(seed);
  const { t4, t8 } = packedThresholds(J);
  const coinBlocks = new Set<string>();
  const c = { nn: J, plaquette: 0, nnn: 0, field: 0 };
  const w = new Int32Array(4);
  lattice.colourClasses(2).forEach((cls, k) => {
    cls.forEach((i, j) => {
      for (let g = 0; g * 32 < conf.length; g++) {
        philox4x32(k0, k1, g, n, k, j >> 2, w);
        let need4 = 0;
        let need8 = 0;
        let now = 0;
        const lanes = Math.min(32, conf.length - 32 * g);
        for (let b = 0; b < lanes; b++) {
          const dE = deltaE(lattice, c, conf[32 * g + b], i);
          if (dE <= 0) now |= 1 << b;
          else if (Math.abs(dE - 4 * Math.abs(J)) < 1e-12) need4 |= 1 << b;
          else need8 |= 1 << b;
        }
        if ((need4 | need8) !== 0) coinBlocks.add(`philox ${g},${n},${k},${j >> 2}`);
        const flip = now | packedAcceptMask(w[0], w[1], w[2], j & 3, need4, need8, t4, t8);
        for (let b = 0; b < lanes; b++) if ((flip >>> b) & 1) conf[32 * g + b][i] *= -1;
      }
    });
  });
  return [...coinBlocks];
}

/** SPEC.md's initial spins ("Initial state"): +1 (cold), or hot from Philox (c, ~0, ~0, ⌊i/4⌋) word i mod 4 < 2^31. */
export function referenceInitialChain(seed: number, chain: number, nSites: number, hot: boolean): Int8Array {
  const [k0, k1] = philoxKey(seed);
  const w = new Uint32Array(4);
  return Int8Array.from({ length: nSites }, (_, i) => {
    if (!hot) return 1;
    philox4x32(k0, k1, chain, 0xffffffff, 0xffffffff, i >> 2, w);
    return w[i & 3] < 2 ** 31 ? 1 : -1;
  });
}
