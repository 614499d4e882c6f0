// What the viewer's JSON API answers, read from the runs directory through @physml/runs
// (summaries, config.json, result.json) and lattice-core (.npy, exact values). Every function
// takes paths already checked by resolveInside, and a `current` reading of each stored summary
// (the CLI's renamed and added fields: the viewer shows a run as `physml runs show` does).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { decodeNpy } from "@physml/lattice-core";
import { listRuns, type RunSummary, summarizeRun } from "@physml/runs";
import { resolveInside, ViewerPathError } from "./paths.js";
import { type ExactValue, exactCurve, exactOf, type Reference, referenceOf } from "./reference.js";

/**
 * How a stored run summary reads under the current field names (renamed fields under today's
 * names, fields added since it was written at the value that run had). The viewer knows no run
 * kind's history: `physml view` passes the CLI's readers; by default a summary reads as stored.
 */
export type CurrentSummary = (summary: RunSummary) => RunSummary | Promise<RunSummary>;

const asStored: CurrentSummary = (summary) => summary;

/** A directory whose runs form a sweep (points of one kind side by side). */
export interface SweepSummary {
  dir: string;
  kind: string;
  points: number;
}

/** The answer of `/api/runs`. */
export interface RunList {
  root: string;
  runs: Omit<RunSummary, "config">[];
  sweeps: SweepSummary[];
}

/**
 * Whether `rel` is the canonical path of a directory inside `root`: a run reached through a
 * symlink is listed only where it really is (once), and never when it lies outside.
 */
function canonical(root: string, rel: string): boolean {
  try {
    return resolveInside(root, rel) === join(root, rel);
  } catch {
    return false;
  }
}

/** Every run under `root` (sweep points included) and the sweeps they form. */
export async function runList(root: string, current: CurrentSummary = asStored): Promise<RunList> {
  const stored = listRuns(root).filter((r) => canonical(root, r.dir));
  const runs = (await Promise.all(stored.map((r) => current(r)))).map(({ config: _c, ...r }) => r);
  const groups = new Map<string, { kind: string; points: number }>();
  for (const r of runs) {
    if (r.dir === ".") continue;
    const key = `${dirname(r.dir)}\u0000${r.kind}`;
    const g = groups.get(key) ?? { kind: r.kind, points: 0 };
    g.points++;
    groups.set(key, g);
  }
  // A sweep: a directory with a sweep.json manifest, or a subdirectory holding two or more runs of one kind.
  const sweeps = [...groups.entries()]
    .map(([key, g]) => ({ dir: key.split("\u0000")[0], kind: g.kind, points: g.points }))
    .filter((s) => (s.points >= 2 && s.dir !== ".") || existsSync(join(root, s.dir, "sweep.json")));
  return { root, runs, sweeps };
}

/** A stored array: its name and size on disk. */
export interface ArrayEntry {
  name: string;
  bytes: number;
}

/** The answer of `/api/run`. */
export interface RunDetail {
  run: string;
  summary: RunSummary;
  /** The exact value the run should learn (known before it finishes), or null. */
  exact: ExactValue | null;
  /** The result next to its exact value, once the run has a result. */
  reference: Reference | null;
  arrays: ArrayEntry[];
  hasReport: boolean;
}

/** One run: summary with config and result, its exact reference, arrays and report. */
export async function runDetail(
  root: string,
  dir: string,
  current: CurrentSummary = asStored,
): Promise<RunDetail> {
  const summary = await current({ ...summarizeRun(dir), dir: relative(root, dir) || "." });
  const arraysDir = join(dir, "arrays");
  let arrays: ArrayEntry[] = [];
  try {
    arrays = readdirSync(arraysDir)
      .filter((n) => n.endsWith(".npy"))
      .sort()
      .map((n) => ({ name: n.slice(0, -4), bytes: statSync(join(arraysDir, n)).size }));
  } catch {}
  let hasReport = false;
  try {
    hasReport = statSync(join(dir, "report.html")).isFile();
  } catch {}
  return {
    run: summary.dir,
    summary,
    exact: exactOf(summary.kind, summary.config),
    reference: summary.error ? null : referenceOf(summary.kind, summary.config, summary.result),
    arrays,
    hasReport,
  };
}

/** The most elements of an array sent to the page (a 64 × 512 × 512 stack of spins). */
export const MAX_ARRAY_ELEMENTS = 1 << 24;

/** The answer of `/api/array`: a decoded .npy (integers and floats as JSON numbers). */
export interface ArrayData {
  name: string;
  dtype: string;
  shape: number[];
  data: number[];
}

/** Decodes `arrays/<name>.npy` of the run in `dir` with lattice-core's codec. */
export function arrayData(dir: string, name: string): ArrayData {
  if (!/^[\w.-]+$/.test(name) || name.startsWith("."))
    throw new ViewerPathError(400, `array name ${JSON.stringify(name)}: letters, digits, _ . - only`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(join(dir, "arrays", `${name}.npy`)));
  } catch {
    throw new ViewerPathError(404, `arrays/${name}.npy: not found`);
  }
  const { data, shape, dtype } = decodeNpy(bytes);
  if (data.length > MAX_ARRAY_ELEMENTS)
    throw new Error(
      `arrays/${name}.npy has ${data.length} elements; the viewer shows at most ${MAX_ARRAY_ELEMENTS}`,
    );
  return { name, dtype, shape, data: Array.from(data as ArrayLike<number | bigint>, Number) };
}

/** One point of a sweep curve. */
export interface SweepPoint {
  run: string;
  beta: number;
  t0: number;
  t0Error: number | null;
  exact: number | null;
  status: RunSummary["status"];
}

/** The answer of `/api/sweep`: learned |t0|(β) with error bars and the exact KW curve. */
export interface SweepData {
  dir: string;
  points: SweepPoint[];
  exact: { beta: number[]; dual: number[] } | null;
  /** Runs of the sweep that have no point (unfinished, unreadable, other kinds), and why. */
  skipped: { run: string; why: string }[];
}

/** The duality runs directly under `dir` as a t0(β) curve against the exact one. */
export async function sweepData(
  root: string,
  dir: string,
  current: CurrentSummary = asStored,
): Promise<SweepData> {
  const points: SweepPoint[] = [];
  const skipped: SweepData["skipped"] = [];
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  let exactPossible = true;
  for (const name of entries) {
    const runDir = join(dir, name);
    const run = relative(root, runDir);
    let summary: RunSummary;
    try {
      statSync(join(runDir, "config.json"));
      summary = summarizeRun(runDir);
    } catch {
      continue;
    }
    summary = await current(summary);
    const config = summary.config as Record<string, unknown> | null;
    const res = summary.result;
    if (summary.error) skipped.push({ run, why: summary.error });
    else if (summary.kind !== "duality-kw") skipped.push({ run, why: `a ${summary.kind} run` });
    else if (!res || typeof res.t0 !== "number")
      skipped.push({ run, why: `${summary.status}, no result yet` });
    else {
      const beta = config?.beta as number;
      const ref = referenceOf(summary.kind, config, res);
      if (!ref) exactPossible = false;
      points.push({
        run,
        beta,
        t0: Math.abs(res.t0),
        t0Error: typeof res.t0Error === "number" ? res.t0Error : null,
        exact: ref?.exact ?? null,
        status: summary.status,
      });
    }
  }
  points.sort((a, b) => a.beta - b.beta);
  const exact =
    points.length && exactPossible ? exactCurve(points[0].beta, points[points.length - 1].beta) : null;
  return { dir: relative(root, dir) || ".", points, exact, skipped };
}
