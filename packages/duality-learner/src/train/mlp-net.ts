// The MLP observable's network: its architecture and initial parameters follow from the
// configuration alone, so it is built once per step context and shared by everything that
// applies it (the group's initial state, the back-propagation rule, the summaries, the map).
import { random } from "@physml/autodiff";
import { MLP } from "@physml/autodiff/nn";
import type { StepContext } from "./step-context.js";

const mlpCache = new WeakMap<StepContext, MLP>();

/** The run's MLP (layers [K, …hidden, 1], tanh), its initial parameters drawn from the seed. */
export function mlpOf(ctx: StepContext): MLP {
  let net = mlpCache.get(ctx);
  if (!net) {
    const o = ctx.config.observable;
    net = new MLP([ctx.slots.length, ...o.hidden, 1], {
      key: random.split(random.key(ctx.config.seed), 3)[2],
      activation: "tanh",
    });
    mlpCache.set(ctx, net);
  }
  return net;
}
