// Finite-difference checks for complex functions through the real checker (testing/check-grads.ts):
// each complex argument becomes two real ones (re, im) and a complex output the stacked pair, so
// jvp and vjp are compared with central differences in random directions of every real and
// imaginary part, recursively to the requested order.
import type { Tensor } from "../core/tensor.js";
import { stack } from "../ops/shape.js";
import { type CheckGradsOptions, checkGrads } from "../testing/check-grads.js";
import { ComplexTensor } from "./tensor.js";

/** f as a function of real tensors: (re, im) per complex argument; a complex output as stack([re, im]). */
export function realify(
  f: (...args: (ComplexTensor | Tensor)[]) => ComplexTensor | Tensor,
  args: readonly (ComplexTensor | Tensor)[],
): [(...xs: Tensor[]) => Tensor, Tensor[]] {
  const flat = args.flatMap((a) => (a instanceof ComplexTensor ? [a.re, a.im] : [a]));
  const g = (...xs: Tensor[]): Tensor => {
    let i = 0;
    const rebuilt = args.map((a) =>
      a instanceof ComplexTensor ? new ComplexTensor(xs[i++], xs[i++]) : xs[i++],
    );
    const y = f(...rebuilt);
    return y instanceof ComplexTensor ? stack([y.re, y.im]) : y;
  };
  return [g, flat];
}

/**
 * `checkGrads` for a function of complex and real tensors: every derivative up to `order`, in
 * both modes, against finite differences along random directions in all real and imaginary parts.
 * Throws `GradCheckError` naming the failing path.
 */
export function checkGradsComplex(
  f: (...args: (ComplexTensor | Tensor)[]) => ComplexTensor | Tensor,
  args: readonly (ComplexTensor | Tensor)[],
  opts: CheckGradsOptions = {},
): void {
  const [g, flat] = realify(f, args);
  checkGrads(g, flat, opts);
}
