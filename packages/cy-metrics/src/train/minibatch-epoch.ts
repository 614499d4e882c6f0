// One epoch of Adam over the training points in order, a step per batch of `batch` points, and the
// point-weighted mean loss: what the φ-model and the metric networks train by.
import type { AdamState, Optimizer } from "@physml/autodiff/optim";

/** The parameters and Adam's state after the epoch, and the mean loss over its points. */
export interface MinibatchEpoch<P> {
  params: P;
  adam: AdamState;
  loss: number;
}

/** Steps `opt` once per batch [from, to) of `n` points with the loss and gradient `lossAndGrad` gives. */
export function minibatchEpoch<P extends object>(
  opt: Optimizer<AdamState>,
  params: P,
  adam: AdamState,
  n: number,
  batch: number,
  lossAndGrad: (params: P, from: number, to: number) => { loss: number; grads: P },
): MinibatchEpoch<P> {
  let sum = 0;
  for (let from = 0; from < n; from += batch) {
    const to = Math.min(n, from + batch);
    const { loss, grads } = lossAndGrad(params, from, to);
    sum += loss * (to - from);
    const r = opt.step(params, grads, adam);
    params = r.params;
    adam = r.state;
  }
  return { params, adam, loss: sum / n };
}
