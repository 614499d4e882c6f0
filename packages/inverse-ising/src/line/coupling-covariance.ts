// The covariance of fitted couplings t = t(g) when the inputs g have covariance Σ and the fit is
// linear near its solution (δt = A δg, A = C⁻¹ for the moment matching): Cov(t) = A Σ Aᵀ, the
// matrix whose diagonal the dual fit reports as its marginal errors. For two couplings the
// correlation and the principal axes (closed-form 2 × 2 eigen-decomposition) say which combination
// the data pin down and along which one the fit is nearly flat.

/** Principal axis of a 2 × 2 covariance: unit direction and the standard deviation along it. */
export interface CovarianceAxis {
  /** Unit vector (t_nn, t_nnn) components, sign fixed so the first nonzero component is positive. */
  direction: [number, number];
  /**
   * √eigenvalue: the one-σ error along `direction` (`error`, as every error bar of the CLI's
   * JSON; `sigma` there is Calabi–Yau's accuracy measure σ).
   */
  error: number;
}

/** Covariance of the fitted dual couplings (row-major k × k over `terms`), and its summaries. */
export interface CouplingCovariance {
  terms: string[];
  matrix: number[][];
  /** Cov(t_nn, t_nnn)/(σ_nn σ_nnn); two couplings only. */
  correlation?: number;
  /** Largest-eigenvalue axis: the nearly flat direction of the fit (two couplings only). */
  flatDirection?: CovarianceAxis;
  /** Smallest-eigenvalue axis: the best-determined combination of the couplings (two couplings only). */
  sharpDirection?: CovarianceAxis;
}

/** A Σ Aᵀ for k × k row-major A and Σ. */
export function propagateCovariance(A: ArrayLike<number>, sigma: ArrayLike<number>, k: number): number[][] {
  return Array.from({ length: k }, (_, r) =>
    Array.from({ length: k }, (_, c) => {
      let v = 0;
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++) v += A[r * k + i] * sigma[i * k + j] * A[c * k + j];
      return v;
    }),
  );
}

const orient = (x: number, y: number): [number, number] => (x < 0 || (x === 0 && y < 0) ? [-x, -y] : [x, y]);

/**
 * Eigen-decomposition of the symmetric 2 × 2 [[a, b], [b, d]]: λ± = (a + d)/2 ± √(((a − d)/2)² + b²),
 * the λ₊ eigenvector at angle ½ atan2(2b, a − d). Returns [largest, smallest] axes.
 */
export function principalAxes2(a: number, b: number, d: number): [CovarianceAxis, CovarianceAxis] {
  const mid = (a + d) / 2;
  const rad = Math.hypot((a - d) / 2, b);
  const theta = Math.atan2(2 * b, a - d) / 2;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return [
    { direction: orient(c, s), error: Math.sqrt(mid + rad) },
    // Rounding can leave a PSD matrix's smaller eigenvalue a hair below 0.
    { direction: orient(-s, c), error: Math.sqrt(Math.max(0, mid - rad)) },
  ];
}

/**
 * Cov(t) = A Σ Aᵀ over `terms` (k = terms.length, A and Σ k × k row-major) with its correlation and
 * axes, or the reason it is not available (an entry not finite, e.g. a singular moment covariance).
 */
export function couplingCovariance(
  terms: string[],
  A: ArrayLike<number>,
  sigma: ArrayLike<number>,
): { covariance: CouplingCovariance } | { covarianceUnavailable: string } {
  const k = terms.length;
  const matrix = propagateCovariance(A, sigma, k);
  if (!matrix.every((row) => row.every(Number.isFinite))) {
    return {
      covarianceUnavailable: "the dual moment covariance is singular (frozen or fully correlated chains)",
    };
  }
  if (k !== 2) return { covariance: { terms, matrix } };
  const [a, b, d] = [matrix[0][0], (matrix[0][1] + matrix[1][0]) / 2, matrix[1][1]];
  const [flat, sharp] = principalAxes2(a, b, d);
  return {
    covariance: {
      terms,
      matrix,
      ...(a > 0 && d > 0 ? { correlation: b / Math.sqrt(a * d) } : {}),
      flatDirection: flat,
      sharpDirection: sharp,
    },
  };
}
