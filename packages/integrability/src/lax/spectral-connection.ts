// A connection family A_x(f, λ), A_t(f, λ) whose entries are polynomials in the spectral parameter
// λ with coefficients affine in the (lifted) features, and the hinge that keeps the family from
// being one connection for every λ.
import {
  abs,
  add,
  jvp,
  type Key,
  matmul,
  maximum,
  mul,
  ones,
  random,
  reshape,
  sub,
  sum,
  type Tensor,
} from "@physml/autodiff";
import { Linear, type LinearParams } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";
import type { LaxParams } from "./model.js";
import { identity, tracelessPart } from "./traceless.js";
import type { ConnectionFns } from "./zero-curvature.js";

/** Shape of a {@link SpectralConnectionModel}. */
export interface SpectralConnectionOptions {
  /** Inputs of the affine maps (after `features`). */
  inputs: number;
  /** Matrix size n. */
  size: number;
  /** Degree in λ of A_x (the AKNS connection of KdV: 1). */
  degreeX: number;
  /** Degree in λ of A_t (the AKNS connection of KdV: 2). */
  degreeT: number;
  seed: number;
  /** Differentiable map of the features to the inputs (default: the features). */
  features?: (f: Tensor) => Tensor;
}

/** The most λ-degree either matrix may have: AKNS needs 2, the next KdV flows 3 and 4. */
export const MAX_SPECTRAL_DEGREE = 4;

/**
 * A(f, λ) = Σ_k λᵏ (W_k g(f) + b_k) for A_x (k ≤ `degreeX`) and A_t (k ≤ `degreeT`), g the lifted
 * features; the parameters are {@link LaxParams} (`L` the coefficients of A_x, `M` those of A_t,
 * lowest power first), so the connection learner's checkpoints store them. The biases start
 * random: with zero biases A_x(0, λ) = 0 for every λ, where the spectral hinge has no gradient.
 */
export class SpectralConnectionModel {
  readonly inputs: number;
  readonly size: number;
  readonly degreeX: number;
  readonly degreeT: number;
  private readonly layer: Linear;
  private readonly features: (f: Tensor) => Tensor;
  private readonly initial: LaxParams;

  constructor(o: SpectralConnectionOptions) {
    for (const [field, v] of [
      ["degreeX", o.degreeX],
      ["degreeT", o.degreeT],
    ] as const)
      if (!Number.isInteger(v) || v < 1 || v > MAX_SPECTRAL_DEGREE)
        throw new PhysmlInputError(field, `an integer in [1, ${MAX_SPECTRAL_DEGREE}]`, v);
    if (!Number.isInteger(o.size) || o.size < 2 || o.size > 8)
      throw new PhysmlInputError("size", "an integer in [2, 8]", o.size);
    if (!Number.isInteger(o.inputs) || o.inputs < 1)
      throw new PhysmlInputError("inputs", "an integer >= 1", o.inputs);
    [this.inputs, this.size, this.degreeX, this.degreeT] = [o.inputs, o.size, o.degreeX, o.degreeT];
    this.features = o.features ?? ((f) => f);
    const n2 = o.size * o.size;
    const biasInit = (k: Key, shape: readonly number[]) =>
      random.uniform(k, shape, { minval: -0.5, maxval: 0.5 });
    const keys = random.split(random.key(o.seed), o.degreeX + o.degreeT + 2);
    const coefficient = (i: number) => new Linear(o.inputs, n2, { key: keys[i], biasInit }).params;
    this.layer = new Linear(o.inputs, n2, { key: keys[0] });
    this.initial = {
      L: Array.from({ length: o.degreeX + 1 }, (_, k) => coefficient(k)),
      M: Array.from({ length: o.degreeT + 1 }, (_, k) => coefficient(o.degreeX + 1 + k)),
    };
  }

  /** The seeded initial parameters. */
  init(): LaxParams {
    return { L: [...this.initial.L], M: [...this.initial.M] };
  }

  /** A_x for a batch of features [B, m] at λ (a number, or [B, 1] one per row): [B, n, n]. */
  Ax(p: LaxParams, f: Tensor, lambda: number | Tensor): Tensor {
    return this.polynomial(p.L, f, lambda);
  }

