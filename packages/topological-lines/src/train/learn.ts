// The driver: runs the learner's steps and picks the result — the lowest-loss start that did
// not end on the edge of the excluded cone (those found only the trivial line).
import {
  initLearner,
  type LearnerOptions,
  type LearnerState,
  learnerStep,
  polishAngle,
  type StepMetrics,
} from "./learner.js";
import { angleDiff, pathLoss, TRIVIAL_ANGLE } from "./table.js";

export interface StartResult {
  phiDeg: number;
  loss: number;
  /** Ended on the edge of the cone around the trivial line. */
  trivial: boolean;
}

export interface LearnResult {
  /** The chosen start's polished angle (radians), or undefined when every start was trivial. */
  phi?: number;
  starts: StartResult[];
  /** The metrics of the steps this call took (after `from`'s, when it continued a state). */
  history: StepMetrics[];
}

/** Below this distance (radians) from the cone's edge a start counts as stuck there. */
const EDGE_TOL = 1e-3;

/**
 * Runs the learner's `o.steps` steps, from its first state or from `from` (a state of a learner
 * with the same options, e.g. a checkpoint's: the result is then the uninterrupted run's bit for
 * bit); `onStep` hears each step's metrics and the state after it.
 */
export function learnLine(
  o: LearnerOptions,
  onStep?: (m: StepMetrics, state: LearnerState) => void,
  from?: LearnerState,
): LearnResult {
  let state = from ?? initLearner(o);
  const history: StepMetrics[] = [];
  while (state.step < o.steps) {
    let m: StepMetrics;
    [state, m] = learnerStep(state, o);
    history.push(m);
    onStep?.(m, state);
  }
  const starts = Array.from(state.phi.toFloat64Array(), (p) => {
    const trivial = Math.abs(angleDiff(p, TRIVIAL_ANGLE)) < o.exclusion + EDGE_TOL;
    // Polish within the last steps' reach, never into the excluded cone.
    const phi = trivial ? p : polishAngle(o.means, o.pairs, p, 0.02);
    return { phi, trivial };
  });
  const results = starts.map(({ phi, trivial }) => ({
    phiDeg: (((phi % Math.PI) + Math.PI) % Math.PI) * (180 / Math.PI),
    loss: pathLossAt(o, phi),
    trivial,
  }));
  let best: number | undefined;
  for (let i = 0; i < results.length; i++)
    if (!results[i].trivial && (best === undefined || results[i].loss < results[best].loss)) best = i;
  return {
    ...(best !== undefined ? { phi: ((starts[best].phi % Math.PI) + Math.PI) % Math.PI } : {}),
    starts: results,
    history,
  };
}

function pathLossAt(o: LearnerOptions, phi: number): number {
  return pathLoss(o.means, o.pairs, phi).loss;
}
