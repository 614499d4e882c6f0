// The networks the tasks use, as BinaryModels over autodiff's MLP: a plain classifier, and the
// cross-entropy with logits (softplus(z) − y·z, stable for any z).
import { mean, mul, random, reshape, softplus, sub, type Tensor } from "@physml/autodiff";
import { type LinearParams, MLP } from "@physml/autodiff/nn";
import type { BinaryModel } from "./fit.js";

/** Mean binary cross-entropy of logits z [B] against labels y [B] in {0, 1}. */
export function bceWithLogits(z: Tensor, y: Tensor): Tensor {
  return mean(sub(softplus(z), mul(y, z)));
}

/** An MLP [d, hidden…, 1] with tanh hidden layers, read as a logit. */
export function mlpClassifier(
  d: number,
  hidden: readonly number[],
  seed: number,
): { model: BinaryModel<LinearParams[]>; params: LinearParams[] } {
  const net = new MLP([d, ...hidden, 1], { key: random.key(seed), activation: "tanh" });
  const logits = (p: LinearParams[], x: Tensor) => reshape(net.apply(p, x), [x.shape[0]]);
  return {
    params: net.params,
    model: { logits, loss: (p, x, y) => bceWithLogits(logits(p, x), y) },
  };
}
