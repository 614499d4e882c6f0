// Training of a vector-field model as state → step → (state, metrics): Adam on the full set, or
// on minibatches drawn epoch by epoch from a seeded permutation.
import { gather, random, type Tensor, valueAndGrad } from "@physml/autodiff";
import { type AdamState, adam, type LearningRate } from "@physml/autodiff/optim";
import { PhysmlInputError } from "@physml/lattice-core";

import type { FieldModel } from "./models.js";

/** The checkpoint of a field-model run. */
export interface FieldTrainState<P> {
  params: P;
  adam: AdamState;
  step: number;
}

/** A logged (minibatch) loss: the loss before the update of step `step`. */
export interface FieldLoss {
  step: number;
  loss: number;
}

/** Options of {@link trainFieldModel}. */
export interface FieldTrainOptions<P> {
  steps: number;
  lr: LearningRate;
  /** Minibatch size (default: the whole set); batches cover each epoch's permutation in order. */
  batch?: number;
  /** Seed of the minibatch permutations (default 0). */
  seed?: number;
  logEvery?: number;
  onLoss?: (step: number, loss: number) => void;
  /**
   * Continue from this state and the losses logged before it (a checkpoint's); the minibatches
   * continue where they were, so the run ends as the uninterrupted one.
   */
  from?: { state: FieldTrainState<P>; losses: readonly FieldLoss[] };
  /** Hears the state and the losses so far every `checkpointEvery` steps and after the last. */
  onCheckpoint?: (state: FieldTrainState<P>, losses: readonly FieldLoss[]) => void;
  /** Steps between checkpoints (default `logEvery`). */
  checkpointEvery?: number;
}

/** Adam steps on (x, ẋ); returns the final state and the (minibatch) loss every `logEvery` steps. */
export function trainFieldModel<P extends object>(
  model: FieldModel<P>,
  x: Tensor,
  xdot: Tensor,
  o: FieldTrainOptions<P>,
): { state: FieldTrainState<P>; losses: FieldLoss[] } {
  const n = x.shape[0];
  const batch = o.batch ?? n;
  if (!Number.isInteger(batch) || batch < 1) throw new PhysmlInputError("batch", "an integer >= 1", o.batch);
  const logEvery = o.logEvery ?? 50;
  const every = o.checkpointEvery ?? logEvery;
  if (!Number.isInteger(every) || every < 1)
    throw new PhysmlInputError("checkpointEvery", "an integer >= 1", o.checkpointEvery);
  const opt = adam({ lr: o.lr });
  const fullSet = valueAndGrad((p: P) => model.loss(p, x, xdot));
  const epochKeys = random.key(o.seed ?? 0);
  let order: Int32Array = new Int32Array(0);
  let epoch = 0;
  let cursor = n;
  // the indices of the next minibatch
  const advance = () => {
    if (cursor + batch > n) {
      order = random.permutation(random.split(epochKeys, epoch + 1)[epoch], n);
      epoch++;
      cursor = 0;
    }
    const idx = order.subarray(cursor, cursor + batch);
    cursor += batch;
    return idx;
  };
  const nextBatch = () => {
    const idx = advance();
    const xb = gather(x, idx);
    const vb = gather(xdot, idx);
    return valueAndGrad((p: P) => model.loss(p, xb, vb));
  };
  const params = model.init();
  let state: FieldTrainState<P> = o.from?.state ?? { params, adam: opt.init(params), step: 0 };
  const losses: FieldLoss[] = o.from ? o.from.losses.map((l) => ({ ...l })) : [];
  // a resumed run's minibatches continue where the checkpoint left them
  if (batch < n) for (let i = 0; i < state.step; i++) advance();
  for (let i = state.step; i < o.steps; i++) {
    const [v, g] = (batch >= n ? fullSet : nextBatch())(state.params);
    if (i % logEvery === 0 || i === o.steps - 1) {
      losses.push({ step: i, loss: v.item() });
      o.onLoss?.(i, v.item());
    }
    const r = opt.step(state.params, g as P, state.adam);
    state = { params: r.params, adam: r.state, step: state.step + 1 };
    if (state.step % every === 0 || state.step === o.steps) o.onCheckpoint?.(state, losses);
  }
  return { state, losses };
}
