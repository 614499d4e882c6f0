// A learned-H model over a range of the Dwork parameter: Y(ψ) = Σ_m f_m(ψ) Y_m with the features
// f = T_i(u) T_j(v), i + j ≤ 4, Chebyshev polynomials of the range's scaled coordinates
// u = (Re ψ − Re c)/ρ, v = (Im ψ − Im c)/ρ (centre c, radius ρ), so G(ψ) = S Y(ψ) S is one
// algebraic metric per ψ and ψ enters as an input. Degree 4 because z₀ → ωz₀ maps X_ψ to X_ωψ,
// so an entry G_αβ with α − β ≡ c(1,…,1) (mod 5) starts like ψ^c or ψ̄^{5−c} (c ≤ 4).
// Chebyshev polynomials on [−1, 1] instead of raw powers of ψ: with powers (tiny x⁴ on [0, 0.6])
// Adam stalled at σ ≈ 0.04 on held-out ψ even though 5 training ψ could be interpolated exactly. The entries allowed are those of the Dwork symmetry (Σa ≡ 0), common to
// every ψ. Training: every Adam step takes one batch of each training ψ's points; the gradient of
// Y_m is Σ_ψ f_m(ψ) ∂ℓ_ψ/∂Y (models/algebraic-grad.ts) averaged over the training ψ.
import { tensor } from "@physml/autodiff";
import type { AdamState, Optimizer } from "@physml/autodiff/optim";
import type { Complex } from "../complex.js";
import { cosineAdam } from "../cosine-adam.js";
import type { AlgebraicMetric } from "../donaldson/algebraic-metric.js";
import { dworkQuintic } from "../geometry/quintic.js";
import type { PointSet } from "../geometry/sample.js";
import { algebraicLossGrad } from "./algebraic-grad.js";
import type { EtaLossKind } from "./eta-loss.js";
import { type LearnedH, learnedH, learnedHGradient, learnedHMetric } from "./learned-h.js";

/** Highest total degree of the ψ features. */
export const PSI_DEGREE = 4;
/** Number of ψ features: monomials x^i y^j with i + j ≤ PSI_DEGREE. */
export const PSI_FEATURES = ((PSI_DEGREE + 1) * (PSI_DEGREE + 2)) / 2;

/** The range a family is trained on: a disc of radius `radius` around `centre`. */
export interface PsiRange {
  centre: Complex;
  radius: number;
}

function chebyshev(t: number): number[] {
  const out = [1, t];
  for (let n = 2; n <= PSI_DEGREE; n++) out.push(2 * t * out[n - 1] - out[n - 2]);
  return out;
}

/** f(ψ) = T_i(u) T_j(v) for i + j ≤ PSI_DEGREE, by total degree, then decreasing i. */
export function psiFeatures(
  psi: Complex,
  range: PsiRange = { centre: { re: 0, im: 0 }, radius: 1 },
): number[] {
  const tu = chebyshev((psi.re - range.centre.re) / range.radius);
  const tv = chebyshev((psi.im - range.centre.im) / range.radius);
  const out: number[] = [];
  for (let d = 0; d <= PSI_DEGREE; d++) for (let j = 0; j <= d; j++) out.push(tu[d - j] * tv[j]);
  return out;
}

/** A ψ-dependent learned-H model: the shared basis, entries and scaling, and one Y per feature. */
export interface PsiFamily {
  model: LearnedH;
  range: PsiRange;
  /** PSI_FEATURES × (2·entries) parameters, feature-major. */
  coefficients: Float64Array;
}

/** A family on `range` starting at the metric `start` for every ψ (Y₀ = start, the other Y_m = 0). */
export function psiFamily(start: AlgebraicMetric, range: PsiRange): PsiFamily {
  // the symmetry of a generic Dwork member (ψ ≠ 0) is the one every member shares
  const model = learnedH(dworkQuintic({ re: 1, im: 0 }), start);
  const coefficients = new Float64Array(PSI_FEATURES * model.y.length);
  coefficients.set(model.y);
  return { model, range, coefficients };
}

