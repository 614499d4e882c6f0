import { checkFinite, PhysmlInputError } from "../errors.js";

/**
 * The range of β over which β, its dual β̃, sinh 2β and sinh 2β̃ are all normal doubles: below
 * 1e−300, β̃ ≈ ½ ln(1/β) is fine but sinh 2β̃ soon overflows; above 350, β̃ ≈ e^{−2β} drops into
 * the subnormals (and to 0 beyond ~372), where sinh 2β · sinh 2β̃ = 1 can no longer be checked.
 */
export const DUAL_BETA_MIN = 1e-300;
export const DUAL_BETA_MAX = 350;

/**
 * Kramers–Wannier dual coupling β̃ = atanh(e^{−2β}) = −½ ln tanh β, equivalently
 * sinh 2β · sinh 2β̃ = 1. It is an involution on (0, ∞) with fixed point β_c.
 */
export function dualCoupling(beta: number): number {
  checkFinite("beta", beta);
  if (beta <= 0) throw new PhysmlInputError("beta", "a finite number > 0", beta);
  // atanh(y) = ½ [ln(1 + y) − ln(1 − y)] with y = e^{−2β}. ln(1 − y) is log1p(−y) when y is small
  // (large β, where tanh β rounds to 1) and ln(−expm1(−2β)) when y is close to 1 (β → 0).
  const y = Math.exp(-2 * beta);
  const lnOneMinusY = y < 0.5 ? Math.log1p(-y) : Math.log(-Math.expm1(-2 * beta));
  return 0.5 * (Math.log1p(y) - lnOneMinusY);
}
