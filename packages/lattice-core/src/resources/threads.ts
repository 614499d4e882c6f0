// How many threads one physml process uses by default: the environment variable PHYSML_THREADS
// when set, else the machine's cores. Every package that starts threads (the samplers' CPU
// backends, the duality learner's steps, autodiff's matrix products) takes its default from
// here, so one variable sets the budget of a whole process, and a local sweep can share the
// machine's cores between the processes it runs side by side.
import { availableParallelism } from "node:os";
import { EnvironmentVariableError } from "../errors.js";

/** The environment variable that sets a process's thread budget. */
export const THREADS_VARIABLE = "PHYSML_THREADS";

/** The largest budget the variable may set (the samplers' `workers` range). */
export const MAX_THREADS = 256;

/**
 * The thread budget of this process: `PHYSML_THREADS` when set (an integer in [1, 256]), else the
 * cores available to it (`os.availableParallelism()`, which follows the CPU affinity a scheduler
 * such as Slurm sets). Results never depend on it: every threaded kernel is bit-identical for
 * any thread count.
 *
 * @throws EnvironmentVariableError (a PhysmlInputError) when `PHYSML_THREADS` is set to anything but such an integer.
 */
export function defaultThreads(env: Record<string, string | undefined> = process.env): number {
  return threadsFromEnvironment(env) ?? availableParallelism();
}

/**
 * The thread count `PHYSML_THREADS` sets, or undefined when it is unset or blank.
 *
 * @throws EnvironmentVariableError (a PhysmlInputError) when it is set to anything but an integer in [1, 256].
 */
export function threadsFromEnvironment(
  env: Record<string, string | undefined> = process.env,
): number | undefined {
  const raw = env[THREADS_VARIABLE];
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new EnvironmentVariableError(THREADS_VARIABLE, `an integer in [1, ${MAX_THREADS}]`, raw);
  }
  return n;
}
