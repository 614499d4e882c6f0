// The zero-curvature condition of a 1+1D field theory, ∂_t A_x − ∂_x A_t + [A_x, A_t] = 0, for a
// connection given as two batched maps of the local features f = (φ, φ_x, …). Both derivatives
// come from the chain rule through the features: ∂_t A_x = A_x'(f)·f_t and ∂_x A_t = A_t'(f)·f_x
// (forward mode). The loss mirrors the ODE Lax loss of arXiv 2103.07475: the curvature relative
// to |∂_t A_x|² (a constant A_x is no minimum), 𝓛_L and 𝓛_LM asking ∂_t A_x and ∂_x A_t − [A_x, A_t]
// to be entrywise proportional to the equation's φ_t, and 𝓛_MC keeping A_x away from zero.
import {
  abs,
  add,
  concat,
  div,
  jvp,
  matmul,
  maximum,
  mean,
  mul,
  reshape,
  slice,
  sqrt,
  square,
  sub,
  sum,
  type Tensor,
  tensor,
} from "@physml/autodiff";
import type { FieldSamples } from "../fields/kdv-samples.js";
import { type LaxLossTerms, type LaxLossWeights, proportionalityLoss, spectrumLoss } from "./loss.js";

/** A connection A_x(f), A_t(f) as batched maps of features [B, m] → [B, n, n]. */
export interface ConnectionFns {
  size: number;
  Ax(f: Tensor): Tensor;
  At(f: Tensor): Tensor;
}

/** Field samples as tensors: features f, f_t, f_x ([B, m]) and φ_t ([B, 1]). */
export interface FieldBatch {
  f: Tensor;
  ft: Tensor;
  fx: Tensor;
  phit: Tensor;
}

/** Tensors of a sample set. */
export function fieldBatch(s: FieldSamples): FieldBatch {
  const t = (a: Float64Array) => tensor(a, [s.count, s.dim]);
  return { f: t(s.f), ft: t(s.ft), fx: t(s.fx), phit: tensor(s.phit, [s.count, 1]) };
}

/** A_x, A_t, ∂_t A_x, ∂_x A_t and the curvature ∂_t A_x − ∂_x A_t + [A_x, A_t] on a batch. */
export interface CurvatureParts {
  Ax: Tensor;
  At: Tensor;
  dtAx: Tensor;
  dxAt: Tensor;
  curvature: Tensor;
}

/** The pieces of the zero-curvature condition by the chain rule through the features. */
export function curvatureParts(c: ConnectionFns, b: FieldBatch): CurvatureParts {
  const [Ax, dtAx] = jvp((f: Tensor) => c.Ax(f), [b.f], [b.ft]) as [Tensor, Tensor];
  const [At, dxAt] = jvp((f: Tensor) => c.At(f), [b.f], [b.fx]) as [Tensor, Tensor];
  const comm = sub(matmul(Ax, At), matmul(At, Ax));
  return { Ax, At, dtAx, dxAt, curvature: add(sub(dtAx, dxAt), comm) };
}

/**
 * The loss α₁𝓛_ZC + α₂𝓛_L + α₃𝓛_LM + α₄𝓛_MC (+ α₅ the spectrum term of {@link spectrumLoss} on A_x),
 * reported in the ODE learner's {@link LaxLossTerms} with `lax` the zero-curvature term.
 */
export function zeroCurvatureLoss(c: ConnectionFns, b: FieldBatch, w: LaxLossWeights): ConnectionLossTerms {
  const { Ax, dtAx, curvature } = curvatureParts(c, b);
  const lax = div(mean(square(curvature)), add(mean(square(dtAx)), 1e-30));
  const l = proportionalityLoss(dtAx, b.phit);
  // on shell ∂_x A_t − [A_x, A_t] = ∂_t A_x, so it too should follow the equation's φ_t
  const lm = proportionalityLoss(sub(dtAx, curvature), b.phit);
  const mc = mean(maximum(sub(1, sum(abs(Ax), [1, 2])), 0));
  const spectrum = spectrumLoss(Ax, w.spread);
  const total = add(
    add(add(mul(lax, w.lax), mul(l, w.l)), add(mul(lm, w.lm), mul(mc, w.mc))),
    mul(spectrum, w.spectrum),
  );
  return { total, lax, l, lm, mc, spectrum };
}

/**
 * The loss as a residual vector for Levenberg–Marquardt: the curvature entries over |∂_t A_x|
 * (their Σ² is 𝓛_ZC) and the 𝓛_MC hinge per point, √(α₄/B)·max(1 − Σ|A_x|, 0).
 */
export function zeroCurvatureResiduals(c: ConnectionFns, b: FieldBatch, w: LaxLossWeights): Tensor {
  const { Ax, dtAx, curvature } = curvatureParts(c, b);
  const B = b.f.shape[0];
  const zc = reshape(div(curvature, sqrt(add(sum(square(dtAx)), 1e-300))), [-1]);
  const mc = mul(maximum(sub(1, sum(abs(Ax), [1, 2])), 0), Math.sqrt(w.mc / B));
  return concat([mul(zc, Math.sqrt(w.lax)), mc], 0);
}

/**
 * The ODE learner's loss terms without 𝓛_inv: A_x's spectrum is not conserved point by point (the
 * monodromy's is), so the spectrum-spread normalisation has no meaning for a connection.
 */
export type ConnectionLossTerms = Omit<LaxLossTerms, "invariant">;

/** |∂_t A_x − ∂_x A_t + [A_x, A_t]| / |∂_t A_x| (Frobenius norms summed over the batch). */
export function zeroCurvatureResidual(c: ConnectionFns, b: FieldBatch): number {
  const { dtAx, curvature } = curvatureParts(c, b);
  const r = curvature.toFloat64Array();
  const d = dtAx.toFloat64Array();
  let num = 0;
  let den = 0;
  for (let i = 0; i < r.length; i++) {
    num += r[i] * r[i];
    den += d[i] * d[i];
  }
  return Math.sqrt(num / den);
}

/**
 * The KdV connection with spectral parameter λ (derived from ψ_xx = (λ − φ)ψ):
 * A_x = [[0, 1], [λ − φ, 0]], A_t = [[φ_x, −2φ − 4λ], [φ_xx + 2φ² + 2λφ − 4λ², −φ_x]].
 * Its curvature is [[0, 0], [−(φ_t + φ_xxx + 6φφ_x), 0]], zero exactly on KdV solutions.
 * `perturb` adds ε·φ to A_t's upper-right entry (a wrong pair for the tests).
 */
export function kdvConnection(lambda: number, perturb = 0): ConnectionFns {
  const col = (f: Tensor, k: number) => slice(f, [0, k], [f.shape[0], k + 1]);
  const matrix = (f: Tensor, entries: Tensor[]) => reshape(concat(entries, 1), [f.shape[0], 2, 2]);
  const constant = (f: Tensor, v: number) => add(mul(col(f, 0), 0), v);
  return {
    size: 2,
    Ax: (f) => matrix(f, [constant(f, 0), constant(f, 1), sub(lambda, col(f, 0)), constant(f, 0)]),
    At: (f) => {
      const [p, px, pxx] = [col(f, 0), col(f, 1), col(f, 2)];
      return matrix(f, [
        px,
        add(mul(p, perturb - 2), -4 * lambda),
        add(add(pxx, mul(square(p), 2)), add(mul(p, 2 * lambda), -4 * lambda * lambda)),
        mul(px, -1),
      ]);
    },
  };
}
