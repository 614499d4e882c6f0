// Optimiser states as JSON for checkpoints (a learner's checkpoint is its state). Vectors go
// through saveParams, whose numbers round-trip exactly, so a run resumed from a checkpoint
// continues bit for bit. Each reader checks the stored state against the model it is to continue.

import { isObject } from "@physml/lattice-core";
import { tensor } from "../core/create.js";
import { AutodiffInputError } from "../errors.js";
import { loadParams, saveParams } from "../nn/serialize.js";
import { type TreeLike, treeLeaves } from "../transforms/tree.js";
import type { AdamState } from "./adam.js";
import type { LbfgsMinimizeState } from "./lbfgs.js";

/** Adam's state as stored: its step count and its moments, each a saveParams list of vectors. */
export interface AdamStateJson {
  step: number;
  m: string;
  v: string;
}

/** A line-searched L-BFGS run between iterations, as stored (see {@link LbfgsMinimizeState}). */
export interface LbfgsMinimizeStateJson {
  iterations: number;
  params: string;
  s: string;
  y: string;
}

const vectors = (xs: readonly Float64Array[]): string =>
  saveParams(xs.map((x) => tensor(Float64Array.from(x), [x.length])));

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** Reads vectors written by {@link vectors}: `count` of them (any count if null), each of `size(i)`. */
function readVectors(
  json: unknown,
  field: string,
  count: number | null,
  size: (i: number) => number,
): Float64Array[] {
  let xs: Float64Array[];
  try {
    xs = treeLeaves(loadParams(String(json)), field).map((t) => Float64Array.from(t.toFloat64Array()));
  } catch (e) {
    throw new AutodiffInputError(field, "vectors written by saveParams", typeof json, (e as Error).message);
  }
  if ((count !== null && xs.length !== count) || xs.some((x, i) => x.length !== size(i))) {
    const want =
      count === null ? `vectors of size ${size(0)}` : `${count} vectors of sizes ${sizesText(count, size)}`;
    throw new AutodiffInputError(
      field,
      want,
      `${xs.length} vectors of sizes ${xs.map((x) => x.length).join(", ")}`,
    );
  }
  return xs;
}

const sizesText = (count: number, size: (i: number) => number): string =>
  Array.from({ length: count }, (_, i) => size(i)).join(", ");

/** Adam's state in stored form. */
export function saveAdamState(state: AdamState): AdamStateJson {
  return { step: state.step, m: vectors(state.m), v: vectors(state.v) };
}

/**
 * Reads an Adam state stored by {@link saveAdamState} for the parameters shaped like `template`:
 * one moment vector per leaf, of the leaf's size. Throws an AutodiffInputError naming
 * `field.step`, `field.m` or `field.v` otherwise.
 */
export function loadAdamState(raw: unknown, template: TreeLike, field: string): AdamState {
  if (!isObject(raw))
    throw new AutodiffInputError(field, "an Adam state written by saveAdamState", typeof raw);
  if (!isCount(raw.step)) throw new AutodiffInputError(`${field}.step`, "an integer >= 0", raw.step);
  const sizes = treeLeaves(template, field).map((t) => t.size);
  const read = (k: "m" | "v") => readVectors(raw[k], `${field}.${k}`, sizes.length, (i) => sizes[i]);
  return { step: raw.step, m: read("m"), v: read("v") };
}

/** A line-searched L-BFGS run's state in stored form. */
export function saveLbfgsMinimizeState(state: LbfgsMinimizeState): LbfgsMinimizeStateJson {
  return {
    iterations: state.iterations,
    params: vectors([state.params]),
    s: vectors(state.s),
    y: vectors(state.y),
  };
}

/**
 * Reads an L-BFGS state stored by {@link saveLbfgsMinimizeState} for the parameters shaped like
 * `template` with at most `historySize` curvature pairs. Throws an AutodiffInputError naming the
 * field otherwise.
 */
export function loadLbfgsMinimizeState(
  raw: unknown,
  template: TreeLike,
  historySize: number,
  field: string,
): LbfgsMinimizeState {
  if (!isObject(raw))
    throw new AutodiffInputError(field, "an L-BFGS state written by saveLbfgsMinimizeState", typeof raw);
  if (!isCount(raw.iterations))
    throw new AutodiffInputError(`${field}.iterations`, "an integer >= 0", raw.iterations);
  const n = treeLeaves(template, field).reduce((a, t) => a + t.size, 0);
  const [params] = readVectors(raw.params, `${field}.params`, 1, () => n);
  const s = readVectors(raw.s, `${field}.s`, null, () => n);
  const y = readVectors(raw.y, `${field}.y`, s.length, () => n);
  if (s.length > historySize)
    throw new AutodiffInputError(`${field}.s`, `at most ${historySize} curvature pairs`, s.length);
  return { iterations: raw.iterations, params, s, y };
}
