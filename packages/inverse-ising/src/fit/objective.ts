// The mean negative log pseudo-likelihood of a pattern histogram and its closed-form gradient and
// Hessian. With z_p = Σ_t c_t D_pt (= ΔE of flipping the site, so P(s_i | rest) = σ(z)):
//   F(c) = −Σ_p w_p log σ(z_p) / W,  ∇F = −Σ_p w_p (1 − σ(z_p)) D_p / W,
//   ∇²F = Σ_p w_p σ(z_p)(1 − σ(z_p)) D_p D_pᵀ / W   (positive semidefinite: F is convex).

/** Value, gradient and Hessian (row-major, n × n) of the objective at one point. */
export interface ObjectiveValue {
  value: number;
  grad: Float64Array;
  hess: Float64Array;
}

/** log σ(z) without overflow: −softplus(−z). */
export function logSigmoid(z: number): number {
  return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
}

/** σ(z) = 1/(1 + e^{−z}) without overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * F, ∇F and ∇²F at couplings `c` for patterns `D` (nPatterns × n, row-major) with weights `w`
 * (the counts of the samples used). `withHessian = false` skips the O(P·n²) part.
 */
export function pseudoLikelihoodObjective(
  D: Float64Array,
  w: ArrayLike<number>,
  c: ArrayLike<number>,
  withHessian = true,
): ObjectiveValue {
  const n = c.length;
  const P = w.length;
  const grad = new Float64Array(n);
  const hess = new Float64Array(withHessian ? n * n : 0);
  let value = 0;
  let W = 0;
  for (let p = 0; p < P; p++) {
    const wp = w[p];
    if (wp === 0) continue;
    W += wp;
    const o = p * n;
    let z = 0;
    for (let t = 0; t < n; t++) z += c[t] * D[o + t];
    value -= wp * logSigmoid(z);
    const s = sigmoid(z);
    const g = wp * (1 - s);
    for (let t = 0; t < n; t++) grad[t] -= g * D[o + t];
    if (withHessian) {
      const h = wp * s * (1 - s);
      for (let a = 0; a < n; a++) {
        const ha = h * D[o + a];
        for (let b = 0; b <= a; b++) hess[a * n + b] += ha * D[o + b];
      }
    }
  }
  for (let t = 0; t < n; t++) grad[t] /= W;
  if (withHessian)
    for (let a = 0; a < n; a++) for (let b = 0; b <= a; b++) hess[b * n + a] = hess[a * n + b] /= W;
  return { value: value / W, grad, hess };
}
