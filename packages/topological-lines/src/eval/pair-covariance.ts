// The path-independence test of a learned line with the full jackknife covariance of its pair
// differences d_ab = ⟨ψ_a⟩ − ⟨ψ_b⟩. Pairs share paths, so the differences are correlated, and
// within a group of n paths only n − 1 of the n(n − 1)/2 pairs are linearly independent
// (d_ac = d_ab + d_bc on every block): the covariance is singular. The test therefore inverts it
// on a maximal independent set of pairs, picked in pair order by a Cholesky factorisation of the
// correlation matrix (a pair whose residual variance after the earlier ones is at rounding level
// is a combination of them). On that set dᵀ C⁻¹ d equals the pseudo-inverse form dᵀ C⁺ d on all
// pairs. The differences are linear in the means, so the jackknife covariance over B blocks is the
// sample covariance of the block means over B, and T² = dᵀ C⁻¹ d is Hotelling's T²: for Gaussian
// block means of zero mean, (B − r)/(r(B − 1)) · T² ~ F(r, B − r) exactly (r pairs tested). That
// gives the p-value; the χ² reported is T² times the Hartlap factor (B − r − 2)/(B − 1), whose
// mean is r (E[C⁻¹] = Σ⁻¹ (B − 1)/(B − r − 2)). At most B − 3 pairs are tested, the first
// independent ones in pair order (a choice that does not look at the data), so the factor stays
// positive when the pairs outnumber the blocks. The learned table carries its training set's
// noise, which this test resolves on the fresh set; fitting q table directions to the fresh
// differences (minimising T² over d + Σ δ_k g_k) leaves Hotelling's T² in r − q dimensions: in
// coordinates where the g_k span the first q, the minimum is the T² of the other r − q.
import { PhysmlInputError } from "@physml/lattice-core";
import { chiSquareSurvival, fSurvival } from "./distributions.js";

/** Pair differences with a smaller jackknife error are exact zeros up to rounding (the Z2 line). */
export const ROUNDING = 1e-12;

/** Residual variance fraction below which a pair is a linear combination of the earlier ones. */
const DEPENDENT = 1e-9;

/** The path-independence test with the full jackknife covariance of the pair differences. */
export interface PairCovarianceTest {
  /** Pairs that entered: those whose difference is not an exact zero to rounding. */
  pairs: number;
  /** Their linearly independent count: the rank of their jackknife covariance (at most B − 1). */
  rank: number;
  /** Independent pairs tested, min(rank, B − 3): the first ones in pair order. */
  tested: number;
  /** Parameters fitted to the fresh differences (independent directions among `fitted`). */
  fitted: number;
  /** tested − fitted: the degrees of freedom of `chi2`. */
  dof: number;
  /** Jackknife blocks B (blocks of whole chains). */
  blocks: number;
  /**
   * dᵀ C⁻¹ d over the tested pairs, C their jackknife covariance (Hotelling's T² of the block
   * means), minimised over d + Σ_k δ_k g_k when directions g_k are fitted.
   */
  t2: number;
  /** (B − dof − 2)/(B − 1), the factor that makes the inverse of the estimated covariance unbiased. */
  hartlap: number;
  /** hartlap · t2: mean `dof` when the line is path-independent (Gaussian block means). */
  chi2: number;
  /** P(T² ≥ t2) from (B − dof)/(dof·(B − 1)) · T² ~ F(dof, B − dof); 1 when nothing is tested. */
  pValue: number;
  /** P(χ²_dof ≥ dof + pullLimit·√(2·dof)): below it the line is not path-independent. */
  pValueLimit: number;
  pathIndependent: boolean;
}

/**
 * The test for pair differences `value` with jackknife covariance `covariance` (row-major,
 * n × n) over `blocks` blocks. `fitted` are the derivatives of the differences along parameters
 * that are fitted to the same data (the table's directions): the χ² is then the minimum over
 * them, to first order, with that many fewer degrees of freedom. Throws PhysmlInputError naming
 * `blocks` when fewer than 4 blocks would have to test a non-zero difference.
 */
