// A connection family A_x(f, λ), A_t(f, λ) whose entries are Laurent polynomials in the spectral
// parameter λ (powers from a lowest, possibly negative, to a highest) with coefficients affine in
// the (lifted) features, and the hinge that keeps the family from being one connection for every λ.
import {
  abs,
  add,
  concat,
  div,
  jvp,
  type Key,
  matmul,
  maximum,
  mul,
  ones,
  random,
  reshape,
  slice,
  sub,
  type Tensor,
  trace,
} from "@physml/autodiff";
import { Linear, type LinearParams } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";
import type { LaxParams } from "./model.js";
import { tracelessPart } from "./traceless.js";
import type { ConnectionFns } from "./zero-curvature.js";

/** Shape of a {@link SpectralConnectionModel}. */
export interface SpectralConnectionOptions {
  /** Inputs of the affine maps (after `features`). */
  inputs: number;
  /** Matrix size n. */
  size: number;
  /** Highest power of λ in A_x (the AKNS connection of KdV: 1; sine-Gordon's: 1). */
  degreeX: number;
  /** Highest power of λ in A_t (the AKNS connection of KdV: 2; sine-Gordon's: 1). */
  degreeT: number;
  /**
   * Lowest power of λ in A_x, at most `degreeX` (default 0, a polynomial; sine-Gordon's
   * connection: −1; Heisenberg's: 1, no λ⁰ term).
   */
  lowestX?: number;
  /** Lowest power of λ in A_t, at most `degreeT` (default 0; sine-Gordon's: −1; Heisenberg's: 1). */
  lowestT?: number;
  seed: number;
  /** Differentiable map of the features to the inputs (default: the features). */
  features?: (f: Tensor) => Tensor;
  /**
   * A_x, A_t in so(n) (default false): each power's affine map gives the n(n − 1)/2 entries above
   * the diagonal, and the matrix is antisymmetric, the class of the fixed-λ Heisenberg learner per
   * power of λ. The learner there keeps (A − Aᵀ)/2 of an n×n map; here the map has no symmetric
   * part, so Levenberg–Marquardt's Jacobian has no zero columns (3 outputs per power, not 9, at
   * n = 3).
   */
  antisymmetric?: boolean;
}

/** The most λ-degree either matrix may have: AKNS needs 2, the next KdV flows 3 and 4. */
export const MAX_SPECTRAL_DEGREE = 4;

/** The most negative power of λ either matrix may have (sine-Gordon's connection needs −1). */
export const MIN_SPECTRAL_POWER = -4;

/**
 * A(f, λ) = Σ_k λᵏ (W_k g(f) + b_k) for A_x (`lowestX` ≤ k ≤ `degreeX`) and A_t (`lowestT` ≤ k ≤
 * `degreeT`), g the lifted features; the parameters are {@link LaxParams} (`L` the coefficients of
 * A_x, `M` those of A_t, lowest power first), so the connection learner's checkpoints store them.
 * The biases start random: with zero biases A_x(0, λ) = 0 for every λ, where the spectral hinge has
 * no gradient. With a negative power λ = 0 is a pole: evaluate it away from 0. With `antisymmetric`
 * each W_k g + b_k is the upper triangle of A, row by row ((1,2), (1,3), (2,3) at n = 3).
 */
