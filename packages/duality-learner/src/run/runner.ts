// Runs with a run directory (@physml/runs): one β (kw) or a β sweep, each ending with report.html.
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import {
  acquireLock,
  atomicWrite,
  ensureRunDir,
  openRun,
  provenanceOf,
  type Run,
  type RunMode,
  SWEEP_LOCK,
} from "@physml/runs";
import { type DualityConfigInput, resolveConfig } from "../config.js";
import { learnDuality } from "../train/learner.js";
import { currentDualityResult } from "../train/renamed-fields.js";
import type { DualityResult, LearnHooks, StepMetrics } from "../train/result.js";
import { runReport, type SweepRow, sweepReport } from "./report.js";

/** The `kind` of a single duality run in its config.json. */
export const DUALITY_RUN_KIND = "duality-kw";

/** How to open the run directory: a new run (default), `resume` or `force` (see @physml/runs). */
export interface RunDirOptions {
  out: string;
  resume?: boolean;
  force?: boolean;
  hooks?: LearnHooks;
  /** CPU threads of the sampler and the training steps (see `learnDuality`); the results do not depend on it. */
  workers?: number;
}

function modeOf(opts: { resume?: boolean; force?: boolean }): RunMode {
  if (opts.resume && opts.force) throw new PhysmlInputError("force", "not together with --resume", "both");
  return opts.resume ? "resume" : opts.force ? "force" : "new";
}

/**
 * Learns the dual at one β into the run directory `out` (config.json, target.json,
 * metrics.jsonl, checkpoint/, result.json, report.html). A directory that holds a run is
 * refused unless `resume` (continue it; only the fields given in `config` are compared with the
 * stored ones, and a finished run returns its result) or `force` (archive it, start anew).
 */
export async function runDuality(config: DualityConfigInput, opts: RunDirOptions): Promise<DualityResult> {
  const log = opts.hooks?.log;
  const run = openRun({
    dir: opts.out,
    kind: DUALITY_RUN_KIND,
    input: config,
    resolve: (input) => resolveConfig(input as DualityConfigInput),
    mode: modeOf(opts),
    provenance: provenanceOf(import.meta.url),
    log,
  });
  try {
    // a non-finite number stored as its text is read as the number, as a new run returns it
    let result = currentDualityResult(run.resultNumbers<DualityResult>());
    if (result) {
      log?.(`${opts.out} holds a finished run; reporting its result`);
    } else {
      if (run.status === "resumed") log?.(`resuming the run in ${opts.out}`);
      result = await learnDuality(run.config, { run, hooks: opts.hooks, workers: opts.workers });
    }
    // Both are written after result.json: a run killed before them gets them when resumed.
    if (!run.has("arrays/spins.npy")) saveFinalSpins(run, result);
    if (!run.has("report.html"))
      run.writeText("report.html", await runReport(result, run.readMetricNumbers<StepMetrics>()));
    run.close();
    return result;
  } catch (e) {
    run.abandon(e);
    throw e;
  }
}

/**
 * arrays/spins.npy: the learned model's chains after the last training step (chains × Ly × L, ±1, site
 * (x, y) at [y][x]), taken from the final checkpoint, so viewers can draw the configurations.
 */
function saveFinalSpins(run: Run<unknown>, result: DualityResult): void {
  const last = run.loadCheckpoint((state) => state as { spins?: unknown });
  if (typeof last?.state.spins !== "string") return;
  const spins = new Int8Array(Buffer.from(last.state.spins, "base64"));
  const sites = result.L * result.Ly;
  if (spins.length === 0 || spins.length % sites !== 0) return;
  run.writeArray("spins", spins, [spins.length / sites, result.Ly, result.L]);
}

/** Parses `lo:hi:step` (inclusive, rounded to 1e-9) or a comma-separated list of distinct β values. */
export function parseBetas(spec: string): number[] {
  return parseGridValues(spec, "betas", true);
}

/** Parses the plaquette couplings κ of a sweep: like {@link parseBetas}, but 0 and κ < 0 are allowed. */
export function parsePlaquettes(spec: string): number[] {
  return parseGridValues(spec, "plaquettes", false);
}

/** Parses the next-nearest-neighbour couplings of a sweep, as {@link parsePlaquettes}. */
export function parseNnns(spec: string): number[] {
  return parseGridValues(spec, "nnns", false);
}

