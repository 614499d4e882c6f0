// A separation term from the inputs' second moments alone: the learned coordinates z = W x should
// be uncorrelated. For a translation-invariant ensemble (noisy waves of random phase on a ring,
// Ising configurations on a torus) the covariance of x commutes with the translations, so its
// eigenvectors are the Fourier modes (up to rotations inside a degenerate eigenspace: the cos and
// sin of one frequency, the wavevectors a lattice symmetry maps onto each other, which share the
// nn bond weight). An orthogonal W that decorrelates the inputs is therefore the DFT up to those
// rotations and the order of its rows, found from the data's statistics, without labels and
// without being handed a basis. The covariance is the training rows' (fixed for a training), so
// the term does not depend on the batch.
import { div, eye, matmul, mT, mul, reshape, square, sub, sum, type Tensor, tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";

/** The covariance (1/n) Σ_b (x_b − x̄)(x_b − x̄)ᵀ of n rows of d inputs (row-major x), d × d. */
export function inputCovariance(x: Float64Array, d: number): Tensor {
  const n = x.length / d;
  if (!Number.isInteger(n) || n < 2) throw new PhysmlInputError("rows", "at least 2 rows of d inputs", n);
  const mu = new Float64Array(d);
  for (let b = 0; b < n; b++) for (let i = 0; i < d; i++) mu[i] += x[b * d + i] / n;
  const C = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < d; i++) c[i] = x[b * d + i] - mu[i];
    for (let i = 0; i < d; i++) {
      const ci = c[i] / n;
      if (ci === 0) continue;
      for (let j = 0; j < d; j++) C[i * d + j] += ci * c[j];
    }
  }
  return tensor(C, [d, d]);
}

/**
 * The mean over pairs i ≠ j of r_ij² = C_ij² / (C_ii C_jj), the squared correlation coefficients of
 * z = W x (C = W Σ Wᵀ, Σ the covariance of x): 0 exactly when the coordinates are uncorrelated,
 * and unchanged when a row of W is scaled. Every pair counts alike, however small its variances
 * (a share of C's squared entries would leave the weak modes' rows almost free). Whitening
 * (W = Q Σ^{-1/2}, any orthogonal Q) also zeroes it, so it picks out the eigenvectors only when W
 * is orthogonal by construction (map-shapes.ts's orthogonal maps; behind the orthogonality penalty
 * it pulls W towards whitening instead, MEASUREMENTS.md).
 */
export function decorrelationLoss(W: Tensor, covariance: Tensor): Tensor {
  const C = matmul(matmul(W, covariance), mT(W));
  const n = C.shape[0];
  if (n < 2) throw new PhysmlInputError("W", "at least 2 rows (pairs of coordinates)", n);
  const variances = sum(mul(C, eye(n)), 1);
  const r2 = div(square(C), mul(reshape(variances, [n, 1]), reshape(variances, [1, n])));
  // The diagonal's r² are 1 each.
  return div(sub(sum(r2), n), n * (n - 1));
}
