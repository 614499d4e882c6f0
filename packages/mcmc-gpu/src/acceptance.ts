// Integer Metropolis acceptance (SPEC.md, "Acceptance thresholds"): every possible ΔE of a
// single flip is known in advance from the local neighbourhood, so the exponential is taken
// once per chain (Float64) and the hot loops compare a raw u32 random word against a u32
// threshold. The table of the standard square terms is lattice-core's ΔE table of the standard
// model description; the WebGPU backend uploads exactly these tables, so both backends agree
// bit for bit.
import {
  ALWAYS,
  type Couplings,
  couplingsVector,
  isingDeltaETable,
  isingThresholds,
  modelTables,
  type SquareLattice,
  standardSquareModel,
  thresholdFor,
  withCouplings,
  zeroCostFlipsAtHalf,
} from "@physml/lattice-core";

export { ALWAYS, thresholdFor };

// The table depends only on the stencil, which is the same on every torus on which no standard
// term visits a site twice; 2×2 is the smallest. Couplings are swapped into one base model
// (withCouplings keeps its derived geometry, so this stays cheap per chain).
const BASE = standardSquareModel(2, 2, { nn: 1, plaquette: 1, nnn: 1, field: 1 });
const model = (c: Couplings) => withCouplings(BASE, couplingsVector(c));
const layout = modelTables(BASE);
const [NN, PLAQ, NNN] = layout.stride;

/** Entries per chain: s ∈ {−1, +1} × a, q, b ∈ {−4, −2, 0, 2, 4} (= 250). */
export const THRESHOLDS_PER_CHAIN = 2 * layout.half;

/**
 * Table index of SPEC.md for spin s = ±1 and neighbourhood sums a (nn), b (nnn), q
 * (plaquettes): the standard model's layout, `(s>0)·125 + ((a+4)/2)·25 + ((q+4)/2)·5 + (b+4)/2`.
 */
export function thresholdIndex(s: number, a: number, b: number, q: number): number {
  return (s > 0 ? layout.half : 0) + ((a + 4) / 2) * NN + ((q + 4) / 2) * PLAQ + ((b + 4) / 2) * NNN;
}

/** {@link thresholdIndex} of s = −1 with a = q = b = 0. */
export const THRESHOLD_CENTRE = thresholdIndex(-1, 0, 0, 0);

/** How {@link thresholdIndex} steps: from s = −1 to +1, and per step of 2 in a, q and b. */
export const THRESHOLD_STRIDES = { spin: layout.half, nn: NN, plaquette: PLAQ, nnn: NNN } as const;

/** ΔE of flipping spin s with neighbourhood sums (a, b, q): the standard model's table entry. */
export function flipDeltaE(c: Couplings, s: number, a: number, b: number, q: number): number {
  return isingDeltaETable(model(c))[thresholdIndex(s, a, b, q)];
}

/**
 * The 250 thresholds of one chain; with `lazy` a zero-cost flip is accepted with probability ½
 * (lattices with a side of 2, see {@link thresholdTables}).
 */
export function thresholdTable(
  c: Couplings,
  out: Uint32Array<ArrayBufferLike> = new Uint32Array(THRESHOLDS_PER_CHAIN),
  offset = 0,
  lazy = false,
): Uint32Array<ArrayBufferLike> {
  return isingThresholds(model(c), out, offset, lazy);
}

/**
 * Thresholds of every chain on `lattice`, chain-major: `[chain][250]` (what the GPU backend
 * uploads). On a lattice with a side of 2 zero-cost flips are accepted with probability ½:
 * always taking them would leave the sampler reducible there (lattice-core's
 * `zeroCostFlipsAtHalf`).
 */
export function thresholdTables(couplings: readonly Couplings[], lattice: SquareLattice): Uint32Array {
  const lazy = zeroCostFlipsAtHalf({ kind: "square", Lx: lattice.Lx, Ly: lattice.Ly });
  const out = new Uint32Array(couplings.length * THRESHOLDS_PER_CHAIN);
  for (const [k, c] of couplings.entries()) thresholdTable(c, out, k * THRESHOLDS_PER_CHAIN, lazy);
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
