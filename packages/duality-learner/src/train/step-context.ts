// The fixed context of a run's training steps, built from the configuration alone (plus the
// target's means): the learner and the step tests build it here, so they cannot drift apart.
import type { LinkShape, SquareLattice } from "@physml/lattice-core";
import { type DualityConfig, learnedTermIndices } from "../config.js";
import { type SlotMomentPlan, slotMomentPlan } from "../model/moment-plan.js";
import { type MomentLayout, momentLayout } from "../model/moments.js";
import { FeatureGeometry } from "../model/observable.js";
import { type CandidateSlot, candidateSlots, windowTable } from "../model/window.js";

/** What every step needs and never changes. */
export interface StepContext {
  config: DualityConfig;
  lattice: SquareLattice;
  slots: readonly CandidateSlot[];
  window: Int32Array;
  geometry: FeatureGeometry;
  layout: MomentLayout;
  /** Which slots share which moment sums (see `slotMomentPlan`). */
  momentPlan: SlotMomentPlan;
  target: Float64Array;
  termIndices: number[];
  trivial: Int32Array;
}

/**
 * The {@link StepContext} of a run: the candidate window's slots and table on `lattice`, the
 * feature geometry and moment layout of `shapes`, the target means, the learned couplings and
 * the trivial slots (those the identity penalty counts).
 */
export function stepContextOf(
  config: DualityConfig,
  lattice: SquareLattice,
  shapes: readonly LinkShape[],
  targetMean: ArrayLike<number>,
): StepContext {
  const slots = candidateSlots(config.observable.window);
  const window = windowTable(lattice, slots);
  const layout = momentLayout(lattice, shapes);
  return {
    config,
    lattice,
    slots,
    window,
    geometry: new FeatureGeometry(lattice, slots, window, shapes),
    layout,
    momentPlan: slotMomentPlan(lattice, layout, slots, window),
    target: Float64Array.from(targetMean),
    termIndices: learnedTermIndices(config),
    trivial: Int32Array.from(slots.flatMap((s, k) => (s.trivial ? [k] : []))),
  };
}