  /** A_t, as {@link Ax}. */
  At(p: LaxParams, f: Tensor, lambda: number | Tensor): Tensor {
    return this.polynomial(p.M, f, lambda);
  }

  /** The connection at λ (a number, or [B, 1] for batches of B rows). */
  at(p: LaxParams, lambda: number | Tensor): ConnectionFns {
    return { size: this.size, Ax: (f) => this.Ax(p, f, lambda), At: (f) => this.At(p, f, lambda) };
  }

  // Horner's rule from the highest power down
  private polynomial(c: LinearParams[], f: Tensor, lambda: number | Tensor): Tensor {
    const g = this.features(f);
    let y = this.layer.apply(c[c.length - 1], g);
    for (let k = c.length - 2; k >= 0; k--) y = add(this.layer.apply(c[k], g), mul(y, lambda));
    return reshape(y, [f.shape[0], this.size, this.size]);
  }
}

/**
 * The learned spectral parameter λ̂ = ½ tr Ã_x² of the traceless A_x on the vacuum (every
 * feature 0), per matrix of a batch [K, n, n] → [K]. For 2×2 it is −det Ã_x, and the AKNS A_x =
 * [[0, 1], [λ − φ, 0]] gives λ̂ = λ. It is the vacuum's monodromy invariant: on a constant field
 * Ψ(ℓ) = exp(ℓ A_x) and tr Ψ = 2 cosh(ℓ√λ̂) for 2×2, so no gauge (constant, λ-dependent or
 * periodic in x) changes it.
 */
export function spectralInvariant(Ax: Tensor): Tensor {
  const A = tracelessPart(Ax);
  return mul(sum(mul(matmul(A, A), identity(A.shape[1])), [1, 2]), 0.5);
}

/**
 * κ_λ of {@link spectralSlopeHinge}: the AKNS family has dλ̂/dλ = 1, and so has its
 * reparametrisation λ → λ + c; a family that sweeps λ̂ at half that rate still passes.
 */
export const SPECTRAL_SLOPE_FLOOR = 0.5;

/**
 * The gaps max(0, κ_λ − |dλ̂/dλ|) at each of `lambdas` ([K, 1]) → [K], λ̂ the
 * {@link spectralInvariant} of `vacuumAx(λ)` ([K, n, n], A_x on the vacuum at each λ); the
 * hinge 𝓛_λ is their mean square.
 *
 * Why it is needed: zero curvature at each λ separately is met by any λ-independent flat
 * connection (the fixed-λ learner's), and by g(λ)A g(λ)⁻¹ for any constant invertible g(λ); their
 * monodromy is the same conserved quantity at every λ, so the family says nothing about the
 * hierarchy. λ̂ is invariant under every such gauge, so for all of them λ̂ is constant and every
 * gap is κ_λ, while the AKNS family (λ̂ = λ) and any affine reparametrisation λ̂ = aλ + b with
 * |a| ≥ κ_λ give 0. The slope is d/dλ by forward mode, exact for the polynomial family. The
 * learner squares the gaps so that its hinge is smooth where a gap closes; with the plain gaps
 * seed 0 ended on the kink as well (slope 0.500, training 𝓛_ZC 1.9e-12 against 1.2e-11 squared,
 * worst held-out variation 8.3e-4 against 2.2e-4; measured): neither is plainly better.
 */
export function spectralSlopeGaps(
  vacuumAx: (lambda: Tensor) => Tensor,
  lambdas: Tensor,
  floor = SPECTRAL_SLOPE_FLOOR,
): Tensor {
  return maximum(sub(floor, abs(spectralSlopes(vacuumAx, lambdas))), 0);
}

/** dλ̂/dλ at each of `lambdas` ([K, 1]) → [K], by forward mode (see {@link spectralSlopeGaps}). */
export function spectralSlopes(vacuumAx: (lambda: Tensor) => Tensor, lambdas: Tensor): Tensor {
  const [, slope] = jvp((l: Tensor) => spectralInvariant(vacuumAx(l)), [lambdas], [ones(lambdas.shape)]) as [
    Tensor,
    Tensor,
  ];
  return slope;
}