/** The algebraic metric of the family at ψ. */
export function psiFamilyMetric(
  family: PsiFamily,
  psi: Complex,
  coefficients = family.coefficients,
): AlgebraicMetric {
  const P2 = family.model.y.length;
  const f = psiFeatures(psi, family.range);
  const y = new Float64Array(P2);
  for (let m = 0; m < PSI_FEATURES; m++) {
    if (f[m] === 0) continue;
    for (let e = 0; e < P2; e++) y[e] += f[m] * coefficients[m * P2 + e];
  }
  return learnedHMetric({ ...family.model, y });
}

/** Training points at one ψ. */
export interface PsiPoints {
  psi: Complex;
  points: PointSet;
}

/** The Adam steps of a ψ family (the cosine schedule is over `epochs` passes of `stepsPerEpoch`). */
export function psiFamilyOptimizer(lr: number, epochs: number, stepsPerEpoch: number): Optimizer<AdamState> {
  return cosineAdam(lr, epochs * stepsPerEpoch);
}

/** Adam steps per pass over the training points (the smallest training set sets the pass). */
export function psiFamilySteps(train: readonly PsiPoints[], batch: number): number {
  return Math.ceil(Math.min(...train.map((t) => t.points.n)) / batch);
}

/**
 * One pass of Adam steps over the training points (a batch of every training ψ per step): the
 * new coefficients and Adam state, and the mean loss.
 */
export function psiFamilyEpoch(
  family: PsiFamily,
  train: readonly PsiPoints[],
  opt: Optimizer<AdamState>,
  adamState: AdamState,
  batch: number,
  loss: EtaLossKind = "l2",
): { coefficients: Float64Array; adam: AdamState; loss: number } {
  const P2 = family.model.y.length;
  const n = Math.min(...train.map((t) => t.points.n));
  let params = [tensor(family.coefficients, [family.coefficients.length])];
  let state = adamState;
  const g = new Float64Array(P2);
  let sum = 0;
  for (let from = 0; from < n; from += batch) {
    const to = Math.min(n, from + batch);
    const coefficients = params[0].toFloat64Array();
    const grad = new Float64Array(coefficients.length);
    for (const t of train) {
      const r = algebraicLossGrad(psiFamilyMetric(family, t.psi, coefficients), t.points, from, to, loss);
      learnedHGradient(family.model, r.Z, g);
      const f = psiFeatures(t.psi, family.range);
      for (let m = 0; m < PSI_FEATURES; m++) {
        for (let e = 0; e < P2; e++) grad[m * P2 + e] += (f[m] * g[e]) / train.length;
      }
      sum += (r.loss * (to - from)) / train.length;
    }
    const s = opt.step(params, [tensor(grad, [grad.length])], state);
    params = s.params;
    state = s.state;
  }
  return { coefficients: params[0].toFloat64Array(), adam: state, loss: sum / n };
}

/**
 * Trains the family by Adam over `epochs` passes (batches of `batch` points of every training ψ
 * per step, cosine-decayed learning rate); `onEpoch` hears the mean loss.
 */
export function trainPsiFamily(
  family: PsiFamily,
  train: readonly PsiPoints[],
  opts: {
    epochs: number;
    batch: number;
    lr: number;
    loss?: EtaLossKind;
    onEpoch?: (epoch: number, loss: number) => void;
  },
): PsiFamily {
  const opt = psiFamilyOptimizer(opts.lr, opts.epochs, psiFamilySteps(train, opts.batch));
  let current = family;
  let state = opt.init([tensor(family.coefficients, [family.coefficients.length])]);
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const r = psiFamilyEpoch(current, train, opt, state, opts.batch, opts.loss);
    current = { ...current, coefficients: r.coefficients };
    state = r.adam;
    opts.onEpoch?.(epoch, r.loss);
  }
  return current;
}
