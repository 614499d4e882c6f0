// Training of a vector-field model as state → step → (state, metrics), Adam on the full set.
import { type AdamState, adam, type Tensor, valueAndGrad } from "@physml/autodiff";

import type { FieldModel } from "./models.js";

/** The checkpoint of a field-model run. */
export interface FieldTrainState<P> {
  params: P;
  adam: AdamState;
  step: number;
}

/** Adam steps on (x, ẋ); returns the final state and the loss every `logEvery` steps. */
export function trainFieldModel<P extends object>(
  model: FieldModel<P>,
  x: Tensor,
  xdot: Tensor,
  o: { steps: number; lr: number; logEvery?: number; onLoss?: (step: number, loss: number) => void },
): { state: FieldTrainState<P>; losses: { step: number; loss: number }[] } {
  const opt = adam({ lr: o.lr });
  const vg = valueAndGrad((p: P) => model.loss(p, x, xdot));
  const params = model.init();
  let state: FieldTrainState<P> = { params, adam: opt.init(params), step: 0 };
  const losses: { step: number; loss: number }[] = [];
  for (let i = 0; i < o.steps; i++) {
    const [v, g] = vg(state.params);
    if (i % (o.logEvery ?? 50) === 0 || i === o.steps - 1) {
      losses.push({ step: i, loss: v.item() });
      o.onLoss?.(i, v.item());
    }
    const r = opt.step(state.params, g as P, state.adam);
    state = { params: r.params, adam: r.state, step: state.step + 1 };
  }
  return { state, losses };
}
