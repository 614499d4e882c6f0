// Integer matrix powers and commutators, composed of matmul (and inverse for negative powers),
// so their derivatives of every order come from those ops.
import { eye } from "../core/create.js";
import type { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { sub } from "../ops/elementwise.js";
import { inverse } from "../ops/linalg.js";
import { matmul } from "../ops/matmul.js";
import { checkSquare } from "../ops/matrix-shape.js";
import { broadcastTo } from "../ops/shape.js";

/**
 * Aᵏ for a batch of n×n matrices and an integer k, by repeated squaring (⌊log₂|k|⌋ squarings and
 * at most as many extra products). k = 0 gives the identity; k < 0 is (A⁻¹)^|k|.
 *
 * @example
 * matrixPower(tensor([[1, 1], [1, 0]]), 10); // [[89, 55], [55, 34]] (Fibonacci)
 */
export function matrixPower(a: Tensor, k: number): Tensor {
  const n = checkSquare(a, "matrixPower.a");
  if (!Number.isInteger(k)) throw new AutodiffInputError("matrixPower.k", "an integer", k);
  if (k === 0) return broadcastTo(eye(n), a.shape);
  let base = k < 0 ? inverse(a) : a;
  let e = Math.abs(k);
  let acc: Tensor | null = null;
  for (;;) {
    if (e & 1) acc = acc === null ? base : matmul(acc, base);
    e = Math.floor(e / 2);
    if (e === 0) break;
    base = matmul(base, base);
  }
  return acc!;
}

/**
 * The commutator [A, B] = A·B − B·A of batches of n×n matrices (batch dims broadcast).
 *
 * @example
 * commutator(Lx, Ly); // = Lz for the so(3) generators
 */
export function commutator(a: Tensor, b: Tensor): Tensor {
  const n = checkSquare(a, "commutator.a");
  if (checkSquare(b, "commutator.b") !== n) {
    throw new AutodiffInputError("commutator.b", `a batch of ${n}×${n} matrices`, [...b.shape]);
  }
  return sub(matmul(a, b), matmul(b, a));
}
