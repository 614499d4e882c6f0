// The Lax-pair networks of arXiv 2103.07475: two MLPs map a state x ∈ ℝᵈ to n×n matrices L(x), M(x).
import { type LinearParams, MLP, random, reshape, type Tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";

/** Parameters of a Lax pair model: one parameter list per network. */
export interface LaxParams {
  [k: string]: LinearParams[];
  L: LinearParams[];
  M: LinearParams[];
}

/** Shape of a Lax pair model. */
export interface LaxModelOptions {
  /** State dimension d. */
  inputs: number;
  /** Matrix size n. */
  size: number;
  /** Hidden widths of each network (default [32, 32]). */
  hidden?: number[];
  seed: number;
  /**
   * Optional differentiable map of the state to the networks' inputs ([B, d] → [B, inputs]), e.g.
   * the coordinate differences of a translation-invariant chain. Default: the state itself.
   */
  features?: (x: Tensor) => Tensor;
}

/** L(x), M(x) as tanh MLPs with n² outputs each. */
export class LaxModel {
  readonly inputs: number;
  readonly size: number;
  readonly hidden: readonly number[];
  private readonly netL: MLP;
  private readonly netM: MLP;
  private readonly features: (x: Tensor) => Tensor;

  constructor(opts: LaxModelOptions) {
    if (!Number.isInteger(opts.inputs) || opts.inputs < 1)
      throw new PhysmlInputError("inputs", "an integer >= 1", opts.inputs);
    if (!Number.isInteger(opts.size) || opts.size < 2 || opts.size > 8)
      throw new PhysmlInputError("size", "an integer in [2, 8]", opts.size);
    this.inputs = opts.inputs;
    this.size = opts.size;
    this.hidden = opts.hidden ?? [32, 32];
    this.features = opts.features ?? ((x) => x);
    const [kL, kM] = random.split(random.key(opts.seed), 2);
    const widths = [opts.inputs, ...this.hidden, opts.size * opts.size];
    this.netL = new MLP(widths, { key: kL, activation: "tanh" });
    this.netM = new MLP(widths, { key: kM, activation: "tanh" });
  }

  /** Freshly initialised parameters. */
  init(): LaxParams {
    return { L: this.netL.params, M: this.netM.params };
  }

  /** L for a batch x: [B, d] → [B, n, n]. */
  L(params: LaxParams, x: Tensor): Tensor {
    return reshape(this.netL.apply(params.L, this.features(x)), [x.shape[0], this.size, this.size]);
  }

  /** The pair at fixed parameters, as batched maps. */
  pair(params: LaxParams): { size: number; L(x: Tensor): Tensor; M(x: Tensor): Tensor } {
    return { size: this.size, L: (x) => this.L(params, x), M: (x) => this.M(params, x) };
  }

  /** M for a batch x: [B, d] → [B, n, n]. */
  M(params: LaxParams, x: Tensor): Tensor {
    return reshape(this.netM.apply(params.M, this.features(x)), [x.shape[0], this.size, this.size]);
  }
}
