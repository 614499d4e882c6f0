// A test made of consecutive learnLax runs (the perturbation test, Toda against Hénon–Heiles):
// its step count over the inner runs, and each inner run's checkpoints placed in the test's own
// checkpoint, so a stopped test continues inside the run it was in.
import { PhysmlInputError } from "@physml/lattice-core";
import { type LaxCheckpoint, laxCheckpointStep } from "./checkpoint.js";
import { type LearnLaxConfig, type LearnLaxResult, learnLax } from "./learn.js";

/** An inner run's configuration: what the test sets besides its checkpoints. */
export type InnerConfig = Omit<LearnLaxConfig, "onCheckpoint" | "resume" | "checkpointEvery">;

/** The inner runs of one test (see {@link innerRuns}). */
export interface InnerRuns<At> {
  /** Training steps of the test so far: the finished inner runs' and `inner`'s (its latest checkpoint). */
  step(inner: LaxCheckpoint | null): number;
  /**
   * One inner run, continuing `from.cp` (the stored checkpoint of this run, at `from.field` of the
   * test's checkpoint) when given; `at(inner)` places each of its checkpoints in the test's.
   */
  run(
    config: InnerConfig,
    from: { field: string; cp: LaxCheckpoint } | null,
    at: (inner: LaxCheckpoint) => At,
  ): LearnLaxResult;
}

/**
 * The inner runs of a test that has done `stepsBefore` steps in finished inner runs: `save`
 * hears every inner checkpoint with its place `at` (none without `save`); `checkpointEvery` is
 * passed on to each run.
 */
export function innerRuns<At>(c: {
  stepsBefore: number;
  checkpointEvery?: number;
  save?: (inner: LaxCheckpoint, at: At) => void;
}): InnerRuns<At> {
  let done = c.stepsBefore;
  const { save } = c;
  return {
    step: (inner) => done + (inner ? laxCheckpointStep(inner) : 0),
    run(config, from, at) {
      const go = () =>
        learnLax({
          ...config,
          ...(from ? { resume: from.cp } : {}),
          ...(c.checkpointEvery !== undefined ? { checkpointEvery: c.checkpointEvery } : {}),
          ...(save ? { onCheckpoint: (inner: LaxCheckpoint) => save(inner, at(inner)) } : {}),
        });
      const r = from ? resumeInner(from.field, go) : go();
      done += r.final.step;
      return r;
    },
  };
}

/**
 * Steps of a test's finished inner runs, from its checkpoint's `step` and the inner runs stored
 * in it (those are resumed, and their steps counted again from their own checkpoints).
 */
export function stepsBefore(step: number, ...inner: (LaxCheckpoint | null | undefined)[]): number {
  return inner.reduce((s, r) => s - (r ? laxCheckpointStep(r) : 0), step);
}

/**
 * Runs `inner` (a learnLax call resuming from a stored checkpoint), with a PhysmlInputError about
 * its checkpoint named under `resume.<at>.` (where it sits in the test's checkpoint).
 */
export function resumeInner<R>(at: string, inner: () => R): R {
  try {
    return inner();
  } catch (e) {
    if (e instanceof PhysmlInputError && e.field.startsWith("resume"))
      throw new PhysmlInputError(`resume.${at}${e.field.slice("resume".length)}`, e.allowed, e.received);
    throw e;
  }
}
