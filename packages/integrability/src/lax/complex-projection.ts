// The realified sl(m, ℂ) class of a connection learner: a real 2m×2m matrix is the realification of
// a complex m×m one (a + ib ↦ [[a, −b], [b, a]] per entry, as `realify` builds it) exactly when it
// commutes with J = 1_m ⊗ [[0, −1], [1, 0]], the realified i. Projecting onto that commutant and
// removing the two central directions 1 and J (the complex trace) leaves sl(m, ℂ): not compact (it
// holds sl(m, ℝ), su(m) and nilpotent elements), and for m = 2 the su(2) Heisenberg pair lies in it.
import { eye, matmul, mul, reshape, sub, sum, type Tensor, tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";

/** J = 1_m ⊗ [[0, −1], [1, 0]] as a [1, 2m, 2m] batch. */
function complexUnit(n: number): Tensor {
  const J = new Float64Array(n * n);
  for (let k = 0; k < n; k += 2) {
    J[k * n + k + 1] = -1;
    J[(k + 1) * n + k] = 1;
  }
  return tensor(J, [1, n, n]);
}

/**
 * The realified sl(m, ℂ) part of a batch of real 2m×2m matrices A [B, 2m, 2m]: C = (A − JAJ)/2 (the
 * part commuting with J, J² = −1), minus its components along 1 and J
 * (Re and Im of the complex trace, over m).
 * Linear and idempotent; realified sl(m, ℂ) matrices are left as they are.
 */
export function complexTracelessPart(A: Tensor): Tensor {
  const n = A.shape[1];
  if (n % 2 !== 0 || A.shape[2] !== n)
    throw new PhysmlInputError("size", "an even matrix size (a realified complex matrix)", n);
  const J = complexUnit(n);
  const I = eye(n);
  const C = mul(sub(A, matmul(matmul(J, A), J)), 0.5);
  const B = A.shape[0];
  // 1 and J are Frobenius-orthogonal with |1|² = |J|² = n: C's components along them
  const along = (E: Tensor) => mul(reshape(sum(mul(C, E), [1, 2]), [B, 1, 1]), 1 / n);
  return sub(sub(C, mul(along(I), I)), mul(along(J), J));
}
