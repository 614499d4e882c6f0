// Monge–Ampère losses as functions of the pointwise ratio η_p = det g_p / |Ω_p|² and the weights
// w_p, with their derivatives dℓ/dη_p. Both are scale free (η → cη leaves them unchanged): the
// Kähler class fixes Vol_K, so the constant Vol_K/Vol_CY is re-estimated from the same points, as
// σ does, instead of being frozen from another metric's Monte Carlo estimate.
//   l1: ℓ = Σ w |1 − r η| / Σ w with r = Σ w / Σ w η — exactly σ on these points;
//   l2: ℓ = Σ w (r η − 1)² / Σ w = S₀ S₂ / S₁² − 1 (S_n = Σ w ηⁿ) — a smooth surrogate.
import type { Tensor } from "@physml/autodiff";

/** Which Monge–Ampère loss. */
export type EtaLossKind = "l1" | "l2";

/** The loss over points [0, n) and, into `grad`, dℓ/dη_p. */
export function etaLoss(kind: EtaLossKind, eta: Float64Array, w: Float64Array, grad: Float64Array): number {
  const n = eta.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  for (let p = 0; p < n; p++) {
    s0 += w[p];
    s1 += w[p] * eta[p];
    s2 += w[p] * eta[p] * eta[p];
  }
  const r = s0 / s1;
  if (kind === "l2") {
    const f = (2 * s0) / (s1 * s1);
    for (let p = 0; p < n; p++) grad[p] = f * w[p] * (eta[p] - s2 / s1);
    return (s0 * s2) / (s1 * s1) - 1;
  }
  let loss = 0;
  let m = 0;
  for (let p = 0; p < n; p++) {
    const d = 1 - r * eta[p];
    loss += w[p] * Math.abs(d);
    m += w[p] * Math.sign(d) * eta[p];
  }
  for (let p = 0; p < n; p++) grad[p] = ((w[p] * r) / s0) * (m / s1 - Math.sign(1 - r * eta[p]));
  return loss / s0;
}

/** The same loss as a differentiable expression of η (a [B] tensor) for autodiff models. */
export function etaLossTensor(kind: EtaLossKind, eta: Tensor, w: Tensor): Tensor {
  const s0 = w.sum();
  const s1 = eta.mul(w).sum();
  if (kind === "l2") return s0.mul(eta.mul(eta).mul(w).sum()).div(s1.mul(s1)).sub(1);
  return eta.mul(s0.div(s1)).sub(1).abs().mul(w).sum().div(s0);
}
