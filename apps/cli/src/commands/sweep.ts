// physml sweep <learner command> --grid k=spec … | status | merge | run-point: a grid of runs of
// any learner command that writes a resumable run directory (--out, --resume), executed by a
// local pool of worker processes or as a Slurm job array (thin wrapper over @physml/runs).
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, hostname } from "node:os";
import { extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PhysmlInputError } from "@physml/lattice-core";
import {
  activeSlurmJobs,
  atomicWrite,
  type GridAxis,
  type GridValue,
  openSweep,
  parseGridAxis,
  pointDir,
  readSweep,
  runLocal,
  type SlurmResources,
  type SlurmTaskState,
  type SweepStatus,
  submitSlurm,
  sweepReport,
  sweepStatus,
  sweepTable,
  toCsv,
  toParquet,
  waitForSlurmJob,
  writePointExit,
} from "@physml/runs";
import type { Command, CommandIO, FlagSpec, RawFlags } from "../command.js";
import { boolFlag, choiceFlag, emit, FlagError, intFlag, stringFlag, UsageError } from "../flags.js";
import { parseCommandLine, suggest } from "../parse.js";
import { headline } from "./runs.js";

/** Learner flags a sweep sets itself for every point. */
const SET_BY_SWEEP = ["out", "resume", "force"];
/** Flags that are not configuration and cannot be a grid axis. */
const NOT_AXES = new Set([...SET_BY_SWEEP, "config", "quiet", "json", "help", "debug"]);

const SWEEP_FLAGS: Record<string, FlagSpec> = {
  grid: {
    type: "string",
    description: "a grid axis over one of the learner's flags (repeat --grid for more axes)",
    rule: "key=lo:hi:step (inclusive) or key=a,b,c; the points are the Cartesian product",
  },
  out: { type: "string", description: "sweep directory (sweep.json, one run directory per point, logs/)" },
  resume: {
    type: "boolean",
    description: "continue the sweep in --out: finished points are skipped, failed or killed ones resume",
  },
  executor: { type: "string", description: "where points run", rule: "one of local|slurm", default: "local" },
  "max-parallel": {
    type: "string",
    description: "points running at once (local: worker processes; slurm: the array's % throttle)",
    rule: "an integer ≥ 1",
    default: "local: the number of cores; slurm: all points",
  },
  wait: { type: "boolean", description: "slurm: follow the job until every task has ended, then report" },
  partition: { type: "string", description: "slurm: partition (sbatch --partition)" },
  time: { type: "string", description: "slurm: time limit per point (sbatch --time, e.g. 30:00)" },
  mem: { type: "string", description: "slurm: memory per point (sbatch --mem, e.g. 4G)" },
  "cpus-per-task": { type: "string", description: "slurm: cores per point (sbatch --cpus-per-task)" },
  gres: { type: "string", description: "slurm: generic resources per point (sbatch --gres, e.g. gpu:1)" },
  account: { type: "string", description: "slurm: account to charge (sbatch --account)" },
  quiet: { type: "boolean", description: "no progress lines on stderr" },
};

/** Commands a sweep can run: they write a run directory and can resume it. */
async function learnerCommands(): Promise<Command[]> {
  const { COMMANDS } = await import("./index.js");
  return COMMANDS.filter((c) => c.flags.out && c.flags.resume);
}

/**
 * The command that runs one point on a worker: `PHYSML_SWEEP_WORKER` (e.g. an installed
 * `physml`) when set, else this Node running this CLI (its TypeScript sources through tsx in the
 * workspace), followed by `sweep run-point`.
 */
function workerCommand(): string[] {
  const env = process.env.PHYSML_SWEEP_WORKER?.trim();
  if (env) return [...env.split(/\s+/), "sweep", "run-point"];
  const here = fileURLToPath(import.meta.url);
  const main = fileURLToPath(new URL(`../main${extname(here)}`, import.meta.url));
  if (extname(here) !== ".ts") return [process.execPath, main, "sweep", "run-point"];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return [process.execPath, "--conditions=@physml/source", "--import", tsx, main, "sweep", "run-point"];
}

