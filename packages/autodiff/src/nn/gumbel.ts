// Gumbel-softmax relaxation of categorical sampling (Jang et al. 2017; Maddison et al. 2017).
import type { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { add, div, equal, sub } from "../ops/elementwise.js";
import { max, softmax } from "../ops/reduce.js";
import { stopGradient } from "../ops/shape.js";
import { gumbel, type Key } from "../random.js";

export interface GumbelSoftmaxOptions {
  key: Key;
  /** Temperature τ > 0 (default 1); τ → 0 approaches one-hot samples. */
  tau?: number;
  /** Straight-through: forward value is the one-hot argmax, gradient is that of the soft sample. */
  hard?: boolean;
  axis?: number;
}

/** softmax((logits + g)/τ) with g ~ Gumbel(0,1); `hard` gives the straight-through one-hot. */
export function gumbelSoftmax(logits: Tensor, opts: GumbelSoftmaxOptions): Tensor {
  const tau = opts.tau ?? 1;
  if (!(tau > 0) || !Number.isFinite(tau))
    throw new AutodiffInputError("gumbelSoftmax.tau", "a finite number > 0", tau);
  const axis = opts.axis ?? -1;
  const g = gumbel(opts.key, logits.shape, { dtype: logits.dtype });
  const y = softmax(div(add(logits, g), tau), axis);
  if (!opts.hard) return y;
  const ys = stopGradient(y);
  const oneHot = equal(ys, max(ys, axis, true));
  // value = oneHot exactly (y − stop(y) is 0); derivative = that of y
  return add(sub(y, ys), oneHot);
}
