// The Slurm executor: one job array per submission, array task i running point i through the
// sweep's worker command. The script is written to <sweep>/slurm/, submitted with sbatch, and
// followed with squeue (and scontrol/sacct for how each task ended). Which points are done is
// always read from their run directories, never from the scheduler.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PhysmlInputError, plural, THREADS_VARIABLE } from "@physml/lattice-core";
import { atomicWrite } from "../fs/atomic.js";
import type { SweepManifest } from "./manifest.js";

/** Resources each array task asks for (each maps to the sbatch option of the same name). */
export interface SlurmResources {
  partition?: string;
  time?: string;
  mem?: string;
  cpusPerTask?: number;
  gres?: string;
  account?: string;
}

/** Options of {@link slurmScript}. */
export interface SlurmScriptOptions {
  /** The sweep directory (made absolute in the script). */
  dir: string;
  manifest: SweepManifest;
  /** The points to run. */
  indices: readonly number[];
  /** At most this many array tasks at once (the `%` throttle). */
  maxParallel: number;
  resources?: SlurmResources;
  jobName?: string;
}

/** How one array task ended, as the scheduler reports it. */
export interface SlurmTaskState {
  state: string;
  /** `code:signal`, as Slurm prints it. */
  exitCode: string;
}

/** Indices as a Slurm array range list: [0,1,2,3,5,7,8] → "0-3,5,7-8". */
export function compressIndices(indices: readonly number[]): string {
  const s = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let k = 0; k < s.length; ) {
    let j = k;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(j === k ? `${s[k]}` : `${s[k]}-${s[j]}`);
    k = j + 1;
  }
  return parts.join(",");
}

/** The --array value: the points' indices, throttled to `maxParallel` tasks at once. */
export const arraySpec = (indices: readonly number[], maxParallel: number): string =>
  `${compressIndices(indices)}%${maxParallel}`;

/** Single-quotes a word for the shell. */
export const shellQuote = (s: string): string =>
  /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;

