// Runs with a run directory: one β (kw) or a β sweep, each ending with report.html.
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import type { DualityConfigInput } from "../config.js";
import { type DualityResult, type LearnHooks, learnDuality, type StepMetrics } from "../train/learner.js";
import { runReport, type SweepRow, sweepReport } from "./report.js";
import { RunDir } from "./rundir.js";

/**
 * Learns the dual at one β, writing config.json, target.json, metrics.jsonl, checkpoint.json,
 * result.json and report.html into `out`. With `resume`, continues from the checkpoint there
 * (using the stored config.json; a finished run returns its result.json unchanged).
 */
export async function runDuality(
  config: DualityConfigInput,
  opts: { out: string; resume?: boolean; hooks?: LearnHooks },
): Promise<DualityResult> {
  const run = new RunDir(opts.out);
  let cfg = config;
  if (opts.resume && run.has("config.json")) {
    if (run.has("result.json") && run.has("report.html")) return run.readJson<DualityResult>("result.json");
    cfg = run.readJson<DualityConfigInput>("config.json");
  }
  const result = await learnDuality(cfg, { run, resume: opts.resume, hooks: opts.hooks });
  run.writeText("report.html", runReport(result, run.readMetrics<StepMetrics>()));
  return result;
}

/** Parses `lo:hi:step` (inclusive, rounded to 1e-9) or a comma-separated list of β values. */
export function parseBetas(spec: string): number[] {
  const bad = () =>
    new PhysmlInputError(
      "betas",
      "lo:hi:step with 0 < lo ≤ hi and step > 0, or a comma-separated list",
      spec,
    );
  if (spec.includes(":")) {
    const parts = spec.split(":").map(Number);
    if (parts.length !== 3 || parts.some((v) => !Number.isFinite(v))) throw bad();
    const [lo, hi, step] = parts;
    if (!(lo > 0 && hi >= lo && step > 0) || (hi - lo) / step > 10_000) throw bad();
    const out: number[] = [];
    for (let k = 0; lo + k * step <= hi + 1e-9; k++) out.push(Number((lo + k * step).toFixed(9)));
    return out;
  }
  const out = spec.split(",").map((s) => Number(s.trim()));
  if (out.length === 0 || out.some((v) => !Number.isFinite(v) || v <= 0)) throw bad();
  return out;
}

/** Result of a sweep (sweep.json). */
export interface SweepResult {
  L: number;
  rows: SweepRow[];
  wallTimeMs: number;
}

/**
 * One run per β in `out/beta-<β>` (each resumable), then sweep.json and report.html with the
 * learned t0(β) against the exact curve. `onRun` is called before each β.
 */
export async function runSweep(
  betas: readonly number[],
  base: Omit<DualityConfigInput, "beta">,
  opts: {
    out: string;
    resume?: boolean;
    hooks?: LearnHooks;
    onRun?: (beta: number, k: number, n: number) => void;
  },
): Promise<SweepResult> {
  const root = new RunDir(opts.out);
  const start = Date.now();
  const rows: SweepRow[] = [];
  for (const [k, beta] of betas.entries()) {
    opts.onRun?.(beta, k, betas.length);
    const r = await runDuality({ ...base, beta } as DualityConfigInput, {
      out: join(opts.out, `beta-${beta.toFixed(3)}`),
      resume: opts.resume,
      hooks: opts.hooks,
    });
    rows.push({
      beta,
      t0: r.t0,
      ...(r.t0Error !== undefined ? { t0Error: r.t0Error } : {}),
      exact: r.exact?.dualBeta ?? null,
      relativeError: r.relativeError,
      chosenKind: `${r.attention.chosen.name} (${r.attention.chosen.kind})`,
      validated: r.validation.passed,
      validationReasons: r.validation.reasons,
      wallTimeMs: r.wallTimeMs,
    });
  }
  const L = (base as { L?: number }).L ?? 16;
  const result: SweepResult = { L, rows, wallTimeMs: Date.now() - start };
  root.writeJson("sweep.json", result);
  root.writeText("report.html", sweepReport(rows, L));
  return result;
}
