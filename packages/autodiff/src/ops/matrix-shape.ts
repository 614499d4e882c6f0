// The shape checks of every matrix operation, real linear algebra's LU-based ops (ops/linalg.ts)
// and decompositions (linalg/) alike: one place for what a batch of matrices is and how a wrong
// one is reported.
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";

/** Checks a batch of m×n matrices (ndim ≥ 2, no empty dims) and returns [m, n]. */
export function checkMatrix(x: Tensor, field: string): [number, number] {
  if (!(x instanceof Tensor) || x.ndim < 2 || x.shape.some((d) => d < 1)) {
    throw new AutodiffInputError(
      field,
      "a Tensor of shape […, m, n] with m, n >= 1",
      x?.shape ? [...x.shape] : x,
    );
  }
  return [x.shape[x.ndim - 2], x.shape[x.ndim - 1]];
}

/** Checks a batch of square matrices and returns n. */
export function checkSquare(x: Tensor, field: string): number {
  const [m, n] = checkMatrix(x, field);
  if (m !== n) throw new AutodiffInputError(field, "a batch of square n×n matrices", [...x.shape]);
  return n;
}
