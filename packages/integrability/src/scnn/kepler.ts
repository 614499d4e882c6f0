// The two-body problem's relative motion and its invariants, in the normalisation of `twoBody()`
// (unit masses, G = 1) and optionally with an inverse-square term ε/r² in the potential.
//
// With r = q₁ − q₂ and p = (p₁ − p₂)/2 (a canonical pair), H = |P|²/4 + |p|²/(2μ) − k/r + ε/r²
// with the reduced mass μ = m₁m₂/(m₁ + m₂) = 1/2 and the coupling k = G m₁ m₂ = 1. At ε = 0 the
// Kepler problem is superintegrable: besides H and L = r_x p_y − r_y p_x the Runge–Lenz vector
// A = p × L ẑ − μk r̂ is conserved, so {H, A_x} is as good a commuting pair as {H, L}. With ε ≠ 0
// the orbits precess and only H and L are left.
import { div, slice, square, sum } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import type { HamiltonianSystem } from "../data/hamiltonian.js";
import { twoBody } from "../data/systems.js";

/** The reduced mass μ of two unit masses. */
export const REDUCED_MASS = 0.5;
/** The coupling k = G m₁ m₂ of the −k/r potential. */
export const COUPLING = 1;
/** The largest inverse-square coefficient ε accepted: the orbits of `twoBodyInitialStates` stay bound. */
export const MAX_INVERSE_SQUARE = 0.1;

/** Throws a PhysmlInputError naming `field` unless ε ∈ [0, {@link MAX_INVERSE_SQUARE}]. */
export function checkInverseSquare(epsilon: number, field = "inverseSquare"): void {
  if (!(epsilon >= 0 && epsilon <= MAX_INVERSE_SQUARE))
    throw new PhysmlInputError(field, `a number in [0, ${MAX_INVERSE_SQUARE}]`, epsilon);
}

/**
 * The two bodies with V = −1/r + ε/r² (ε ∈ [0, 0.1]): integrable (H, L, P), not superintegrable
 * for ε > 0, its bounded orbits precessing. ε = 0 is `twoBody()` itself.
 */
export function twoBodySystem(epsilon = 0): HamiltonianSystem {
  checkInverseSquare(epsilon);
  const kepler = twoBody();
  if (epsilon === 0) return kepler;
  return {
    name: `two-body+${epsilon}/r²`,
    dof: 4,
    separable: true,
    hamiltonian: (q, p) => {
      const B = q.shape[0];
      const r2 = sum(square(slice(q, [0, 0], [B, 2]).sub(slice(q, [0, 2], [B, 4]))), 1);
      return kepler.hamiltonian(q, p).add(div(epsilon, r2));
    },
  };
}

// state layout (x1, y1, x2, y2, px1, py1, px2, py2)
const rel = (z: ArrayLike<number>) => [z[0] - z[2], z[1] - z[3], (z[4] - z[6]) / 2, (z[5] - z[7]) / 2];

/** Total momentum P_x. */
export const totalPx = (z: ArrayLike<number>): number => z[4] + z[6];
/** Total momentum P_y. */
export const totalPy = (z: ArrayLike<number>): number => z[5] + z[7];

/** The relative angular momentum L = r_x p_y − r_y p_x. */
export function angularMomentum(z: ArrayLike<number>): number {
  const [rx, ry, px, py] = rel(z);
  return rx * py - ry * px;
}

/** The total energy H (with the ε/r² term). */
export function twoBodyEnergy(z: ArrayLike<number>, epsilon = 0): number {
  const [rx, ry] = rel(z);
  const r2 = rx * rx + ry * ry;
  return (z[4] ** 2 + z[5] ** 2 + z[6] ** 2 + z[7] ** 2) / 2 - COUPLING / Math.sqrt(r2) + epsilon / r2;
}

/**
 * The Runge–Lenz vector of the relative motion, A = p × L ẑ − μk r̂ = (p_y L − μk r_x/r,
 * −p_x L − μk r_y/r). It points to the pericentre with |A| = μk e (e the eccentricity); conserved
 * at ε = 0 only.
 */
export function rungeLenz(z: ArrayLike<number>): [number, number] {
  const [rx, ry, px, py] = rel(z);
  const l = rx * py - ry * px;
  const r = Math.hypot(rx, ry);
  const mk = REDUCED_MASS * COUPLING;
  return [py * l - (mk * rx) / r, -px * l - (mk * ry) / r];
}

/**
 * The speed of each body (equal masses, at rest) on the circular orbit of separation r: the
 * relative momentum with |p|²/(μr) = k/r² − 2ε/r³, √(1/(2r) − ε/r²).
 */
export function circularSpeed(r: number, epsilon = 0): number {
  return Math.sqrt((REDUCED_MASS * COUPLING) / r - (2 * REDUCED_MASS * epsilon) / (r * r));
}

/**
 * The angle from one pericentre to the next of a bound orbit with angular momentum L under
 * −k/r + ε/r²: 2π/γ with γ = √(1 + 2με/L²) (the orbit is 1/r ∝ 1 + e cos γθ).
 */
export function pericentreAdvance(l: number, epsilon: number): number {
  return (2 * Math.PI) / Math.sqrt(1 + (2 * REDUCED_MASS * epsilon) / (l * l));
}
