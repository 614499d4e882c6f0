// The traceless part of a batch of matrices, shared by the Lax and connection losses, their hinges
// and the validation's measures.
import { div, eye, mul, reshape, sub, type Tensor, trace } from "@physml/autodiff";

/** A − (tr A / n)·1 for a batch of n×n matrices [B, n, n]. */
export function tracelessPart(A: Tensor): Tensor {
  const [B, n] = A.shape;
  return sub(A, mul(reshape(div(trace(A), n), [B, 1, 1]), eye(n)));
}
