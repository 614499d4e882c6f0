// The target's share of the error of the learned couplings (exact mode): how the fit moves with
// the target features, propagated from the target's covariance.
import { headJacobian, profileGram, profileJacobian } from "../model/moments.js";
import { couplingGradient, solveDamped } from "../stats/gradient.js";
import type { GroupState } from "./group-state.js";
import { softmaxValues } from "./head-summary.js";
import { type MemoryPool, memoryPool, poolFeatures, poolMeanMoments } from "./memory-pool.js";
import type { StepContext } from "./step-context.js";
import type { TargetData } from "./target-data.js";

/** The fit's sensitivity with the memory pool and features it was computed on. */
export interface FitSensitivity {
  /** `[K][A]` for the learned terms: a shift δm of the fitted feature means moves t by w·δm. */
  w: Float64Array;
  /** The memory pool of the attention's most probable slot. */
  pool: MemoryPool;
  /** The pool's features under that slot's head, `[S][A]`. */
  psi: Float64Array;
}

/**
 * How the learned couplings move with the target features, `[K][A]` for the learned terms: the
 * t-block w = (J⊥ᵀJ⊥)⁻¹J⊥ᵀ of the least-squares solution of the linearised problem, with J⊥ the
 * profile Jacobian of the attention's most probable slot at the group's current state (exact
 * mode; null in the other modes). A target error δT moves t by w·δT, so the target's share of the
 * error of t is √(w Σ_T wᵀ).
 */
export function targetSensitivity(ctx: StepContext, gs: GroupState): Float64Array | null {
  return fitSensitivity(ctx, gs)?.w ?? null;
}

/**
 * {@link targetSensitivity} with the memory pool and features it was computed on. The loss
 * depends on the pooled feature means m and the target T only through m − T, so an error δm of
 * the candidate side moves t by −w·δm: the same w serves both (null as for targetSensitivity).
 */
export function fitSensitivity(ctx: StepContext, gs: GroupState): FitSensitivity | null {
  const { layout } = ctx;
  if (gs.rule !== "exact") return null;
  const p = softmaxValues(gs.logits);
  let k = 0;
  for (let j = 1; j < p.length; j++) if (p[j] > p[k]) k = j;
  const head = gs.heads[k];
  if (!head || gs.memory.every((e) => !e.computed[k])) return null;
  const mem = memoryPool(ctx, gs, k, false);
  const mean = poolMeanMoments(ctx.momentPlan, mem, k);
  const psi = poolFeatures(ctx.momentPlan, mem, k, head[0], head[1]);
  const jt = couplingGradient({
    psi,
    terms: mem.terms,
    samples: mem.samples,
    half: mem.half,
    weights: mem.weights,
    target: ctx.target,
    termIndices: ctx.termIndices,
  }).jacobian;
  const Kt = ctx.termIndices.length;
  const A = ctx.target.length;
  const jth = headJacobian(layout, mean, head[0], head[1]);
  const perp = profileJacobian(jt, jth, Kt);
  const gram = profileGram(jt, jth, Kt);
  const w = new Float64Array(Kt * A);
  for (let a = 0; a < A; a++) {
    const col = solveDamped(
      gram,
      Float64Array.from({ length: Kt }, (_, j) => perp[a * Kt + j]),
      0,
    );
    for (let j = 0; j < Kt; j++) w[j * A + a] = col[j];
  }
  return { w, pool: mem, psi };
}

/** √(w Σ wᵀ) per learned term: the error a feature covariance Σ `[A][A]` propagates to t. */
export function propagatedErrors(
  ctx: StepContext,
  w: Float64Array,
  cov: (a: number, b: number) => number,
): number[] {
  const A = ctx.target.length;
  return ctx.termIndices.map((_, j) => {
    let v = 0;
    for (let a = 0; a < A; a++) for (let b = 0; b < A; b++) v += w[j * A + a] * cov(a, b) * w[j * A + b];
    return Math.sqrt(Math.max(0, v));
  });
}

/**
 * The target's share of the error of each learned coupling, √(w Σ_T wᵀ) with w the fit's
 * sensitivity `fit` ({@link fitSensitivity}) and Σ_T the covariance of the target means (their
 * squared errors on the diagonal for target.json files without it); null when `fit` is.
 */
export function targetErrors(
  ctx: StepContext,
  fit: FitSensitivity | null,
  target: TargetData,
): number[] | null {
  if (!fit) return null;
  return propagatedErrors(ctx, fit.w, (a, b) =>
    target.covariance ? target.covariance[a][b] : a === b ? target.error[a] ** 2 : 0,
  );
}
