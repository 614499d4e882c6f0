// The checkpoint of a `simulate` run: where the integration stands (steps done, the state after
// them as .npy bytes in base64, so every bit and the sign of a zero come back) and the snapshots
// so far, which go to files of their own, `checkpoint/snapshots-<from>-<to>.npy` (rows from … to−1,
// each written once, atomically, before the checkpoint naming it), so a checkpoint costs the
// snapshots new since the one before, not all of them again. After the end, a last checkpoint
// says that the arrays are written, and the snapshot files go.
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { decodeNpy, encodeNpy } from "@physml/lattice-core";
import { atomicWrite, type Run } from "@physml/runs";
import type { SimulationPlan, SlicePosition } from "../data/time-slices.js";

/** Snapshot rows [from, to) stored in one file. */
export type SnapshotBlock = readonly [from: number, to: number];

/** What a finished simulation reports (its arrays by name and shape); `result.json` adds `seconds`. */
export interface SimulationRecord {
  system: string;
  h: number;
  steps: number;
  /** Relative drift of each conserved quantity (max over time). */
  drift: Record<string, number>;
  arrays: Record<string, number[]>;
}

/** A checkpoint's state: the integration under way, or finished with its arrays written. */
export type SimulationCheckpoint =
  | { simulate: "slices"; recorded: number; blocks: SnapshotBlock[]; state: string }
  | { simulate: "finished"; record: SimulationRecord };

/** A checkpoint read back: where to continue from, or the finished run's record. */
export type ResumedSimulation =
  | { position: SlicePosition; blocks: SnapshotBlock[] }
  | { record: SimulationRecord };

const BLOCK = /^snapshots-(\d+)-(\d+)\.npy$/;
const blockName = ([from, to]: SnapshotBlock): string => `snapshots-${from}-${to}.npy`;

const toBase64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

/**
 * Checkpoints `at` after `at.step` steps: the snapshots recorded since the last block (`blocks`) go
 * to a new block file first. Returns the blocks the checkpoint names.
 */
export function saveSimulationCheckpoint(
  run: Run<unknown>,
  plan: SimulationPlan,
  at: SlicePosition,
  blocks: readonly SnapshotBlock[],
): SnapshotBlock[] {
  const end = blocks.at(-1)?.[1] ?? 0;
  const next = [...blocks];
  if (at.recorded > end) {
    const dir = run.file("checkpoint");
    if (!existsSync(dir)) mkdirSync(dir);
    const block: SnapshotBlock = [end, at.recorded];
    const rows = at.snapshots.subarray(end * plan.width, at.recorded * plan.width);
    atomicWrite(join(dir, blockName(block)), encodeNpy(rows, [at.recorded - end, plan.width]));
    next.push(block);
  }
  const state: SimulationCheckpoint = {
    simulate: "slices",
    recorded: at.recorded,
    blocks: next,
    state: toBase64(encodeNpy(at.state, [plan.width])),
  };
  run.saveCheckpoint(at.step, state);
  return next;
}

/**
 * The checkpoint that says the run's arrays are on disk, at the last step; `record.drift` holds
 * non-finite numbers as text, as result.json does.
 */
export function saveFinishedSimulation(
  run: Run<unknown>,
  plan: SimulationPlan,
  record: SimulationRecord,
): void {
  const state: SimulationCheckpoint = { simulate: "finished", record };
  run.saveCheckpoint(plan.steps, state);
}

/** Removes the snapshot files in `checkpoint/` that are not among `keep` (left by a killed write, or no longer needed). */
export function removeSnapshotBlocks(run: Run<unknown>, keep: readonly SnapshotBlock[]): void {
  const dir = run.file("checkpoint");
  if (!existsSync(dir)) return;
  const kept = new Set(keep.map(blockName));
  for (const name of readdirSync(dir)) if (BLOCK.test(name) && !kept.has(name)) unlinkSync(join(dir, name));
}

const isInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);

