// The total loss of arXiv 2103.07475, α₁𝓛_Lax + α₂𝓛_L + α₃𝓛_LM + α₄𝓛_MC, on a batch of states x
// with their velocities ẋ from the equations of motion.
import {
  abs,
  add,
  concat,
  div,
  jvp,
  matmul,
  maximum,
  mean,
  min,
  mul,
  reshape,
  sqrt,
  square,
  sub,
  sum,
  type Tensor,
  transpose,
} from "@physml/autodiff";
import type { LaxModel, LaxParams } from "./model.js";
import { tracelessPart } from "./traceless.js";

/** Weights α₁…α₄ of the paper's four loss terms and α₅ of the spectrum term (0: the paper's loss). */
export interface LaxLossWeights {
  lax: number;
  l: number;
  lm: number;
  mc: number;
  spectrum: number;
  /**
   * α₆ of 𝓛_inv, the residual relative to the spread of the spectrum (default 0; see
   * {@link invariantSpreadLoss}).
   */
  invariant?: number;
  /**
   * What the spectrum term divides std tr L̃² by: |mean tr L̃²| ("trace", default) or ⟨|L̃|²⟩, the
   * mean squared Frobenius norm ("norm"). A nilpotent L = g(x)·N (N² = 0) with a small correction
   * has tr L̃² ≈ 0 on average, so "trace" sees a large spread; "norm" sees almost none. Such pairs
   * are exact in the exp-unit class (L = e^{w·f}N, M = (w·ḟ)K with [N, K] = N) and were where
   * Toda runs ended (nearly rank-one L).
   */
  spreadOf?: "trace" | "norm";
  /**
   * λ of a ridge penalty λ·Σw² on the first layer's weights of both networks (default 0): with exp
   * units these are the rates, and large rates let exponentials cancel on the training states.
   */
  rates?: number;
  /** The spread κ of tr L̃² below which the spectrum term pushes (default {@link SPECTRUM_SPREAD}). */
  spread?: number;
}

/** The terms of the loss (scalars) and the pieces the evaluation reads. */
export interface LaxLossTerms {
  total: Tensor;
  lax: Tensor;
  l: Tensor;
  lm: Tensor;
  mc: Tensor;
  spectrum: Tensor;
  invariant: Tensor;
}

/**
 * The matching loss of 𝓛_L and 𝓛_LM: every entry A_ij (over the batch) should be proportional to
 * one component ẋ_k of the equations of motion. With the batch-fitted c_ijk = ⟨A_ij ẋ_k⟩/⟨ẋ_k²⟩
 * the residual is ⟨A_ij²⟩ − ⟨A_ij ẋ_k⟩²/⟨ẋ_k²⟩; take the min over k, sum over ij and divide by
 * Σ⟨A_ij²⟩ so the loss is scale free (entries that vanish identically cost nothing).
 */
export function proportionalityLoss(A: Tensor, xdot: Tensor): Tensor {
  const B = A.shape[0];
  const n2 = A.shape[1] * A.shape[2];
  const a = reshape(A, [B, n2, 1]);
  const v = reshape(xdot, [B, 1, xdot.shape[1]]);
  const a2 = mean(square(a), 0); // [n², 1]
  const av = mean(mul(a, v), 0); // [n², d]
  const v2 = mean(square(v), 0); // [1, d]
  const resid = sub(a2, div(square(av), v2)); // [n², d]
  return div(sum(min(resid, 1)), add(sum(a2), 1e-30));
}

/** Below this spread of tr L̃² across the batch (std/mean) the spectrum term pushes. */
export const SPECTRUM_SPREAD = 0.1;

/**
 * Beyond the paper: every system has "Lax pairs" with a constant spectrum (L = U D U⁻¹ with D
 * constant and M = −U̇U⁻¹, since U̇ is a function of x through ẋ), whose tr Lᵏ conserve nothing.
 * Gradient descent finds them (measured: held-out residual 1.5e-3 with tr L² vs H at R² = 0.10).
 * This term, max(0, κ − std_B tr L̃² / mean_B tr L̃²) with L̃ the traceless part of L, asks the
 * spectrum to vary across phase space. κ must stay below the spread of a true pair on the sampled
 * box (Flaschka's Toda pair: 0.23 on [−1, 1]⁶), or the term would push away from it.
 */
export function spectrumLoss(L: Tensor, spread = SPECTRUM_SPREAD, of: "trace" | "norm" = "trace"): Tensor {
  const t2 = tracelessSquare(L);
  const m = mean(t2);
  const sd = sqrt(add(mean(square(sub(t2, m))), 1e-30));
  const scale = of === "norm" ? mean(sum(square(tracelessPart(L)), [1, 2])) : abs(m);
  return maximum(sub(spread, div(sd, add(scale, 1e-30))), 0);
}

/** tr L̃² per state ([B]), with L̃ = L − (tr L / n)·1 the traceless part of L ([B, n, n]). */
function tracelessSquare(L: Tensor): Tensor {
  const Lt = tracelessPart(L);
  return sum(mul(Lt, transpose(Lt, [0, 2, 1])), [1, 2]);
}

