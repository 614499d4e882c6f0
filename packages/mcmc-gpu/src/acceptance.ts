// Integer Metropolis acceptance (SPEC.md, "Acceptance thresholds"): every possible ΔE of a
// single flip is known in advance from the local neighbourhood, so the exponential is taken
// once per chain here (Float64) and the hot loops compare a raw u32 random word against a u32
// threshold. The WebGPU backend uploads exactly these tables, so both backends agree bit for bit.
import type { Couplings } from "@physml/lattice-core";

/** Entries per chain: s ∈ {−1, +1} × a, b, q ∈ {−4, −2, 0, 2, 4}. */
export const THRESHOLDS_PER_CHAIN = 250;

/** Threshold meaning "always accept" (ΔE ≤ 0). */
export const ALWAYS = 0xffffffff;

/** `floor(2^32·exp(−ΔE))`, capped at 0xFFFFFFFE; `ALWAYS` when ΔE ≤ 0. */
export function thresholdFor(deltaE: number): number {
  if (deltaE <= 0) return ALWAYS;
  return Math.min(0xfffffffe, Math.floor(4294967296 * Math.exp(-deltaE)));
}

/** Table index of SPEC.md for spin s = ±1 and neighbourhood sums a (nn), b (nnn), q (plaquettes). */
export function thresholdIndex(s: number, a: number, b: number, q: number): number {
  return ((s > 0 ? 1 : 0) * 5 + (a + 4) / 2) * 25 + ((b + 4) / 2) * 5 + (q + 4) / 2;
}

/** ΔE of flipping spin s with neighbourhood sums (a, b, q), in the fixed evaluation order of SPEC.md. */
export function flipDeltaE(c: Couplings, s: number, a: number, b: number, q: number): number {
  return 2 * s * (c.nn * a + c.nnn * b + c.plaquette * q + c.field);
}

/** The 250 thresholds of one chain. */
export function thresholdTable(
  c: Couplings,
  out: Uint32Array<ArrayBufferLike> = new Uint32Array(THRESHOLDS_PER_CHAIN),
  offset = 0,
): Uint32Array<ArrayBufferLike> {
  for (const s of [-1, 1]) {
    for (let a = -4; a <= 4; a += 2) {
      for (let b = -4; b <= 4; b += 2) {
        for (let q = -4; q <= 4; q += 2) {
          out[offset + thresholdIndex(s, a, b, q)] = thresholdFor(flipDeltaE(c, s, a, b, q));
        }
      }
    }
  }
  return out;
}

/** Thresholds of every chain, chain-major: `[chain][250]` (what the GPU backend uploads). */
export function thresholdTables(couplings: readonly Couplings[]): Uint32Array {
  const out = new Uint32Array(couplings.length * THRESHOLDS_PER_CHAIN);
  for (const [k, c] of couplings.entries()) thresholdTable(c, out, k * THRESHOLDS_PER_CHAIN);
  return out;
}

/**
 * The two thresholds of the replica-packed kernel (nn only, coupling J): `t4` for ΔE = 4|J|
 * and `t8` for ΔE = 8|J|, taken from the int-kernel table so both kernels accept with the
 * same probabilities. For J = 0 every flip is accepted and both are `ALWAYS`.
 */
export function packedThresholds(nn: number): { t4: number; t8: number } {
  const c: Couplings = { nn, plaquette: 0, nnn: 0, field: 0 };
  // J > 0: an up spin with a = 2 (3 of 4 aligned) or a = 4; J < 0: a = −2 or −4.
  const a = nn >= 0 ? 1 : -1;
  return {
    t4: thresholdFor(flipDeltaE(c, 1, 2 * a, 0, 0)),
    t8: thresholdFor(flipDeltaE(c, 1, 4 * a, 0, 0)),
  };
}
