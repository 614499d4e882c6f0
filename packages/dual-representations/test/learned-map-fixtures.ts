// Helpers of the learned-map tests: deterministic inputs, and the model fitLearnedMap trains,
// caught before any training so that its loss can be evaluated at chosen parameters.
import type { Tensor } from "@physml/autodiff";
import { type AdditiveParams, fitLearnedMap } from "../src/fourier/front-end.js";
import type { Labelled } from "../src/train/dataset.js";
import type { BinaryModel } from "../src/train/fit.js";
import type { TaggedFit } from "../src/train/trainings.js";

/** Deterministic reals in [−1, 1). */
export const reals = (n: number, seed: number) =>
  Float64Array.from({ length: n }, (_, i) => {
    const u = Math.sin(seed * 1000 + i * 12.9898) * 43758.5453;
    return 2 * (u - Math.floor(u)) - 1;
  });

/** The model {@link fitLearnedMap} builds for `labelled` with options `o` (one epoch, one batch). */
export function learnedMapModel(
  labelled: Labelled,
  o: Parameters<typeof fitLearnedMap>[3],
): BinaryModel<{ W: Tensor; head: AdditiveParams }> {
  let caught: BinaryModel<{ W: Tensor; head: AdditiveParams }> | undefined;
  const fit = ((_tag, model, init) => {
    caught = model as unknown as typeof caught;
    return { params: init, history: [], bestTestAccuracy: 0, finalTestAccuracy: 0, finalTrainAccuracy: 0 };
  }) as TaggedFit;
  fitLearnedMap(fit, "t", { train: labelled, test: labelled }, o, {
    epochs: 1,
    batch: labelled.n,
    lr: 0.01,
    seed: 1,
  });
  if (!caught) throw new Error("fitLearnedMap built no model");
  return caught;
}
