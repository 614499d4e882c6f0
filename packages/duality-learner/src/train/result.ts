// What a duality run reports: one metrics line per step (metrics.jsonl), the result of a run
// (result.json) and how it is built from a training's tail, and the hooks and run-directory
// parts the learner uses.
import type { Run } from "@physml/runs";
import type { CANDIDATE_TERMS } from "../config.js";
import { batchMeans } from "../stats/gradient.js";
import type { Validation } from "../validate/validate.js";

/** One line of metrics.jsonl. */
export interface StepMetrics {
  step: number;
  /** `explore` (several starting couplings in parallel) or `train` (the best one, refined). */
  phase: "explore" | "train";
  /** Σ_a (pooled mean − target)² of the leading group (includes sampling noise). */
  loss: number;
  /** Split-half estimate Σ_a l_a^A l_a^B (noise-unbiased; may be slightly negative). */
  lossUnbiased: number;
  /** Couplings of the leading group after the step (nn, plaquette, nnn, field). */
  t: number[];
  /** θ2, θ3 of the most probable slot (attention), or the MLP's effective slope and offset. */
  theta: [number, number];
  tau: number;
  /** Attention probabilities softmax(logits), or the MLP's normalised slot sensitivities. */
  attention: number[];
  lrFactor: number;
  /**
   * During exploration: t_nn of every start, its profile loss (split-half, noise-unbiased: may be
   * negative) and the same with the sampling noise included (`lossPooled`, what ranks the starts).
   */
  starts?: { t0: number; loss: number; lossPooled: number }[];
  /** Training attempt (0, then 1, … after a failed validation restarts from another start). */
  attempt?: number;
  elapsedMs: number;
}

/** The outcome of one run (result.json). */
export interface DualityResult {
  beta: number;
  plaquette: number;
  /** The original model's next-nearest-neighbour coupling. */
  nnn: number;
  L: number;
  Ly: number;
  seed: number;
  /**
   * Learned couplings (mean over the last `averageFraction` of steps) and their errors: the
   * training noise (batch means of the tail), the target's statistical error propagated through
   * the fit and the candidate chains' sampling noise propagated the same way, in quadrature.
   */
  learned: Record<(typeof CANDIDATE_TERMS)[number], number>;
  /** The couplings learned (`--dual-terms`); the others stayed at their initial values. */
  dualTerms: (typeof CANDIDATE_TERMS)[number][];
  learnedError: Partial<Record<(typeof CANDIDATE_TERMS)[number], number>>;
  /**
   * The learned nn coupling t0 and its error (its parts in quadrature). The error is absent when
   * it cannot be computed (fewer than 2 training steps to average); `t0ErrorUnavailable` then
   * says why.
   */
  t0: number;
  t0Error?: number;
  t0ErrorUnavailable?: string;
  /**
   * The parts of t0Error: `training` (batch means over the tail; absent with fewer than 2 steps),
   * `target` (the target features' covariance propagated through the linearised fit) and
   * `candidate` (the candidate chains' covariance of the pooled features, per chain, propagated
   * the same way and scaled for the tail average; see train/candidate-noise.ts). The last two are
   * absent where not computed — the gumbel and mlp maps.
   */
  t0ErrorParts: { training?: number; target?: number; candidate?: number };
  /** Which symmetric image was found: t0 > 0 (ferro) or t0 < 0 (antiferro, x → −x). */
  image: "ferro" | "antiferro";
  /** Exact Kramers–Wannier values (absent when the original has a plaquette or nnn coupling). */
  exact?: { dualBeta: number; theta2: number; theta3: number };
  /** (|t0| − β̃)/β̃ (absent without an exact value). */
  relativeError?: number;
  /** Why `exact` and `relativeError` are absent (a plaquette or nnn coupling: no known dual). */
  exactUnavailable?: string;
  /** Head slope and offset (tail means); the antiferro image has θ2 → −θ2. */
  theta2: number;
  theta3: number;
  attention: {
    slots: string[];
    kinds: string[];
    weights: number[];
    /** Shannon entropy of the weights in nats (0 = one-hot; ln K = uniform). */
    entropy: number;
    chosen: { slot: number; name: string; kind: string; weight: number };
    /** Total weight on slots of each kind. */
    byKind: Record<string, number>;
    /**
     * Total weight on slots whose offset from the link is diagonal, anti-diagonal or along an
     * axis (the seed talk's "anti-diagonal clusters" in the ordered phase).
     */
    byDiagonal: { diagonal: number; antiDiagonal: number; axis: number };
  };
  /**
   * Exploration: the starting t_nn values, their losses over the second half of exploration —
   * split-half estimates (unbiased, so they can be negative), their errors, and the pooled losses
   * with the sampling noise included, which rank the starts — the start trained from and why.
   * Absent without exploration (`--explore-steps 0`).
   */
  exploration?: {
    starts: number[];
    losses: number[];
    lossErrors: number[];
    lossesWithNoise: number[];
    chosen: number;
    why: string;
  };
  /** The learner's check of this answer (see ../validate). */
  validation: Validation;
  /**
   * The other trainings, which failed validation: their start, t0, χ²/dof and `failures` (as in
   * `validation`). (When all trainings fail, the result is the one with the least χ²/dof.)
   */
  failedAttempts: {
    start: number;
    t0: number;
    relativeError?: number;
    chi2PerDof: number;
    failures: string[];
  }[];
  /** Mean unbiased loss over the averaging window. */
  finalLoss: number;
  /** Its error (batch means over the window; absent with fewer than 2 steps in it). */
  finalLossError?: number;
  steps: number;
  samplesPerStep: number;
  /**
   * Wall time of the whole call in seconds (the CLI's `seconds`); a resumed run adds its earlier
   * attempts' up to their last checkpoint (Run#carriedSeconds).
   */
  seconds: number;
  /** Of `seconds`, the time spent producing the target correlators. */
  targetSeconds: number;
  /**
   * Boundary the target was sampled with: "twist-sum" (the four Z2 twists with their exact
   * weights: the Kramers–Wannier map is exact on the finite torus) or "periodic".
   */
  targetBoundary: "periodic" | "twist-sum";
  backend: string;
  adapter: string;
  kernel: string;
  observable: string;
  shapes: string[];
}

