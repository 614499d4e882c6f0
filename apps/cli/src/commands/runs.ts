// `physml runs ls|show|export`: the run index over run directories of any learner
// (thin wrapper over @physml/runs).

import { existsSync, statSync } from "node:fs";
import { plural } from "@physml/lattice-core";
import {
  atomicWrite,
  checkOutputFile,
  findRuns,
  listRuns,
  type RunFailure,
  type RunSummary,
  runsTable,
  summarizeRun,
  toCsv,
  toParquet,
} from "@physml/runs";
import type { CommandBody } from "../command.js";
import { ArgError, boolFlag, choiceFlag, emit, FlagError, stringFlag } from "../flags.js";
import { withFlagErrors } from "../schema-flags.js";
import { currentSummaries, currentSummary } from "../stored-fields.js";

function requireDir(path: string, what: string): void {
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new ArgError(what, "an existing directory", path);
  }
}

/** A result number for a listing: counts (steps, sites) as integers, the rest to `digits` significant digits. */
const num = (v: unknown, digits = 5) =>
  typeof v !== "number" || !Number.isFinite(v)
    ? "—"
    : Number.isInteger(v) && Math.abs(v) < 1e15
      ? String(v)
      : v.toPrecision(digits);

/** Why a run failed, in a few words: `failed (crash, exit 1): out of memory`; `at` adds when. */
export const failureText = (f: RunFailure, at = false): string =>
  `failed (${f.category}, exit ${f.code})${at ? ` at ${f.failedAt}` : ""}: ${f.message}`;

/** A one-line headline of a run's result (or of why it has none), for the listing. */
export function headline(r: RunSummary): string {
  const res = r.result;
  if (!res) {
    if (r.error) return r.error;
    const checkpoint = r.checkpointStep === undefined ? "" : `checkpoint at step ${r.checkpointStep}`;
    if (!r.failure) return checkpoint;
    return `${failureText(r.failure)}${checkpoint ? `; ${checkpoint}` : ""}`;
  }
  if (typeof res.t0 === "number") {
    const rel =
      typeof res.relativeError === "number" ? `, ${(100 * res.relativeError).toFixed(2)} % from β̃` : "";
    return `t0 ${num(res.t0)} ± ${num(res.t0Error, 2)}${rel}`;
  }
  return Object.entries(res)
    .filter(([, v]) => typeof v === "number")
    .slice(0, 3)
    .map(([k, v]) => `${k} ${num(v)}`)
    .join(", ");
}

export const lsCommand: CommandBody = {
  flags: {},
  args: [{ name: "dir", description: "directory holding runs (default: runs)" }],
  examples: ["physml runs ls", "physml runs ls runs/sweep --json"],
  async run(flags, io, args = []) {
    const dir = args[0] ?? "runs";
    requireDir(dir, "dir");
    const runs = await currentSummaries(listRuns(dir));
    // Columns as wide as their longest entry (at least the old fixed widths), so a long kind
    // such as integrability-simulate does not push its row's status and steps out of line.
    const width = (head: string, min: number, cells: string[]) =>
      Math.max(min, head.length, ...cells.map((c) => c.length));
    const wDir = width(
      "run",
      28,
      runs.map((r) => r.dir),
    );
    const wKind = width(
      "kind",
      12,
      runs.map((r) => r.kind),
    );
    emit(io, boolFlag(flags, "json"), { dir, runs: runs.map(({ config: _c, ...r }) => r) }, () =>
      runs.length === 0
        ? `no runs under ${dir}`
        : [
            `${"run".padEnd(wDir)} ${"kind".padEnd(wKind)} ${"status".padEnd(10)} ${"metrics".padStart(7)}  result`,
            ...runs.map(
              (r) =>
                `${r.dir.padEnd(wDir)} ${r.kind.padEnd(wKind)} ${r.status.padEnd(10)} ${String(r.metricsLines).padStart(7)}  ${headline(r)}`,
            ),
          ].join("\n"),
    );
  },
};

export const showCommand: CommandBody = {
  flags: {},
  args: [{ name: "run", description: "run directory", required: true }],
  examples: ["physml runs show runs/kw-0.3", "physml runs show runs/kw-0.3 --json"],
  async run(flags, io, args = []) {
    const dir = args[0];
    requireDir(dir, "run");
    if (!existsSync(`${dir}/config.json`))
      throw new ArgError("run", "a run directory (with config.json)", dir);
    const r = await currentSummary(summarizeRun(dir));
    emit(io, boolFlag(flags, "json"), r, () =>
      [
        `${dir}: ${r.kind} run, ${r.status}${r.lockedBy && r.status === "running" ? ` (pid ${r.lockedBy.pid} on ${r.lockedBy.host})` : ""}`,
        `  written by ${r.package} ${r.version}${r.git ? ` at ${r.git}` : ""} on ${r.createdAt}`,
        `  ${plural(r.metricsLines, "line")} in metrics.jsonl; checkpoint ${r.checkpointStep === undefined ? "none" : `after step ${r.checkpointStep}`}`,
        ...(r.error ? [`  unreadable: ${r.error}`] : []),
        ...(r.failure ? [`  ${failureText(r.failure, true)}`] : []),
        `  result: ${r.result ? headline(r) : "none yet"}`,
        "  config:",
        ...JSON.stringify(r.config, null, 2)
          .split("\n")
          .map((l) => `    ${l}`),
      ].join("\n"),
    );
  },
};

export const exportCommand: CommandBody = {
  flags: {
    format: { type: "string", description: "table format", rule: "one of csv|parquet", default: "csv" },
    output: {
      type: "string",
      description: "file to write (required for parquet; csv goes to stdout without it)",
    },
  },
  args: [
    {
      name: "runs",
      description: "run directories, or directories holding runs",
      required: true,
      variadic: true,
    },
  ],
  examples: [
    "physml runs export runs/sweep --format csv > sweep.csv",
    "physml runs export runs/sweep runs/kw-0.3 --format parquet --output runs.parquet",
  ],
  async run(flags, io, args = []) {
    const format = choiceFlag(flags, "format", "csv", ["csv", "parquet"] as const);
    const output = stringFlag(flags, "output");
    if (format === "parquet" && output === undefined) {
      throw new FlagError(
        "output",
        "a file path (Parquet is binary; it is not written to stdout)",
        undefined,
      );
    }
    // With --json stdout carries one JSON object (the summary), so the table needs a file.
    if (boolFlag(flags, "json") && output === undefined) {
      throw new FlagError(
        "output",
        "a file path with --json (stdout then holds the JSON summary)",
        undefined,
      );
    }
    if (output !== undefined) withFlagErrors([], flags, () => checkOutputFile(output));
    const dirs: string[] = [];
    for (const a of args) {
      requireDir(a, "runs");
      const found = findRuns(a);
      if (found.length === 0) throw new ArgError("runs", "directories that hold runs", a);
      dirs.push(...found);
    }
    const table = runsTable(await currentSummaries(dirs.map((d) => ({ ...summarizeRun(d), dir: d }))));
    if (output === undefined) {
      io.stdout(toCsv(table));
      return;
    }
    atomicWrite(output, format === "csv" ? toCsv(table) : await toParquet(table));
    // `runCount`: `runs` is the list of runs in `runs ls`.
    const summary = { output, format, runCount: table.rows.length, columns: table.columns.length };
    emit(
      io,
      boolFlag(flags, "json"),
      summary,
      () => `${plural(table.rows.length, "run")} × ${table.columns.length} columns → ${output}`,
    );
  },
};
