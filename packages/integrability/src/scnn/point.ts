// The cotangent lift of a configuration-space map: a canonical transformation whose new momenta
// are linear in the old ones, the SCNN's `transform: "point"`. A conserved momentum linear in p is
// the momentum map of a point symmetry (Noether), so the energy and the Runge–Lenz vector, both
// quadratic in p, cannot be among them.
import { concat, perSampleJacobian, solve, type Tensor, transpose } from "@physml/autodiff";

/**
 * A map φ of configuration space R^m given through the rows of its Jacobian Dφ: the first c rows
 * as one-forms a_i(q), for coordinates that need not be single-valued (an angle around the
 * origin), and the other m − c coordinates as single-valued functions φ_j(q), whose rows are
 * their gradients.
 */
export interface PointMap {
  /** The rows a_1…a_c of Dφ at each state, [B, c, m]; absent when c = 0. */
  readonly rows?: (q: Tensor) => Tensor;
  /** The single-valued coordinates φ_{c+1}…φ_m at each state, [B, m − c] with m − c ≥ 1. */
  readonly coordinates: (q: Tensor) => Tensor;
}

/**
 * The cotangent lift of `map` at configurations q and momenta p (both [B, m]): the new momenta
 * P = Dφ(q)^{−T} p ([B, m]; P_i = ξ_i(q)·p with ξ_i the i-th column of Dφ(q)^{−1}), the
 * single-valued coordinates φ_j(q) and the Jacobian Dφ ([B, m, m]). With rows that are closed
 * forms the map (q, p) ↦ (φ(q), P) is canonical; otherwise only {P_i, P_j} ≠ 0 shows it.
 */
export function cotangentLift(
  map: PointMap,
  q: Tensor,
  p: Tensor,
): { coordinates: Tensor; momenta: Tensor; jacobian: Tensor } {
  const coordinates = map.coordinates(q);
  const gradients = perSampleJacobian(map.coordinates)(q);
  const jacobian = map.rows ? concat([map.rows(q), gradients], 1) : gradients;
  return { coordinates, momenta: solve(transpose(jacobian, [0, 2, 1]), p), jacobian };
}
