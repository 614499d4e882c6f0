// The checks of a learned duality, as pure functions of measured numbers: the mapped features
// of fresh samples against the target's (χ² per degree of freedom and the worst pull), the
// exploration's choice of start, and which link the attention reads. Each failed check gives one
// sentence a physicist can act on.
import { plural } from "@physml/lattice-core";

/** Measured features with their standard errors (a target.json or a fresh validation sample). */
export interface FeatureEstimate {
  shapes: readonly string[];
  mean: readonly number[];
  error: readonly number[];
}

/** Targets of a passing validation: the thresholds its numbers must stay within. */
export interface ValidationTargets {
  /** Largest diagonal χ² per degree of freedom. */
  maxChi2PerDof: number;
  /** Largest |pull| of a single feature. */
  maxPull: number;
}

/** How the learned map's features compare with the target's. */
export interface FeatureComparison {
  /**
   * (1/A) Σ_a (F_a − T_a)² / (σ_F,a² + σ_T,a²): expectation 1 when the learned model reproduces
   * the target. The features are strongly correlated, so its spread is wider than χ²_A/A.
   */
  chi2PerDof: number;
  dof: number;
  /** The largest |F_a − T_a| / σ_a, and its feature. */
  maxPull: number;
  worstFeature: string;
}

/** Compares the mapped features of the learned model with the target's, feature by feature. */
export function compareFeatures(learned: FeatureEstimate, target: FeatureEstimate): FeatureComparison {
  const A = target.mean.length;
  let chi2 = 0;
  let maxPull = 0;
  let worst = 0;
  for (let a = 0; a < A; a++) {
    const sigma = Math.hypot(learned.error[a], target.error[a]);
    const d = learned.mean[a] - target.mean[a];
    // A feature both sides measure without spread (σ = 0) pulls only when the values differ.
    const pull = sigma > 0 ? Math.abs(d) / sigma : d === 0 ? 0 : Number.MAX_VALUE;
    chi2 += Math.min(pull * pull, Number.MAX_VALUE / A);
    if (pull > maxPull) {
      maxPull = pull;
      worst = a;
    }
  }
  return { chi2PerDof: chi2 / A, dof: A, maxPull, worstFeature: target.shapes[worst] ?? String(worst) };
}

/** Sentences for a comparison outside the targets (empty when it passes). */
export function featureFailures(c: FeatureComparison, targets: ValidationTargets): string[] {
  if (c.chi2PerDof <= targets.maxChi2PerDof && c.maxPull <= targets.maxPull) return [];
  return [
    `fresh samples of the learned dual model do not reproduce the target correlators: ` +
      `χ²/dof = ${fmt(c.chi2PerDof)} over ${plural(c.dof, "feature")} (limit ${targets.maxChi2PerDof}), ` +
      `worst pull ${fmt(c.maxPull)}σ on "${c.worstFeature}" (limit ${targets.maxPull}σ)`,
  ];
}

/** One exploration start's score over the second half of exploration. */
export interface StartScore {
  /** Starting t_nn. */
  t0: number;
  /** Mean split-half (noise-unbiased) profile loss, and its error. */
  loss: number;
  lossError: number;
  /** Mean pooled profile loss: the unbiased loss plus the sampling-noise floor (never negative). */
  lossWithNoise: number;
}

/**
 * Checks the exploration's choice: a start other than the one with the least loss with noise
 * included must not have won on a negative loss estimate larger in magnitude than the loss with
 * noise included of the best other start (below zero by more than its error, and by more than
 * the signal it had to beat: noise, not a fit), nor on an estimate whose
 * sampling noise alone exceeds several times what the best start reaches with its noise included.
 * (A start at the right coupling has a true loss near 0, so its estimate may well be slightly
 * negative: at β = 0.6, L = 8 the right start showed −3.6e−4 ± 1.4e−4 against a noise-included
 * loss of 1.9e−4 of its own.)
 */
export function explorationFailures(
  scores: readonly StartScore[],
  chosen: number,
  compareWithBest = true,
  noiseRatio = 2,
): string[] {
  const out: string[] = [];
  const c = scores[chosen];
  if (!c) return out;
  let best = 0;
  for (let g = 1; g < scores.length; g++) if (scores[g].lossWithNoise < scores[best].lossWithNoise) best = g;
  const b = scores[best];
  // The least loss with noise included among the other starts: what the kept start had to beat.
  let other = -1;
  for (let g = 0; g < scores.length; g++)
    if (g !== chosen && (other < 0 || scores[g].lossWithNoise < scores[other].lossWithNoise)) other = g;
  const o = other >= 0 ? scores[other] : null;
  // (Without an error bar — fewer than 4 exploration steps in the tail — nothing is claimed.)
  // A start with the least loss with noise included was kept on that loss, not on its unbiased
  // estimate, however negative the estimate (a start at the right coupling has a true loss near 0).
  if (o && best !== chosen && c.lossError > 0 && c.loss + 2 * c.lossError < 0 && -c.loss > o.lossWithNoise) {
    out.push(
      `exploration kept the start t0 = ${c.t0} on a negative loss estimate (${fmt(c.loss)} ± ${fmt(c.lossError)}), ` +
        `larger in size than the loss with noise included of the best other start, t0 = ${o.t0} (${fmt(o.lossWithNoise)}): ` +
        "an unbiased estimate that far below zero is sampling noise, not a good fit",
    );
  }
  if (compareWithBest && best !== chosen && c.lossWithNoise > noiseRatio * b.lossWithNoise) {
    out.push(
      `exploration kept the start t0 = ${c.t0} although its loss with sampling noise included ` +
        `(${fmt(c.lossWithNoise)}) is ${fmt(c.lossWithNoise / b.lossWithNoise)}× that of t0 = ${b.t0} ` +
        `(${fmt(b.lossWithNoise)}): its own loss estimate (${fmt(c.loss)}) was within its noise`,
    );
  }
  return out;
}

/** The slot the attention chose. */
export interface ChosenLink {
  name: string;
  kind: string;
  weight: number;
}

/**
 * A link parallel to the original one (the identity or a translation of it) maps the model onto
 * itself, never onto its dual: the dual variable of a link lives on the perpendicular link that
 * crosses it (or a translate of that one).
 */
export function attentionFailures(chosen: ChosenLink): string[] {
  if (chosen.kind !== "identity" && chosen.kind !== "parallel-other") return [];
  return [
    `the map reads the link ${chosen.name} (${chosen.kind}, weight ${chosen.weight.toFixed(3)}), parallel to the ` +
      "original link: such a map relates the model to itself, it cannot carry the dual",
  ];
}

function fmt(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(2) : v.toPrecision(3);
}
