// One Lax-pair run end to end: sample the system, train (checkpointing as it goes, or continuing
// from a checkpoint), evaluate on held-out data.
import { tensor } from "@physml/autodiff";
import { PhysmlInputError, seedPlus } from "@physml/lattice-core";
import { samplePhaseSpace } from "../data/sampling.js";
import type { Perturbation } from "../data/systems.js";
import type { FittedFormula } from "../eval/dictionary.js";
import { type ConservedReport, conservedQuantities, laxFormulas, laxResidual } from "../eval/lax-metrics.js";
import { INDEPENDENCE_FLOOR, type TraceIndependence, traceIndependence } from "../eval/trace-independence.js";
import { checkLaxCheckpoint, encodeLaxCheckpoint, type LaxCheckpoint, type LaxRung } from "./checkpoint.js";
import type { LaxLossWeights } from "./loss.js";
import { type LaxActivation, LaxModel, type LaxParams, type LaxStructure } from "./model.js";
import { type LaxRestarts, type LaxSystemName, type LaxTargets, laxSetup } from "./systems.js";
import {
  DEFAULT_WEIGHTS,
  type LaxBatch,
  type LaxMetrics,
  LaxTrainer,
  type LaxTrainState,
  laxBatch,
  type PolishProgress,
} from "./train.js";

/**
 * The models tried in turn when no `hidden` is given: an affine map first, then tanh MLPs with a
 * linear path. A rung is accepted when its residual on the training states is below
 * {@link EXACT_RESIDUAL} (the held-out states are only for validating the kept pair).
 */
export const DEFAULT_LADDER: readonly (readonly number[])[] = [[], [32, 32]];

/**
 * A residual below this is an exact Lax pair up to the optimiser's rounding (the oscillator's
 * affine pair reaches 1e-9; an MLP's approximation stops near 1e-3).
 */
export const EXACT_RESIDUAL = 1e-6;

/** Configuration of {@link learnLax}. */
export interface LearnLaxConfig {
  system: LaxSystemName;
  perturbation?: { kind: Perturbation; epsilon: number };
  /** Matrix size (default: the system's). */
  size?: number;
  /**
   * Hidden widths of both networks ([] is an affine map). Default: the system's own model when
   * its setup has one (Toda: exp [9]) and no `ladder` is given, else try the rungs of `ladder` in
   * turn and keep the first exact one (else the last).
   */
  hidden?: number[];
  /** The models tried when `hidden` is not given (default {@link DEFAULT_LADDER}). */
  ladder?: readonly (readonly number[])[];
  /**
   * Train each model of the ladder again from other initial draws while its final training 𝓛_inv
   * is above `invariant` or, when `independentTraces` is given, fewer of its traces are independent
   * along the training states (at most `max` more times), and stop at the first draw that passes;
   * else the last draw is kept (default: the system's when `hidden` is given or its own model is
   * trained, and not `evaluate: false`, else none). Only training data are looked at. See
   * {@link LaxRestarts}.
   */
  restarts?: LaxRestarts;
  /** Hidden activation of both networks (default: the system's, else "tanh"). */
  activation?: LaxActivation;
  /** Structure of the pair (default: the system's, else "general"; see `LaxModelOptions.structure`). */
  structure?: LaxStructure;
  /** The networks' linear path (default true; see {@link LaxModelOptions.linear}). */
  linear?: boolean;
  /** Training states (default 256). */
  samples?: number;
  adamSteps: number;
  /** Iterations of the polish after Adam (L-BFGS, or Levenberg–Marquardt with `polish: "lm"`). */
  lbfgsIter: number;
  /** The polish: L-BFGS (default) or Levenberg–Marquardt (small models: at most 4000 parameters). */
  polish?: "lbfgs" | "lm";
  lr?: number;
  /** Loss weights (default: the system's, else {@link DEFAULT_WEIGHTS}). */
  weights?: LaxLossWeights;
  /** Weights of the L-BFGS polish (default `weights`). */
  polishWeights?: LaxLossWeights;
  seed: number;
  /** Start from these parameters (e.g. the unperturbed system's pair; needs the same `hidden`). */
  init?: LaxParams;
  /** Record the metrics every this many Adam steps (default 50). */
  logEvery?: number;
  /** Called with each recorded metrics entry and the index of its rung in the ladder (progress). */
  onMetrics?: (m: LaxMetrics, rung: number) => void;
  /**
   * Called with the run's checkpoint every `checkpointEvery` Adam steps, at the end of each
   * model's Adam steps, every `checkpointEvery` iterations of its polish and after its polish
   * (JSON-serialisable: store it to resume).
   */
  onCheckpoint?: (cp: LaxCheckpoint) => void;
  /** Adam steps (and polish iterations) between checkpoints (default `logEvery`). */
  checkpointEvery?: number;
  /**
   * Continue from this checkpoint of a run with the same configuration (a PhysmlInputError under
   * `resume.` names what does not fit). The result is bit for bit the uninterrupted run's, also
   * from inside a polish.
   */
  resume?: LaxCheckpoint;
  /** Skip the trajectories and the readout (the perturbation test only needs the final loss). */
  evaluate?: boolean;
  /**
   * Throw a {@link LaxValidationError} if the evaluated pair misses its system's {@link LaxTargets}
   * (default true; false only reports them in `validation`).
   */
  validate?: boolean;
}

