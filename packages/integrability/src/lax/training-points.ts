// The training points of a fixed-λ connection learner: drawn from the training trajectories'
// snapshots, or in part or in full from random fields at one time (the system's `randomStates`).
// Zero curvature with the equation's t-derivatives is a pointwise identity on the jet, so a Lax
// connection must be flat on any smooth field; fields far from the few trajectories ask for that
// where the trajectories do not.
import { PhysmlInputError, seedPlus } from "@physml/lattice-core";
import {
  concatFieldSamples,
  type FieldSamples,
  type FieldSystem,
  type FieldTrajectories,
  fieldSamples,
} from "../fields/field-system.js";

/** How the training points are drawn. */
export interface TrainingPointOptions {
  /** Training points in all. */
  samples: number;
  /** Random fields at one time to draw points from (default 0: every point from the trajectories). */
  trainingFields?: number;
  /** The share of the points drawn from the random fields when there are any (default 1: all). */
  trainingFieldShare?: number;
  /** The trajectories' grid, which the random fields share. */
  data?: { n?: number; length?: number };
  seed: number;
}

/** Seed offsets of the random fields and of the points drawn from them (the learner uses 1–26 and 1000). */
const FIELDS_SEED = 2000;
const FIELD_POINTS_SEED = 2001;

/**
 * The training points: without random fields, `samples` points from `train` (seed + 1) exactly as
 * before the option existed; with N fields, round(share · samples) points drawn uniformly over the
 * N fields × grid points and the rest from `train`, trajectory points first.
 */
export function trainingSamples(
  system: FieldSystem,
  train: FieldTrajectories,
  o: TrainingPointOptions,
): FieldSamples {
  const fields = o.trainingFields ?? 0;
  if (!Number.isInteger(fields) || fields < 0)
    throw new PhysmlInputError("trainingFields", "an integer >= 0", fields);
  if (fields === 0) return fieldSamples(system, train, o.samples, seedPlus(o.seed, 1));
  const share = o.trainingFieldShare ?? 1;
  if (!(share > 0 && share <= 1))
    throw new PhysmlInputError("trainingFieldShare", "a number in (0, 1]", share);
  if (!system.randomStates)
    throw new PhysmlInputError("trainingFields", `0: ${system.name} has no random fields`, fields);
  const fromFields = Math.max(1, Math.round(share * o.samples));
  const states = system.randomStates({
    count: fields,
    n: o.data?.n,
    length: o.data?.length,
    seed: seedPlus(o.seed, FIELDS_SEED),
  });
  const random = fieldSamples(system, states, fromFields, seedPlus(o.seed, FIELD_POINTS_SEED));
  const fromTrain = o.samples - fromFields;
  if (fromTrain === 0) return random;
  return concatFieldSamples(fieldSamples(system, train, fromTrain, seedPlus(o.seed, 1)), random);
}
