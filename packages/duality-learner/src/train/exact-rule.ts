// The exact (slot-wise) update rule of the attention map, mode "exact": hard attention whose
// expectation over the K candidate slots is computed exactly (no sampling noise). Each slot's
// affine head is solved exactly from the moment polynomials (separable least squares; see
// ./slot-step.ts, one job per slot so that ./step-threads.ts can share them out), the attention
// logits follow the gradient of the expected loss Σ_k p_k L_k (autodiff) plus the identity
// penalty, and the couplings the attention-weighted gradient with the averaged profile
// Gauss–Newton matrix. A step is {@link beginExactStep}, the slots' {@link slotStep}s, then
// {@link endExactStep}; the group's state is an ExactGroup (./group-state.ts).
import { grad, type Tensor, tensor } from "@physml/autodiff";
import type { GradientOutput } from "../stats/gradient.js";
import { updateCouplings } from "./couplings-update.js";
import type { ExactGroup } from "./group-state.js";
import { softmaxValues } from "./head-summary.js";
import { penaltyObjective } from "./identity-penalty.js";
import { logitAdam } from "./logit-adam.js";
import { remember } from "./memory-pool.js";
import { schedules } from "./schedules.js";
import type { SlotResult } from "./slot-step.js";
import type { StepContext } from "./step-context.js";
import type { StepData, StepOutput } from "./step-data.js";

/**
 * Least loss over the slots, without the trivial ones when they are penalised: of the split-half
 * (noise-unbiased) losses, or of the pooled losses (noise included) with `pooled`.
 */
function profileLoss(ctx: StepContext, gs: ExactGroup, pooled = false): number {
  const skipTrivial = ctx.config.observable.identityPenalty > 0;
  let best = Number.POSITIVE_INFINITY;
  (pooled ? gs.slotLoss : gs.slotLossUnbiased).forEach((v, k) => {
    if (!(skipTrivial && ctx.slots[k].trivial) && v < best) best = v;
  });
  return best;
}

/** The slots an exact-mode step computes (see {@link beginExactStep}). */
export interface SlotWork {
  /** Attention probabilities at the start of the step. */
  p: number[];
  /** The slots computed this step, in increasing order. */
  slots: number[];
  /** Whether the head search is global this step. */
  globalSearch: boolean;
}

/**
 * The first part of an exact-mode step: this step's samples join the group's memory (the last
 * `memory` steps, reweighted to the current t, which the head fit and the coupling step use),
 * marked computed for the slots the step computes. Each slot's `slotStep` (./slot-step.ts) then reads only
 * the memory and t, and {@link endExactStep} combines their results.
 */
export function beginExactStep(ctx: StepContext, gs: ExactGroup, d: StepData): SlotWork {
  const { config: c, slots } = ctx;
  const p = softmaxValues(gs.logits);
  // Slots the attention has all but ruled out are skipped; their last loss stands in.
  const active = slots.flatMap((_, k) => (p[k] < 1e-3 && gs.heads[k] !== null ? [] : [k]));
  const computed = slots.map(() => false);
  for (const k of active) computed[k] = true;
  remember(
    gs.memory,
    {
      t: [...gs.t],
      terms: Float64Array.from(d.terms),
      samples: d.samples,
      x: Int8Array.from(d.x),
      computed,
      images: [],
    },
    c.optimizer.memory,
  );
  return { p, slots: active, globalSearch: d.step % 25 === 0 };
}

/**
 * The rest of an exact-mode step from its slots' results (one per slot of `work.slots`, in that
 * order): the heads and losses recorded, the gradient and Gauss–Newton matrix averaged over the
 * slots with the attention's weights (summed in slot order), the logits' Adam step, and the
 * couplings' step unless they are frozen.
 */
export function endExactStep(
  ctx: StepContext,
  gs: ExactGroup,
  d: StepData,
  work: SlotWork,
  results: readonly SlotResult[],
): StepOutput {
  const { config: c } = ctx;
  const sched = schedules(ctx, d);
  const { p } = work;
  const Kt = ctx.termIndices.length;
  const gradT = new Float64Array(Kt);
  const gram = new Float64Array(Kt * Kt);
  let loss = 0;
  let lossU = 0;
  let pActive = 0;
  let stats: GradientOutput | null = null;
  let best = -1;
  for (const r of results) {
    const k = r.k;
    gs.heads[k] = r.head;
    gs.slotLoss[k] = r.loss;
    gs.slotLossUnbiased[k] = r.lossUnbiased;
    for (let j = 0; j < gradT.length; j++) gradT[j] += p[k] * r.grad[j];
    for (let j = 0; j < gram.length; j++) gram[j] += p[k] * r.gram[j];
    loss += p[k] * r.loss;
    lossU += p[k] * r.lossUnbiased;
    pActive += p[k];
    if (best < 0 || p[k] > p[best]) {
      best = k;
      stats = r.stats;
    }
  }
  for (let j = 0; j < gradT.length; j++) gradT[j] /= pActive;
  for (let j = 0; j < gram.length; j++) gram[j] /= pActive;
  // The Newton denominator is averaged over steps: a ratio of two estimates from the same
  // samples would shift the fixed point (E[num/den] ≠ 0 where E[num] = 0).
  if (!gs.gramAvg || gs.gramAvg.length !== gram.length) gs.gramAvg = Float64Array.from(gram);
  else for (let j = 0; j < gram.length; j++) gs.gramAvg[j] = 0.9 * gs.gramAvg[j] + 0.1 * gram[j];
  (stats as GradientOutput & { profileGram?: Float64Array }).profileGram = Float64Array.from(gs.gramAvg);
  // Logits: gradient of Σ_k p_k L_k + penalty, by autodiff, then Adam.
  const losses = tensor(Float64Array.from(gs.slotLoss, (v) => (Number.isFinite(v) ? v : 0)));
  const gl = grad((l: Tensor) => penaltyObjective(ctx, l, losses))(gs.logits);
  const lr = c.optimizer.lr * sched.lrFactor;
  const upd = logitAdam(lr).step(gs.logits, gl, gs.logitState);
  gs.logits = upd.params;
  gs.logitState = upd.state;
  const out: StepOutput = {
    loss: loss / pActive,
    lossUnbiased: lossU / pActive,
    objective: profileLoss(ctx, gs),
    objectivePooled: profileLoss(ctx, gs, true),
    tau: sched.tau,
    lrFactor: sched.lrFactor,
  };
  if (!sched.tFrozen) updateCouplings(ctx, gs, gradT, stats as GradientOutput, sched.lrFactor);
  return out;
}