/** Seed offset between a model's initial draws. */
export const RESTART_SEED_STRIDE = 100;

/** The outcome of checking a result against its system's targets. */
export interface LaxValidation {
  passed: boolean;
  /** One sentence per missed target, naming the measured value and the target. */
  failures: string[];
}

/** Thrown by {@link learnLax} when the learned pair misses its system's targets. */
export class LaxValidationError extends Error {
  constructor(readonly result: LearnLaxResult & { validation: LaxValidation }) {
    super(`the learned Lax pair is not valid: ${result.validation.failures.join("; ")}`);
    this.name = "LaxValidationError";
  }
}

/** Checks an evaluated result against targets. */
export function validateLax(
  r: Pick<LearnLaxResult, "laxResidual" | "conserved" | "traceIndependence">,
  t: LaxTargets,
): LaxValidation {
  const failures: string[] = [];
  const g = (v: number) => v.toPrecision(3);
  if (!(r.laxResidual < t.residual))
    failures.push(`held-out residual ${g(r.laxResidual)} (target < ${t.residual})`);
  const c = r.conserved;
  if (!c) failures.push("no conservation check was run (evaluate: false)");
  else {
    c.variation.forEach((v, k) => {
      if (!(v < t.variation))
        failures.push(
          `tr L^${k + 1} varies by ${g(v)} along a held-out trajectory (target < ${t.variation})`,
        );
    });
    if (t.trL2VsH !== undefined && !(c.trL2VsH > t.trL2VsH))
      failures.push(`tr L² vs H has R² ${g(c.trL2VsH)} (target > ${t.trL2VsH})`);
  }
  const ti = r.traceIndependence;
  if (!ti) failures.push("no independence check of the traces was run (evaluate: false)");
  else if (!(ti.independent >= t.independentTraces))
    failures.push(
      `${ti.independent} of the traces tr Lᵏ independent along held-out states (σ_r/σ_1 ${ti.ratios.map(g).join(", ")} against the floor ${INDEPENDENCE_FLOOR.toExponential()}; target ≥ ${t.independentTraces}): they are functions of fewer conserved quantities than the system needs`,
    );
  return { passed: failures.length === 0, failures };
}

/** What a run returns: its final state, the loss history and the held-out checks. */
export interface LearnLaxResult {
  model: LaxModel;
  /** Hidden widths of the kept model. */
  hidden: number[];
  state: LaxTrainState;
  history: LaxMetrics[];
  final: LaxMetrics;
  /** Every model tried, in order; the last is the kept one. */
  rungs: LaxRung[];
  /** Held-out |L̇ − [L, M]| / |L̇|. */
  laxResidual: number;
  conserved?: ConservedReport;
  /** How many of the traces are independent along the held-out states (see `traceIndependence`). */
  traceIndependence?: TraceIndependence;
  formulas?: { L: FittedFormula[][]; M: FittedFormula[][] };
  /** The check against the system's targets, when it has any and the pair was evaluated. */
  validation?: LaxValidation;
}

