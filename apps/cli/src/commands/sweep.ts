// physml sweep <learner command> --grid k=spec …: a grid of runs of any learner command that
// writes a resumable run directory (--out, --resume), run by a local pool of worker processes or
// as a Slurm job array (thin wrapper over @physml/runs).
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { defaultThreads, plural, THREADS_VARIABLE } from "@physml/lattice-core";
import {
  activeSlurmJobs,
  openSweep,
  runLocal,
  type SlurmResources,
  type SlurmTaskState,
  submitSlurm,
  sweepOptionsSchema,
  sweepStatus,
  waitForSlurmJob,
  workerEnv,
} from "@physml/runs";
import type { z } from "zod";
import type { CommandBody, CommandCli, CommandIO, RawFlags } from "../command.js";
import { boolFlag, emit, FlagError, stringFlag } from "../flags.js";
import { parseCommandLine } from "../parse.js";
import { defaultRunDir } from "../run-flags.js";
import { configFlags, optionsFromFlags } from "../schema-flags.js";
import { currentSweepStatus } from "../stored-fields.js";
import {
  readRequest,
  SWEEP_CONFIG_FLAGS,
  SWEEP_FLAGS,
  type SweepRequest,
  workerCommand,
} from "./sweep-request.js";
import { asFlagError, statusJson, statusText, sweepExit } from "./sweep-status.js";

export const sweepCommand: CommandBody = {
  options: sweepOptionsSchema,
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
  async run(_flags, io, argv = [], cli) {
    // The points inherit PHYSML_THREADS (locally and through sbatch): a bad value is refused
    // before the sweep is written, not by every point.
    defaultThreads();
    try {
      return await runSweep(io, argv, cli);
    } catch (e) {
      throw asFlagError(e);
    }
  },
};

/**
 * Reads `physml sweep …` (the words after `sweep`) and checks it as a sweep does before it writes
 * or submits anything: the learner, the grid, the executor's flags and every point (with the
 * learner's own `check`, else each of its flags against the field's range). Throws the same
 * one-line errors; runs nothing. `cli` is the registry the learner is looked up in.
 */
export async function checkSweep(
  argv: string[],
  cli: CommandCli,
): Promise<{ req: SweepRequest; opts: z.output<typeof sweepOptionsSchema>; resources: SlurmResources }> {
  const req = await readRequest(argv, cli);
  const opts = optionsFromFlags(sweepOptionsSchema, SWEEP_CONFIG_FLAGS, req.flags);
  const resources: SlurmResources = {
    partition: opts.partition,
    time: opts.time,
    mem: opts.mem,
    gres: opts.gres,
    account: opts.account,
    ...(opts.cpusPerTask !== undefined ? { cpusPerTask: opts.cpusPerTask } : {}),
  };
  if (opts.executor === "local") {
    const used = Object.entries(resources).find(([, v]) => v !== undefined);
    if (used || opts.wait) {
      throw new FlagError(
        "executor",
        "slurm for --partition, --time, --mem, --cpus-per-task, --gres, --account, --wait",
        "local",
      );
    }
  }
  const { expandGrid } = await import("@physml/runs");
  // A learner without a check of its own still has its options read as the point would read
  // them (a point that would only refuse its flags must not be started or submitted).
  const { learner } = req;
  const { options } = learner;
  const check =
    learner.check ??
    (options ? (raw: RawFlags) => optionsFromFlags(options, configFlags(options), raw) : undefined);
  for (const p of expandGrid(req.axes)) {
    const argvPoint = [...req.args, ...req.pointArgs(p.params)];
    const parsed = parseCommandLine(learner, argvPoint);
    try {
      check?.(parsed.flags);
    } catch (e) {
      if (e instanceof Error) e.message = `point ${p.name}: ${e.message}`;
      throw e;
    }
  }
  return { req, opts, resources };
}

/** `physml sweep …`: checks every point, opens the sweep, runs or submits the points not done, reports. */
async function runSweep(io: CommandIO, argv: string[], cli: CommandCli): Promise<number> {
  // Every point is checked before anything is written or submitted.
  const { req, opts, resources } = await checkSweep(argv, cli);
  const { flags } = req;
  const executor = opts.executor;
  const out = stringFlag(flags, "out") ?? defaultRunDir("sweep");
  const quiet = boolFlag(flags, "quiet");
  const log = (m: string) => {
    if (!quiet) io.stderr(`${m}\n`);
  };
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
    if (running.length)
      log(
        `${plural(running.length, "point")} ${running.length === 1 ? "is" : "are"} being run by other processes; leaving ${running.length === 1 ? "it" : "them"} alone`,
      );
    const skipped = before.counts.done;
    if (skipped)
      log(
        `${skipped} of ${plural(m.points.length, "point")} ${skipped === 1 ? "is" : "are"} done already; skipped`,
      );
    const maxDefault = executor === "local" ? availableParallelism() : Math.max(1, todo.length);
    const maxParallel = opts.maxParallel ?? maxDefault;
    if (todo.length === 0) {
      log("nothing to run");
    } else if (executor === "local") {
      const indices = todo;
      opened.record({ executor: "local", submittedAt: new Date().toISOString(), indices });
      submitted = { indices };
      const parallel = Math.min(maxParallel, indices.length);
      const threads = workerEnv(parallel)[THREADS_VARIABLE];
      log(
        `running ${plural(indices.length, "point")}, ${parallel} at a time, ${plural(Number(threads), "thread")} each (logs in ${out}/logs/)`,
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
      log(
        `submitted Slurm job ${jobId}: ${plural(todo.length, "point")}, at most ${maxParallel} at once (${script})`,
      );
      if (!opts.wait) {
        const s = sweepStatus(out);
        emit(
          io,
          boolFlag(flags, "json"),
          { ...statusJson(s), submitted },
          () =>
            `submitted Slurm job ${jobId} (${plural(todo.length, "point")}); follow it with: physml sweep status ${out}`,
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
  const s = await currentSweepStatus(sweepStatus(out));
  emit(io, boolFlag(flags, "json"), { ...statusJson(s, tasks), submitted }, () => statusText(s, tasks));
  return sweepExit(io, s);
}
