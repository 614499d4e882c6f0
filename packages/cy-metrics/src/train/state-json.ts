// A learner's network parameters and Adam state in a `cy train` checkpoint, stored by autodiff's
// saveParams and saveAdamState (their numbers round-trip exactly, so a resumed run continues bit
// for bit) and read back checked against the model's shapes. Checkpoints written before them
// (number lists) fail on `resume.learner.params` or `resume.learner.adam.m` and are refused.
import { loadParamsLike } from "@physml/autodiff/nn";
import { type AdamState, loadAdamState } from "@physml/autodiff/optim";

/** Where a learner's state sits in a `cy train` checkpoint (the field a refusal names). */
const LEARNER_FIELD = "resume.learner";

/**
 * The stored parameters of a model whose fresh parameters are `template`; throws an
 * AutodiffInputError naming `resume.learner.params` when their paths or shapes differ.
 */
export function paramsOf<P extends object>(stored: unknown, template: P): P {
  return loadParamsLike(stored, template, `${LEARNER_FIELD}.params`);
}

/**
 * The stored Adam state of parameters shaped like `params`; throws an AutodiffInputError naming
 * `resume.learner.adam.*` when it does not fit them (a learner's `validate` calls it to check a
 * checkpoint).
 */
export function adamOf(stored: unknown, params: object): AdamState {
  return loadAdamState(stored, params, `${LEARNER_FIELD}.adam`);
}
