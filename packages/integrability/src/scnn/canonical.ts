// Shared pieces of the Hamiltonian networks: the symplectic matrix, J∇K vector fields of a learned
// scalar K(x), and the state layout (q₁…q_n, p₁…p_n).
import { concat, grad, neg, slice, sum, type Tensor } from "@physml/autodiff";

/** ẋ = J∇K = (∂K/∂p, −∂K/∂q) for a batch x ([B, 2n]); K maps [B, 2n] → [B]. */
export function hamiltonianField(K: (x: Tensor) => Tensor, x: Tensor): Tensor {
  const g = grad((z: Tensor) => sum(K(z)))(x);
  const B = x.shape[0];
  const n = x.shape[1] / 2;
  return concat([slice(g, [0, n], [B, 2 * n]), neg(slice(g, [0, 0], [B, n]))], 1);
}
