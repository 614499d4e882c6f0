// The options of a sweep's executors as a schema: their ranges and defaults live here, and
// `physml sweep` builds its flags and help from it.
import { z } from "zod";

const text = (flag: string, description: string) => z.string().min(1).optional().meta({ flag, description });

/** Options of `physml sweep` beyond the learner command, its grid and the sweep directory. */
export const sweepOptionsSchema = z
  .object({
    executor: z
      .enum(["local", "slurm"])
      .default("local")
      .meta({ flag: "executor", description: "where points run" }),
    maxParallel: z.number().int().min(1).max(100_000).optional().meta({
      flag: "max-parallel",
      description: "points running at once (local: worker processes; slurm: the array's % throttle)",
      defaultText: "local: the number of cores; slurm: all points",
    }),
    wait: z
      .boolean()
      .default(false)
      .meta({ flag: "wait", description: "slurm: follow the job until every task has ended, then report" }),
    partition: text("partition", "slurm: partition (sbatch --partition)"),
    time: text("time", "slurm: time limit per point (sbatch --time, e.g. 30:00)"),
    mem: text("mem", "slurm: memory per point (sbatch --mem, e.g. 4G)"),
    cpusPerTask: z
      .number()
      .int()
      .min(1)
      .max(4096)
      .optional()
      .meta({ flag: "cpus-per-task", description: "slurm: cores per point (sbatch --cpus-per-task)" }),
    gres: text("gres", "slurm: generic resources per point (sbatch --gres, e.g. gpu:1)"),
    account: text("account", "slurm: account to charge (sbatch --account)"),
  })
  .strict();

/** Options of `physml sweep run-point` (the upper bound of the index is the sweep's point count). */
export const sweepPointOptionsSchema = z
  .object({
    index: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .meta({ flag: "index", description: "the point's index in sweep.json" }),
  })
  .strict();
