// `cy train` as a run directory (@physml/runs): config.json, one metrics line per epoch (loss,
// σ on the held-out points), a checkpoint per epoch (the learner's state; a resumed run
// regenerates its points from the seed and continues bit for bit), the trained matrices as .npy,
// result.json with a verdict against the σ target, and report.html.
import { PhysmlInputError } from "@physml/lattice-core";
import { openRun, provenanceOf, type RunMode, readRunConfig, renameFields } from "@physml/runs";
import { sigmaFromEta } from "../eval/sigma.js";
import { type McValue, volumes } from "../eval/volumes.js";
import type { PointSet } from "../geometry/sample.js";
import { checkCyMemory, estimateCyMemory } from "../memory.js";
import {
  CY_TRAIN_RENAMED_FIELDS,
  type CyTrainConfig,
  resolveCyTrainConfig,
  usesDegreeK,
  withPsiRangeDefaults,
} from "../options.js";
import { addLearner } from "./add-learner.js";
import { algebraicLearner } from "./algebraic-learner.js";
import { type TrainingData, trainingData } from "./data.js";
import type { CyLearner, EpochState } from "./learner.js";
import { multLearner } from "./mult-learner.js";
import { phiLearner } from "./phi-learner.js";
import { psiFamilyLearner } from "./psi-family-learner.js";
import { normalisedRatio, reportRicci, trainReport } from "./report.js";
import type { CyTrainResult, EpochMetrics, HeldOutPsi } from "./run-result.js";

/** The `kind` of a `cy train` run in its config.json. */
export const CY_TRAIN_RUN_KIND = "cy-train";

/** The run state stored in checkpoints: the learner's state and what the run measured at its start. */
interface RunState<S> {
  learner: S;
  sigmaStart: McValue;
  /** A ψ-range run: the start's σ at each held-out ψ. */
  heldOutStart?: McValue[];
  seconds: number;
}

/** Hooks of a training run (progress, log lines). */
export interface CyTrainHooks {
  log?: (m: string) => void;
  /** Called once with the run's resolved configuration (a resumed run's stored one), before any work. */
  onConfig?: (config: CyTrainConfig) => void;
  onEpoch?: (m: EpochMetrics, total: number) => void;
}

/** How to open the run directory (see @physml/runs). */
export interface CyTrainRunOptions {
  out: string;
  resume?: boolean;
  force?: boolean;
  hooks?: CyTrainHooks;
  /** Write report.html (default true; its plots take a few seconds to render). */
  report?: boolean;
  /** Held-out points for the report's Ricci histograms (default REPORT_RICCI_POINTS; 0 leaves them out). */
  ricciPoints?: number;
}

function modeOf(o: { resume?: boolean; force?: boolean }): RunMode {
  if (o.resume && o.force) throw new PhysmlInputError("force", "not together with --resume", "both");
  return o.resume ? "resume" : o.force ? "force" : "new";
}

// biome-ignore lint/suspicious/noExplicitAny: the learners' state types differ; each validates its own
const LEARNERS: Record<CyTrainConfig["metricModel"], CyLearner<any>> = {
  algebraic: algebraicLearner,
  phi: phiLearner,
  mult: multLearner,
  add: addLearner,
};

/** The learner of a model. */
export function learnerOf(model: CyTrainConfig["metricModel"]): CyLearner<EpochState> {
  return LEARNERS[model];
}

/** The learner of a configuration: the ψ family with --psi-range, else the model's. */
export function learnerFor(config: CyTrainConfig): CyLearner<EpochState> {
  return config.psiRange === undefined ? learnerOf(config.metricModel) : psiFamilyLearner;
}

/** σ at every held-out ψ of a ψ-range run. */
function heldOutSigmas<S>(
  learner: CyLearner<S>,
  config: CyTrainConfig,
  data: TrainingData,
  state: S,
): McValue[] {
  return (data.family?.held ?? []).map((h) =>
    sigmaFromEta(learner.eta(config, data, state, h.points), h.points.weight),
  );
}