/** Callbacks of a run. */
export interface LearnHooks {
  /** Called after every step. */
  onStep?: (m: StepMetrics, total: number) => void;
  /** Log lines (target measured, exploration outcome, resume point, …). */
  log?: (msg: string) => void;
}

/**
 * The parts of a run directory (`Run` of @physml/runs) the learner writes: target.json, metrics,
 * checkpoints and result.json. A run opened as "resumed" continues from its newest good checkpoint.
 * The files it reads back on resume (target.json, exploration.json, result-attempt-<k>.json) are
 * state JSON (`writeState`/`readState`), so a NaN in them reads back as NaN, not null.
 */
export type LearnerRun = Pick<
  Run<unknown>,
  | "status"
  | "has"
  | "readState"
  | "writeState"
  | "appendMetric"
  | "readMetricNumbers"
  | "truncateMetrics"
  | "saveCheckpoint"
  | "loadCheckpoint"
  | "carriedSeconds"
  | "writeResult"
>;

/** The final loss and, when the window allows one, its batch-means error. */
export function finalLossOf(tail: readonly number[]): { finalLoss: number; finalLossError?: number } {
  const { mean, error } = batchMeans(tail);
  return Number.isFinite(error) ? { finalLoss: mean, finalLossError: error } : { finalLoss: mean };
}

/** Shannon entropy of a probability vector, in nats. */
export function entropy(p: readonly number[]): number {
  return -p.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0);
}

/** What `failedAttempts` records of a failed training. */
export function attemptSummary(r: DualityResult): DualityResult["failedAttempts"][number] {
  return {
    start: r.exploration?.chosen ?? r.t0,
    t0: r.t0,
    ...(r.relativeError !== undefined ? { relativeError: r.relativeError } : {}),
    chi2PerDof: r.validation.chi2PerDof,
    failures: r.validation.failures,
  };
}

/**
 * When every training failed validation, the one whose correlators came closest to the target's
 * (least χ²/dof) is returned — still marked failed — with the others in `failedAttempts`.
 */
export function bestAttempt(results: readonly DualityResult[]): DualityResult {
  let best = results.length - 1;
  for (let k = 0; k < results.length; k++)
    if (results[k].validation.chi2PerDof < results[best].validation.chi2PerDof) best = k;
  return { ...results[best], failedAttempts: results.filter((_, k) => k !== best).map(attemptSummary) };
}
