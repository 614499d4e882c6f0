// The schedules of a step: the Gumbel temperature τ, the learning-rate factor and whether the
// couplings are still frozen, from the step's place in exploration or training.
import type { StepContext } from "./step-context.js";
import type { StepData } from "./step-data.js";

/** Schedules at a step: τ, learning-rate factor, and whether t is still frozen. */
export function schedules(ctx: StepContext, d: Pick<StepData, "step" | "trainStep">) {
  const c = ctx.config;
  const explore = c.explore.starts.length > 1 ? c.explore.steps : 0;
  const o = c.observable;
  if (d.trainStep === null) {
    return {
      tau: o.tauStart,
      lrFactor: 1,
      tFrozen: c.explore.freezeCouplings || d.step < c.optimizer.freezeFraction * explore,
    };
  }
  const f = d.trainStep / c.optimizer.steps;
  const a = o.tauAnnealFraction > 0 ? Math.min(1, f / o.tauAnnealFraction) : 1;
  const { decayStart, finalLrFactor, freezeFraction } = c.optimizer;
  const lrFactor =
    f < decayStart ? 1 : 1 - ((1 - finalLrFactor) * (f - decayStart)) / Math.max(1e-12, 1 - decayStart);
  return {
    tau: o.tauStart * (o.tauEnd / o.tauStart) ** a,
    lrFactor,
    tFrozen: explore === 0 && f < freezeFraction,
  };
}
