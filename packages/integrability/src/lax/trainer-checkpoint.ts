// One model's trainer state and loss history as plain JSON, and its check against the model it is
// to continue: the part shared by the checkpoints of the Lax learner (a ladder of such models) and
// of the connection learner (one). Parameters and Adam state are stored and read by autodiff's
// saveParams/saveAdamState and loadParamsLike/loadAdamState, whose numbers round-trip exactly, so
// a run resumed from a checkpoint continues bit for bit.
import { treeRavel } from "@physml/autodiff";
import { loadParamsLike, saveParams } from "@physml/autodiff/nn";
import {
  type AdamState,
  type AdamStateJson,
  loadAdamState,
  loadLbfgsMinimizeState,
  saveAdamState,
} from "@physml/autodiff/optim";
import { isObject, PhysmlInputError } from "@physml/lattice-core";
import type { LaxParams } from "./model.js";
import { POLISH_HISTORY, POLISH_ROUND, type PolishProgress, polishDone } from "./train.js";

/** A loss record: its step and named terms. */
export type StepRecord = { step: number };

/** A model's parameters, Adam state and step count: what its training continues from. */
export interface TrainState<P extends object = LaxParams> {
  params: P;
  adam: AdamState;
  step: number;
}

/** One model's state during training, as stored in a checkpoint. */
export interface TrainerCheckpoint<M extends StepRecord> {
  /** Hidden widths of the model. */
  hidden: number[];
  /** Its parameters, as autodiff's saveParams writes them. */
  params: string;
  /** Adam's step count and moments, as autodiff's saveAdamState writes them. */
  adam: AdamStateJson;
  /** Steps of this model so far: Adam steps, plus the polish iterations once polished. */
  step: number;
  /** This model's loss history so far. */
  history: M[];
}

/** The stored form of a model's trainer state and history. */
export function encodeTrainer<M extends StepRecord>(
  hidden: readonly number[],
  state: TrainState<object>,
  history: readonly M[],
): TrainerCheckpoint<M> {
  return {
    hidden: [...hidden],
    params: saveParams(state.params),
    adam: saveAdamState(state.adam),
    step: state.step,
    history: history.map((m) => ({ ...m })),
  };
}

export const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
export const sameWidths = (a: unknown, b: readonly number[]): boolean =>
  Array.isArray(a) && a.length === b.length && a.every((w, i) => w === b[i]);

/** Checks a loss history: records with numeric `keys` at increasing steps up to `maxStep`. */
export function checkHistory<M extends StepRecord>(
  h: unknown,
  field: string,
  keys: readonly string[],
  maxStep: number,
): M[] {
  if (!Array.isArray(h)) throw new PhysmlInputError(field, "a list of loss records", typeof h);
  let prev = -1;
  h.forEach((m, i) => {
    if (!isObject(m) || !keys.every((k) => typeof m[k] === "number"))
      throw new PhysmlInputError(`${field}.${i}`, `a loss record with ${keys.join(", ")}`, typeof m);
    const s = m.step as number;
    if (!isCount(s) || s <= prev || s > maxStep)
      throw new PhysmlInputError(`${field}.${i}.step`, `an increasing step in [0, ${maxStep}]`, s);
    prev = s;
  });
  return h as M[];
}

/**
 * Checks the trainer part of a checkpoint (`raw`, an object) against the model it is to continue:
 * its hidden widths, the step (at most `maxStep`; Adam's own count equal to it while `inAdam`),
 * the history (records with `keys`, at least the step-0 one), and every parameter's path and shape
 * against `template` (the freshly built model's parameters). Throws a PhysmlInputError naming the
 * field under `resume.`; returns the decoded trainer state and history.
 */