/** A float64 .npy of `shape` from `bytes`, or an error saying what it is instead. */
function float64Npy(bytes: Uint8Array, shape: readonly number[], what: string): Float64Array {
  let a: ReturnType<typeof decodeNpy>;
  try {
    a = decodeNpy(bytes);
  } catch (e) {
    throw new Error(`${what} does not read as .npy (${(e as Error).message})`);
  }
  if (!(a.data instanceof Float64Array) || a.shape.join() !== shape.join())
    throw new Error(
      `${what} is not float64 of shape [${shape.join(", ")}] (${a.dtype}, [${a.shape.join(", ")}])`,
    );
  return a.data;
}

/**
 * A stored checkpoint state checked against the run's `plan` (throws when it does not fit, so
 * the checkpoint before it is used): the integration under way with its snapshot files read back,
 * or the finished run's record when its arrays are on disk.
 */
export function readSimulationCheckpoint(
  run: Run<unknown>,
  plan: SimulationPlan,
  raw: unknown,
  step: number,
): ResumedSimulation {
  const s = raw as Partial<Record<string, unknown>> | null;
  if (typeof s !== "object" || s === null) throw new Error("not a simulate checkpoint");
  if (s.simulate === "finished") return { record: finishedRecord(run, plan, s.record, step) };
  if (s.simulate !== "slices") throw new Error("not a simulate checkpoint");
  if (!(step > 0 && step < plan.steps && step % plan.unit === 0))
    throw new Error(`step ${step} is not a place this run of ${plan.steps} steps stops at`);
  const recorded = Math.floor(step / plan.every) + 1;
  if (s.recorded !== recorded)
    throw new Error(`it has ${s.recorded} snapshots, not ${recorded}, at step ${step}`);
  const blocks = s.blocks as SnapshotBlock[];
  let end = 0;
  for (const b of Array.isArray(blocks) ? blocks : [null]) {
    if (!Array.isArray(b) || !isInt(b[0]) || !isInt(b[1]) || b[0] !== end || b[1] <= end)
      throw new Error(`its snapshot files do not cover rows 0 to ${recorded - 1} in order`);
    end = b[1];
  }
  if (end !== recorded) throw new Error(`its snapshot files do not cover rows 0 to ${recorded - 1} in order`);
  const snapshots = new Float64Array(plan.snapshots * plan.width);
  for (const b of blocks) {
    const file = join(run.file("checkpoint"), blockName(b));
    if (!existsSync(file)) throw new Error(`checkpoint/${blockName(b)} is missing`);
    const rows = float64Npy(readFileSync(file), [b[1] - b[0], plan.width], `checkpoint/${blockName(b)}`);
    snapshots.set(rows, b[0] * plan.width);
  }
  if (typeof s.state !== "string") throw new Error("its state is not base64 text");
  const state = float64Npy(Buffer.from(s.state, "base64"), [plan.width], "its state");
  return { position: { step, recorded, snapshots, state }, blocks };
}

/** The record of a finished checkpoint, its drift's texts ("NaN", "Infinity") numbers again. */
function finishedRecord(
  run: Run<unknown>,
  plan: SimulationPlan,
  raw: unknown,
  step: number,
): SimulationRecord {
  const r = raw as Partial<SimulationRecord> | null;
  if (
    step !== plan.steps ||
    typeof r !== "object" ||
    r === null ||
    r.system !== plan.system ||
    r.steps !== plan.steps
  )
    throw new Error(`not the end of this run of ${plan.system} over ${plan.steps} steps`);
  if (typeof r.arrays !== "object" || r.arrays === null || typeof r.drift !== "object" || r.drift === null)
    throw new Error("its record has no arrays or drift");
  for (const name of Object.keys(r.arrays))
    if (!run.has(join("arrays", `${name}.npy`))) throw new Error(`arrays/${name}.npy is missing`);
  const drift = Object.fromEntries(Object.entries(r.drift).map(([k, v]) => [k, Number(v)]));
  return { ...(r as SimulationRecord), drift };
}
