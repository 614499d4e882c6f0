// The checkpoints of a lines run directory: once the sample sets are on disk (arrays/train.npy
// and arrays/fresh.npy, int8 spins [configurations, L, L]), after each finished geometry, stored
// with its result, check and failures, and inside a geometry its learner's state after a step,
// at most every `checkpointSeconds` (JSON numbers in shortest round-trip form, so a resumed run
// reports the same bits). A checkpoint's step counts the run's units of work: the sampling, then
// per geometry its learner steps and its validation, so after i finished geometries and s steps
// of the next it is 1 + i·(steps + 1) + s (written before that by 1 + i, with no learner state;
// such a checkpoint still resumes). The stored sampling time is the attempt's that sampled, so
// `sampleSeconds` stays what the sampling took.
import type { Run } from "@physml/runs";
import type { LinesConfig } from "../config.js";
import type { Geometry } from "../paths/paths.js";
import type { LearnerState } from "../train/learner.js";
import type { NeighbourhoodLearnerState } from "../train/neighbourhood-learner.js";
import {
  loadLearnerState,
  loadNeighbourhoodLearnerState,
  saveLearnerState,
  saveNeighbourhoodLearnerState,
} from "../train/state-json.js";
import { geometriesOf } from "./lines.js";
import type { FinishedGeometry, LinesPhases } from "./phases.js";
import type { LineSamples } from "./samples.js";
import { currentFinishedGeometry } from "./stored-lines.js";

/** A learner state of either chunk. */
export type AnyLearnerState = LearnerState | NeighbourhoodLearnerState;

/** What a lines checkpoint holds besides the arrays (its learner state read back). */
export interface LinesState {
  /** The nn coupling sampled. */
  K: number;
  /** Configurations per sample set. */
  count: number;
  sampleSeconds: number;
  /** The first geometries of the run, finished. */
  geometries: FinishedGeometry<{ geometry: string }, { geometry: string }>[];
  /** The geometry after them, under way: its learner's state after `learner.step` steps (absent between geometries). */
  training?: { geometry: Geometry; learner: AnyLearnerState };
}

/** Seconds of learning between two checkpoints inside a geometry (the default of `checkpointSeconds`). */
export const LINES_CHECKPOINT_SECONDS = 10;

const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/**
 * A stored state (its geometries in the current shape, see stored-lines.ts) checked against the
 * run's configuration `c` (throws to fall back to an older checkpoint).
 */
export function checkLinesState(raw: unknown, c: LinesConfig): LinesState {
  const stored = raw as { geometries?: unknown } | null;
  const s = (
    typeof stored === "object" && stored !== null && Array.isArray(stored.geometries)
      ? { ...stored, geometries: stored.geometries.map(currentFinishedGeometry) }
      : stored
  ) as Partial<LinesState> | null;
  const order = geometriesOf(c);
  const ok =
    typeof s === "object" &&
    s !== null &&
    finite(s.K) &&
    s.count === c.chains * c.samplesPerChain &&
    finite(s.sampleSeconds) &&
    Array.isArray(s.geometries) &&
    s.geometries.length <= order.length &&
    s.geometries.every(
      (f, i) =>
        typeof f?.result === "object" &&
        f.result?.geometry === order[i] &&
        f.check?.geometry === order[i] &&
        Array.isArray(f.failures) &&
        f.failures.every((m) => typeof m === "string"),
    );
  if (!ok) throw new Error(`not a duality lines state of geometries ${order.join(", ")}`);
  const training = (s as { training?: unknown }).training;
  if (training === undefined) return s as LinesState;
  const state = s as LinesState;
  return { ...state, training: trainingOf(training, c, order[state.geometries.length]) };
}

/** A stored `training` read back for the geometry `next` of a run of configuration `c` (throws when it does not fit). */
function trainingOf(stored: unknown, c: LinesConfig, next: Geometry | undefined): LinesState["training"] {
  const t = stored as { geometry?: unknown; learner?: unknown } | null;
  if (typeof t !== "object" || t === null || next === undefined || t.geometry !== next)
    throw new Error(`its learner state is not of the geometry under way (${next ?? "none"})`);
  const shape = { starts: c.starts, steps: c.steps };
  const learner =
    c.chunk === "table"
      ? loadLearnerState(t.learner, shape, "training.learner")
      : loadNeighbourhoodLearnerState(t.learner, shape, "training.learner");
  return { geometry: next, learner };
}

