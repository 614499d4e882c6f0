// Ising (±1) quantities of any model description: term sums, energy, single-site ΔE, the table
// of every possible ΔE and its u32 Metropolis thresholds.
import { PhysmlInputError } from "../errors.js";
import { modelTables } from "./derive.js";
import type { LatticeSpec, Model } from "./types.js";

/** Threshold meaning "always accept" (ΔE ≤ 0). */
export const ALWAYS = 0xffffffff;

/**
 * The u32 Metropolis threshold of a ΔE: `floor(2^32·exp(−ΔE))` capped at 0xFFFFFFFE, and
 * {@link ALWAYS} when ΔE ≤ 0. A flip with random word r is accepted iff `r < T` or `T = ALWAYS`.
 */
export function thresholdFor(deltaE: number): number {
  if (deltaE <= 0) return ALWAYS;
  return Math.min(0xfffffffe, Math.floor(4294967296 * Math.exp(-deltaE)));
}

/** Throws unless the model has Ising spins. */
export function checkIsing(model: Model, field = "model.spin"): void {
  if (model.spin.kind !== "ising") throw new PhysmlInputError(field, '"ising"', `on(${model.spin.n})`);
}

function checkConfig(n: number, spins: Int8Array, offset: number): void {
  if (!(spins instanceof Int8Array) || spins.length < offset + n) {
    throw new PhysmlInputError("spins.length", `at least ${offset + n} (an Int8Array of ±1)`, spins?.length);
  }
}

/** `S_t` for every term t (in term order) of the configuration `spins[offset … offset+N)`. */
export function isingTermSums(model: Model, spins: Int8Array, offset = 0): Float64Array {
  checkIsing(model);
  const tb = modelTables(model);
  checkConfig(tb.lattice.nSites, spins, offset);
  const out = new Float64Array(tb.terms.length);
  tb.terms.forEach((t, ti) => {
    let sum = 0;
    for (const { k, sites, signs } of t.instances) {
      for (let x = 0; x < sites.length; x += k) {
        let p = signs ? signs[x / k] : 1;
        for (let q = 0; q < k; q++) p *= spins[offset + sites[x + q]];
        sum += p;
      }
    }
    out[ti] = sum;
  });
  return out;
}

/** `−Σ_t c_t S_t` summed in term order (from term sums, or a configuration). */
export function energyFromTermSums(model: Model, sums: ArrayLike<number>, offset = 0): number {
  let e = 0;
  model.terms.forEach((t, k) => {
    e += t.coupling * sums[offset + k];
  });
  return -e;
}

/** H(s) of an Ising model description. */
export function isingModelEnergy(model: Model, spins: Int8Array, offset = 0): number {
  return energyFromTermSums(model, isingTermSums(model, spins, offset));
}

/**
 * Index into {@link isingDeltaETable} of site i (from the stencil; the model must not be
 * degenerate on its lattice, see `ModelTables.degenerate`).
 */
export function isingLocalIndex(model: Model, spins: Int8Array, i: number, offset = 0): number {
  const tb = modelTables(model);
  const nNb = tb.neighbourOffsets.length;
  const nb = tb.neighbours;
  const sg = tb.neighbourSigns;
  let idx = spins[offset + i] > 0 ? tb.half : 0;
  tb.terms.forEach((t, ti) => {
    let v = 0;
    for (const pos of t.positions) {
      let p = 1;
      for (const m of pos.others) p *= spins[offset + nb[i * nNb + m]] * (sg ? sg[i * nNb + m] : 1);
      v += p;
    }
    idx += tb.stride[ti] * ((v + t.positions.length) >> 1);
  });
  return idx;
}

/**
 * ΔE of flipping a spin, for every table index: `ΔE = 2s·Σ_t c_t (f_t + v_t)` with f_t the
 * number of 1-site shapes of term t and v_t the sum of its neighbour products, summed in term
 * order in Float64. This order is the one every sampler uses, so tables agree bit for bit.
 */
export function isingDeltaETable(model: Model): Float64Array {
  checkIsing(model);
  const tb = modelTables(model);
  const nT = tb.terms.length;
  const out = new Float64Array(2 * tb.half);
  const c = model.terms.map((t) => t.coupling);
  const digit = new Int32Array(nT);
  // Walk the mixed-radix digits (last term fastest, as the strides say) like an odometer.
  for (let idx = 0; idx < tb.half; idx++) {
    let local = 0;
    for (let t = 0; t < nT; t++) {
      const P = tb.terms[t].positions.length;
      local += c[t] * (tb.terms[t].fieldCount + (2 * digit[t] - P));
    }
    out[idx] = 2 * -1 * local;
    out[tb.half + idx] = 2 * 1 * local;
    for (let t = nT - 1; t >= 0; t--) {
      if (++digit[t] < tb.radix[t]) break;
      digit[t] = 0;
    }
  }
  return out;
}

