// The n-spin Ising chain H = −J Σ_k Π_{l<n} s_{k+l} as a lattice-core model description, and
// what is derived from it: the dual variables σ_k (one per term instance: the product of its
// spins) and the (meta)stability label under single flips (every ΔE ≥ 0).
import { type Tensor, tensor } from "@physml/autodiff";
import { defineModel, isingModelDeltaE, type Model, modelTables } from "@physml/lattice-core";

/** The description of a periodic chain of `sites` spins with one n-spin term of coupling J. */
export function nSpinChain(sites: number, n: number, J = 1): Model {
  return defineModel({
    spin: "ising",
    lattice: { chain: sites },
    terms: [{ name: `spin${n}`, coupling: J, sites: Array.from({ length: n }, (_, l) => [l]) }],
  });
}

/** Per term instance (every term, every shape, every translate): its sites. */
export function instanceSites(model: Model): Int32Array[] {
  const out: Int32Array[] = [];
  for (const t of modelTables(model).terms)
    for (const { k, sites } of t.instances)
      for (let x = 0; x < sites.length; x += k) out.push(sites.slice(x, x + k));
  return out;
}

/** Per term instance: the coupling of its term (same order as {@link instanceSites}). */
export function instanceCouplings(model: Model): Float64Array {
  const out: number[] = [];
  modelTables(model).terms.forEach((t, ti) => {
    for (const { k, sites } of t.instances)
      for (let x = 0; x < sites.length; x += k) out.push(model.terms[ti].coupling);
  });
  return Float64Array.from(out);
}

/** The dual variables of a configuration: σ_k = product of the spins of instance k. */
export function dualVariables(inst: readonly Int32Array[], s: ArrayLike<number>, out: Float64Array): void {
  for (let k = 0; k < inst.length; k++) {
    let p = 1;
    for (const i of inst[k]) p *= s[i];
    out[k] = p;
  }
}

/** The dual variables σ_k = Π_{i ∈ instance k} s_i of each row of x [B, sites], as a constant [B, K]. */
export function dualTarget(inst: readonly Int32Array[]): (x: Tensor) => Tensor {
  return (x) => {
    const [B, N] = x.shape;
    const s = x.toFloat64Array();
    const K = inst.length;
    const out = new Float64Array(B * K);
    for (let r = 0; r < B; r++)
      dualVariables(inst, s.subarray(r * N, (r + 1) * N), out.subarray(r * K, (r + 1) * K));
    return tensor(out, [B, K]);
  };
}

/** 1 when no single flip lowers the energy (ΔE_i ≥ 0 for every site, from lattice-core), else 0. */
export function stableLabel(model: Model, s: Int8Array): number {
  const N = s.length;
  for (let i = 0; i < N; i++) if (isingModelDeltaE(model, s, i) < 0) return 0;
  return 1;
}

/**
 * The same label read from the dual variables alone: flipping site i negates the σ of every
 * instance holding it, so ΔE_i = 2 Σ_{k ∋ i} J_k σ_k (local in σ: a window of n for the chain).
 */
export function stableFromDual(
  siteInstances: readonly Int32Array[],
  J: Float64Array,
  sigma: ArrayLike<number>,
): number {
  for (const ks of siteInstances) {
    let e = 0;
    for (const k of ks) e += J[k] * sigma[k];
    if (e < 0) return 0;
  }
  return 1;
}

/** Per site, the instances that hold it an odd number of times (whose σ a flip of it negates). */
export function siteInstances(inst: readonly Int32Array[], sites: number): Int32Array[] {
  const lists: number[][] = Array.from({ length: sites }, () => []);
  inst.forEach((ss, k) => {
    const count = new Map<number, number>();
    for (const i of ss) count.set(i, (count.get(i) ?? 0) + 1);
    for (const [i, m] of count) if (m % 2 === 1) lists[i].push(k);
  });
  return lists.map((l) => Int32Array.from(l));
}
