// A simulation as time slices: one state vector advanced in units of steps, with a snapshot every
// `every` steps. The state after a unit is all the integration needs to go on, so a run can stop
// after any unit and continue later from the snapshots so far and that state, bit for bit.
import type { NamedArray, SimulateSystemName } from "./simulation-names.js";

/** What integrating a named system takes: its state, how it advances, and what the snapshots give. */
export interface SimulationPlan {
  readonly system: SimulateSystemName;
  readonly h: number;
  /** Time steps integrated in all. */
  readonly steps: number;
  /** Steps between two snapshots. */
  readonly every: number;
  /** Snapshots recorded: the initial state, then one after every `every` steps (up to `steps`). */
  readonly snapshots: number;
  /**
   * Steps of the smallest advance after which the integration can stop and continue exactly from
   * the state: 1 for the one-step ODE integrators; `every` for the field integrators, whose calls
   * keep working state of their own (KdV's Fourier coefficients) between the steps of one call.
   */
  readonly unit: number;
  /** Numbers in the state, and so in one snapshot. */
  readonly width: number;
  /** Trajectories integrated side by side (1 for a field): the progress counts steps of each. */
  readonly trajectories: number;
  /** The state at time 0, a fresh array. */
  initial(): Float64Array;
  /** Advances `state` in place by `steps` steps (a multiple of `unit`). */
  advance(state: Float64Array, steps: number): void;
  /** The arrays of the run and each conserved quantity's relative drift, from every snapshot ([snapshots, width]). */
  finish(snapshots: Float64Array): { arrays: NamedArray[]; drift: Record<string, number> };
}

/** Where an integration stands after a unit: what a checkpoint stores. */
export interface SlicePosition {
  /** Steps integrated. */
  readonly step: number;
  /** Snapshots recorded so far (the first `recorded` rows of `snapshots`). */
  readonly recorded: number;
  /** [snapshots, width], filled up to `recorded` rows. */
  readonly snapshots: Float64Array;
  /** The state after `step` steps. */
  readonly state: Float64Array;
}

/** Options of {@link integrateSlices}. */
export interface SliceOptions {
  /** Continue from here (a position an earlier integration of the same plan reached) instead of time 0. */
  from?: SlicePosition;
  /** Hears the steps done of all trajectories (summed) after each snapshot. */
  progress?: (done: number, total: number) => void;
  /**
   * Hears the position after every unit before the last: where a run may checkpoint. The arrays
   * are the integration's own, changed by the next unit: copy what is kept.
   */
  afterUnit?: (at: SlicePosition) => void;
}

/** Integrates `plan` from time 0 (or `from`) to its end and returns every snapshot ([snapshots, width]). */
export function integrateSlices(plan: SimulationPlan, opts: SliceOptions = {}): Float64Array {
  const { width, every, steps, trajectories } = plan;
  const { from } = opts;
  const snapshots = new Float64Array(plan.snapshots * width);
  let state: Float64Array;
  let recorded: number;
  if (from) {
    snapshots.set(from.snapshots.subarray(0, from.recorded * width));
    state = from.state.slice();
    recorded = from.recorded;
  } else {
    state = plan.initial();
    snapshots.set(state);
    recorded = 1;
  }
  for (let s = from?.step ?? 0; s < steps; ) {
    plan.advance(state, plan.unit);
    s += plan.unit;
    if (s % every === 0) {
      snapshots.set(state, (s / every) * width);
      recorded = s / every + 1;
      opts.progress?.(s * trajectories, steps * trajectories);
    }
    if (s < steps) opts.afterUnit?.({ step: s, recorded, snapshots, state });
  }
  return snapshots;
}
