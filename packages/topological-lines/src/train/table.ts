// The chunk table O(x), x = s_i s_j ∈ {±1}, on the circle O(+1)² + O(−1)² = 2: a line's
// path-independence does not care about an overall factor when every compared path has the
// same length (the loss is homogeneous), so the scale is a gauge and one angle φ remains,
// O = √2 (cos φ, sin φ). O and −O are the same line (paths between the same endpoints have
// lengths of one parity), so φ lives modulo π.

/** The table at angle φ: [O(+1), O(−1)]. */
export function tableAt(phi: number): [number, number] {
  return [Math.SQRT2 * Math.cos(phi), Math.SQRT2 * Math.sin(phi)];
}

/** The angle of a table (u, v) = (O(+1), O(−1)), reduced to [0, π). */
export function angleOf(u: number, v: number): number {
  const a = Math.atan2(v, u);
  return ((a % Math.PI) + Math.PI) % Math.PI;
}

/** The difference of two angles modulo π, in (−π/2, π/2]. */
export function angleDiff(a: number, b: number): number {
  let d = (a - b) % Math.PI;
  if (d > Math.PI / 2) d -= Math.PI;
  if (d <= -Math.PI / 2) d += Math.PI;
  return d;
}

/** The trivial line O = const: angle π/4. */
export const TRIVIAL_ANGLE = Math.PI / 4;
/** The Z2 line chunk O = s_i s_j: table (1, −1), angle 3π/4. */
export const Z2_ANGLE = (3 * Math.PI) / 4;

/** The disorder line chunk e^{−2K s_i s_j} at coupling K: table (e^{−2K}, e^{2K}). */
export function disorderAngle(K: number): number {
  return angleOf(Math.exp(-2 * K), Math.exp(2 * K));
}

/**
 * ⟨ψ⟩ = Σ_k p[k] u^{ℓ−k} v^k and its derivative along φ, for the table at angle φ (p: the count
 * fractions of one path, ℓ = p.length − 1).
 */
export function lineValue(p: ArrayLike<number>, phi: number): { value: number; dPhi: number } {
  const [u, v] = tableAt(phi);
  const l = p.length - 1;
  let value = 0;
  let du = 0;
  let dv = 0;
  for (let k = 0; k <= l; k++) {
    const a = l - k;
    value += p[k] * u ** a * v ** k;
    if (a > 0) du += p[k] * a * u ** (a - 1) * v ** k;
    if (k > 0) dv += p[k] * k * u ** a * v ** (k - 1);
  }
  // du/dφ = −v, dv/dφ = u on the circle.
  return { value, dPhi: -v * du + u * dv };
}

/** The path-independence loss Σ_pairs (⟨ψ_a⟩ − ⟨ψ_b⟩)² and dL/dφ, from mean count fractions. */
export function pathLoss(
  means: readonly ArrayLike<number>[],
  pairs: readonly [number, number][],
  phi: number,
): { loss: number; dPhi: number } {
  const vals = means.map((m) => lineValue(m, phi));
  let loss = 0;
  let dPhi = 0;
  for (const [a, b] of pairs) {
    const d = vals[a].value - vals[b].value;
    loss += d * d;
    dPhi += 2 * d * (vals[a].dPhi - vals[b].dPhi);
  }
  return { loss, dPhi };
}