/** The verdict of a ψ-range run: σ at `psi` and at every held-out ψ below the target. */
export function psiRangeVerdict(
  base: { passed: boolean; verdict: string },
  held: readonly HeldOutPsi[],
  target: number,
): { passed: boolean; verdict: string } {
  if (!base.passed && base.verdict.includes("positive definite")) return base;
  const missed = held.filter((h) => !h.passed);
  const worst = held.reduce((a, b) => (b.sigma.mean > a.sigma.mean ? b : a), held[0]);
  const at = (h: HeldOutPsi) =>
    `σ = ${h.sigma.mean.toPrecision(4)} ± ${h.sigma.error.toPrecision(2)} at held-out ψ = ${h.psi.re}`;
  if (missed.length > 0) {
    return {
      passed: false,
      verdict: `FAILED: ${missed.map(at).join(", ")} not below the target ${target}; try more --epochs or --points`,
    };
  }
  if (!base.passed) return base;
  return {
    passed: true,
    verdict: `${base.verdict}; at all ${held.length} held-out ψ too (largest ${at(worst)})`,
  };
}

function fsEta(points: TrainingData["held"]): Float64Array {
  return points.detFS.map((d, i) => d / points.omega2[i]);
}

/** The verdict in words, and whether the run passed; `advice` is what to try after a miss. */
export function verdictOf(
  sigma: McValue,
  eta: Float64Array,
  target: number,
  advice = "try more --epochs, --points or a larger --k",
): { passed: boolean; verdict: string } {
  const bad = eta.filter((e) => !(Number.isFinite(e) && e > 0)).length;
  if (bad > 0 || !Number.isFinite(sigma.mean)) {
    return {
      passed: false,
      verdict: `FAILED: the metric is not positive definite at ${bad} held-out points (σ is meaningless); lower --lr`,
    };
  }
  if (sigma.mean < target) {
    return {
      passed: true,
      verdict: `passed: σ = ${sigma.mean.toPrecision(4)} ± ${sigma.error.toPrecision(2)} < target ${target}`,
    };
  }
  return {
    passed: false,
    verdict: `FAILED: σ = ${sigma.mean.toPrecision(4)} ± ${sigma.error.toPrecision(2)} is not below the target ${target}; ${advice}`,
  };
}

/**
 * Trains a metric model in the run directory `out`. A directory holding a run is refused unless
 * `resume` (continue from the newest checkpoint; a finished run returns its result) or `force`.
 */