export class SpectralConnectionModel {
  readonly inputs: number;
  readonly size: number;
  readonly degreeX: number;
  readonly degreeT: number;
  readonly lowestX: number;
  readonly lowestT: number;
  readonly antisymmetric: boolean;
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
    const [lowestX, lowestT] = [o.lowestX ?? 0, o.lowestT ?? 0];
    for (const [field, v, top] of [
      ["lowestX", lowestX, o.degreeX],
      ["lowestT", lowestT, o.degreeT],
    ] as const)
      if (!Number.isInteger(v) || v < MIN_SPECTRAL_POWER || v > top)
        throw new PhysmlInputError(field, `an integer in [${MIN_SPECTRAL_POWER}, ${top}]`, v);
    if (!Number.isInteger(o.size) || o.size < 2 || o.size > 8)
      throw new PhysmlInputError("size", "an integer in [2, 8]", o.size);
    if (!Number.isInteger(o.inputs) || o.inputs < 1)
      throw new PhysmlInputError("inputs", "an integer >= 1", o.inputs);
    [this.inputs, this.size, this.degreeX, this.degreeT] = [o.inputs, o.size, o.degreeX, o.degreeT];
    [this.lowestX, this.lowestT] = [lowestX, lowestT];
    this.antisymmetric = o.antisymmetric ?? false;
    const [nX, nT] = [o.degreeX - lowestX + 1, o.degreeT - lowestT + 1];
    this.features = o.features ?? ((f) => f);
    const n2 = this.antisymmetric ? (o.size * (o.size - 1)) / 2 : o.size * o.size;
    const biasInit = (k: Key, shape: readonly number[]) =>
      random.uniform(k, shape, { minval: -0.5, maxval: 0.5 });
    const keys = random.split(random.key(o.seed), nX + nT);
    const coefficient = (i: number) => new Linear(o.inputs, n2, { key: keys[i], biasInit }).params;
    this.layer = new Linear(o.inputs, n2, { key: keys[0] });
    this.initial = {
      L: Array.from({ length: nX }, (_, k) => coefficient(k)),
      M: Array.from({ length: nT }, (_, k) => coefficient(nX + k)),
    };
  }

  /**
   * The number of trained parameters: one affine map onto n×n (so(n): n(n − 1)/2 entries) per
   * power of each matrix.
   */
  get parameterCount(): number {
    const powers = this.degreeX - this.lowestX + 1 + this.degreeT - this.lowestT + 1;
    const outputs = this.antisymmetric ? (this.size * (this.size - 1)) / 2 : this.size * this.size;
    return powers * (this.inputs + 1) * outputs;
  }

  /** The seeded initial parameters. */
  init(): LaxParams {
    return { L: [...this.initial.L], M: [...this.initial.M] };
  }

  /** A_x for a batch of features [B, m] at λ (a number, or [B, 1] one per row): [B, n, n]. */
  Ax(p: LaxParams, f: Tensor, lambda: number | Tensor): Tensor {
    return this.laurent(p.L, this.lowestX, f, lambda);
  }

  /** A_t, as {@link Ax}. */
  At(p: LaxParams, f: Tensor, lambda: number | Tensor): Tensor {
    return this.laurent(p.M, this.lowestT, f, lambda);
  }

  /** The connection at λ (a number, or [B, 1] for batches of B rows). */
  at(p: LaxParams, lambda: number | Tensor): ConnectionFns {
    return { size: this.size, Ax: (f) => this.Ax(p, f, lambda), At: (f) => this.At(p, f, lambda) };
  }

  // Horner's rule from the highest power down to λ⁰, then in 1/λ from the lowest power up to λ⁻¹;
  // with a positive lowest power, Horner's rule down to it and one factor λ^lowest
  private laurent(c: LinearParams[], lowest: number, f: Tensor, lambda: number | Tensor): Tensor {
    const g = this.features(f);
    if (lowest > 0) {
      let y = this.layer.apply(c[c.length - 1], g);
      for (let k = c.length - 2; k >= 0; k--) y = add(this.layer.apply(c[k], g), mul(y, lambda));
      for (let k = 0; k < lowest; k++) y = mul(y, lambda);
      return this.matrix(y);
    }
    const zero = -lowest;
    let y = this.layer.apply(c[c.length - 1], g);
    for (let k = c.length - 2; k >= zero; k--) y = add(this.layer.apply(c[k], g), mul(y, lambda));
    if (zero > 0) {
      const inverse = typeof lambda === "number" ? 1 / lambda : div(1, lambda);
      let z = this.layer.apply(c[0], g);
      for (let k = 1; k < zero; k++) z = add(this.layer.apply(c[k], g), mul(z, inverse));
      y = add(y, mul(z, inverse));
    }
    return this.matrix(y);
  }

  /** [B, n, n] from the maps' outputs [B, n²], or (so(n)) the upper triangles [B, n(n − 1)/2]. */
  private matrix(y: Tensor): Tensor {
    const [B, n] = [y.shape[0], this.size];
    if (!this.antisymmetric) return reshape(y, [B, n, n]);
    const column = (k: number) => slice(y, [0, k], [B, k + 1]);
    // (i, j), i < j, is output i·n − i(i + 1)/2 + (j − i − 1)
    const above = (i: number, j: number) => column(i * n - (i * (i + 1)) / 2 + j - i - 1);
    const zero = mul(column(0), 0);
    const entries: Tensor[] = [];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) entries.push(i === j ? zero : i < j ? above(i, j) : mul(above(j, i), -1));
    return reshape(concat(entries, 1), [B, n, n]);
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
  return halfTraceProduct(A, A);
}

/** ½ tr (A B) per matrix of two batches [K, n, n] → [K]. */
export function halfTraceProduct(A: Tensor, B: Tensor): Tensor {
  return mul(trace(matmul(A, B)), 0.5);
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
  return readoutSlopeGaps((l) => spectralInvariant(vacuumAx(l)), lambdas, floor);
}

/** dλ̂/dλ at each of `lambdas` ([K, 1]) → [K], by forward mode (see {@link spectralSlopeGaps}). */
export function spectralSlopes(vacuumAx: (lambda: Tensor) => Tensor, lambdas: Tensor): Tensor {
  return readoutSlopes((l) => spectralInvariant(vacuumAx(l)), lambdas);
}

/**
 * The gaps of {@link spectralSlopeGaps} for any read-off parameter p̂(λ) ([K, 1] → [K]), a gauge
 * invariant of the family such as sine-Gordon's k̂ (spectral-families.ts); with a `ceiling`, also
 * max(0, |dp̂/dλ| − ceiling), which keeps a family from rescaling its parameter without bound.
 */
export function readoutSlopeGaps(
  readout: (lambda: Tensor) => Tensor,
  lambdas: Tensor,
  floor = SPECTRAL_SLOPE_FLOOR,
  ceiling?: number,
): Tensor {
  const slope = abs(readoutSlopes(readout, lambdas));
  const below = maximum(sub(floor, slope), 0);
  // above a ceiling (> floor) the gap is the excess: the two gaps are never both open
  return ceiling === undefined ? below : add(below, maximum(sub(slope, ceiling), 0));
}

/** dp̂/dλ at each of `lambdas` ([K, 1]) → [K], by forward mode, p̂ as in {@link readoutSlopeGaps}. */
export function readoutSlopes(readout: (lambda: Tensor) => Tensor, lambdas: Tensor): Tensor {
  const [, slope] = jvp(readout, [lambdas], [ones(lambdas.shape)]) as [Tensor, Tensor];
  return slope;
}