/** Trains L(x), M(x) on the named system and evaluates them. */
export function learnLax(c: LearnLaxConfig): LearnLaxResult {
  if (!Number.isInteger(c.adamSteps) || c.adamSteps < 0)
    throw new PhysmlInputError("adamSteps", "an integer >= 0", c.adamSteps);
  if (!Number.isInteger(c.lbfgsIter) || c.lbfgsIter < 0)
    throw new PhysmlInputError("lbfgsIter", "an integer >= 0", c.lbfgsIter);
  const setup = laxSetup(c.system, c.perturbation);
  // without a model asked for, the system's own model when it has one, else the general ladder
  if (!c.hidden && !c.ladder && setup.model)
    c = { ...c, hidden: setup.model.hidden, structure: c.structure ?? setup.model.structure };
  const models = c.hidden ? [c.hidden] : (c.ladder ?? DEFAULT_LADDER);
  if (models.length === 0) throw new PhysmlInputError("ladder", "at least one list of hidden widths", 0);
  // the system's restarts are for an evaluated pair of a chosen model: the drivers that compare
  // final losses (evaluate: false) train one draw of each system, and the default ladder's
  // models are not the system's (restarting them would only multiply a run that fails anyway)
  const restarts = c.restarts ?? (c.evaluate === false || !c.hidden ? undefined : setup.restarts);
  if (restarts && (!Number.isInteger(restarts.max) || restarts.max < 0))
    throw new PhysmlInputError("restarts.max", "an integer >= 0", restarts.max);
  if (restarts && !(restarts.invariant >= 0))
    throw new PhysmlInputError("restarts.invariant", "a number >= 0", restarts.invariant);
  const wanted = restarts?.independentTraces;
  if (wanted !== undefined && (!Number.isInteger(wanted) || wanted < 1))
    throw new PhysmlInputError("restarts.independentTraces", "an integer >= 1", wanted);
  // every draw of every model is a rung of its own (draw 0 is the model's seed itself)
  const draws = models.flatMap((h) =>
    Array.from({ length: 1 + (restarts?.max ?? 0) }, (_, a) => ({ hidden: h, draw: a })),
  );
  const ladder = draws.map((d) => d.hidden);
  // a finished rung ends the run when it is exact on the training states, or is an accepted draw,
  // and in either case has the independent traces the restarts ask for (on training states): the
  // held-out states decide nothing before the validation
  const accepted = (r: LaxRung) =>
    ((r.trainingResidual ?? Number.POSITIVE_INFINITY) < EXACT_RESIDUAL ||
      (restarts !== undefined && r.final.invariant < restarts.invariant)) &&
    (wanted === undefined || (r.independentTraces ?? 0) >= wanted);
  const samples = samplePhaseSpace(setup.system, c.samples ?? 256, c.seed, setup.box, setup.restFrame);
  const batch = laxBatch(samples);
  const trainingStates = tensor(samples.x, [samples.count, samples.dim]);
  // what acceptance reads of a finished rung: its training residual and, when the restarts ask,
  // its independent traces on the training states
  const trainingChecks = (model: LaxModel, params: LaxParams) => ({
    trainingResidual: laxResidual(model.pair(params), samples),
    ...(wanted === undefined
      ? {}
      : { independentTraces: traceIndependence((x) => model.L(params, x), trainingStates).independent }),
  });
  // held-out data: other seeds than the training draw
  const held = samplePhaseSpace(setup.system, 256, seedPlus(c.seed, 1000), setup.box, setup.restFrame);
  const weights = c.weights ?? setup.weights ?? DEFAULT_WEIGHTS;
  const every = c.checkpointEvery ?? c.logEvery ?? 50;
  if (!Number.isInteger(every) || every < 1)
    throw new PhysmlInputError("checkpointEvery", "an integer >= 1", every);
  const modelOf = (hidden: readonly number[], draw = 0) =>
    new LaxModel({
      inputs: setup.features?.inputs ?? samples.dim,
      size: c.size ?? setup.size,
      hidden: [...hidden],
      seed: seedPlus(c.seed, RESTART_SEED_STRIDE * draw),
      features: setup.features?.map,
      activation: c.activation ?? setup.activation,
      structure: c.structure ?? setup.structure,
      // an affine MLP already is the linear path
      linear: hidden.length > 0 && c.linear !== false,
    });
  const resumed =
    c.resume === undefined
      ? undefined
      : checkLaxCheckpoint(c.resume, {
          ladder,
          adamSteps: c.adamSteps,
          polish: { method: c.polish ?? "lbfgs", maxIter: c.lbfgsIter },
          template: (h) => modelOf(h).init(),
        });
  const rungs: LaxRung[] = resumed ? structuredClone(resumed.cp.rungs) : [];
  let run: ReturnType<typeof trainOne> | undefined;
  let residual = Number.POSITIVE_INFINITY;
  let first = 0;
  if (resumed?.cp.phase === "polished") {
    // the checkpoint's rung is finished: it is the kept model unless a later rung runs
    const done = rungs[rungs.length - 1];
    residual = done.laxResidual;
    run = { model: modelOf(done.hidden), state: resumed.state, history: done.history, final: done.final };
    // a checkpoint written without the training checks (older, or by other restarts): run them now
    if (done.trainingResidual === undefined || (wanted !== undefined && done.independentTraces === undefined))
      rungs[rungs.length - 1] = { ...done, ...trainingChecks(run.model, run.state.params) };
    first = accepted(rungs[rungs.length - 1]) ? ladder.length : resumed.cp.rung + 1;
  } else if (resumed) first = resumed.cp.rung;
  for (let k = first; k < ladder.length; k++) {
    const hidden = ladder[k];
    const save: SaveTrainer = (phase, state, history, polish) =>
      c.onCheckpoint?.(encodeLaxCheckpoint({ rung: k, phase, hidden, state, history, rungs, polish }));
    const from =
      resumed && k === resumed.cp.rung
        ? { state: resumed.state, history: resumed.cp.history, polish: resumed.polish }
        : undefined;
    run = trainOne(c, { model: modelOf(hidden, draws[k].draw), weights, batch, rung: k, every, from, save });
    residual = laxResidual(run.model.pair(run.state.params), held);
    rungs.push({
      hidden: [...hidden],
      history: run.history,
      final: run.final,
      laxResidual: residual,
      ...trainingChecks(run.model, run.state.params),
    });
    save("polished", run.state, run.history);
    if (accepted(rungs[rungs.length - 1])) break;
  }
  if (!run) throw new PhysmlInputError("ladder", "at least one list of hidden widths", 0);
  const { model, state, history, final } = run;
  const base = { model, hidden: [...model.hidden], state, history, final, rungs, laxResidual: residual };
  if (c.evaluate === false) return base;
  const pair = model.pair(state.params);
  const result: LearnLaxResult = {
    ...base,
    conserved: conservedQuantities(pair, setup.system, {
      trajectories: 8,
      time: 10,
      h: 0.02,
      seed: seedPlus(c.seed, 2000),
      box: setup.box,
      restFrame: setup.restFrame,
    }),
    traceIndependence: traceIndependence(pair.L, tensor(held.x, [held.count, held.dim])),
    formulas: laxFormulas(pair, held, setup.dictionary),
  };
  if (!setup.targets) return result;
  const validation = validateLax(result, setup.targets);
  const checked = { ...result, validation };
  if (!validation.passed && c.validate !== false) throw new LaxValidationError(checked);
  return checked;
}

