// Principal component analysis on eigh of the sample covariance, composed of differentiable ops.
import { zeros } from "../core/create.js";
import type { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { div, sub } from "../ops/elementwise.js";
import { gather } from "../ops/indexing.js";
import { matmulT } from "../ops/matmul.js";
import { checkMatrix } from "../ops/matrix-shape.js";
import { mean, sum } from "../ops/reduce.js";
import { mT } from "../ops/shape.js";
import { type EighOptions, eigh } from "./eigh.js";

export interface PcaOptions extends EighOptions {
  /** Number of leading components to return (1…d, default d). */
  k?: number;
  /** Subtract the column means first (default true); false when the data is already centred. */
  center?: boolean;
}

/** Result of {@link pca}; component axes sorted by decreasing variance. */
export interface Pca {
  /** Column means […, 1, d] that were subtracted (zeros when `center` is false). */
  readonly mean: Tensor;
  /** Principal axes as rows, […, k, d], orthonormal, each with its largest-magnitude entry positive. */
  readonly components: Tensor;
  /** Variance along each component (eigenvalues of the covariance, divisor N − 1), […, k]. */
  readonly explainedVariance: Tensor;
  /** explainedVariance / total variance (the trace of the covariance), […, k]; sums to 1 for k = d. */
  readonly explainedVarianceRatio: Tensor;
}

/**
 * PCA of a batch of data sets […, N, d] (N ≥ 2 points as rows): centres the columns, forms the
 * covariance XcᵀXc/(N − 1) and takes its eigendecomposition ({@link eigh}). Differentiable in the
 * data wherever the variances are distinct (see `eigh` for degeneracy).
 *
 * @example
 * const { components, explainedVarianceRatio } = pca(points); // points: [N, d]
 */
export function pca(x: Tensor, opts: PcaOptions = {}): Pca {
  const [N, d] = checkMatrix(x, "pca.x");
  if (N < 2) throw new AutodiffInputError("pca.x", "at least 2 points (rows)", [...x.shape]);
  const k = opts.k ?? d;
  if (!Number.isInteger(k) || k < 1 || k > d)
    throw new AutodiffInputError("pca.k", `an integer in [1, ${d}]`, k);
  const mu = opts.center === false ? zeros([...x.shape.slice(0, -2), 1, d]) : mean(x, [-2], true);
  const xc = opts.center === false ? x : sub(x, mu);
  const cov = div(matmulT(xc, xc, true, false), N - 1);
  const { values, vectors } = eigh(cov, opts);
  const order = Array.from({ length: k }, (_, i) => d - 1 - i);
  const explainedVariance = gather(values, order, -1);
  return {
    mean: mu,
    components: gather(mT(vectors), order, -2),
    explainedVariance,
    explainedVarianceRatio: div(explainedVariance, sum(values, [-1], true)),
  };
}
