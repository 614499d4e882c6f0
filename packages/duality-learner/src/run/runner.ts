// Runs with a run directory (@physml/runs): one β (kw) or a β sweep, each ending with report.html.
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import { atomicWrite, ensureRunDir, openRun, provenanceOf, type Run, type RunMode } from "@physml/runs";
import { type DualityConfigInput, resolveConfig } from "../config.js";
import { type DualityResult, type LearnHooks, learnDuality, type StepMetrics } from "../train/learner.js";
import { runReport, type SweepRow, sweepReport } from "./report.js";

/** The `kind` of a single duality run in its config.json. */
export const DUALITY_RUN_KIND = "duality-kw";

/** How to open the run directory: a new run (default), `resume` or `force` (see @physml/runs). */
export interface RunDirOptions {
  out: string;
  resume?: boolean;
  force?: boolean;
  hooks?: LearnHooks;
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
    let result = run.result<DualityResult>();
    if (result) {
      log?.(`${opts.out} holds a finished run; reporting its result`);
    } else {
      if (run.status === "resumed") log?.(`resuming the run in ${opts.out}`);
      result = await learnDuality(run.config, { run, hooks: opts.hooks });
      saveFinalSpins(run, result);
    }
    if (!run.has("report.html"))
      run.writeText("report.html", await runReport(result, run.readMetrics<StepMetrics>()));
    run.close();
    return result;
  } catch (e) {
    run.abandon();
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
  const bad = (why = "") =>
    new PhysmlInputError(
      "betas",
      `lo:hi:step with 0 < lo ≤ hi, step > 0 and at most ${MAX_SWEEP_POINTS} points, or a comma-separated list of distinct β > 0`,
      spec,
      why || undefined,
    );
  const strict = (s: string) =>
    /^\s*[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(s) ? Number(s) : Number.NaN;
  if (spec.includes(":")) {
    const parts = spec.split(":").map(strict);
    if (parts.length !== 3 || parts.some((v) => !Number.isFinite(v))) throw bad();
    const [lo, hi, step] = parts;
    if (!(lo > 0 && hi >= lo && step > 0)) throw bad();
    const n = Math.floor((hi - lo) / step + 1e-9) + 1;
    if (n > MAX_SWEEP_POINTS) throw bad(`${n} points`);
    const out: number[] = [];
    for (let k = 0; lo + k * step <= hi + 1e-9; k++) out.push(Number((lo + k * step).toFixed(9)));
    return out;
  }
  const out = spec.split(",").map(strict);
  if (out.length === 0 || out.some((v) => !Number.isFinite(v) || v <= 0)) throw bad();
  if (out.length > MAX_SWEEP_POINTS) throw bad(`${out.length} points`);
  if (new Set(out).size !== out.length) throw bad("a β appears twice");
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

/** Result of a sweep (sweep.json). */
export interface SweepResult {
  L: number;
  rows: SweepRow[];
  wallTimeMs: number;
}

/**
 * One run per β in `out/beta-<β>` (each a run directory of its own, resumable), then sweep.json
 * and report.html with the learned t0(β) against the exact curve. `onRun` is called before each β.
 */
export async function runSweep(
  betas: readonly number[],
  base: Omit<DualityConfigInput, "beta">,
  opts: RunDirOptions & { onRun?: (beta: number, k: number, n: number) => void },
): Promise<SweepResult> {
  modeOf(opts);
  ensureRunDir(opts.out);
  const start = Date.now();
  const rows: SweepRow[] = [];
  const names = pointNames(betas);
  for (const [k, beta] of betas.entries()) {
    opts.onRun?.(beta, k, betas.length);
    const r = await runDuality({ ...base, beta } as DualityConfigInput, {
      ...opts,
      out: join(opts.out, names[k]),
    });
    rows.push({
      beta,
      t0: r.t0,
      ...(r.t0Error !== undefined ? { t0Error: r.t0Error } : {}),
      ...(r.exact ? { exact: r.exact.dualBeta, relativeError: r.relativeError } : {}),
      chosenKind: `${r.attention.chosen.name} (${r.attention.chosen.kind})`,
      validated: r.validation.passed,
      validationReasons: r.validation.reasons,
      wallTimeMs: r.wallTimeMs,
    });
  }
  const L = resolveConfig({ ...base, beta: betas[0] } as DualityConfigInput).L;
  const result: SweepResult = { L, rows, wallTimeMs: Date.now() - start };
  atomicWrite(join(opts.out, "sweep.json"), `${JSON.stringify(result, null, 2)}\n`);
  atomicWrite(join(opts.out, "report.html"), await sweepReport(rows, L));
  return result;
}
