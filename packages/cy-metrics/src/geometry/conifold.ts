// Where the Dwork family stops being smooth. p_ψ = Σ z_i⁵ − 5ψ Π z_i is singular exactly when
// ψ⁵ = 1: then ∇p = 0 forces every z_i⁵ = ψ Π z, and the solutions are the 125 points z_i = ω^{a_i}
// (ω = e^{2πi/5}, a₀ = 0, ω^{Σa} = 1/ψ), each an ordinary double point (a node). That member is
// the conifold; no smooth Ricci-flat metric exists on it.
import type { Complex } from "../complex.js";

/**
 * |ψ⁵ − 1| below which a Dwork ψ counts as the conifold, i.e. ψ⁵ = 1 up to how ψ was written: a
 * fifth root of unity typed to 6 decimals is off by |δψ| ≤ 0.5e-6·√2, so |ψ⁵ − 1| ≈ 5|δψ| ≤ 3.6e-6.
 * The scale is |ψ⁵| = 1 there, so this is a relative tolerance too.
 */
export const CONIFOLD_TOLERANCE = 1e-5;

/** |ψ⁵ − 1|: zero exactly on the conifold members ψ⁵ = 1 of the Dwork family. */
export function conifoldDistance(psi: Complex): number {
  let re = 1;
  let im = 0;
  for (let i = 0; i < 5; i++) [re, im] = [re * psi.re - im * psi.im, re * psi.im + im * psi.re];
  return Math.hypot(re - 1, im);
}

/** Whether the Dwork quintic at ψ is the conifold ({@link conifoldDistance} < {@link CONIFOLD_TOLERANCE}). */
export function atConifold(psi: Complex): boolean {
  return conifoldDistance(psi) < CONIFOLD_TOLERANCE;
}

/**
 * One sentence saying that ψ is the conifold and what that means for a result there (for a
 * warning); undefined for every other ψ. Sampling works (the points miss the nodes with
 * probability 1), but the weights near the nodes are heavier-tailed (the largest of 50 000 carries
 * 7 times the share it has at ψ = 0, measured), and a metric balanced or trained there
 * approximates a singular one.
 */
export function conifoldNote(psi: Complex): string | undefined {
  if (!atConifold(psi)) return undefined;
  return `ψ⁵ = 1 to within ${CONIFOLD_TOLERANCE.toExponential(0)}: this quintic is the conifold, with 125 nodes where no smooth Ricci-flat metric exists; the points miss the nodes but their weights are heavy-tailed near them, so σ, Vol_CY and their error bars are less reliable, and a metric balanced or trained here approximates a singular one`;
}
