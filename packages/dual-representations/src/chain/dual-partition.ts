// The partition function in the dual variables. σ = A·s over GF(2) (A: instances × sites), so
// Σ_s = |ker A| Σ_{σ ∈ im A}, and by Poisson summation over the code im A (dual code
// C⊥ = ker Aᵀ; |ker A| / |C⊥| = 2^(sites − instances)):
//   Z = 2^(sites − instances) Π_k 2 cosh J_k · Σ_{c ∈ ker Aᵀ} Π_{k ∈ c} tanh J_k,
// the high-temperature expansion with the closed "graphs" c read off the dual constraints.
// Exact, and independent of the transfer matrix and of enumeration (the checks it is compared to).
import { PhysmlInputError } from "@physml/lattice-core";

/** What the dual variables give exactly. */
export interface DualPartition {
  lnZ: number;
  /** ⟨σ_k⟩ per instance (∂ ln Z / ∂J_k). */
  sigmaMeans: Float64Array;
  /** rank of A over GF(2): the number of free dual variables. */
  rank: number;
  /** log2 |ker A| = sites − rank: original states per dual state. */
  kernelBits: number;
  /** The constraints' code words c ∈ ker Aᵀ by weight |c| (index = weight). */
  weightEnumerator: number[];
}

/** Largest dual-constraint space enumerated (2^20 code words). */
export const MAX_CONSTRAINT_BITS = 20;

/** Row-reduces `rows` (bit masks) in place; returns the rank and the pivot bit of each row. */
function rowReduce(rows: bigint[], bits: number): { rank: number; pivots: number[] } {
  let rank = 0;
  const pivots: number[] = [];
  for (let b = 0; b < bits && rank < rows.length; b++) {
    const m = 1n << BigInt(b);
    const p = rows.findIndex((r, i) => i >= rank && (r & m) !== 0n);
    if (p < 0) continue;
    [rows[rank], rows[p]] = [rows[p], rows[rank]];
    for (let i = 0; i < rows.length; i++) if (i !== rank && (rows[i] & m) !== 0n) rows[i] ^= rows[rank];
    pivots.push(b);
    rank++;
  }
  return { rank, pivots };
}

/** A basis of ker Aᵀ = {c : Σ_k c_k A_{k,i} = 0 ∀ i}, as bit masks over instances. */
function constraintBasis(inst: readonly Int32Array[], sites: number): { basis: bigint[]; rank: number } {
  const K = inst.length;
  // Rows of Aᵀ: per site, the instances holding it an odd number of times.
  const rows: bigint[] = Array.from({ length: sites }, () => 0n);
  inst.forEach((ss, k) => {
    for (const i of ss) rows[i] ^= 1n << BigInt(k);
  });
  const { rank, pivots } = rowReduce(rows, K);
  const pivotSet = new Set(pivots);
  const basis: bigint[] = [];
  for (let f = 0; f < K; f++) {
    if (pivotSet.has(f)) continue;
    // Free variable f = 1; each pivot variable is fixed by its reduced row.
    let c = 1n << BigInt(f);
    for (let r = 0; r < rank; r++) if ((rows[r] >> BigInt(f)) & 1n) c |= 1n << BigInt(pivots[r]);
    basis.push(c);
  }
  return { basis, rank };
}

/** Exact ln Z and ⟨σ_k⟩ of the model with instances `inst` (site lists) and couplings J per instance. */
export function dualPartition(inst: readonly Int32Array[], J: Float64Array, sites: number): DualPartition {
  const K = inst.length;
  const { basis, rank } = constraintBasis(inst, sites);
  if (basis.length > MAX_CONSTRAINT_BITS) {
    throw new PhysmlInputError(
      "model",
      `at most ${MAX_CONSTRAINT_BITS} independent dual constraints`,
      basis.length,
    );
  }
  const t = J.map(Math.tanh);
  const bitsOf = (c: bigint): number[] => {
    const out: number[] = [];
    for (let k = 0; k < K; k++) if ((c >> BigInt(k)) & 1n) out.push(k);
    return out;
  };
  let S = 0;
  const Sk = new Float64Array(K);
  const weights: number[] = Array(K + 1).fill(0);
  for (let m = 0; m < 1 << basis.length; m++) {
    let c = 0n;
    for (let j = 0; j < basis.length; j++) if ((m >> j) & 1) c ^= basis[j];
    const ks = bitsOf(c);
    weights[ks.length]++;
    let w = 1;
    for (const k of ks) w *= t[k];
    S += w;
    // ∂/∂t_k of Π_{j∈c} t_j: the product without k.
    for (const k of ks) {
      let wk = 1;
      for (const j of ks) if (j !== k) wk *= t[j];
      Sk[k] += wk;
    }
  }
  let lnZ = Math.log(S) + (sites - K) * Math.LN2;
  const sigmaMeans = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    lnZ += Math.log(2 * Math.cosh(J[k]));
    sigmaMeans[k] = t[k] + ((1 - t[k] * t[k]) * Sk[k]) / S;
  }
  while (weights.length > 1 && weights[weights.length - 1] === 0) weights.pop();
  return { lnZ, sigmaMeans, rank, kernelBits: sites - rank, weightEnumerator: weights };
}
