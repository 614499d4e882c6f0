// Autoregressive layers as (params, apply) pairs: a MADE masked dense layer and a PixelCNN masked
// convolution on a lattice (circular or zero padding).
import { tensor } from "../core/create.js";
import type { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { type ConvMaskType, type ConvPadding, conv2d, maskedLinear } from "../ops/conv.js";
import { type Key, split } from "../random.js";
import { channelsFirst, glorotUniform, type Initializer, zerosInit } from "./init.js";

const positive = (field: string, v: number) => {
  if (!Number.isInteger(v) || v < 1) throw new AutodiffInputError(field, "an integer >= 1", v);
};

/** Parameters of a masked layer: weight and (unless `bias: false`) bias. */
export interface MaskedParams {
  [k: string]: Tensor;
  w: Tensor;
  b: Tensor;
}

/**
 * y = x·(W∘M) + b with W and the 0/1 mask M of shape [inF, outF] (MADE; masks from `madeMasks`).
 * Output j depends on input i only where M[i][j] = 1, whatever the weights.
 */
export class MaskedLinear {
  readonly inF: number;
  readonly outF: number;
  /** The mask as a constant tensor [inF, outF]. */
  readonly mask: Tensor;
  readonly params: MaskedParams;

  constructor(
    inF: number,
    outF: number,
    mask: readonly (readonly number[])[],
    opts: { key: Key; bias?: boolean; init?: Initializer },
  ) {
    positive("MaskedLinear.inF", inF);
    positive("MaskedLinear.outF", outF);
    if (
      !Array.isArray(mask) ||
      mask.length !== inF ||
      mask.some((r) => !Array.isArray(r) || r.length !== outF)
    )
      throw new AutodiffInputError("MaskedLinear.mask", `a ${inF}×${outF} array of 0/1`, typeof mask);
    if (mask.some((r) => r.some((v: number) => v !== 0 && v !== 1)))
      throw new AutodiffInputError("MaskedLinear.mask", "entries 0 or 1", "another number");
    this.inF = inF;
    this.outF = outF;
    this.mask = tensor(mask as number[][]);
    const [kw, kb] = split(opts.key, 2);
    const p: { [k: string]: Tensor } = { w: (opts.init ?? glorotUniform)(kw, [inF, outF]) };
    if (opts.bias ?? true) p.b = zerosInit(kb, [outF]);
    this.params = p as MaskedParams;
  }

  /** Applies the layer to x [..., inF]. */
  apply(params: { w: Tensor; b?: Tensor }, x: Tensor): Tensor {
    if (x.shape[x.ndim - 1] !== this.inF)
      throw new AutodiffInputError("MaskedLinear.apply.x", `shape [..., ${this.inF}]`, [...x.shape]);
    return maskedLinear(x, params.w, this.mask, params.b);
  }
}

export interface MaskedConv2dOptions {
  key: Key;
  /** PixelCNN type "A" (first layer: excludes the site itself), "B", or a 0/1 pattern [kh][kw]. */
  mask: ConvMaskType | readonly (readonly number[])[];
  /** Default "circular" (periodic lattice). Zero padding keeps the autoregressive order exact. */
  padding?: ConvPadding;
  bias?: boolean;
  /** Drawn through `channelsFirst`: called with [kh, kw, inC, outC] (fans as in Flax), stored [outC, inC, kh, kw]. */
  init?: Initializer;
}

/**
 * A masked convolution on an H×W lattice: x [N, inC, H, W] → [N, outC, H, W], weights
 * [outC, inC, kh, kw] (`conv2d` with the mask; the masked taps are never computed).
 */
export class MaskedConv2d {
  readonly inC: number;
  readonly outC: number;
  readonly kernel: readonly [number, number];
  readonly mask: MaskedConv2dOptions["mask"];
  readonly padding: ConvPadding;
  readonly params: MaskedParams;

  constructor(
    inC: number,
    outC: number,
    kernel: number | readonly [number, number],
    opts: MaskedConv2dOptions,
  ) {
    positive("MaskedConv2d.inC", inC);
    positive("MaskedConv2d.outC", outC);
    const [kh, kw] = typeof kernel === "number" ? [kernel, kernel] : kernel;
    for (const k of [kh, kw])
      if (!Number.isInteger(k) || k < 1 || k % 2 !== 1)
        throw new AutodiffInputError("MaskedConv2d.kernel", "odd integers >= 1", k);
    this.inC = inC;
    this.outC = outC;
    this.kernel = [kh, kw];
    this.mask = opts.mask;
    this.padding = opts.padding ?? "circular";
    const [kk, kb] = split(opts.key, 2);
    const p: { [k: string]: Tensor } = {
      w: channelsFirst(opts.init ?? glorotUniform)(kk, [outC, inC, kh, kw]),
    };
    if (opts.bias ?? true) p.b = zerosInit(kb, [outC]);
    this.params = p as MaskedParams;
  }

  /** Applies the layer to x [N, inC, H, W] (or [inC, H, W]). */
  apply(params: { w: Tensor; b?: Tensor }, x: Tensor): Tensor {
    return conv2d(x, params.w, { padding: this.padding, mask: this.mask, bias: params.b });
  }
}