export function checkTrainer<M extends StepRecord, P extends object = LaxParams>(
  raw: Record<string, unknown>,
  want: {
    hidden: readonly number[];
    maxStep: number;
    inAdam: boolean;
    keys: readonly string[];
    template: P;
  },
): { state: TrainState<P>; history: M[] } {
  const f = (k: string) => `resume.${k}`;
  const { hidden, step, adam } = raw;
  if (!sameWidths(hidden, want.hidden))
    throw new PhysmlInputError(f("hidden"), `[${want.hidden.join(", ")}]`, String(hidden));
  if (!isCount(step) || step > want.maxStep)
    throw new PhysmlInputError(f("step"), `an integer in [0, ${want.maxStep}]`, step);
  const history = checkHistory<M>(raw.history, f("history"), want.keys, step);
  if (history.length === 0) throw new PhysmlInputError(f("history"), "at least the step-0 record", 0);
  const params = loadParamsLike(raw.params, want.template, f("params"));
  const adamState = loadAdamState(adam, want.template, f("adam"));
  if (want.inAdam && adamState.step !== step)
    throw new PhysmlInputError(f("adam.step"), `${step} (the model's step)`, adamState.step);
  const state: TrainState<P> = { params, adam: adamState, step };
  return { state, history };
}

/**
 * Checks where a stored polish stands (`raw`, a checkpoint's `polish`) against the run it is to
 * continue (its polish method, iterations and Adam steps) and the trainer state stored beside it:
 * the state's step is the Adam steps plus the polish's iterations, Adam's own count the Adam steps.
 * Throws a PhysmlInputError naming the field under `resume.`; returns the polish's progress.
 */
export function checkPolishProgress(
  raw: unknown,
  want: { method: PolishProgress["method"]; maxIter: number; adamSteps: number },
  template: LaxParams,
  state: TrainState,
): PolishProgress {
  const polish = checkPolish(raw, want, template, state);
  // the polish starts from the end of Adam
  const step = want.adamSteps + polishDone(polish);
  if (state.step !== step)
    throw new PhysmlInputError(
      "resume.step",
      `${step} (${want.adamSteps} Adam steps and the polish's iterations)`,
      state.step,
    );
  if (state.adam.step !== want.adamSteps)
    throw new PhysmlInputError("resume.adam.step", `${want.adamSteps} (the Adam steps)`, state.adam.step);
  return polish;
}

/** The polish's own fields (see {@link checkPolishProgress}). */
function checkPolish(
  raw: unknown,
  want: { method: PolishProgress["method"]; maxIter: number },
  template: LaxParams,
  state: TrainState,
): PolishProgress {
  const f = (k: string) => `resume.polish.${k}`;
  if (!isObject(raw))
    throw new PhysmlInputError("resume.polish", "where the polish stands (an object)", typeof raw);
  if (raw.method !== want.method)
    throw new PhysmlInputError(f("method"), `${want.method} (the run's polish)`, String(raw.method));
  if (raw.method === "lm") {
    if (!isCount(raw.iterations) || raw.iterations > want.maxIter)
      throw new PhysmlInputError(f("iterations"), `an integer in [0, ${want.maxIter}]`, raw.iterations);
    if (typeof raw.lambda !== "number" || !(raw.lambda > 0 && Number.isFinite(raw.lambda)))
      throw new PhysmlInputError(f("lambda"), "a finite number > 0", raw.lambda);
    return { method: "lm", iterations: raw.iterations, lambda: raw.lambda };
  }
  const { roundStart } = raw;
  if (!isCount(roundStart) || roundStart >= want.maxIter)
    throw new PhysmlInputError(f("roundStart"), `an integer in [0, ${want.maxIter - 1}]`, roundStart);
  const round = loadLbfgsMinimizeState(raw.round, template, POLISH_HISTORY, f("round"));
  const most = Math.min(POLISH_ROUND, want.maxIter - roundStart);
  if (round.iterations > most)
    throw new PhysmlInputError(f("round.iterations"), `an integer in [0, ${most}]`, round.iterations);
  const params = treeRavel(state.params);
  if (round.params.some((v, i) => !Object.is(v, params[i])))
    throw new PhysmlInputError(f("round.params"), "the checkpoint's params, flattened", "other numbers");
  return { method: "lbfgs", roundStart, round };
}