// #SBATCH lines are not parsed by a shell: a value must be one plain word.
function plain(field: string, v: string): string {
  if (v === "" || /[\s'"\\]/.test(v)) {
    throw new PhysmlInputError(field, "a value without spaces, quotes or backslashes", v);
  }
  return v;
}

/** The sbatch script that runs the given points as one job array. */
export function slurmScript(o: SlurmScriptOptions): string {
  const dir = plain("out", resolve(o.dir));
  const r = o.resources ?? {};
  const opts: [string, string | number | undefined][] = [
    ["job-name", o.jobName ?? "physml-sweep"],
    ["array", arraySpec(o.indices, o.maxParallel)],
    ["output", join(dir, "logs", "point-%a.log")],
    ["open-mode", "append"],
    ["chdir", plain("cwd", o.manifest.cwd)],
    ["partition", r.partition],
    ["account", r.account],
    ["time", r.time],
    ["mem", r.mem],
    ["cpus-per-task", r.cpusPerTask],
    ["gres", r.gres],
  ];
  const worker = [...o.manifest.worker, dir, "--index"].map(shellQuote).join(" ");
  return [
    "#!/bin/bash",
    `# physml sweep: ${plural(o.manifest.points.length, "point")} of \`${o.manifest.command.join(" ")}\` in ${dir};`,
    "# array task i runs point i (see sweep.json); a finished point is skipped, an unfinished one resumes.",
    ...opts.filter(([, v]) => v !== undefined).map(([k, v]) => `#SBATCH --${k}=${plain(k, String(v))}`),
    "set -eu",
    // Threads follow the task's allocation (one core unless --cpus-per-task), unless set already.
    `export ${THREADS_VARIABLE}="\${${THREADS_VARIABLE}:-\${SLURM_CPUS_PER_TASK:-1}}"`,
    `exec ${worker} "$SLURM_ARRAY_TASK_ID"`,
    "",
  ].join("\n");
}

function run(program: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(program, args, { encoding: "utf8" });
  if (r.error) {
    const why = (r.error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : r.error.message;
    throw new PhysmlInputError(
      "executor",
      "slurm with the Slurm client tools on PATH (sbatch, squeue, scontrol)",
      "slurm",
      `${program} ${why}`,
    );
  }
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** The cluster's MaxArraySize (array indices must stay below it), or null when unknown. */
export function maxArraySize(): number | null {
  const r = run("scontrol", ["show", "config"]);
  const m = /^MaxArraySize\s*=\s*(\d+)/m.exec(r.stdout);
  return m ? Number(m[1]) : null;
}

/** Writes the script to `<dir>/slurm/array-<n>.sh` and submits it; returns the job id and script path. */
export function submitSlurm(o: SlurmScriptOptions): { jobId: string; script: string } {
  const size = maxArraySize();
  const top = Math.max(...o.indices);
  if (size !== null && top >= size) {
    throw new PhysmlInputError(
      "grid",
      `at most ${size} points on this cluster (Slurm's MaxArraySize)`,
      `${plural(o.manifest.points.length, "point")}`,
    );
  }
  const slurmDir = join(resolve(o.dir), "slurm");
  mkdirSync(slurmDir, { recursive: true });
  const script = join(slurmDir, `array-${o.manifest.submissions.length + 1}.sh`);
  atomicWrite(script, slurmScript(o));
  const r = run("sbatch", ["--parsable", script]);
  const jobId = r.stdout.trim().split(";")[0];
  if (!r.ok || !/^\d+$/.test(jobId)) {
    const why = (r.stderr.trim() || r.stdout.trim()).split("\n")[0].replace(/^sbatch: /, "");
    throw new PhysmlInputError("executor", "a job sbatch accepts", "slurm", `sbatch: ${why}`);
  }
  return { jobId, script };
}

/** Which of the given job ids still have tasks queued or running. */
export function activeSlurmJobs(jobIds: readonly string[]): string[] {
  if (jobIds.length === 0) return [];
  // All of the user's jobs (asking for unknown ids by -j is an error once they are purged).
  const r = run("squeue", ["-h", "-o", "%F"]);
  if (!r.ok) throw new PhysmlInputError("executor", "a reachable Slurm controller", "slurm", r.stderr.trim());
  const live = new Set(r.stdout.split("\n").map((l) => l.trim()));
  return jobIds.filter((id) => live.has(id));
}

/** How each task of array job `jobId` ended (from scontrol while Slurm remembers it, else sacct). */
export function slurmTaskStates(jobId: string): Map<number, SlurmTaskState> {
  const out = new Map<number, SlurmTaskState>();
  const sc = run("scontrol", ["show", "job", "-o", jobId]);
  if (sc.ok) {
    for (const line of sc.stdout.split("\n")) {
      const task = /\bArrayTaskId=(\d+)\b/.exec(line);
      const state = /\bJobState=(\S+)/.exec(line);
      const code = /\bExitCode=(\S+)/.exec(line);
      if (task && state) out.set(Number(task[1]), { state: state[1], exitCode: code?.[1] ?? "" });
    }
    if (out.size > 0) return out;
  }
  const sa = run("sacct", ["-n", "-P", "-X", "-j", jobId, "-o", "JobID,State,ExitCode"]);
  if (sa.ok) {
    for (const line of sa.stdout.split("\n")) {
      const [id, state, exitCode] = line.split("|");
      const m = /_(\d+)$/.exec(id ?? "");
      if (m && state) out.set(Number(m[1]), { state: state.split(" ")[0], exitCode: exitCode ?? "" });
    }
  }
  return out;
}

/** Polls squeue until array job `jobId` has no task queued or running; `onPoll` runs after each look. */
export async function waitForSlurmJob(
  jobId: string,
  opts: { pollMs?: number; onPoll?: () => void } = {},
): Promise<Map<number, SlurmTaskState>> {
  const pollMs = opts.pollMs ?? 2000;
  for (;;) {
    const active = activeSlurmJobs([jobId]).length > 0;
    opts.onPoll?.();
    if (!active) return slurmTaskStates(jobId);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
