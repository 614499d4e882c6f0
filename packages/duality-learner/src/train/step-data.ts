// What one training step of one group takes (its samples) and reports (its losses and
// schedules), apart from the step itself (./steps.ts) so the update rules share these shapes
// without importing the step that dispatches to them.

/** The samples of one group for one step. */
export interface StepData {
  /** Link variables `[S][2N]`, chain-major (first half of the rows = half A). */
  x: Float64Array;
  /** Term sums `[S][4]`. */
  terms: Float64Array;
  samples: number;
  /** Global step (keys, schedules). */
  step: number;
  /** Step within the training phase, or null during exploration. */
  trainStep: number | null;
}

/** What a step reports. */
export interface StepOutput {
  loss: number;
  lossUnbiased: number;
  /**
   * What exploration ranks the starts by. Exact mode: the profile loss at this t, i.e. the least
   * unbiased loss over the non-trivial slots (each with its solved head), independent of how far
   * the attention has converged. Other modes: lossUnbiased + identity penalty.
   */
  objective: number;
  /** The same with the pooled losses (sampling noise included, never negative). */
  objectivePooled: number;
  tau: number;
  lrFactor: number;
}
