// What the sweep commands print about a sweep: the per-point table, the JSON, the exit code.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { EnvironmentVariableError, PhysmlInputError, plural } from "@physml/lattice-core";
import { pointLog, type SlurmTaskState, type SweepStatus } from "@physml/runs";
import type { CommandIO } from "../command.js";
import { failedCheck } from "../failed-check.js";
import { ArgError, FlagError, UsageError } from "../flags.js";
import { headline } from "./runs.js";

/**
 * A library error about a field (`out`, `grid beta`, `executor`, `resume`) restated for the flag
 * (`--out: …`), as every other command words it; other errors, and a bad environment variable
 * (which is no flag), and an error naming its flag or argument already (a FlagError), pass
 * unchanged.
 */
export function asFlagError(e: unknown): unknown {
  if (!(e instanceof PhysmlInputError) || e instanceof EnvironmentVariableError || e instanceof FlagError)
    return e;
  return new UsageError(`--${e.message}`);
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));

/** The per-point table printed by `sweep`, `sweep status` and after a wait. */
export function statusText(s: SweepStatus, tasks?: Map<number, SlurmTaskState>): string {
  const w = Math.max(5, ...s.points.map((p) => p.name.length));
  const head = `${pad("point", w)}  ${pad("state", 8)} ${"metrics".padStart(7)}  exit${tasks ? "  slurm" : ""}  result`;
  const lines = s.points.map((p) => {
    const t = tasks?.get(p.index);
    const slurm = tasks ? `  ${pad(t ? `${t.state} ${t.exitCode}` : "—", 16)}` : "";
    const res = p.run ? headline(p.run) : "";
    return `${pad(p.name, w)}  ${pad(p.state, 8)} ${String(p.metricsLines).padStart(7)}  ${pad(p.exit ? String(p.exit.code) : "—", 4)}${slurm}  ${res}`;
  });
  const c = s.counts;
  return [
    head,
    ...lines,
    `${plural(s.points.length, "point")}: ${c.done} done, ${c.running} running, ${c.failed} failed, ${c.pending} pending (${s.dir})`,
  ].join("\n");
}

/** 0 when every point is done, 3 when some finished with a result that failed its own check, else 1. */
function exitCode(s: SweepStatus): number {
  if (s.counts.done < s.points.length) return 1;
  return s.points.some((p) => p.exit?.code === 3) ? 3 : 0;
}

/**
 * The exit code of a finished sweep ({@link exitCode}); at 3, the warning every command gives
 * with it: which points' results failed their checks, and the log holding each one's reasons.
 */
export function sweepExit(io: CommandIO, s: SweepStatus): number {
  const code = exitCode(s);
  if (code !== 3) return code;
  const failed = s.points.filter((p) => p.exit?.code === 3);
  return failedCheck(
    io,
    `the result at ${failed.length} of ${plural(s.points.length, "point")}`,
    failed.map((p) => `${p.name} (its warning in ${pointLog(s.dir, p.index)})`),
  );
}

/**
 * The JSON of `sweep` and `sweep status`. The grid points are `gridPoints`: `points` is a number
 * of points in every other command.
 */
export function statusJson(s: SweepStatus, tasks?: Map<number, SlurmTaskState>) {
  return {
    dir: s.dir,
    command: s.manifest.command,
    counts: s.counts,
    submissions: s.manifest.submissions,
    gridPoints: s.points.map(({ run, ...p }) => ({
      ...p,
      ...(run?.result ? { result: run.result } : {}),
      ...(run?.failure ? { failure: run.failure } : {}),
      ...(tasks?.get(p.index) ? { slurm: tasks.get(p.index) } : {}),
    })),
  };
}

export function requireSweepDir(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !existsSync(join(dir, "sweep.json"))) {
    throw new ArgError("dir", "a sweep directory (with sweep.json)", dir);
  }
}