/**
 * ⟨|L̃|²⟩ / Var_B(tr L̃²) (|·| the Frobenius norm): the scale by which 𝓛_inv divides the mean squared residual. With a
 * free M, the part of L̇ that [L, M] cannot match is the change of L's spectrum along the flow,
 * so ⟨|L̇ − [L, M]|²⟩ is the squared rate at which the spectrum moves. 𝓛_Lax divides it by ⟨|L̇|²⟩,
 * and a pair L = U D U⁻¹ + εG with a nearly constant spectrum and a fast-turning U makes that
 * ratio small without conserving anything (what training found for Toda: held-out residual 7e-3,
 * tr L² vs H at R² 0.2). Dividing instead by how much the spectrum varies across the batch is
 * blind to how fast U turns and to ε (both scale out), so only an L whose spectrum varies across
 * phase space but not along the flow makes 𝓛_inv small.
 */
function invariantScale(L: Tensor): Tensor {
  const t2 = tracelessSquare(L);
  const m = mean(t2);
  return div(mean(sum(square(tracelessPart(L)), [1, 2])), add(mean(square(sub(t2, m))), 1e-300));
}

/** Evaluates every term at `params` on states x ([B, d]) with velocities ẋ. */
export function laxLoss(
  model: LaxModel,
  params: LaxParams,
  x: Tensor,
  xdot: Tensor,
  w: LaxLossWeights,
): LaxLossTerms {
  const t = laxLossOf(
    (z) => model.L(params, z),
    (z) => model.M(params, z),
    x,
    xdot,
    w,
  );
  if (!w.rates) return t;
  const ridge = add(sum(square(params.L[0].w)), sum(square(params.M[0].w)));
  return { ...t, total: add(t.total, mul(ridge, w.rates)) };
}

/** The same for any batched maps L, M (the known pairs are checked with it). */
export function laxLossOf(
  Lfn: (x: Tensor) => Tensor,
  Mfn: (x: Tensor) => Tensor,
  x: Tensor,
  xdot: Tensor,
  w: LaxLossWeights,
): LaxLossTerms {
  const [L, Ldot] = jvp(Lfn, [x], [xdot]) as [Tensor, Tensor];
  const M = Mfn(x);
  const comm = sub(matmul(L, M), matmul(M, L));
  // 𝓛_Lax relative to |L̇|², so a constant L (L̇ = 0, trivially "conserved") is no minimum
  const lax = div(mean(square(sub(Ldot, comm))), add(mean(square(Ldot)), 1e-30));
  const l = proportionalityLoss(Ldot, xdot);
  const lm = proportionalityLoss(comm, xdot);
  const mc = mean(maximum(sub(1, sum(abs(L), [1, 2])), 0));
  const spectrum = spectrumLoss(L, w.spread, w.spreadOf);
  const invariant = mul(mean(sum(square(sub(Ldot, comm)), [1, 2])), invariantScale(L));
  const total = add(
    add(add(mul(lax, w.lax), mul(l, w.l)), add(mul(lm, w.lm), mul(mc, w.mc))),
    add(mul(spectrum, w.spectrum), mul(invariant, w.invariant ?? 0)),
  );
  return { total, lax, l, lm, mc, spectrum, invariant };
}

/**
 * The loss as a residual vector for least squares: (L̇ − [L, M]) / |L̇| entry by entry (its Σ² is
 * 𝓛_Lax), then the guards as squared hinges — √(α₄/B)·max(1 − Σ|L_ij|, 0) per state and
 * √α₅ times the spectrum term — so a Gauss–Newton polish keeps away from the same trivial pairs.
 */
export function laxResiduals(
  model: LaxModel,
  params: LaxParams,
  x: Tensor,
  xdot: Tensor,
  w: LaxLossWeights,
): Tensor {
  const [L, Ldot] = jvp((z: Tensor) => model.L(params, z), [x], [xdot]) as [Tensor, Tensor];
  const M = model.M(params, x);
  const R = sub(Ldot, sub(matmul(L, M), matmul(M, L)));
  const B = x.shape[0];
  const lax = reshape(div(R, sqrt(add(sum(square(Ldot)), 1e-300))), [-1]);
  const mc = mul(maximum(sub(1, sum(abs(L), [1, 2])), 0), Math.sqrt(w.mc / B));
  const spectrum = reshape(mul(spectrumLoss(L, w.spread, w.spreadOf), Math.sqrt(w.spectrum)), [1]);
  const parts = [mul(lax, Math.sqrt(w.lax)), mc, spectrum];
  // 𝓛_inv = Σ R² · scale / B, so its residuals are R · √(scale / B)
  if (w.invariant) parts.push(reshape(mul(R, sqrt(mul(invariantScale(L), w.invariant / B))), [-1]));
  if (w.rates)
    for (const net of [params.L, params.M]) parts.push(reshape(mul(net[0].w, Math.sqrt(w.rates)), [-1]));
  return concat(parts, 0);
}