/** Splits the repeatable --grid out of a raw command line. */
function takeGrids(args: string[]): { grids: string[]; rest: string[] } {
  const grids: string[] = [];
  const rest: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === "--grid") {
      if (args[k + 1] === undefined)
        throw new UsageError(`--grid: expected a value after it (${SWEEP_FLAGS.grid.rule})`);
      grids.push(args[++k]);
    } else if (a.startsWith("--grid=")) grids.push(a.slice("--grid=".length));
    else rest.push(a);
  }
  return { grids, rest };
}

/** A learner's flags as arguments, in the learner's flag order (so equal sweeps compare equal). */
function learnerArgs(learner: Command, flags: RawFlags): string[] {
  const out: string[] = [];
  for (const [name, spec] of Object.entries(learner.flags)) {
    const v = flags[name];
    if (v === undefined || (NOT_AXES.has(name) && name !== "config")) continue;
    if (spec.type === "boolean") {
      if (v === true) out.push(`--${name}`);
    } else {
      out.push(`--${name}=${name === "config" ? resolve(String(v)) : String(v)}`);
    }
  }
  return out;
}

interface SweepRequest {
  learner: Command;
  axes: GridAxis[];
  args: string[];
  flags: RawFlags;
  pointArgs: (params: Record<string, GridValue>) => string[];
}

/** Reads `physml sweep <learner words> [flags]`: the learner, the grid, the fixed learner flags, the sweep's flags. */
async function readRequest(argv: string[]): Promise<SweepRequest> {
  const k = argv.findIndex((a) => a.startsWith("-"));
  const words = k < 0 ? argv : argv.slice(0, k);
  const learners = await learnerCommands();
  const names = learners.map((c) => c.path.join(" "));
  const learner = learners.find((c) => c.path.join(" ") === words.join(" "));
  if (!learner) {
    const hint = words.length ? suggest(words.join(" "), names) : null;
    throw new UsageError(
      `${words.length ? `"${words.join(" ")}" is not a learner command a sweep can run` : "expected a learner command"}` +
        `${hint ? ` (did you mean "${hint}"?)` : ""}; one of: ${names.join(", ")} (e.g. physml sweep duality kw --grid beta=0.1:0.8:0.05 --out runs/sweep)`,
    );
  }
  const { grids, rest } = takeGrids(argv.slice(words.length));
  const own = Object.fromEntries(Object.entries(learner.flags).filter(([n]) => !SET_BY_SWEEP.includes(n)));
  const clash = Object.keys(SWEEP_FLAGS).find((n) => n !== "quiet" && own[n]);
  if (clash) throw new Error(`sweep: the learner's flag --${clash} clashes with the sweep's own`);
  const combined: Command = {
    ...learner,
    path: ["sweep", ...learner.path],
    flags: { ...own, ...SWEEP_FLAGS },
  };
  const { flags } = parseCommandLine(combined, rest);
  const axisNames = Object.keys(own).filter((n) => !NOT_AXES.has(n));
  const axes = grids.map((g) => parseGridAxis(g));
  if (axes.length === 0) throw new FlagError("grid", SWEEP_FLAGS.grid.rule as string, undefined);
  for (const a of axes) {
    if (!axisNames.includes(a.key)) {
      const hint = suggest(a.key, axisNames);
      throw new FlagError(
        "grid",
        `a key that is one of the learner's flags (${axisNames.join(", ")})`,
        a.key,
        hint ? `did you mean ${hint}?` : undefined,
      );
    }
    if (flags[a.key] !== undefined) {
      throw new FlagError("grid", `a key not also given as --${a.key}`, a.key, "drop one of the two");
    }
    if (own[a.key].type === "boolean" && !a.values.every((v) => v === "true" || v === "false")) {
      throw new FlagError("grid", `true,false for the switch --${a.key}`, a.spec);
    }
  }
  const pointArgs = (params: Record<string, GridValue>) =>
    Object.entries(params).flatMap(([key, v]) =>
      own[key].type === "boolean" ? (v === "true" ? [`--${key}`] : []) : [`--${key}=${String(v)}`],
    );
  return { learner, axes, args: learnerArgs(learner, flags), flags, pointArgs };
}