function parseGridValues(spec: string, field: string, positive: boolean): number[] {
  const what = positive ? "β" : "κ";
  const bad = (why = "") =>
    new PhysmlInputError(
      field,
      positive
        ? `lo:hi:step with 0 < lo ≤ hi, step > 0 and at most ${MAX_SWEEP_POINTS} points, or a comma-separated list of distinct β > 0`
        : `lo:hi:step with lo ≤ hi, step > 0 and at most ${MAX_SWEEP_POINTS} points, or a comma-separated list of distinct κ`,
      spec,
      why || undefined,
    );
  const strict = (s: string) =>
    /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(s) && (!positive || !s.trim().startsWith("-"))
      ? Number(s)
      : Number.NaN;
  if (spec.includes(":")) {
    const parts = spec.split(":").map(strict);
    if (parts.length !== 3 || parts.some((v) => !Number.isFinite(v))) throw bad();
    const [lo, hi, step] = parts;
    if (!((!positive || lo > 0) && hi >= lo && step > 0)) throw bad();
    const n = Math.floor((hi - lo) / step + 1e-9) + 1;
    if (n > MAX_SWEEP_POINTS) throw bad(`${n} points`);
    const out: number[] = [];
    for (let k = 0; lo + k * step <= hi + 1e-9; k++) out.push(Number((lo + k * step).toFixed(9)) + 0);
    return out;
  }
  const out = spec.split(",").map(strict);
  if (out.length === 0 || out.some((v) => !Number.isFinite(v) || (positive && v <= 0))) throw bad();
  if (out.length > MAX_SWEEP_POINTS) throw bad(`${out.length} points`);
  if (new Set(out).size !== out.length) throw bad(`a ${what} appears twice`);
  return out;
}

/** The most points one sweep runs. */
export const MAX_SWEEP_POINTS = 10_000;

/**
 * Directory names of the sweep points: `beta-<β>` with three decimals, or as many more as it
 * takes for distinct β values to get distinct directories.
 */
export function pointNames(betas: readonly number[]): string[] {
  for (let digits = 3; digits < 12; digits++) {
    const names = betas.map((b) => `beta-${b.toFixed(digits)}`);
    if (new Set(names).size === names.length) return names;
  }
  return betas.map((b) => `beta-${b}`);
}

/** Names of the values of one grid axis: `<prefix><v>` with 3 decimals, or as many more as distinctness takes. */
function axisNames(values: readonly number[], prefix: string): Map<number, string> {
  const distinct = [...new Set(values)];
  for (let digits = 3; digits < 12; digits++) {
    const names = distinct.map((v) => `${prefix}${v.toFixed(digits)}`);
    if (new Set(names).size === names.length) return new Map(distinct.map((v, k) => [v, names[k]]));
  }
  return new Map(distinct.map((v) => [v, `${prefix}${v}`]));
}

/**
 * Directory names of grid points: `beta-<β>` (as {@link pointNames}), then `-kappa-<κ>` when any
 * κ is nonzero and `-nnn-<nnn>` when any nnn coupling is, each number with three decimals or as
 * many more as distinctness takes.
 */
export function gridPointNames(points: readonly SweepPoint[]): string[] {
  const betas = axisNames(
    points.map((p) => p.beta),
    "beta-",
  );
  const kappas = points.some((p) => p.plaquette !== 0)
    ? axisNames(
        points.map((p) => p.plaquette),
        "-kappa-",
      )
    : null;
  const nnns = points.some((p) => (p.nnn ?? 0) !== 0)
    ? axisNames(
        points.map((p) => p.nnn ?? 0),
        "-nnn-",
      )
    : null;
  return points.map(
    (p) => `${betas.get(p.beta)}${kappas?.get(p.plaquette) ?? ""}${nnns?.get(p.nnn ?? 0) ?? ""}`,
  );
}

/** One point of a sweep: the original model's β, plaquette coupling κ and nnn coupling. */
export interface SweepPoint {
  beta: number;
  plaquette: number;
  nnn?: number;
}

/** The grid of a sweep: every β at every κ and every nnn coupling (default 0 for both). */
export interface SweepGrid {
  betas: readonly number[];
  plaquettes?: readonly number[];
  nnns?: readonly number[];
}

/** The points of a grid: for each nnn, for each κ, the β family. */
export function gridPoints(grid: SweepGrid): SweepPoint[] {
  const plaquettes = grid.plaquettes ?? [0];
  const nnns = grid.nnns ?? [0];
  const n = grid.betas.length * plaquettes.length * nnns.length;
  if (n > MAX_SWEEP_POINTS)
    throw new PhysmlInputError("betas × plaquettes × nnns", `at most ${MAX_SWEEP_POINTS} points`, n);
  return nnns.flatMap((nnn) =>
    plaquettes.flatMap((plaquette) =>
      grid.betas.map((beta) =>
        nnns.length === 1 && nnn === 0 ? { beta, plaquette } : { beta, plaquette, nnn },
      ),
    ),
  );
}

/** Result of a sweep (sweep.json). */
export interface SweepResult {
  L: number;
  rows: SweepRow[];
  /**
   * Wall time of the sweep in seconds: its points' `seconds` (each summed over the attempts that
   * produced it, as a resumed sweep reads finished points back) plus this process's time between them.
   */
  seconds: number;
}

/** Options of {@link runSweep}. */
export interface SweepOptions extends RunDirOptions {
  /** Called before each run with a label such as `β=0.3 κ=0.05 (2/8)`. */
  onRun?: (label: string, k: number, n: number) => void;
  /**
   * When the dual learns more than nn: also learn an nn-only dual at every point (in
   * `<point>-nn-only`), so the report can say whether the extra terms buy a better dual (default true).
   */
  compareNnOnly?: boolean;
}

