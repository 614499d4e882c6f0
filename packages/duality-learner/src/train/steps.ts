// One training step of one group (one set of couplings t and one observable map) on its share
// of the candidate samples, by the update rule of its state (./group-state.ts): the exact
// slot-wise rule of the attention map (./exact-rule.ts), or back-propagation for the Gumbel
// attention and the MLP map (./backprop-rule.ts). The couplings follow the split-half
// covariance estimator in every rule (./couplings-update.ts).
import { gumbelStep, mlpStep } from "./backprop-rule.js";
import { beginExactStep, endExactStep } from "./exact-rule.js";
import type { GroupState } from "./group-state.js";
import type { MemoryPool } from "./memory-pool.js";
import { slotStep } from "./slot-step.js";
import type { StepContext } from "./step-context.js";
import type { StepData, StepOutput } from "./step-data.js";

/** One step of one group, by its update rule; updates `gs` in place. */
export function stepGroup(ctx: StepContext, gs: GroupState, d: StepData): StepOutput {
  switch (gs.rule) {
    case "exact": {
      const work = beginExactStep(ctx, gs, d);
      const pools = new Map<string, MemoryPool>();
      const results = work.slots.map((k) => slotStep(ctx, gs, k, gs.heads[k], work.globalSearch, pools));
      return endExactStep(ctx, gs, d, work, results);
    }
    case "gumbel":
      return gumbelStep(ctx, gs, d);
    case "mlp":
      return mlpStep(ctx, gs, d);
  }
}
