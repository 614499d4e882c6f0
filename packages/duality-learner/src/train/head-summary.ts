// What a group's observable map reads and how, in numbers: its attention probabilities and its
// head (θ2, θ3), for the metrics line, the result and the validation.
import { softmax, type Tensor, tensor } from "@physml/autodiff";
import type { GroupState } from "./group-state.js";
import { mlpOf } from "./mlp-net.js";
import type { StepContext } from "./step-context.js";

/** softmax(logits) as plain numbers. */
export function softmaxValues(logits: Tensor): number[] {
  return Array.from(softmax(logits, -1).toFloat64Array());
}

/**
 * Attention probabilities and (θ2, θ3) of a group. For the MLP map the "attention" is the
 * normalised sensitivity |O(x_k = +1) − O(x_k = −1)|/2 per slot (other inputs +1), and (θ2, θ3)
 * the affine map of O along the most sensitive slot.
 */
export function headSummary(
  ctx: StepContext,
  gs: GroupState,
): { weights: number[]; theta: [number, number] } {
  const K = ctx.slots.length;
  if (gs.rule === "exact") {
    const w = softmaxValues(gs.logits);
    let top = 0;
    for (let k = 1; k < K; k++) if (w[k] > w[top]) top = k;
    const h = gs.heads[top] ?? [Number.NaN, Number.NaN];
    return { weights: w, theta: [h[0], h[1]] };
  }
  if (gs.rule === "gumbel") {
    const th = gs.params.theta.toFloat64Array();
    return { weights: softmaxValues(gs.params.logits), theta: [th[0], th[1]] };
  }
  const net = mlpOf(ctx);
  const rows = new Float64Array((K + 1) * K).fill(gs.mlpSign);
  for (let k = 0; k < K; k++) rows[(k + 1) * K + k] = -gs.mlpSign;
  const o = net.apply(gs.params, tensor(rows, [K + 1, K])).toFloat64Array();
  const sens = Array.from({ length: K }, (_, k) => Math.abs(o[0] - o[k + 1]) / 2);
  const total = sens.reduce((a, b) => a + b, 0) || 1;
  let top = 0;
  for (let k = 1; k < K; k++) if (sens[k] > sens[top]) top = k;
  const slope = (o[0] - o[top + 1]) / 2;
  return { weights: sens.map((s) => s / total), theta: [slope, o[0] - slope] };
}
