// physml sweep status | merge | run-point: a sweep's progress, its merged table and report, and
// the one point a worker process or Slurm array task runs.

import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { plural } from "@physml/lattice-core";
import {
  activeSlurmJobs,
  atomicWrite,
  checkOutputFile,
  pointDir,
  readSweep,
  sweepPointOptionsSchema,
  sweepReport,
  sweepStatus,
  sweepTable,
  toCsv,
  toParquet,
  writePointExit,
} from "@physml/runs";
import type { CommandBody } from "../command.js";
import { boolFlag, choiceFlag, emit, FlagError, stringFlag } from "../flags.js";
import { suggest } from "../parse.js";
import { configFlags, flagSpecs, optionsFromFlags, withFlagErrors } from "../schema-flags.js";
import { currentSweepStatus } from "../stored-fields.js";
import { requireSweepDir, statusJson, statusText } from "./sweep-status.js";

export const statusCommand: CommandBody = {
  flags: {},
  args: [{ name: "dir", description: "sweep directory", required: true }],
  examples: ["physml sweep status runs/sweep", "physml sweep status runs/sweep --json"],
  async run(flags, io, args = []) {
    const dir = args[0];
    requireSweepDir(dir);
    const s = await currentSweepStatus(sweepStatus(dir));
    // The scheduler's view, when it can be asked from here (the points' states never depend on it).
    const jobs = s.manifest.submissions.flatMap((x) => (x.jobId ? [x.jobId] : []));
    let active: string[] | null = null;
    if (jobs.length) {
      try {
        active = activeSlurmJobs(jobs);
      } catch {}
    }
    const slurm = active === null ? {} : { activeSlurmJobs: active };
    emit(io, boolFlag(flags, "json"), { ...statusJson(s), ...slurm }, () =>
      [
        statusText(s),
        ...(active === null
          ? []
          : [
              active.length
                ? `Slurm job ${active.join(", ")} still queued or running`
                : `no Slurm job of this sweep is queued or running${s.counts.done < s.points.length ? "; resubmit with --resume to finish the rest" : ""}`,
            ]),
      ].join("\n"),
    );
    return 0;
  },
};

export const mergeCommand: CommandBody = {
  flags: {
    format: { type: "string", description: "table format", rule: "one of csv|parquet", default: "csv" },
    output: { type: "string", description: "table file", default: "<dir>/sweep.csv or <dir>/sweep.parquet" },
    plot: {
      type: "string",
      description: "result fields to plot against the first numeric grid axis (dotted for nested ones)",
      rule: "comma-separated field names",
      default: "the fields with a <field>Error beside them",
    },
  },
  args: [{ name: "dir", description: "sweep directory", required: true }],
  examples: [
    "physml sweep merge runs/sweep",
    "physml sweep merge runs/sweep --format parquet --plot t0,theta2",
  ],
  async run(flags, io, args = []) {
    const dir = args[0];
    requireSweepDir(dir);
    const format = choiceFlag(flags, "format", "csv", ["csv", "parquet"] as const);
    const output = stringFlag(flags, "output") ?? join(dir, `sweep.${format}`);
    withFlagErrors([], flags, () => checkOutputFile(output));
    const plot = stringFlag(flags, "plot")
      ?.split(",")
      .map((f) => f.trim())
      .filter(Boolean);
    const s = await currentSweepStatus(sweepStatus(dir));
    const table = sweepTable(s);
    for (const f of plot ?? []) {
      if (!table.columns.includes(`result.${f}`)) {
        const fields = table.columns.filter((c) => c.startsWith("result.")).map((c) => c.slice(7));
        const hint = suggest(f, fields);
        throw new FlagError(
          "plot",
          "result fields of the sweep's points",
          f,
          hint ? `did you mean ${hint}?` : undefined,
        );
      }
    }
    atomicWrite(output, format === "csv" ? toCsv(table) : await toParquet(table));
    const report = join(dir, "report.html");
    atomicWrite(report, await sweepReport(s, table, plot));
    const summary = {
      output,
      report,
      format,
      points: table.rows.length,
      columns: table.columns.length,
      counts: s.counts,
    };
    emit(
      io,
      boolFlag(flags, "json"),
      summary,
      () =>
        `${plural(table.rows.length, "point")} × ${table.columns.length} columns → ${output}; report → ${report}` +
        (s.counts.done < s.points.length
          ? ` (${plural(s.points.length - s.counts.done, "point")} not done: empty result columns)`
          : ""),
    );
    return 0;
  },
};

const POINT_FLAGS = configFlags(sweepPointOptionsSchema);

export const runPointCommand: CommandBody = {
  options: sweepPointOptionsSchema,
  flags: flagSpecs(POINT_FLAGS),
  args: [{ name: "dir", description: "sweep directory", required: true }],
  examples: [
    "physml sweep run-point runs/sweep --index 3",
    'physml sweep run-point /shared/sweep --index "$SLURM_ARRAY_TASK_ID"',
  ],
  async run(flags, io, args = [], cli) {
    const { index } = optionsFromFlags(sweepPointOptionsSchema, POINT_FLAGS, flags);
    const dir = args[0];
    requireSweepDir(dir);
    const m = readSweep(dir);
    // The schema bounds any index; this sweep's own point count bounds it further.
    if (index > m.points.length - 1)
      throw new FlagError(
        "index",
        `an integer in [0, ${m.points.length - 1}] (this sweep's points)`,
        String(index),
      );
    const p = m.points[index];
    const pdir = pointDir(dir, p);
    // A finished point is never run again (the learner would only report it; this skips even that).
    if (existsSync(join(pdir, "result.json"))) {
      io.stderr(`point ${index} (${p.name}) is done already; skipped\n`);
      return 0;
    }
    const resume = existsSync(join(pdir, "config.json"));
    const argv = [...m.command, ...p.argv, `--out=${pdir}`, ...(resume ? ["--resume"] : [])];
    io.stderr(
      `${new Date().toISOString()} point ${index} (${p.name}) on ${hostname()} pid ${process.pid}: physml ${argv.join(" ")}\n`,
    );
    const code = await cli.run(argv, io);
    const job = process.env.SLURM_ARRAY_JOB_ID;
    writePointExit(dir, index, {
      code,
      host: hostname(),
      pid: process.pid,
      endedAt: new Date().toISOString(),
      ...(job ? { slurmJob: `${job}_${process.env.SLURM_ARRAY_TASK_ID}` } : {}),
    });
    return code;
  },
};
