// The Lax-pair networks of arXiv 2103.07475: two MLPs map a state x ∈ ℝᵈ to n×n matrices L(x), M(x).
import { add, exp, mul, random, reshape, sub, type Tensor, transpose } from "@physml/autodiff";
import { Linear, type LinearParams, MLP, zerosInit } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";

/**
 * Parameters of a Lax pair model: one parameter list per network; with the linear path, its
 * layer is the last entry of the list.
 */
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
  /**
   * Add a linear map of the inputs to each network's output (default true). A tanh MLP only
   * approximates an affine function, and that approximation error was the floor of the learned
   * oscillator pair (held-out residual 2e-3); with the linear path an affine L is exact.
   */
  linear?: boolean;
  /**
   * Hidden activation (default "tanh"). "exp" makes every hidden unit exp(w·f + b), the
   * exponential of a learned linear function of the inputs: a generic function class in which
   * pairs built from exponentials (Toda's) are exact, where a tanh MLP only approximates them.
   */
  activation?: LaxActivation;
  /**
   * "symmetric": L is the symmetric part of its network's output and M the antisymmetric part of
   * its own (default "general": both unconstrained). For such a pair L̇ and [L, M] are symmetric,
   * the flow L → O L Oᵀ is orthogonal, and L cannot be nilpotent: a real symmetric L with L² = 0
   * is 0, so the rank-one pairs e^{w·f}N (N² = 0) that every system in the exp class has are
   * outside the model.
   */
  structure?: LaxStructure;
}

/** Structures of {@link LaxModel}'s pair. */
export const LAX_STRUCTURES = ["general", "symmetric"] as const;
export type LaxStructure = (typeof LAX_STRUCTURES)[number];

/** Hidden activations of {@link LaxModel}. */
export const LAX_ACTIVATIONS = ["tanh", "exp"] as const;
export type LaxActivation = (typeof LAX_ACTIVATIONS)[number];

/** L(x), M(x) as MLPs (tanh or exp hidden units) with n² outputs each. */
export class LaxModel {
  readonly inputs: number;
  readonly size: number;
  readonly hidden: readonly number[];
  readonly activation: LaxActivation;
  readonly structure: LaxStructure;
  private readonly netL: MLP;
  private readonly netM: MLP;
  private readonly features: (x: Tensor) => Tensor;
  private readonly linL: Linear | null;
  private readonly linM: Linear | null;

  constructor(opts: LaxModelOptions) {
    if (!Number.isInteger(opts.inputs) || opts.inputs < 1)
      throw new PhysmlInputError("inputs", "an integer >= 1", opts.inputs);
    if (!Number.isInteger(opts.size) || opts.size < 2 || opts.size > 8)
      throw new PhysmlInputError("size", "an integer in [2, 8]", opts.size);
    this.inputs = opts.inputs;
    this.size = opts.size;
    this.hidden = opts.hidden ?? [32, 32];
    this.features = opts.features ?? ((x) => x);
    this.activation = opts.activation ?? "tanh";
    if (!LAX_ACTIVATIONS.includes(this.activation))
      throw new PhysmlInputError("activation", LAX_ACTIVATIONS.join(" | "), this.activation);
    this.structure = opts.structure ?? "general";
    if (!LAX_STRUCTURES.includes(this.structure))
      throw new PhysmlInputError("structure", LAX_STRUCTURES.join(" | "), this.structure);
    const activation = this.activation === "exp" ? (x: Tensor) => exp(x) : "tanh";
    const [kL, kM, kl, km] = random.split(random.key(opts.seed), 4);
    const n2 = opts.size * opts.size;
    const widths = [opts.inputs, ...this.hidden, n2];
    this.netL = new MLP(widths, { key: kL, activation });
    this.netM = new MLP(widths, { key: kM, activation });
    // the linear path starts at zero, so the initial networks are the plain MLPs
    const linear = (key: typeof kl) => new Linear(opts.inputs, n2, { key, bias: false, init: zerosInit });
    this.linL = opts.linear === false ? null : linear(kl);
    this.linM = opts.linear === false ? null : linear(km);
  }

  /** Freshly initialised parameters. */
  init(): LaxParams {
    const withLinear = (mlp: MLP, lin: Linear | null) => (lin ? [...mlp.params, lin.params] : mlp.params);
    return { L: withLinear(this.netL, this.linL), M: withLinear(this.netM, this.linM) };
  }

  /** L for a batch x: [B, d] → [B, n, n]. */
  L(params: LaxParams, x: Tensor): Tensor {
    const y = this.apply(this.netL, this.linL, params.L, x);
    return this.structure === "symmetric" ? mul(add(y, transpose(y, [0, 2, 1])), 0.5) : y;
  }

  private apply(mlp: MLP, lin: Linear | null, params: LinearParams[], x: Tensor): Tensor {
    const f = this.features(x);
    const depth = mlp.layers.length;
    const y = lin
      ? add(mlp.apply(params.slice(0, depth), f), lin.apply(params[depth], f))
      : mlp.apply(params, f);
    return reshape(y, [x.shape[0], this.size, this.size]);
  }

  /** The pair at fixed parameters, as batched maps. */
  pair(params: LaxParams): { size: number; L(x: Tensor): Tensor; M(x: Tensor): Tensor } {
    return { size: this.size, L: (x) => this.L(params, x), M: (x) => this.M(params, x) };
  }

  /** M for a batch x: [B, d] → [B, n, n]. */
  M(params: LaxParams, x: Tensor): Tensor {
    const y = this.apply(this.netM, this.linM, params.M, x);
    return this.structure === "symmetric" ? mul(sub(y, transpose(y, [0, 2, 1])), 0.5) : y;
  }
}