/**
 * A library error about a field (`out`, `grid beta`, `executor`, `resume`) restated for the flag
 * (`--out: …`), as every other command words it; other errors pass unchanged.
 */
function asFlagError(e: unknown): unknown {
  if (!(e instanceof PhysmlInputError) || e.message.startsWith("--")) return e;
  return new UsageError(`--${e.message}`);
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));

/** The per-point table printed by `sweep`, `sweep status` and after a wait. */
function statusText(s: SweepStatus, tasks?: Map<number, SlurmTaskState>): string {
  const w = Math.max(5, ...s.points.map((p) => p.name.length));
  const head = `${pad("point", w)}  ${pad("state", 8)} ${"steps".padStart(6)}  exit${tasks ? "  slurm" : ""}  result`;
  const lines = s.points.map((p) => {
    const t = tasks?.get(p.index);
    const slurm = tasks ? `  ${pad(t ? `${t.state} ${t.exitCode}` : "—", 16)}` : "";
    const res = p.run ? headline(p.run) : "";
    return `${pad(p.name, w)}  ${pad(p.state, 8)} ${String(p.steps).padStart(6)}  ${pad(p.exit ? String(p.exit.code) : "—", 4)}${slurm}  ${res}`;
  });
  const c = s.counts;
  return [
    head,
    ...lines,
    `${s.points.length} points: ${c.done} done, ${c.running} running, ${c.failed} failed, ${c.pending} pending (${s.dir})`,
  ].join("\n");
}

/** 0 when every point is done, 3 when some finished with a result that failed its own check, else 1. */
function exitCode(s: SweepStatus): number {
  if (s.counts.done < s.points.length) return 1;
  return s.points.some((p) => p.exit?.code === 3) ? 3 : 0;
}

function statusJson(s: SweepStatus, tasks?: Map<number, SlurmTaskState>) {
  return {
    dir: s.dir,
    command: s.manifest.command,
    counts: s.counts,
    submissions: s.manifest.submissions,
    points: s.points.map(({ run: _r, ...p }) => ({
      ...p,
      result: _r?.result ?? null,
      ...(tasks?.get(p.index) ? { slurm: tasks.get(p.index) } : {}),
    })),
  };
}

function requireSweepDir(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !existsSync(join(dir, "sweep.json"))) {
    throw new FlagError("dir", "a sweep directory (with sweep.json)", dir);
  }
}

const sweep: Command = {
  path: ["sweep"],
  summary: "run a learner over a grid of flag values, locally or as a Slurm job array",
  rawArgs: true,
  flags: SWEEP_FLAGS,
  args: [
    {
      name: "learner command",
      description:
        "a learner command with its flags, e.g. duality kw --L 16 (each point gets --out <point dir>)",
      required: true,
      variadic: true,
    },
  ],
  examples: [
    "physml sweep duality kw --L 16 --grid beta=0.1:0.8:0.05 --grid seed=1,2,3 --out runs/sweep",
    "physml sweep duality kw --grid beta=0.1:0.8:0.05 --out /shared/sweep --executor slurm --partition gpu --gres gpu:1 --time 30:00 --backend webgpu",
    "physml sweep duality kw --grid beta=0.1:0.8:0.05 --out runs/sweep --resume   # after a failure: reruns only what is unfinished",
  ],
  async run(_flags, io, argv = []) {
    try {
      return await runSweep(io, argv);
    } catch (e) {
      throw asFlagError(e);
    }
  },
};

