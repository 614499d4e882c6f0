// The training driver: target data, persistent candidate chains, exploration from several
// starting couplings, then refinement of the best, retried from the next start when the answer
// fails validation. Thin: the state and its checkpoint are ./training-state.ts, a step
// ./training-step.ts, the end of exploration ./exploration-end.ts, the retries ./retry.ts, the
// result ./result-summary.ts; the update rules ./steps.ts, the run directory ../run.
import { type LinkShape, parseOptions, type SquareLattice, squareLattice } from "@physml/lattice-core";
import { workersOption } from "@physml/mcmc-gpu";
import { type DualityConfig, type DualityConfigInput, resolveConfig } from "../config.js";
import { resolveShapes } from "../model/shapes.js";
import { parseCheckpoint } from "./checkpoint.js";
import { openChains } from "./learner-chains.js";
import type { LearnerSession } from "./learner-session.js";
import { checkDualityMemory } from "./memory-estimate.js";
import type { DualityResult, LearnerRun, LearnHooks, StepMetrics } from "./result.js";
import { summarize } from "./result-summary.js";
import { finalResult, nextStart, retryFrom } from "./retry.js";
import { stepContextOf } from "./step-context.js";
import { defaultStepThreads, GroupStepper } from "./step-threads.js";
import { measureTarget } from "./target.js";
import type { TargetData } from "./target-data.js";
import { totalSteps, trainingPlan } from "./training-plan.js";
import { initialState, restoredState, type TrainingState, trainedSteps } from "./training-state.js";
import { trainingStep } from "./training-step.js";

/**
 * Learns the dual of the Ising model at `config.beta`: couplings t of the candidate model and
 * the observable map O_θ such that the shape features of x under the original model match those
 * of O_θ under H_t. Writes target/metrics/checkpoints/result into `run` when given (see
 * `runDuality` for opening one), continuing from its checkpoint when the run was resumed.
 *
 * The answer is validated (fresh samples of the learned model against the target, the
 * exploration's choice, the attention's link; `result.validation`); when that fails, training
 * restarts from the next exploration start, up to `validation.retries` times, and the result of
 * the last attempt is returned (with `validation.passed` false if it failed too).
 *
 * `workers` (default: the machine's cores) is how many CPU threads the sampler's CPU backend
 * uses; the training steps use two of them when it allows (at most 2). The results are
 * bit-identical whatever it is.
 */
export async function learnDuality(
  input: DualityConfigInput,
  opts: { run?: LearnerRun; hooks?: LearnHooks; workers?: number } = {},
): Promise<DualityResult> {
  const config = resolveConfig(input);
  const workers =
    opts.workers === undefined ? undefined : parseOptions(workersOption, opts.workers, "workers");
  const threads = workers ?? defaultStepThreads();
  // Before anything is allocated (a resumed run holds the same arrays).
  checkDualityMemory(config, threads);
  const { run, hooks = {} } = opts;
  const log = hooks.log ?? (() => {});
  const calledAt = Date.now();
  const lattice = squareLattice(config.L, config.Ly ?? config.L);
  const shapes = resolveShapes(config.shapes);
  const plan = trainingPlan(config);
  const resumed = run?.status === "resumed";
  const targetKept = resumed && run?.has("target.json") === true;
  const target = await targetOf(config, lattice, shapes, run);
  log(targetLine(config, target));

  const ctx = stepContextOf(config, lattice, shapes, target.mean);
  const ckpt = resumed
    ? (run?.loadCheckpoint((raw, step) => parseCheckpoint(raw, step, ctx, config.candidate.chains))?.state ??
      null)
    : null;
  const state = ckpt ? restoredState(ctx, plan, ckpt) : initialState(ctx, plan);
  if (plan.exploreSteps > 0 && run?.has("exploration.json"))
    state.exploreEnd = run.readState("exploration.json");
  const sampler = await openChains(config, ctx, plan, state.groups, workers);
  const s: LearnerSession = {
    config,
    ctx,
    shapes,
    target,
    plan,
    sampler,
    stepper: new GroupStepper(ctx, threads),
    run,
    hooks,
    log,
    elapsedBefore: ckpt?.elapsedMs ?? 0,
    // with a checkpoint, the target's time is in the seconds it carries
    uncheckpointedSeconds: targetKept && !ckpt ? target.wallTimeMs / 1000 : 0,
    calledAt,
    loopStartedAt: 0,
  };
  try {
    if (ckpt) await resumeChains(s, state, ckpt.spinArray, ckpt.sweepCount);
    else {
      await sampler.sweep(config.candidate.warmupSweeps);
      run?.truncateMetrics(0);
    }
    s.loopStartedAt = Date.now();
    for (;;) {
      while (state.step < totalSteps(plan, state.attempt)) await trainingStep(s, state);
      const result = await summarize(s, state);
      const next = nextStart(s, state, result);
      if (next === null) {
        const final = finalResult(s, state, result);
        run?.writeResult(final);
        return final;
      }
      await retryFrom(s, state, result, next);
    }
  } finally {
    await sampler.dispose();
    await s.stepper.dispose();
  }
}

/** The target features: those of target.json in a resumed run that has them, else measured (and saved). */
async function targetOf(
  config: DualityConfig,
  lattice: SquareLattice,
  shapes: readonly LinkShape[],
  run: LearnerRun | undefined,
): Promise<TargetData> {
  if (run?.status === "resumed" && run.has("target.json")) return run.readState<TargetData>("target.json");
  const target = await measureTarget(config, lattice, shapes);
  run?.writeState("target.json", target);
  return target;
}

function targetLine(config: DualityConfig, target: TargetData): string {
  return (
    `target: ${target.chains}×${target.samplesPerChain} samples at β=${config.beta}` +
    `${target.boundary === "twist-sum" ? " (torus summed over its 4 boundary twists)" : ""} in ${(target.wallTimeMs / 1000).toFixed(1)} s ` +
    `(largest error ${Math.max(...target.error).toExponential(1)})`
  );
}

/**
 * A resumed run's chains as its checkpoint left them, its metrics cut back to the checkpoint's
 * step and the current attempt's training steps read back from them.
 */
async function resumeChains(
  s: LearnerSession,
  state: TrainingState,
  spins: Int8Array,
  sweepCount: number,
): Promise<void> {
  await s.sampler.restore(spins, sweepCount);
  s.run?.truncateMetrics(state.step);
  for (const h of trainedSteps(s.run?.readMetricNumbers<StepMetrics>() ?? [], state.attempt))
    state.history.push(h);
  s.log(`resumed at step ${state.step}/${totalSteps(s.plan, state.attempt)}`);
}
