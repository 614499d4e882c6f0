// The exact mode's work for one candidate slot in one step: the head solved on the group's
// memory, the coupling gradient and the profile Gauss–Newton matrix. It reads only the memory
// and the couplings, so a worker thread holding a copy of them computes the same numbers (see
// ./step-threads.ts); the step combines the slots' results in slot order.
import { cacheSlotImages, sharedSlotMoments } from "../model/moment-plan.js";
import { featuresFromMoments, headJacobian, profileGram, solveHead } from "../model/moments.js";
import { couplingGradient, type GradientOutput } from "../stats/gradient.js";
import type { ExactGroup } from "./group-state.js";
import { type MemoryPool, memoryPool, poolFeatures, poolMeanMoments } from "./memory-pool.js";
import type { StepContext } from "./step-context.js";

/** The parts of the step context a slot job reads (plain data, so a worker can be sent it). */
export type SlotContext = Pick<StepContext, "config" | "layout" | "momentPlan" | "target" | "termIndices">;

/** What slot k contributes to a step. */
export interface SlotResult {
  k: number;
  /** The solved head (θ2, θ3). */
  head: [number, number];
  /** Pooled and split-half loss of the memory samples with that head. */
  loss: number;
  lossUnbiased: number;
  /** The slot's coupling gradient (the estimator the config asks for). */
  grad: Float64Array;
  /** The slot's profile Gauss–Newton matrix `[Kt][Kt]`. */
  gram: Float64Array;
  /** The gradient statistics (the step keeps those of its most probable slot). */
  stats: GradientOutput;
}

/**
 * Slot k's result on the group's memory (its newest entry holds this step's samples and is
 * marked computed for k). `prev` is the slot's previous head; `pools` is shared by the slots of
 * one group and step.
 */
export function slotStep(
  ctx: SlotContext,
  gs: Pick<ExactGroup, "memory" | "t">,
  k: number,
  prev: readonly [number, number] | null,
  globalSearch: boolean,
  pools: Map<string, MemoryPool>,
): SlotResult {
  const { config: c, layout } = ctx;
  const entry = gs.memory[gs.memory.length - 1];
  entry.images ??= [];
  cacheSlotImages(ctx.momentPlan, entry.x, entry.samples, k, entry.images);
  // "fresh": the head is fitted on the earlier steps only and the gradient uses this step's
  // samples, so head, residuals and covariances come from independent samples.
  const fresh = c.optimizer.gradientSamples === "fresh";
  const mem = memoryPool(ctx, gs, k, fresh, pools);
  const mean = poolMeanMoments(ctx.momentPlan, mem, k);
  const sol = solveHead(
    layout,
    mean,
    ctx.target,
    prev,
    globalSearch || prev === null,
    c.observable.headRange,
  );
  const common = {
    target: ctx.target,
    termIndices: ctx.termIndices,
    controlVariates: c.optimizer.controlVariates,
  };
  const memG = couplingGradient({
    ...common,
    psi: poolFeatures(ctx.momentPlan, mem, k, sol.theta2, sol.theta3),
    terms: mem.terms,
    samples: mem.samples,
    half: mem.half,
    weights: mem.weights,
  });
  const g = fresh
    ? couplingGradient({
        ...common,
        psi: featuresFromMoments(
          layout,
          sharedSlotMoments(ctx.momentPlan, entry.x, entry.samples, k, entry.images),
          entry.samples,
          sol.theta2,
          sol.theta3,
        ),
        terms: entry.terms,
        samples: entry.samples,
        half: Math.floor(entry.samples / 2),
      })
    : memG;
  // Memory samples: the gradient of the pooled loss the head was fitted to (see the config).
  const grad = !fresh && c.optimizer.gradientEstimator === "pooled" ? g.gradPooled : g.grad;
  const gram = profileGram(
    memG.jacobian,
    headJacobian(layout, mean, sol.theta2, sol.theta3),
    ctx.termIndices.length,
  );
  return {
    k,
    head: [sol.theta2, sol.theta3],
    loss: memG.loss,
    lossUnbiased: memG.lossUnbiased,
    grad,
    gram,
    stats: g,
  };
}