/** A learner state of either chunk in stored form. */
function storedLearner(s: AnyLearnerState): object {
  return "phi" in s ? saveLearnerState(s) : saveNeighbourhoodLearnerState(s);
}

/** The checkpoint step after `finished` geometries and `step` learner steps of the next (see the file's head). */
export function linesCheckpointStep(c: LinesConfig, finished: number, step = 0): number {
  return 1 + finished * (c.steps + 1) + step;
}

/** What a state holds finished, for the log line of a resume (`steps`: the learner's steps per geometry). */
export function finishedParts(s: LinesState, steps: number): string {
  const done = s.geometries.map((f) => f.result.geometry);
  const t = s.training;
  return [
    `${s.count} + ${s.count} configurations sampled`,
    ...(done.length ? [`${done.join(", ")} finished`] : []),
    ...(t ? [`${t.geometry} at learner step ${t.learner.step} of ${steps}`] : []),
  ].join("; ");
}

/** Spins `name` of a run whose checkpoint claims `count` configurations of L × L. */
function readSpins(run: Run<LinesConfig>, name: string, count: number): Int8Array {
  const { data, shape } = run.readArray(name);
  const L = run.config.L;
  if (!(data instanceof Int8Array) || shape.join() !== [count, L, L].join())
    throw new Error(`arrays/${name}.npy is not ${count} int8 configurations of ${L} × ${L}`);
  return data;
}

/**
 * The phases of a lines run in `run`: the parts `state` (its newest checkpoint's, if any) holds
 * finished, and the checkpoints of the parts finished from now on, the learner's state at most
 * every `checkpointSeconds` of learning.
 */
export function checkpointedPhases<G extends { geometry: string }, C extends { geometry: string }, S>(
  run: Run<LinesConfig>,
  state: LinesState | undefined,
  checkpointSeconds = LINES_CHECKPOINT_SECONDS,
): LinesPhases<G, C, S> {
  const c = run.config;
  const L = c.L;
  // a copy: the stored geometries stay as they were while this run adds its own
  let current: Omit<LinesState, "training"> | undefined = state && {
    K: state.K,
    count: state.count,
    sampleSeconds: state.sampleSeconds,
    geometries: [...state.geometries],
  };
  let last = performance.now();
  const save = (step: number, s: object) => {
    run.saveCheckpoint(step, s);
    last = performance.now();
  };
  const stored: Pick<LinesPhases<G, C, S>, "samples" | "finished" | "training"> = state
    ? {
        samples: {
          K: state.K,
          count: state.count,
          seconds: state.sampleSeconds,
          train: readSpins(run, "train", state.count),
          fresh: readSpins(run, "fresh", state.count),
        } satisfies LineSamples,
        finished: state.geometries as FinishedGeometry<G, C>[],
        ...(state.training ? { training: state.training.learner as S } : {}),
      }
    : {};
  return {
    ...stored,
    onSampled: (s) => {
      run.writeArray("train", s.train, [s.count, L, L]);
      run.writeArray("fresh", s.fresh, [s.count, L, L]);
      current = { K: s.K, count: s.count, sampleSeconds: s.seconds, geometries: [] };
      save(linesCheckpointStep(c, 0), current);
    },
    onGeometry: (f) => {
      if (!current) throw new Error("a geometry finished before the samples were stored");
      current.geometries.push(f);
      save(linesCheckpointStep(c, current.geometries.length), current);
    },
    onTraining: (g, learner) => {
      if (!current) throw new Error("a geometry was learned before the samples were stored");
      if (performance.now() - last < 1000 * checkpointSeconds) return;
      const l = learner as AnyLearnerState;
      save(linesCheckpointStep(c, current.geometries.length, l.step), {
        ...current,
        training: { geometry: g, learner: storedLearner(l) },
      });
    },
  };
}