/** Largest ΔE table (entries per chain) the samplers accept. */
export const MAX_DELTA_E_TABLE = 1 << 16;

/** Threshold of acceptance probability exactly ½ (`r < 2^31`). */
export const ACCEPT_HALF = 0x80000000;

/**
 * Whether colour-by-colour Metropolis on this lattice must accept a zero-cost flip with
 * probability ½ instead of always: on a chain, and on a torus with a side of 1 or 2. Always taking
 * zero-cost flips is reducible there: on a ring domain walls then move deterministically (the
 * one-sweep kernel of the 6-site nn ring has eigenvalue 1 three times), and on a side of 2 both
 * neighbours along that axis are one site, so stripes along it (every site of cost 0) flip back
 * and forth forever (the 2×2 nn torus has three closed classes: from a uniform start at
 * nn = 0.35, ⟨S_nn⟩ settles at 4.79 against the exact 5.82). ½ keeps detailed balance (a(0)/a(0) = 1) and leaves one stationary
 * distribution (tested on the exact kernels); elsewhere flips of cost 0 are always taken.
 */
export function zeroCostFlipsAtHalf(lattice: LatticeSpec): boolean {
  if (lattice.kind === "chain") return true;
  if (lattice.kind === "square") return lattice.Lx <= 2 || lattice.Ly <= 2;
  return lattice.L <= 2;
}

/**
 * The u32 thresholds of {@link isingDeltaETable}, written at `out[offset …]`: Metropolis
 * ({@link thresholdFor}), except that a zero-cost flip is accepted with probability ½ when `lazy`
 * (by default {@link zeroCostFlipsAtHalf} of the model's lattice). `lazy` is for callers that
 * take a table's layout from a small stand-in model but run it on another lattice.
 */
export function isingThresholds(
  model: Model,
  out: Uint32Array<ArrayBufferLike> = new Uint32Array(2 * modelTables(model).half),
  offset = 0,
  lazy: boolean = zeroCostFlipsAtHalf(model.lattice),
): Uint32Array<ArrayBufferLike> {
  const table = isingDeltaETable(model);
  if (table.length > MAX_DELTA_E_TABLE) {
    throw new PhysmlInputError(
      "model.terms",
      `a ΔE table of at most ${MAX_DELTA_E_TABLE} entries`,
      table.length,
    );
  }
  // ΔE is a sum of ± couplings: call it zero below rounding of their scale.
  const zero = 1e-12 * model.terms.reduce((a, t) => a + Math.abs(t.coupling), 0);
  for (let j = 0; j < table.length; j++)
    out[offset + j] = lazy && Math.abs(table[j]) <= zero ? ACCEPT_HALF : thresholdFor(table[j]);
  return out;
}

/**
 * `H(s with spin i flipped) − H(s)`: from the stencil in O(stencil), or from two full
 * energies when the model is degenerate on its (small) lattice.
 */
export function isingModelDeltaE(model: Model, spins: Int8Array, i: number, offset = 0): number {
  checkIsing(model);
  const tb = modelTables(model);
  const N = tb.lattice.nSites;
  if (!Number.isInteger(i) || i < 0 || i >= N)
    throw new PhysmlInputError("i", `an integer in [0, ${N - 1}]`, i);
  checkConfig(N, spins, offset);
  if (tb.degenerate) {
    const flipped = Int8Array.from(spins.subarray(offset, offset + N));
    const e0 = isingModelEnergy(model, flipped);
    flipped[i] = -flipped[i];
    return isingModelEnergy(model, flipped) - e0;
  }
  const nNb = tb.neighbourOffsets.length;
  let local = 0;
  tb.terms.forEach((t, ti) => {
    let v = 0;
    for (const pos of t.positions) {
      let p = 1;
      for (const m of pos.others) {
        const sign = tb.neighbourSigns ? tb.neighbourSigns[i * nNb + m] : 1;
        p *= spins[offset + tb.neighbours[i * nNb + m]] * sign;
      }
      v += p;
    }
    local += model.terms[ti].coupling * (t.fieldCount + v);
  });
  return 2 * spins[offset + i] * local;
}