/** `physml sweep …`: checks every point, opens the sweep, runs or submits the points not done, reports. */
async function runSweep(io: CommandIO, argv: string[]): Promise<number> {
  const req = await readRequest(argv);
  const { flags } = req;
  const executor = choiceFlag(flags, "executor", "local", ["local", "slurm"] as const);
  const out = stringFlag(flags, "out") ?? `runs/sweep-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  const quiet = boolFlag(flags, "quiet");
  const log = (m: string) => {
    if (!quiet) io.stderr(`${m}\n`);
  };
  const resources: SlurmResources = {
    partition: stringFlag(flags, "partition"),
    time: stringFlag(flags, "time"),
    mem: stringFlag(flags, "mem"),
    gres: stringFlag(flags, "gres"),
    account: stringFlag(flags, "account"),
    ...(flags["cpus-per-task"] !== undefined
      ? { cpusPerTask: intFlag(flags, "cpus-per-task", 1, 1, 4096) }
      : {}),
  };
  if (executor === "local") {
    const used = Object.entries(resources).find(([, v]) => v !== undefined);
    if (used || boolFlag(flags, "wait")) {
      throw new FlagError(
        "executor",
        "slurm for --partition, --time, --mem, --cpus-per-task, --gres, --account, --wait",
        "local",
      );
    }
  }
  // Every point is checked before anything is written or submitted.
  const { expandGrid } = await import("@physml/runs");
  for (const p of expandGrid(req.axes)) {
    const argvPoint = [...req.args, ...req.pointArgs(p.params)];
    const parsed = parseCommandLine(req.learner, argvPoint);
    try {
      req.learner.check?.(parsed.flags);
    } catch (e) {
      if (e instanceof Error) e.message = `point ${p.name}: ${e.message}`;
      throw e;
    }
  }
  const opened = openSweep(
    out,
    {
      command: req.learner.path,
      args: req.args,
      grid: req.axes,
      worker: workerCommand(),
      cwd: process.cwd(),
      pointArgs: req.pointArgs,
    },
    boolFlag(flags, "resume"),
  );
  let tasks: Map<number, SlurmTaskState> | undefined;
  let submitted: { jobId?: string; indices: number[] } | null = null;
  try {
    const m = opened.manifest;
    const earlier = m.submissions.flatMap((s) => (s.jobId ? [s.jobId] : []));
    if (executor === "slurm" && earlier.length) {
      const active = activeSlurmJobs(earlier);
      if (active.length) {
        throw new FlagError(
          "resume",
          "a sweep with no job still queued or running",
          out,
          `Slurm job ${active.join(", ")} of this sweep is still active; wait for it (physml sweep status ${out}) or scancel it`,
        );
      }
    }
    const before = sweepStatus(out);
    const todo = before.points
      .filter((p) => p.state === "pending" || p.state === "failed")
      .map((p) => p.index);
    const running = before.points.filter((p) => p.state === "running");
    if (running.length) log(`${running.length} points are being run by other processes; leaving them alone`);
    const skipped = before.counts.done;
    if (skipped) log(`${skipped} of ${m.points.length} points are done already; skipped`);
    const maxDefault = executor === "local" ? availableParallelism() : Math.max(1, todo.length);
    const maxParallel = intFlag(flags, "max-parallel", maxDefault, 1, 100_000);
    if (todo.length === 0) {
      log("nothing to run");
    } else if (executor === "local") {
      const indices = todo;
      opened.record({ executor: "local", submittedAt: new Date().toISOString(), indices });
      submitted = { indices };
      log(
        `running ${indices.length} points, ${Math.min(maxParallel, indices.length)} at a time (logs in ${out}/logs/)`,
      );
      let ended = 0;
      await runLocal(m, out, {
        indices,
        maxParallel,
        onExit: (e) => {
          ended++;
          const p = m.points[e.index];
          const how = e.signal ? `killed by ${e.signal}` : `exit ${e.code}`;
          log(`[${ended}/${indices.length}] ${p.name}: ${how} after ${(e.wallTimeMs / 1000).toFixed(1)} s`);
        },
      });
    } else {
      const { jobId, script } = submitSlurm({
        dir: out,
        manifest: m,
        indices: todo,
        maxParallel: Math.min(maxParallel, todo.length),
        resources,
        jobName: `physml-sweep`,
      });
      opened.record({
        executor: "slurm",
        submittedAt: new Date().toISOString(),
        indices: todo,
        jobId,
        script: script.slice(resolve(out).length + 1),
      });
      submitted = { jobId, indices: todo };
      log(`submitted Slurm job ${jobId}: ${todo.length} points, at most ${maxParallel} at once (${script})`);
      if (!boolFlag(flags, "wait")) {
        const s = sweepStatus(out);
        emit(
          io,
          boolFlag(flags, "json"),
          { ...statusJson(s), submitted },
          () =>
            `submitted Slurm job ${jobId} (${todo.length} points); follow it with: physml sweep status ${out}`,
        );
        return 0;
      }
      let last = "";
      tasks = await waitForSlurmJob(jobId, {
        onPoll: () => {
          const c = sweepStatus(out).counts;
          const line = `job ${jobId}: ${c.done} done, ${c.running} running, ${c.failed} failed, ${c.pending} pending`;
          if (line !== last) log(line);
          last = line;
        },
      });
    }
  } catch (e) {
    opened.abandon();
    throw e;
  }
  opened.close();
  const s = sweepStatus(out);
  emit(io, boolFlag(flags, "json"), { ...statusJson(s, tasks), submitted }, () => statusText(s, tasks));
  return exitCode(s);
}

const status: Command = {
  path: ["sweep", "status"],
  summary: "progress of a sweep, per point: pending, running, done or failed (read from the run directories)",
  flags: {},
  args: [{ name: "dir", description: "sweep directory", required: true }],
  examples: ["physml sweep status runs/sweep", "physml sweep status runs/sweep --json"],
  async run(flags, io, args = []) {
    const dir = args[0];
    requireSweepDir(dir);
    const s = sweepStatus(dir);
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

const merge: Command = {
  path: ["sweep", "merge"],
  summary: "one table of a sweep (a row per point: grid values, config, result) and one report",
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
    const plot = stringFlag(flags, "plot")
      ?.split(",")
      .map((f) => f.trim())
      .filter(Boolean);
    const s = sweepStatus(dir);
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
        `${table.rows.length} points × ${table.columns.length} columns → ${output}; report → ${report}` +
        (s.counts.done < s.points.length
          ? ` (${s.points.length - s.counts.done} points not done: empty result columns)`
          : ""),
    );
    return 0;
  },
};

const runPoint: Command = {
  path: ["sweep", "run-point"],
  summary: "run one point of a sweep (what each worker process or Slurm array task runs)",
  flags: {
    index: {
      type: "string",
      description: "the point's index in sweep.json",
      rule: "an integer in [0, points − 1]",
    },
  },
  args: [{ name: "dir", description: "sweep directory", required: true }],
  examples: [
    "physml sweep run-point runs/sweep --index 3",
    'physml sweep run-point /shared/sweep --index "$SLURM_ARRAY_TASK_ID"',
  ],
  async run(flags, io, args = []) {
    const dir = args[0];
    requireSweepDir(dir);
    const m = readSweep(dir);
    if (flags.index === undefined)
      throw new FlagError("index", `an integer in [0, ${m.points.length - 1}]`, undefined);
    const index = intFlag(flags, "index", 0, 0, m.points.length - 1);
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
    const { runCli } = await import("../main.js");
    const code = await runCli(argv, io);
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

/** The sweep commands. */
export const SWEEP_COMMANDS: Command[] = [sweep, status, merge, runPoint];
