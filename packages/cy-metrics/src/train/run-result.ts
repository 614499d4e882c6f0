// What a `cy train` run writes besides its checkpoints: one metrics line per epoch and
// result.json. Its own file so the report reads these shapes without importing the run.
import type { Complex } from "../complex.js";
import type { McValue } from "../eval/volumes.js";
import type { CyTrainConfig, PsiInterval } from "../options.js";

/** One metrics line (one per epoch). */
export interface EpochMetrics {
  step: number;
  epoch: number;
  loss: number;
  sigma: number;
  sigmaError: number;
  /** Seconds of training so far (start included; summed over resumed processes). */
  seconds: number;
}

/** result.json of a `cy train` run. */
export interface CyTrainResult {
  /** The metric model trained (`--model`). */
  metricModel: CyTrainConfig["metricModel"];
  k: number;
  psi: Complex;
  /**
   * The Monge–Ampère loss trained on (`l2` or `l1`, the option `loss`). Not `loss`: in every
   * JSON of the CLI `loss` holds loss values (here the metrics lines' per-epoch `loss`).
   */
  lossFunction: CyTrainConfig["loss"];
  points: number;
  evalPoints: number;
  epochs: number;
  /** σ of the trained model on the held-out points. */
  sigma: McValue;
  sigmaStart: McValue;
  sigmaFS: McValue;
  volCY: McValue;
  kappa: McValue;
  target: number;
  /** σ below the target and the model healthy (every η finite and positive). */
  passed: boolean;
  verdict: string;
  /** Seconds from sampling to the final σ (a resumed run adds its earlier attempts' up to their last checkpoint). */
  seconds: number;
  /** A ψ-range run: its range of real ψ (then `sigma` is σ at `psi`, on its held-out points). */
  psiRange?: PsiInterval;
  /** A ψ-range run: the ψ it trained on. */
  trainPsi?: Complex[];
  /** A ψ-range run: σ at each ψ it never trained on (the start's σ there for comparison). */
  heldOutPsi?: HeldOutPsi[];
}

/** σ of a ψ-range run's model at a ψ it never trained on. */
export interface HeldOutPsi {
  psi: Complex;
  sigma: McValue;
  sigmaStart: McValue;
  passed: boolean;
}
