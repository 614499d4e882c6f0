// The learners' states as a lines checkpoint stores them, and read back for the learner they are
// to continue. Numbers are JSON numbers (shortest round-trip form) and Adam's moments go through
// autodiff's saveAdamState, so a resumed learner steps on with the same bits. Each reader checks
// the state against the learner's options and throws a PhysmlInputError naming the field that
// does not fit (a lines run then falls back to its checkpoint before).
import { tensor } from "@physml/autodiff";
import { type AdamStateJson, loadAdamState, saveAdamState } from "@physml/autodiff/optim";
import { isObject, PhysmlInputError } from "@physml/lattice-core";
import { LINK_TYPES } from "../data/link-types.js";
import type { LearnerState } from "./learner.js";
import type { NeighbourhoodLearnerState } from "./neighbourhood-learner.js";

/** The two-entry learner's state as stored: its step, each start's angle, and Adam's state. */
export interface LearnerStateJson {
  step: number;
  phi: number[];
  adam: AdamStateJson;
}

/** The neighbourhood learner's state as stored: its step, the starts' tables (starts × 6), losses and dampings. */
export interface NeighbourhoodLearnerStateJson {
  step: number;
  tables: number[];
  loss: number[];
  damping: number[];
}

/** What a stored state must fit: the learner's starts and steps. */
export interface StoredStateShape {
  starts: number;
  steps: number;
}

/** The two-entry learner's state in stored form. */
export function saveLearnerState(s: LearnerState): LearnerStateJson {
  return { step: s.step, phi: Array.from(s.phi.toFloat64Array()), adam: saveAdamState(s.adam) };
}

/** Reads a state stored by {@link saveLearnerState} for a learner of `shape`; errors name `field`. */
export function loadLearnerState(raw: unknown, shape: StoredStateShape, field: string): LearnerState {
  if (!isObject(raw)) throw new PhysmlInputError(field, "a stored two-entry learner state", typeof raw);
  const step = stepOf(raw.step, shape.steps, `${field}.step`);
  const phi = tensor(finiteList(raw.phi, shape.starts, `${field}.phi`));
  const adam = loadAdamState(raw.adam, phi, `${field}.adam`);
  if (adam.step !== step)
    throw new PhysmlInputError(`${field}.adam.step`, `the learner's step ${step}`, adam.step);
  return { step, phi, adam };
}

/** The neighbourhood learner's state in stored form. */
export function saveNeighbourhoodLearnerState(s: NeighbourhoodLearnerState): NeighbourhoodLearnerStateJson {
  return {
    step: s.step,
    tables: Array.from(s.tables),
    loss: Array.from(s.loss),
    damping: Array.from(s.damping),
  };
}

/** Reads a state stored by {@link saveNeighbourhoodLearnerState} for a learner of `shape`; errors name `field`. */
export function loadNeighbourhoodLearnerState(
  raw: unknown,
  shape: StoredStateShape,
  field: string,
): NeighbourhoodLearnerState {
  if (!isObject(raw)) throw new PhysmlInputError(field, "a stored neighbourhood learner state", typeof raw);
  const n = shape.starts;
  const damping = finiteList(raw.damping, n, `${field}.damping`);
  if (damping.some((d) => !(d > 0))) throw new PhysmlInputError(`${field}.damping`, "numbers > 0", damping);
  return {
    step: stepOf(raw.step, shape.steps, `${field}.step`),
    tables: Float64Array.from(finiteList(raw.tables, n * LINK_TYPES, `${field}.tables`)),
    loss: Float64Array.from(finiteList(raw.loss, n, `${field}.loss`)),
    damping: Float64Array.from(damping),
  };
}

function stepOf(v: unknown, steps: number, field: string): number {
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > steps)
    throw new PhysmlInputError(field, `an integer in [0, ${steps}]`, v);
  return v as number;
}

function finiteList(v: unknown, length: number, field: string): number[] {
  if (
    !Array.isArray(v) ||
    v.length !== length ||
    !v.every((x) => typeof x === "number" && Number.isFinite(x))
  )
    throw new PhysmlInputError(
      field,
      `${length} finite numbers`,
      Array.isArray(v) ? `${v.length} values` : v,
    );
  return v as number[];
}
