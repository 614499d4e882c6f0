// The matrix exponential of a batch of complex matrices (e.g. of Lie-algebra generators such as
// i·σ/2), by scaling and squaring with the diagonal [6/6] Padé approximant, written in complex
// matmul and solve: every derivative is that of the approximant, which agrees with exp to
// rounding (for ‖A/2ˢ‖₁ ≤ ½ the [6/6] remainder is below 1e-17 relative).

import { eye } from "../core/create.js";
import { AutodiffInputError } from "../errors.js";
import { checkSquare, solve } from "./linalg.js";
import { add, matmul, mul, sub } from "./ops.js";
import type { ComplexLike, ComplexTensor } from "./tensor.js";

/** c_k = (2q − k)! q! / ((2q)! k! (q − k)!) for q = 6. */
const PADE6 = (() => {
  const f = (n: number): number => (n <= 1 ? 1 : n * f(n - 1));
  return Array.from({ length: 7 }, (_, k) => (f(12 - k) * f(6)) / (f(12) * f(k) * f(6 - k)));
})();

/** Largest 1-norm (max column sum of |a_ij|) over the batch, from the concrete values. */
function maxNorm1(c: ComplexTensor, n: number): number {
  const re = c.re._raw();
  const im = c.im._raw();
  let best = 0;
  for (let b = 0; b < re.length / (n * n); b++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.hypot(re[b * n * n + i * n + j], im[b * n * n + i * n + j]);
      best = Math.max(best, s);
    }
  }
  return best;
}

/**
 * e^A for a batch of complex n×n matrices (…, n, n). The number of squarings s is chosen from
 * the values (‖A‖₁/2ˢ ≤ ½ for the largest matrix in the batch) and is a constant to derivatives.
 */
export function expm(a: ComplexLike): ComplexTensor {
  const [c, n] = checkSquare(a, "expm.a");
  const norm = maxNorm1(c, n);
  if (!Number.isFinite(norm)) throw new AutodiffInputError("expm.a", "finite entries", norm);
  const s = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const A = s > 0 ? mul(c, 2 ** -s) : c;
  const I = eye(n);
  let P: ComplexTensor = A;
  let num = add(mul(A, PADE6[1]), I);
  let den = add(mul(A, -PADE6[1]), I);
  for (let k = 2; k <= 6; k++) {
    P = matmul(P, A);
    const t = mul(P, PADE6[k]);
    num = add(num, t);
    den = k % 2 === 0 ? add(den, t) : sub(den, t);
  }
  let X = solve(den, num);
  for (let i = 0; i < s; i++) X = matmul(X, X);
  return X;
}
