// The checkpoints of a lines run directory: step 1 once the sample sets are on disk
// (arrays/train.npy and arrays/fresh.npy, int8 spins [configurations, L, L]), then step 1 + i
// once i geometries are finished, each stored with its result, check and failures (JSON numbers
// in shortest round-trip form, so a resumed run reports the same bits). The stored sampling time
// is the attempt's that sampled, so `sampleSeconds` stays what the sampling took.
import type { Run } from "@physml/runs";
import type { LinesConfig } from "../config.js";
import { geometriesOf } from "./lines.js";
import type { FinishedGeometry, LinesPhases } from "./phases.js";
import type { LineSamples } from "./samples.js";
import { currentFinishedGeometry } from "./stored-lines.js";

/** What a lines checkpoint holds besides the arrays. */
export interface LinesState {
  /** The nn coupling sampled. */
  K: number;
  /** Configurations per sample set. */
  count: number;
  sampleSeconds: number;
  /** The first geometries of the run, finished. */
  geometries: FinishedGeometry<{ geometry: string }, { geometry: string }>[];
}

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
  return s as LinesState;
}

/** What a state holds finished, for the log line of a resume. */
export function finishedParts(s: LinesState): string {
  const done = s.geometries.map((f) => f.result.geometry);
  return `${s.count} + ${s.count} configurations sampled${done.length ? `; ${done.join(", ")} finished` : ""}`;
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
 * finished, and the checkpoints of the parts finished from now on.
 */
export function checkpointedPhases<G extends { geometry: string }, C extends { geometry: string }>(
  run: Run<LinesConfig>,
  state: LinesState | undefined,
): LinesPhases<G, C> {
  const L = run.config.L;
  // a copy: the stored geometries stay as they were while this run adds its own
  let current = state && { ...state, geometries: [...state.geometries] };
  const stored: Pick<LinesPhases<G, C>, "samples" | "finished"> = state
    ? {
        samples: {
          K: state.K,
          count: state.count,
          seconds: state.sampleSeconds,
          train: readSpins(run, "train", state.count),
          fresh: readSpins(run, "fresh", state.count),
        } satisfies LineSamples,
        finished: state.geometries as FinishedGeometry<G, C>[],
      }
    : {};
  return {
    ...stored,
    onSampled: (s) => {
      run.writeArray("train", s.train, [s.count, L, L]);
      run.writeArray("fresh", s.fresh, [s.count, L, L]);
      current = { K: s.K, count: s.count, sampleSeconds: s.seconds, geometries: [] };
      run.saveCheckpoint(1, current);
    },
    onGeometry: (f) => {
      if (!current) throw new Error("a geometry finished before the samples were stored");
      current.geometries.push(f);
      run.saveCheckpoint(1 + current.geometries.length, current);
    },
  };
}