/** Hears a model's trainer state to checkpoint it (with the polish's progress inside it). */
type SaveTrainer = (
  phase: LaxCheckpoint["phase"],
  state: LaxTrainState,
  history: LaxMetrics[],
  polish?: PolishProgress,
) => void;

/**
 * Adam then the polish for one model, from a fresh state or from a checkpoint's (`from`, in Adam
 * or in the polish); `save` hears the state every `every` Adam steps, at the end of Adam and
 * every `every` polish iterations.
 */
function trainOne(
  c: LearnLaxConfig,
  r: {
    model: LaxModel;
    weights: LaxLossWeights;
    batch: LaxBatch;
    rung: number;
    every: number;
    from?: { state: LaxTrainState; history: readonly LaxMetrics[]; polish?: PolishProgress };
    save: SaveTrainer;
  },
): { model: LaxModel; state: LaxTrainState; history: LaxMetrics[]; final: LaxMetrics } {
  const { model, batch } = r;
  const trainer = new LaxTrainer(model, r.weights, c.lr, c.polishWeights ?? r.weights);
  let state = r.from?.state ?? trainer.init(c.init);
  const history: LaxMetrics[] = r.from ? r.from.history.map((m) => ({ ...m })) : [];
  const logEvery = c.logEvery ?? 50;
  const log = () => {
    const m = trainer.metrics(state, batch);
    history.push(m);
    c.onMetrics?.(m, r.rung);
  };
  if (!r.from) log();
  for (let i = state.step + 1; i <= c.adamSteps; i++) {
    state = trainer.step(state, batch);
    if (i % logEvery === 0) log();
    if (i % r.every === 0 || i === c.adamSteps) r.save("adam", state, history);
  }
  const polish = {
    ...(r.from?.polish ? { from: r.from.polish } : {}),
    every: r.every,
    onProgress: (st: LaxTrainState, p: PolishProgress) => r.save("polish", st, history, p),
  };
  state =
    c.polish === "lm"
      ? trainer.polishLm(state, batch, c.lbfgsIter, polish)
      : trainer.polish(state, batch, c.lbfgsIter, polish);
  const final = trainer.metrics(state, batch);
  if (history[history.length - 1].step !== final.step) {
    history.push(final);
    c.onMetrics?.(final, r.rung);
  }
  return { model, state, history, final };
}
