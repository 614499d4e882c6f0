// The traceless part of a batch of matrices, shared by the Lax and connection losses, their hinges
// and the validation's measures.
import { div, eye, mul, sub, sum, type Tensor } from "@physml/autodiff";

/** A − (tr A / n)·1 for a batch of n×n matrices [B, n, n]. */
export function tracelessPart(A: Tensor): Tensor {
  const n = A.shape[1];
  const I = eye(n);
  return sub(A, mul(div(sum(mul(A, I), [1, 2], true), n), I));
}
