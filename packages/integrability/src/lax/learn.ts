// One Lax-pair run end to end: sample the system, train, evaluate on held-out data.
import { PhysmlInputError } from "@physml/lattice-core";
import { samplePhaseSpace } from "../data/sampling.js";
import type { Perturbation } from "../data/systems.js";
import type { FittedFormula } from "../eval/dictionary.js";
import { type ConservedReport, conservedQuantities, laxFormulas, laxResidual } from "../eval/lax-metrics.js";
import type { LaxLossWeights } from "./loss.js";
import { LaxModel, type LaxParams } from "./model.js";
import { type LaxSystemName, laxSetup } from "./systems.js";
import { DEFAULT_WEIGHTS, type LaxMetrics, LaxTrainer, type LaxTrainState, laxBatch } from "./train.js";

/** Configuration of {@link learnLax}. */
export interface LearnLaxConfig {
  system: LaxSystemName;
  perturbation?: { kind: Perturbation; epsilon: number };
  /** Matrix size (default: the system's). */
  size?: number;
  hidden?: number[];
  /** Training states (default 256). */
  samples?: number;
  adamSteps: number;
  lbfgsIter: number;
  lr?: number;
  weights?: LaxLossWeights;
  seed: number;
  /** Start from these parameters (e.g. the unperturbed system's pair). */
  init?: LaxParams;
  /** Record the metrics every this many Adam steps (default 50). */
  logEvery?: number;
  /** Called with each recorded metrics entry (progress). */
  onMetrics?: (m: LaxMetrics) => void;
  /** Skip the held-out evaluation (the perturbation test only needs the final loss). */
  evaluate?: boolean;
}

/** What a run returns: its final state, the loss history and the held-out checks. */
export interface LearnLaxResult {
  model: LaxModel;
  state: LaxTrainState;
  history: LaxMetrics[];
  final: LaxMetrics;
  /** Held-out |L̇ − [L, M]| / |L̇|. */
  laxResidual?: number;
  conserved?: ConservedReport;
  formulas?: { L: FittedFormula[][]; M: FittedFormula[][] };
}

/** Trains L(x), M(x) on the named system and evaluates them. */
export function learnLax(c: LearnLaxConfig): LearnLaxResult {
  if (!Number.isInteger(c.adamSteps) || c.adamSteps < 0)
    throw new PhysmlInputError("adamSteps", "an integer >= 0", c.adamSteps);
  if (!Number.isInteger(c.lbfgsIter) || c.lbfgsIter < 0)
    throw new PhysmlInputError("lbfgsIter", "an integer >= 0", c.lbfgsIter);
  const setup = laxSetup(c.system, c.perturbation);
  const samples = samplePhaseSpace(setup.system, c.samples ?? 256, c.seed, setup.box);
  const batch = laxBatch(samples);
  const model = new LaxModel({
    inputs: setup.features?.inputs ?? samples.dim,
    size: c.size ?? setup.size,
    hidden: c.hidden,
    seed: c.seed,
    features: setup.features?.map,
  });
  const trainer = new LaxTrainer(model, c.weights ?? DEFAULT_WEIGHTS, c.lr);
  let state = trainer.init(c.init);
  const history: LaxMetrics[] = [];
  const logEvery = c.logEvery ?? 50;
  const log = () => {
    const m = trainer.metrics(state, batch);
    history.push(m);
    c.onMetrics?.(m);
  };
  log();
  for (let i = 1; i <= c.adamSteps; i++) {
    state = trainer.step(state, batch);
    if (i % logEvery === 0) log();
  }
  state = trainer.polish(state, batch, c.lbfgsIter);
  const final = trainer.metrics(state, batch);
  if (history[history.length - 1].step !== final.step) {
    history.push(final);
    c.onMetrics?.(final);
  }
  if (c.evaluate === false) return { model, state, history, final };
  // held-out data: other seeds than the training draw
  const held = samplePhaseSpace(setup.system, 256, c.seed + 1000, setup.box);
  const pair = model.pair(state.params);
  return {
    model,
    state,
    history,
    final,
    laxResidual: laxResidual(pair, held),
    conserved: conservedQuantities(pair, setup.system, {
      trajectories: 8,
      time: 10,
      h: 0.02,
      seed: c.seed + 2000,
      box: setup.box,
    }),
    formulas: laxFormulas(pair, held, setup.dictionary),
  };
}