export async function runCyTrain(input: unknown, opts: CyTrainRunOptions): Promise<CyTrainResult> {
  const log = opts.hooks?.log ?? (() => {});
  const run = openRun<CyTrainConfig>({
    dir: opts.out,
    kind: CY_TRAIN_RUN_KIND,
    // the --psi-range defaults fill a new run's input; a resumed run keeps its stored config
    input: opts.resume && readRunConfig(opts.out) !== null ? input : withPsiRangeDefaults(input),
    resolve: resolveCyTrainConfig,
    mode: modeOf(opts),
    provenance: provenanceOf(import.meta.url),
    log,
  });
  try {
    opts.hooks?.onConfig?.(run.config);
    // a non-finite number stored as its text is read as the number, as a new run returns it
    const done = renameFields(run.resultNumbers<CyTrainResult>(), CY_TRAIN_RENAMED_FIELDS);
    if (done) {
      log(`${opts.out} holds a finished run; reporting its result`);
      run.close();
      return done;
    }
    const config = run.config;
    // a ψ-range run holds the points of 5 training ψ and of 4 held-out ψ besides its own
    const perPsi = config.psiRange === undefined ? 0 : 1;
    checkCyMemory(
      estimateCyMemory({
        command: "train",
        points: config.points * (1 + 4 * perPsi),
        evalPoints: config.evalPoints * (1 + 4 * perPsi),
        batch: config.batch,
        k: config.k,
      }),
      config.maxMemory,
      config.points,
    );
    const learner = learnerFor(config);
    const t0 = performance.now();
    const data = trainingData(config);
    const ckpt = run.loadCheckpoint((raw) => {
      const s = raw as Partial<RunState<unknown>>;
      if (!s.sigmaStart || !Number.isFinite(s.seconds)) throw new Error("not a cy train state");
      // a rejected state (autodiff's readers name the resume.learner.* field) falls back to the
      // previous checkpoint; when none is left, the store throws a CheckpointError (a
      // PhysmlInputError: one line, exit 2) listing every reason
      return { ...s, learner: learner.validate(config, data, s.learner) } as RunState<EpochState>;
    });
    let state: RunState<EpochState>;
    if (ckpt) {
      state = ckpt.state;
      log(`resuming ${opts.out} after epoch ${state.learner.epoch}`);
    } else {
      const start = learner.init(config, data, log);
      const sigmaStart = sigmaFromEta(learner.eta(config, data, start, data.held), data.held.weight);
      const heldOutStart = data.family ? heldOutSigmas(learner, config, data, start) : undefined;
      state = { learner: start, sigmaStart, heldOutStart, seconds: (performance.now() - t0) / 1000 };
      log(`starting metric: σ = ${sigmaStart.mean.toPrecision(4)} ± ${sigmaStart.error.toPrecision(2)}`);
      run.saveCheckpoint(0, state);
    }
    run.truncateMetrics(state.learner.epoch);
    const base = state.seconds;
    const t1 = performance.now();
    while (state.learner.epoch < config.epochs) {
      const r = learner.epoch(config, data, state.learner);
      const s = sigmaFromEta(learner.eta(config, data, r.state, data.held), data.held.weight);
      const seconds = base + (performance.now() - t1) / 1000;
      const m: EpochMetrics = {
        step: r.state.epoch - 1,
        epoch: r.state.epoch,
        loss: r.loss,
        sigma: s.mean,
        sigmaError: s.error,
        seconds,
      };
      if (!Number.isFinite(m.loss) || !Number.isFinite(m.sigma)) {
        throw new PhysmlInputError(
          "lr",
          "a learning rate at which training stays finite",
          config.lr,
          `epoch ${m.epoch}: loss ${m.loss}, σ ${m.sigma}`,
        );
      }
      run.appendMetric(m);
      state = { ...state, learner: r.state, seconds };
      run.saveCheckpoint(r.state.epoch, state);
      opts.hooks?.onEpoch?.(m, config.epochs);
    }
    const eta = learner.eta(config, data, state.learner, data.held);
    const sigma = sigmaFromEta(eta, data.held.weight);
    const vol = volumes(data.held);
    let verdict = verdictOf(
      sigma,
      eta,
      config.target,
      !usesDegreeK(config.metricModel)
        ? "try more --epochs or --points, or another --lr or --alpha (--k does not apply to this model)"
        : undefined,
    );
    let family: Pick<CyTrainResult, "psiRange" | "trainPsi" | "heldOutPsi"> = {};
    if (data.family) {
      const start = state.heldOutStart ?? [];
      const heldOutPsi = heldOutSigmas(learner, config, data, state.learner).map((s, j) => ({
        psi: data.family?.held[j].psi ?? config.psi,
        sigma: s,
        sigmaStart: start[j] ?? s,
        passed: Number.isFinite(s.mean) && s.mean < config.target,
      }));
      family = { psiRange: config.psiRange, trainPsi: data.family.train.map((t) => t.psi), heldOutPsi };
      verdict = psiRangeVerdict(verdict, heldOutPsi, config.target);
    }
    // this attempt in full, its sampling included, and the earlier ones up to their last checkpoint
    const seconds = run.carriedSeconds + (performance.now() - t0) / 1000;
    const result: CyTrainResult = {
      metricModel: config.metricModel,
      k: config.k,
      psi: config.psi,
      lossFunction: config.loss,
      points: data.train.n,
      evalPoints: data.held.n,
      epochs: state.learner.epoch,
      sigma,
      sigmaStart: state.sigmaStart,
      sigmaFS: sigmaFromEta(fsEta(data.held), data.held.weight),
      volCY: vol.volCY,
      kappa: vol.kappa,
      target: config.target,
      ...verdict,
      seconds,
      ...family,
    };
    for (const [name, a] of Object.entries(learner.arrays(config, data, state.learner))) {
      run.writeArray(name, a.data, a.shape);
    }
    run.writeArray("eta", eta, [eta.length]);
    const ratio = {
      model: normalisedRatio(eta, data.held.weight),
      fs: normalisedRatio(fsEta(data.held), data.held.weight),
      weight: data.held.weight,
    };
    if (opts.report !== false) {
      const fns = {
        eta: (ps: PointSet) => learner.eta(config, data, state.learner, ps),
        metric: (ps: PointSet) => learner.metric(config, data, state.learner, ps),
      };
      const ricci = reportRicci(fns, data.held, opts.ricciPoints);
      run.writeText(
        "report.html",
        await trainReport(result, run.readMetricNumbers<EpochMetrics>(), ratio, ricci),
      );
    }
    // Last: its presence means finished, so a run killed before it (say, during the report's
    // Ricci scalars) resumes from its final checkpoint and writes the report.
    run.writeResult(result);
    run.close();
    return result;
  } catch (e) {
    run.abandon(e);
    throw e;
  }
}