export function pairCovarianceTest(
  value: ArrayLike<number>,
  covariance: ArrayLike<number>,
  blocks: number,
  pullLimit: number,
  fitted: readonly ArrayLike<number>[] = [],
): PairCovarianceTest {
  const n = value.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (Math.sqrt(Math.max(covariance[i * n + i], 0)) > ROUNDING) keep.push(i);
  const sigma = keep.map((i) => Math.sqrt(covariance[i * n + i]));
  const corr = (u: number, v: number) => covariance[keep[u] * n + keep[v]] / (sigma[u] * sigma[v]);

  // Cholesky rows of the correlation matrix of the independent pairs, in pair order.
  const chosen: number[] = [];
  const rows: Float64Array[] = [];
  for (let u = 0; u < keep.length; u++) {
    const y = new Float64Array(chosen.length + 1);
    let resid = 1;
    for (let k = 0; k < chosen.length; k++) {
      let s = corr(u, chosen[k]);
      for (let j = 0; j < k; j++) s -= rows[k][j] * y[j];
      y[k] = s / rows[k][k];
      resid -= y[k] * y[k];
    }
    if (resid <= DEPENDENT) continue;
    y[chosen.length] = Math.sqrt(resid);
    chosen.push(u);
    rows.push(y);
  }
  const rank = chosen.length;
  const cap = blocks - 3;
  if (rank > 0 && cap < 1)
    throw new PhysmlInputError("blocks", "at least 4 (the covariance test needs B − 3 ≥ 1)", blocks);
  const tested = Math.min(rank, cap);

  // Whitened differences w = L⁻¹ z and directions u = L⁻¹ g (z, g in units of the pairs' errors;
  // the leading tested × tested block of the factor is the factor of the first tested pairs).
  const whiten = (x: ArrayLike<number>) => {
    const out = new Float64Array(tested);
    for (let k = 0; k < tested; k++) {
      let v = x[keep[chosen[k]]] / sigma[chosen[k]];
      for (let j = 0; j < k; j++) v -= rows[k][j] * out[j];
      out[k] = v / rows[k][k];
    }
    return out;
  };
  const w = whiten(value);
  let t2 = w.reduce((acc, v) => acc + v * v, 0);
  // Minimising over the fitted parameters removes w's components along the whitened directions
  // (Gram–Schmidt); what is left is Hotelling's T² in the remaining tested − q dimensions.
  const basis: Float64Array[] = [];
  for (const g of fitted) {
    const u = whiten(g);
    const norm0 = Math.hypot(...u);
    for (const e of basis) {
      const c = u.reduce((acc, v, i) => acc + v * e[i], 0);
      for (let i = 0; i < tested; i++) u[i] -= c * e[i];
    }
    const norm = Math.hypot(...u);
    if (!(norm > DEPENDENT * norm0)) continue;
    const e = u.map((v) => v / norm);
    basis.push(e);
    const c = w.reduce((acc, v, i) => acc + v * e[i], 0);
    t2 -= c * c;
  }
  const dof = Math.max(tested - basis.length, 0);
  if (!dof) t2 = 0;
  const hartlap = (blocks - dof - 2) / (blocks - 1);
  const pValue = dof ? fSurvival(((blocks - dof) / (dof * (blocks - 1))) * t2, dof, blocks - dof) : 1;
  const pValueLimit = dof ? chiSquareSurvival(dof + pullLimit * Math.sqrt(2 * dof), dof) : 0;
  return {
    pairs: keep.length,
    rank,
    tested,
    fitted: basis.length,
    dof,
    blocks,
    t2,
    hartlap,
    chi2: hartlap * t2,
    pValue,
    pValueLimit,
    pathIndependent: pValue >= pValueLimit,
  };
}

/** "χ² / dof, p = …" with the rank, the pairs and the Hartlap factor, for reports. */
export function pairTestSummary(t: PairCovarianceTest): string {
  if (!t.dof)
    return `0 / 0 (${t.pairs ? "no pair left after the fit" : "every pair difference is zero to rounding"})`;
  const p = t.pValue < 1e-3 ? t.pValue.toExponential(1) : t.pValue.toFixed(3);
  return `${t.chi2.toFixed(2)} / ${t.dof}, p = ${p} (rank ${t.rank} of ${t.pairs} pairs${t.tested < t.rank ? `, ${t.tested} tested` : ""}, ${t.fitted} fitted, ${t.blocks} blocks, Hartlap ${t.hartlap.toFixed(3)})`;
}
