// The traceless part of a batch of matrices, shared by the Lax and connection losses, their hinges
// and the validation's measures.
import { div, mul, sub, sum, type Tensor, tensor } from "@physml/autodiff";

/** The n×n identity as a [1, n, n] batch (broadcasts over a batch of matrices). */
export const identity = (n: number): Tensor =>
  tensor(
    Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0)),
    [1, n, n],
  );

/** A − (tr A / n)·1 for a batch of n×n matrices [B, n, n]. */
export function tracelessPart(A: Tensor): Tensor {
  const n = A.shape[1];
  const eye = identity(n);
  return sub(A, mul(div(sum(mul(A, eye), [1, 2], true), n), eye));
}
