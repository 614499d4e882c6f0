// Dense layers and multilayer perceptrons as (params, apply) pairs: parameters are plain trees,
// so they go straight into grad/valueAndGrad and the optimisers.
import type { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { type DenseActivation, dense, denseApplies } from "../ops/dense.js";
import { add, gelu, relu, sigmoid, softplus, tanh } from "../ops/elementwise.js";
import { matmul } from "../ops/matmul.js";
import { type Key, split } from "../random.js";
import { glorotUniform, type Initializer, zerosInit } from "./init.js";

export type ActivationName = "tanh" | "relu" | "sigmoid" | "gelu" | "softplus" | "identity";
export type Activation = ActivationName | ((x: Tensor) => Tensor);

const ACT: Record<ActivationName, (x: Tensor) => Tensor> = {
  tanh,
  relu,
  sigmoid,
  gelu,
  softplus,
  identity: (x) => x,
};

export function activationFn(a: Activation): (x: Tensor) => Tensor {
  if (typeof a === "function") return a;
  const f = ACT[a];
  if (!f) throw new AutodiffInputError("activation", Object.keys(ACT).join(" | "), a);
  return f;
}

export interface LinearParams {
  [k: string]: Tensor;
  w: Tensor;
  b: Tensor;
}

/** y = x·W + b with W of shape [inF, outF]. */
export class Linear {
  readonly inF: number;
  readonly outF: number;
  readonly bias: boolean;
  /** Initial parameters `{ w, b }` (b omitted without bias). */
  readonly params: LinearParams;

  constructor(
    inF: number,
    outF: number,
    opts: { key: Key; bias?: boolean; init?: Initializer; biasInit?: Initializer },
  ) {
    for (const [n, v] of [
      ["Linear.inF", inF],
      ["Linear.outF", outF],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new AutodiffInputError(n, "an integer >= 1", v);
    }
    this.inF = inF;
    this.outF = outF;
    this.bias = opts.bias ?? true;
    const [kw, kb] = split(opts.key, 2);
    const w = (opts.init ?? glorotUniform)(kw, [inF, outF]);
    const p: { [k: string]: Tensor } = { w };
    if (this.bias) p.b = (opts.biasInit ?? zerosInit)(kb, [outF]);
    this.params = p as LinearParams;
  }

  /** Applies the layer to x of shape [..., inF]. */
  apply(params: { w: Tensor; b?: Tensor }, x: Tensor): Tensor {
    return this.applyAct(params, x, "identity");
  }

  /** @internal act(x·W + b), one fused primitive where it applies (ops/dense.ts), same values. */
  applyAct(params: { w: Tensor; b?: Tensor }, x: Tensor, act: DenseActivation): Tensor {
    if (x.shape[x.ndim - 1] !== this.inF) {
      throw new AutodiffInputError("Linear.apply.x", `shape [..., ${this.inF}]`, [...x.shape]);
    }
    return denseLayer(params, x, act);
  }
}

/**
 * @internal act(x·W + b) for one layer's parameters, unchecked: the fused primitive where it
 * applies (ops/dense.ts), else the composed ops, with the same values either way.
 */
export function denseLayer(params: { w: Tensor; b?: Tensor }, x: Tensor, act: DenseActivation): Tensor {
  if (params.b && denseApplies(x, params.w, params.b)) return dense(x, params.w, params.b, act);
  const y = matmul(x, params.w);
  const z = params.b ? add(y, params.b) : y;
  return act === "tanh" ? tanh(z) : z;
}

export interface MLPOptions {
  key: Key;
  /** Hidden activation (default tanh). */
  activation?: Activation;
  /** Activation after the last layer (default identity). */
  finalActivation?: Activation;
  init?: Initializer;
  bias?: boolean;
}

/** widths = [in, hidden…, out]; every hidden layer is followed by the activation. */
export class MLP {
  readonly widths: readonly number[];
  readonly layers: readonly Linear[];
  /** Initial parameters: one `{ w, b }` per layer. */
  readonly params: LinearParams[];
  private readonly act: (x: Tensor) => Tensor;
  private readonly finalAct: (x: Tensor) => Tensor;

  constructor(widths: readonly number[], opts: MLPOptions) {
    if (!Array.isArray(widths) || widths.length < 2) {
      throw new AutodiffInputError(
        "MLP.widths",
        "at least two layer widths [in, ..., out]",
        widths as number[],
      );
    }
    this.widths = [...widths];
    const keys = split(opts.key, widths.length - 1);
    this.layers = keys.map(
      (k, i) => new Linear(widths[i], widths[i + 1], { key: k, bias: opts.bias, init: opts.init }),
    );
    this.params = this.layers.map((l) => l.params);
    this.act = activationFn(opts.activation ?? "tanh");
    this.finalAct = activationFn(opts.finalActivation ?? "identity");
  }

  apply(params: readonly { w: Tensor; b?: Tensor }[], x: Tensor): Tensor {
    if (params.length !== this.layers.length) {
      throw new AutodiffInputError("MLP.apply.params", `${this.layers.length} layers`, params.length);
    }
    let h = x;
    this.layers.forEach((l, i) => {
      const act = i < this.layers.length - 1 ? this.act : this.finalAct;
      // the built-in tanh and the identity go into the fused dense primitive
      const fused = act === tanh ? "tanh" : act === ACT.identity ? "identity" : null;
      h = fused ? l.applyAct(params[i], h, fused) : act(l.apply(params[i], h));
    });
    return h;
  }
}
