// The neighbourhood-chunk driver: Levenberg–Marquardt steps of every start, and the result — the
// start with the lowest loss per non-triviality that did not end on the edge of an excluded cone
// (those found only a trivial line). Near O = 1 the pair differences vanish to second order (to
// first order every path of one length sums the same single-link expectation), so the loss falls
// like θ⁴ towards the trivial line, θ the angle from it: a table just outside the cone can have
// a lower raw loss than an exact line whose loss is sampling noise. Ranking by loss / sin⁴θ
// (θ the angle to the nearest trivial line) compares the two on the scale of the trivial line's
// own curvature.
import { LINK_TYPES } from "../data/link-types.js";
import {
  initNeighbourhoodLearner,
  type NeighbourhoodLearnerOptions,
  type NeighbourhoodLearnerState,
  type NeighbourhoodStepMetrics,
  neighbourhoodStep,
} from "./neighbourhood-learner.js";
import { lineAngle } from "./neighbourhood-table.js";

export interface NeighbourhoodStart {
  table: number[];
  loss: number;
  /** loss / sin⁴θ, θ the angle to the nearest trivial line: what the starts are ranked by. */
  score: number;
  /** Ended on the edge of a cone around a trivial line. */
  trivial: boolean;
}

export interface NeighbourhoodLearnResult {
  /** The chosen start's table (Σ O² = 6), or undefined when every start was trivial. */
  table?: Float64Array;
  loss?: number;
  starts: NeighbourhoodStart[];
  /** The loss of every start after each step this call took (after `from`'s, when it continued a state). */
  history: NeighbourhoodStepMetrics[];
}

/** Below this distance (radians) from a cone's edge a start counts as stuck there. */
const EDGE_TOL = 1e-3;

/**
 * Runs the learner's `o.steps` steps, from its starts or from `from` (a state of a learner with
 * the same options, e.g. a checkpoint's: the result is then the uninterrupted run's bit for bit);
 * `onStep` hears each step's metrics and the state after it.
 */
export function learnNeighbourhoodLine(
  o: NeighbourhoodLearnerOptions,
  onStep?: (m: NeighbourhoodStepMetrics, state: NeighbourhoodLearnerState) => void,
  from?: NeighbourhoodLearnerState,
): NeighbourhoodLearnResult {
  let state = from ?? initNeighbourhoodLearner(o);
  const history: NeighbourhoodStepMetrics[] = [];
  while (state.step < o.steps) {
    let m: NeighbourhoodStepMetrics;
    [state, m] = neighbourhoodStep(state, o);
    history.push(m);
    onStep?.(m, state);
  }
  const starts = Array.from(state.loss, (loss, s) => {
    const table = state.tables.slice(s * LINK_TYPES, (s + 1) * LINK_TYPES);
    const theta = Math.min(...o.trivial.map((z) => lineAngle(table, z)));
    const trivial = theta < o.exclusion + EDGE_TOL;
    return { table, loss, score: loss / Math.sin(theta) ** 4, trivial };
  });
  let best: number | undefined;
  for (let i = 0; i < starts.length; i++)
    if (!starts[i].trivial && (best === undefined || starts[i].score < starts[best].score)) best = i;
  return {
    ...(best !== undefined ? { table: starts[best].table, loss: starts[best].loss } : {}),
    starts: starts.map((s) => ({
      table: Array.from(s.table),
      loss: s.loss,
      score: s.score,
      trivial: s.trivial,
    })),
    history,
  };
}
