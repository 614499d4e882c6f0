// The training configuration that `physml symmetry cicy` options (as its run directory's
// config.json stores them) ask for, so that a run's network can be rebuilt from its directory.
import type { z } from "zod";
import type { cicyOptionsSchema } from "../options.js";
import type { Cicy } from "./data.js";
import type { CicyConfig } from "./model.js";

/** The options of `physml symmetry cicy` after parsing. */
export type CicyOptions = z.output<typeof cicyOptionsSchema>;

/** The training configuration of parsed `physml symmetry cicy` options. */
export function cicyConfigOf(o: CicyOptions): CicyConfig {
  return {
    seed: o.seed,
    model: o.architecture,
    split: o.split,
    testFraction: o.testFraction,
    copies: o.copies,
    ...(o.arrangements !== undefined ? { arrangements: o.arrangements } : {}),
    lr: o.lr,
    lrDecay: o.lrDecay,
    batch: o.batch,
    maxEpochs: o.maxEpochs,
    ...(o.maxSeconds !== undefined ? { maxSeconds: o.maxSeconds } : {}),
  };
}

/** The CICYs the options train on: every `every`-th of the list. */
export function cicysOf(list: readonly Cicy[], o: Pick<CicyOptions, "every">): Cicy[] {
  return list.filter((_, i) => i % o.every === 0);
}
