// The learned observable map applied to samples, for the validation's fresh samples.
import { mul } from "@physml/autodiff";
import type { GroupState } from "./group-state.js";
import { headSummary } from "./head-summary.js";
import { mlpOf } from "./mlp-net.js";
import type { StepContext } from "./step-context.js";

/**
 * The learned map O applied to `count` rows of link variables `[sample][link]`, as a link field
 * `[sample][link]`: the most probable slot with its solved head (exact mode; the attention is hard),
 * the softmax-weighted window (gumbel mode; one-hot with `hard`) with the head θ, or the MLP.
 * `head` replaces the attention's (θ2, θ3), e.g. by their averages over the end of training.
 */
export function mappedLinks(
  ctx: StepContext,
  gs: GroupState,
  x: Float64Array,
  count: number,
  head?: [number, number],
): Float64Array {
  const nl = ctx.lattice.nLinks;
  const K = ctx.slots.length;
  const c = ctx.config.observable;
  if (gs.rule === "mlp") {
    const X = ctx.geometry.windowMatrix(x, count);
    const input = gs.mlpSign === 1 ? X : mul(X, gs.mlpSign);
    return mlpOf(ctx).apply(gs.params, input).toFloat64Array();
  }
  const summary = headSummary(ctx, gs);
  const theta = head ?? summary.theta;
  let w = summary.weights;
  const weights = summary.weights;
  if (gs.rule === "exact" || c.hard) {
    let top = 0;
    for (let k = 1; k < K; k++) if (weights[k] > weights[top]) top = k;
    w = weights.map((_, k) => (k === top ? 1 : 0));
  }
  const out = new Float64Array(count * nl);
  const win = ctx.window;
  for (let b = 0; b < count; b++) {
    const q = b * nl;
    for (let l = 0; l < nl; l++) {
      let y = 0;
      for (let k = 0; k < K; k++) if (w[k] !== 0) y += w[k] * x[q + win[l * K + k]];
      out[q + l] = theta[0] * y + theta[1];
    }
  }
  return out;
}