/** The config with only the nn dual coupling learned. */
function nnOnly(config: DualityConfigInput): DualityConfigInput {
  const c = config as DualityConfigInput & { candidate?: Record<string, unknown> };
  return { ...c, candidate: { ...(c.candidate ?? {}), learn: ["nn"] } } as DualityConfigInput;
}

function lossOf(r: DualityResult): { finalLoss: number; finalLossError?: number } {
  return r.finalLossError !== undefined
    ? { finalLoss: r.finalLoss, finalLossError: r.finalLossError }
    : { finalLoss: r.finalLoss };
}

/** The sweep row of one point's result (and of its nn-only comparison run, if any). */
function sweepRow(point: SweepPoint, r: DualityResult, base: DualityResult | null): SweepRow {
  const extra = r.dualTerms.filter((t) => t !== "nn");
  return {
    beta: point.beta,
    plaquette: point.plaquette,
    ...(point.nnn !== undefined ? { nnn: point.nnn } : {}),
    t0: r.t0,
    ...(r.t0Error !== undefined ? { t0Error: r.t0Error } : {}),
    ...(r.exact ? { exact: r.exact.dualBeta, relativeError: r.relativeError } : {}),
    learned: Object.fromEntries(
      extra.map((t) => [
        t,
        { value: r.learned[t], ...(r.learnedError[t] !== undefined ? { error: r.learnedError[t] } : {}) },
      ]),
    ),
    ...lossOf(r),
    ...(r.attention.byDiagonal ? { attentionByDiagonal: r.attention.byDiagonal } : {}),
    ...(base
      ? {
          nnOnly: {
            t0: base.t0,
            ...(base.t0Error !== undefined ? { t0Error: base.t0Error } : {}),
            ...lossOf(base),
            validated: base.validation.passed,
          },
        }
      : {}),
    chosenKind: `${r.attention.chosen.name} (${r.attention.chosen.kind})`,
    validated: r.validation.passed,
    validationFailures: r.validation.failures,
    // A comparison run finished before `seconds` was its key carries no time here.
    seconds: r.seconds + (base?.seconds ?? 0),
  };
}

/**
 * One run per grid point in `out/<point>` (each a run directory of its own, resumable; see
 * {@link gridPointNames}), plus `out/<point>-nn-only` when the dual learns more than nn and
 * `compareNnOnly` is on; then sweep.json and report.html with the learned families t(β) per κ
 * (against the exact KW curve at κ = 0), the final losses with and without the extra dual
 * terms, and the attention on diagonal and anti-diagonal links.
 */
export async function runSweep(
  grid: SweepGrid,
  base: Omit<DualityConfigInput, "beta" | "plaquette" | "nnn">,
  opts: SweepOptions,
): Promise<SweepResult> {
  modeOf(opts);
  const points = gridPoints(grid);
  ensureRunDir(opts.out);
  // One writer per sweep: a second one on this --out is refused before it opens any point (the
  // points' own locks alone would let it slip into the point after the one just finished).
  const lock = acquireLock(opts.out, opts.hooks?.log, SWEEP_LOCK);
  try {
    return await sweepPoints(points, base, opts);
  } finally {
    lock.release();
  }
}

async function sweepPoints(
  points: SweepPoint[],
  base: Omit<DualityConfigInput, "beta" | "plaquette" | "nnn">,
  opts: SweepOptions,
): Promise<SweepResult> {
  const start = Date.now();
  let inPoints = 0;
  const rows: SweepRow[] = [];
  const names = gridPointNames(points);
  const multi = points.some((p) => p.plaquette !== 0);
  for (const [k, point] of points.entries()) {
    const label = `β=${point.beta}${multi ? ` κ=${point.plaquette}` : ""}${point.nnn !== undefined ? ` nnn=${point.nnn}` : ""} (${k + 1}/${points.length})`;
    opts.onRun?.(label, k, points.length);
    const config = { ...base, ...point } as DualityConfigInput;
    const t = Date.now();
    const r = await runDuality(config, { ...opts, out: join(opts.out, names[k]) });
    const compare = (opts.compareNnOnly ?? true) && r.dualTerms.length > 1;
    if (compare) opts.onRun?.(`${label}, nn-only dual`, k, points.length);
    const b = compare
      ? await runDuality(nnOnly(config), { ...opts, out: join(opts.out, `${names[k]}-nn-only`) })
      : null;
    inPoints += Date.now() - t;
    rows.push(sweepRow(point, r, b));
  }
  const L = resolveConfig({ ...base, ...points[0] } as DualityConfigInput).L;
  const between = (Date.now() - start - inPoints) / 1000;
  const seconds = rows.reduce((sum, row) => sum + row.seconds, between);
  const result: SweepResult = { L, rows, seconds };
  atomicWrite(join(opts.out, "sweep.json"), `${JSON.stringify(result, null, 2)}\n`);
  atomicWrite(join(opts.out, "report.html"), await sweepReport(rows, L));
  return result;
}
