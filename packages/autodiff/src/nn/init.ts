// Standard weight initialisers for a [fanIn, fanOut] matrix.

import { zeros } from "../core/create.js";
import type { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { transpose } from "../ops/shape.js";
import { type Key, normal, uniform } from "../random.js";

/**
 * An initialiser for a weight of the given shape. The fans are read from the last two dims as
 * [..., fanIn, fanOut], the leading dims counted as the receptive field (HWIO for convolutions).
 * `conv1d`/`conv2d` take weights as [Co, Ci, k…] instead: wrap the initialiser in
 * {@link channelsFirst} for those, or the fans come out wrong.
 */
export type Initializer = (key: Key, shape: readonly number[]) => Tensor;

function fans(shape: readonly number[]): [number, number] {
  if (shape.length < 1)
    throw new AutodiffInputError("init.shape", "a shape with at least one dim", [...shape]);
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

/** Glorot/Xavier uniform: U(±√(6/(fanIn+fanOut))). */
export const glorotUniform: Initializer = (k, shape) => {
  const [i, o] = fans(shape);
  const a = Math.sqrt(6 / (i + o));
  return uniform(k, shape, { minval: -a, maxval: a });
};

/** Glorot/Xavier normal: N(0, 2/(fanIn+fanOut)). */
export const glorotNormal: Initializer = (k, shape) => {
  const [i, o] = fans(shape);
  return normal(k, shape, { std: Math.sqrt(2 / (i + o)) });
};

/** He/Kaiming normal (for ReLU): N(0, 2/fanIn). */
export const heNormal: Initializer = (k, shape) => normal(k, shape, { std: Math.sqrt(2 / fans(shape)[0]) });

/** LeCun normal: N(0, 1/fanIn). */
export const lecunNormal: Initializer = (k, shape) =>
  normal(k, shape, { std: Math.sqrt(1 / fans(shape)[0]) });

export const zerosInit: Initializer = (_k, shape) => zeros(shape);

/**
 * The same initialiser for a weight laid out channels first, [Co, Ci, k…] (the layout of
 * `conv1d`/`conv2d` and PyTorch): it draws [k…, Ci, Co], where {@link Initializer}'s fans are read
 * right (fanIn = Ci·Πk, fanOut = Co·Πk), and transposes to [Co, Ci, k…].
 *
 * @example
 * const w = channelsFirst(heNormal)(key, [32, 1, 3, 3]); // conv2d weight, 1 → 32 channels, 3×3
 */
export function channelsFirst(init: Initializer): Initializer {
  return (key, shape) => {
    if (shape.length < 2)
      throw new AutodiffInputError("init.shape", "a channels-first shape [Co, Ci, k…]", [...shape]);
    const [co, ci, ...k] = shape;
    const drawn = init(key, [...k, ci, co]);
    // drawn axes: k_0…k_{m−1}, Ci, Co → Co, Ci, k_0…k_{m−1}
    const m = k.length;
    return transpose(drawn, [m + 1, m, ...k.map((_, j) => j)]);
  };
}
