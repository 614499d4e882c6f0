// `cy eval`: a trained run's newest checkpoint evaluated on fresh points (a seed no training run
// uses by default): σ against Fubini–Study, Vol_CY, κ, and the mean |Ricci scalar| against the
// Fubini–Study metric's on the first points. Written to the run as eval.json.
import { PhysmlInputError, parseOptions, plural } from "@physml/lattice-core";
import { openRun, provenanceOf, readRunConfig } from "@physml/runs";
import type { Complex } from "../complex.js";
import type { Histogram } from "../eval/histogram.js";
import { histogram } from "../eval/histogram.js";
import { fubiniStudyFunctions, meanAbsRicci, ricciScalar } from "../eval/ricci.js";
import { sigmaFromEta } from "../eval/sigma.js";
import { type McValue, volumes } from "../eval/volumes.js";
import { dworkQuintic } from "../geometry/quintic.js";
import { samplePoints } from "../geometry/sample.js";
import {
  type CyEvalOptions,
  type CyTrainConfig,
  cyEvalOptionsSchema,
  resolveCyTrainConfig,
} from "../options.js";
import type { TrainingData } from "./data.js";
import { RICCI_BINS } from "./report.js";
import { CY_TRAIN_RUN_KIND, learnerFor } from "./run.js";

/** The evaluation of a trained run. */
export interface CyEvalResult {
  run: string;
  /** The metric model of the run (`cy train --model`). */
  metricModel: CyTrainConfig["metricModel"];
  k: number;
  psi: Complex;
  /** Epochs of the evaluated checkpoint. */
  epoch: number;
  points: number;
  seed: number;
  sigma: McValue;
  sigmaFS: McValue;
  volCY: McValue;
  kappa: McValue;
  /**
   * ∫|R| dVol/Vol_CY of the model and of Fubini–Study on the first `points` points, and the
   * histograms of R (counts of points; counts plus nonFinite = points); absent when skipped,
   * with `ricciUnavailable` saying why.
   */
  ricci?: {
    model: McValue;
    fubiniStudy: McValue;
    points: number;
    histogram: { model: Histogram; fubiniStudy: Histogram };
  };
  /** Why `ricci` is absent. */
  ricciUnavailable?: string;
  seconds: number;
}

/** Evaluates the run in `dir` (its newest checkpoint) on fresh points. */
export function evaluateCyRun(
  dir: string,
  input: unknown,
  log: (m: string) => void = () => {},
): CyEvalResult {
  const o: CyEvalOptions = parseOptions(cyEvalOptionsSchema, input);
  const stored = readRunConfig(dir, "run");
  if (stored === null || stored.kind !== CY_TRAIN_RUN_KIND) {
    throw new PhysmlInputError("run", "a run directory written by `physml cy train`", dir);
  }
  const t0 = performance.now();
  const run = openRun<CyTrainConfig>({
    dir,
    field: "run",
    kind: CY_TRAIN_RUN_KIND,
    input: {},
    resolve: resolveCyTrainConfig,
    mode: "resume",
    provenance: provenanceOf(import.meta.url),
    log,
    // an evaluation does not continue the training: why it failed stays recorded
    keepFailure: true,
  });
  try {
    const config = run.config;
    const learner = learnerFor(config);
    const quintic = dworkQuintic(config.psi);
    const fresh = samplePoints(quintic, o.points, o.seed);
    const data: TrainingData = { quintic, train: fresh, held: fresh };
    const ckpt = run.loadCheckpoint((raw) => {
      const s = raw as { learner?: unknown };
      return learner.validate(config, data, s.learner);
    });
    if (ckpt === null) throw new PhysmlInputError("run", "a run with at least one checkpoint", dir);
    const state = ckpt.state;
    const sigma = sigmaFromEta(learner.eta(config, data, state, fresh), fresh.weight);
    const sigmaFS = sigmaFromEta(fubiniStudyFunctions.eta(fresh), fresh.weight);
    const vol = volumes(fresh);
    let ricci: CyEvalResult["ricci"];
    const count = Math.min(o.ricciPoints, fresh.n) - (Math.min(o.ricciPoints, fresh.n) % 5);
    if (count >= 10) {
      log(`Ricci scalar on ${plural(count, "point")} (finite differences, 73 evaluations each)`);
      const model = {
        eta: (ps: typeof fresh) => learner.eta(config, data, state, ps),
        metric: (ps: typeof fresh) => learner.metric(config, data, state, ps),
      };
      const rModel = ricciScalar(model, fresh, count);
      const rFs = ricciScalar(fubiniStudyFunctions, fresh, count);
      const bad = rModel.filter((r) => !Number.isFinite(r)).length;
      if (bad > 0) {
        throw new PhysmlInputError(
          "run",
          "a trained metric that is positive definite on X",
          dir,
          `R is not finite at ${bad} of ${plural(count, "point")}`,
        );
      }
      ricci = {
        model: meanAbsRicci(rModel, fresh),
        fubiniStudy: meanAbsRicci(rFs, fresh),
        points: count,
        histogram: { model: histogram(rModel, RICCI_BINS), fubiniStudy: histogram(rFs, RICCI_BINS) },
      };
    }
    const result: CyEvalResult = {
      run: dir,
      metricModel: config.metricModel,
      k: config.k,
      psi: config.psi,
      epoch: state.epoch,
      points: fresh.n,
      seed: o.seed,
      sigma,
      sigmaFS,
      volCY: vol.volCY,
      kappa: vol.kappa,
      ...(ricci ? { ricci } : { ricciUnavailable: "skipped: ricci-points is 0" }),
      seconds: (performance.now() - t0) / 1000,
    };
    run.writeJson("eval.json", result);
    run.close();
    return result;
  } catch (e) {
    run.close();
    throw e;
  }
}
