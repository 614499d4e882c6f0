// A learner's Adam state in a `cy train` checkpoint, stored by autodiff's saveAdamState (its
// numbers round-trip exactly, so a resumed run continues bit for bit). Checkpoints written before
// it (moments as number lists) fail loadAdamState on `resume.learner.adam.m` and are refused.
import { type AdamState, loadAdamState } from "@physml/autodiff";

/** Where a learner's Adam state sits in a `cy train` checkpoint (the field a refusal names). */
export const ADAM_FIELD = "resume.learner.adam";

/**
 * The stored Adam state of parameters shaped like `params`; throws an AutodiffInputError naming
 * `resume.learner.adam.*` when it does not fit them (a learner's `validate` calls it to check a
 * checkpoint).
 */
export function adamOf(stored: unknown, params: object): AdamState {
  return loadAdamState(stored, params, ADAM_FIELD);
}
