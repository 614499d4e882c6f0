// The training driver: target data, persistent candidate chains, exploration from several
// starting couplings, then refinement of the best. Thin loop; the update rules live in
// ./steps.ts and the rules it calls, the estimator in ../stats, the run directory in ../run.
import { couplingsFromVector, dualCoupling, parseOptions, squareLattice } from "@physml/lattice-core";
import { createSampler, type Sampler, workersOption } from "@physml/mcmc-gpu";
import { CANDIDATE_TERMS, type DualityConfigInput, resolveConfig } from "../config.js";
import { linkVariablesBatch } from "../model/features.js";
import { resolveShapes } from "../model/shapes.js";
import { batchMeans } from "../stats/gradient.js";
import type { StartScore } from "../validate/checks.js";
import { validateDuality } from "../validate/validate.js";
import { type Checkpoint, parseCheckpoint } from "./checkpoint.js";
import {
  explainChoice,
  type StartChoice,
  startChoice,
  storedChoice,
  tailEstimate,
  termVariance,
} from "./explore.js";
import { type GroupState, initGroup, restoreGroup, saveGroup } from "./group-state.js";
import { headSummary } from "./head-summary.js";
import { checkDualityMemory } from "./memory-estimate.js";
import {
  attemptSummary,
  bestAttempt,
  type DualityResult,
  entropy,
  finalLossOf,
  type LearnerRun,
  type LearnHooks,
  type StepMetrics,
} from "./result.js";
import { stepContextOf } from "./step-context.js";
import { defaultStepThreads, GroupStepper } from "./step-threads.js";
import { measureTarget, type TargetData } from "./target.js";
import { targetErrors } from "./target-sensitivity.js";

/** The state kept at the end of exploration, from which a retry restarts another start. */
interface ExplorationEnd {
  groups: unknown[];
  spins: string;
  sweepCount: number;
}

/** Exploration scores per start over the second half of exploration. */
function startScores(starts: readonly number[], unbiased: number[][], pooled: number[][]): StartScore[] {
  return starts.map((t0, g) => {
    const u = tailEstimate(unbiased[g]);
    const p = tailEstimate(pooled[g].length > 0 ? pooled[g] : unbiased[g]);
    return { t0, loss: u.mean, lossError: u.error, lossWithNoise: p.mean };
  });
}

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
  const startWall = Date.now();
  const Ly = config.Ly ?? config.L;
  const lattice = squareLattice(config.L, Ly);
  const shapes = resolveShapes(config.shapes);
  const cc = config.candidate;
  const ex = config.explore;
  const starts = ex.starts.length > 0 && ex.steps > 0 ? ex.starts : [cc.init.nn];
  const exploreSteps = starts.length > 1 ? ex.steps : 0;
  const trainSteps = config.optimizer.steps;
  // resolveConfig has checked that the chains split evenly over the starts.

  // Target features (kept in target.json so that a resumed run reuses them).
  const resumed = run?.status === "resumed";
  let target: TargetData;
  if (resumed && run?.has("target.json")) target = run.readJson<TargetData>("target.json");
  else {
    target = await measureTarget(config, lattice, shapes);
    run?.writeJson("target.json", target);
  }
  log(
    `target: ${target.chains}×${target.samplesPerChain} samples at β=${config.beta}` +
      `${target.boundary === "twist-sum" ? " (torus summed over its 4 boundary twists)" : ""} in ${(target.wallTimeMs / 1000).toFixed(1)} s ` +
      `(largest error ${Math.max(...target.error).toExponential(1)})`,
  );

  const ctx = stepContextOf(config, lattice, shapes, target.mean);
  const { slots } = ctx;

  const ckpt = resumed
    ? (run?.loadCheckpoint((raw, step) => parseCheckpoint(raw, step, ctx, cc.chains))?.state ?? null)
    : null;
  let groups: GroupState[] = starts.map((t0, g) => initGroup(ctx, t0, g));
  const exploreLosses: number[][] = starts.map(() => []);
  const exploreVarS: number[][] = starts.map(() => []);
  const explorePooled: number[][] = starts.map(() => []);
  let chosen = starts.length > 1 ? -1 : 0;
  let choice: StartChoice | null = null;
  let attempt = 0;
  let tried: number[] = [];
  let failedAttempts: DualityResult["failedAttempts"] = [];
  const attemptResults: DualityResult[] = [];
  let startStep = 0;
  let elapsedBefore = 0;
  if (ckpt) {
    groups = ckpt.restored;
    for (const [g, l] of ckpt.exploreLosses.entries()) exploreLosses[g] = l;
    for (const [g, v] of (ckpt.exploreVarS ?? []).entries()) exploreVarS[g] = v;
    for (const [g, v] of (ckpt.explorePooled ?? []).entries()) explorePooled[g] = v;
    chosen = ckpt.chosen;
    attempt = ckpt.attempt ?? 0;
    tried = ckpt.tried ?? (chosen >= 0 ? [chosen] : []);
    failedAttempts = ckpt.failedAttempts ?? [];
    startStep = ckpt.step;
    elapsedBefore = ckpt.elapsedMs;
  }
  let total = exploreSteps + trainSteps * (attempt + 1);
  // The ranking of the starts (pooled losses, noise included; older checkpoints: unbiased).
  const rankStarts = () =>
    startChoice(
      explorePooled.map((l, g) => (l.length > 0 ? l : exploreLosses[g])),
      exploreVarS,
    );
  // A resumed run goes on with the start its exploration kept (the first start tried), even where
  // this version's ranking would keep another.
  if (chosen >= 0 && exploreSteps > 0) choice = storedChoice(rankStarts(), tried[0] ?? chosen);
  let exploreEnd: ExplorationEnd | null =
    exploreSteps > 0 && run?.has("exploration.json")
      ? run.readJson<ExplorationEnd>("exploration.json")
      : null;

  const chainCouplings = () => {
    const per = cc.chains / groups.length;
    return Array.from({ length: cc.chains }, (_, c) => {
      return couplingsFromVector(groups[Math.floor(c / per)].t);
    });
  };
  const usesFourColours =
    ctx.termIndices.some((k) => k === 1 || k === 2) || cc.init.plaquette !== 0 || cc.init.nnn !== 0;
  const sampler: Sampler = await createSampler({
    lattice,
    couplings: chainCouplings(),
    chains: cc.chains,
    seed: (config.seed * 2) % 2 ** 53,
    backend: config.backend,
    // Per-chain couplings (exploration) need the int kernel; one coupling for all chains may pack.
    kernel: starts.length > 1 || usesFourColours || ctx.termIndices.some((k) => k > 0) ? "int" : "auto",
    colouring: usesFourColours ? 4 : "auto",
    init: "cold",
    ...(workers === undefined ? {} : { workers }),
  });
  const stepper = new GroupStepper(ctx, threads);

  // Gives every chain the state of exploration group `g` (as saved at the end of exploration)
  // and lets the copies decorrelate under their own random streams.
  const takeStart = async (g: number, spins: Int8Array, perGroup: number) => {
    const N = lattice.nSites;
    const repl = new Int8Array(spins.length);
    for (let c = 0; c < cc.chains; c++)
      repl.set(
        spins.subarray((g * perGroup + (c % perGroup)) * N, (g * perGroup + (c % perGroup) + 1) * N),
        c * N,
      );
    await sampler.setCouplings(chainCouplings());
    await sampler.restore(repl, sampler.sweepCount);
    await sampler.sweep(Math.max(20, cc.warmupSweeps / 5));
  };
  const saveCheckpoint = async (step: number, elapsedMs: number) => {
    if (!run) return;
    const snap = await sampler.snapshot();
    const c: Checkpoint = {
      version: 2,
      step,
      groups: groups.map((g) => saveGroup(ctx, g)),
      exploreLosses,
      exploreVarS,
      explorePooled,
      chosen,
      attempt,
      tried,
      failedAttempts,
      spins: Buffer.from(snap.buffer, snap.byteOffset, snap.byteLength).toString("base64"),
      sweepCount: sampler.sweepCount,
      elapsedMs,
    };
    run.saveCheckpoint(c.step, c);
  };

  let history: { t: number[]; theta: [number, number]; lossUnbiased: number }[] = [];
  try {
    if (ckpt) {
      await sampler.restore(ckpt.spinArray, ckpt.sweepCount);
      run?.truncateMetrics(startStep);
      for (const m of run?.readMetrics<StepMetrics>() ?? []) {
        if (m.phase === "train" && (m.attempt ?? 0) === attempt)
          history.push({ t: m.t, theta: m.theta, lossUnbiased: m.lossUnbiased });
      }
      log(`resumed at step ${startStep}/${total}`);
    } else {
      await sampler.sweep(cc.warmupSweeps);
      run?.truncateMetrics(0);
    }

    const perChain = Math.floor(cc.sweepsPerStep / cc.every);
    const startLoop = Date.now();
    for (;;) {
      for (let step = startStep; step < total; step++) {
        const phase: StepMetrics["phase"] = step < exploreSteps ? "explore" : "train";
        const trainStep = step - exploreSteps - attempt * trainSteps;
        const meas = await sampler.measure({
          sweeps: cc.sweepsPerStep,
          every: cc.every,
          configurations: true,
        });
        const conf = meas.configurations as Int8Array;
        const S = cc.chains * perChain;
        const x = linkVariablesBatch(lattice, conf, S);
        const G = groups.length;
        const rowsPer = S / G;
        const outs = await stepper.step(
          groups,
          groups.map((_, g) => ({
            x: x.subarray(g * rowsPer * lattice.nLinks, (g + 1) * rowsPer * lattice.nLinks),
            terms: meas.terms.subarray(g * rowsPer * 4, (g + 1) * rowsPer * 4),
            samples: rowsPer,
            step,
            trainStep: phase === "train" ? trainStep : null,
          })),
        );
        // Every start's t_nn after the step, before the end of exploration keeps only one of them.
        const startT0 = groups.map((gs) => gs.t[0]);
        if (phase === "explore") {
          for (const [g, o] of outs.entries()) {
            exploreLosses[g].push(o.objective);
            explorePooled[g].push(o.objectivePooled);
            exploreVarS[g].push(
              termVariance(meas.terms.subarray(g * rowsPer * 4, (g + 1) * rowsPer * 4), rowsPer),
            );
          }
        }

        // End of exploration: keep the start with the lowest loss, sampling noise included (among
        // starts tied within noise, the one whose coupling gradient is best measured; see
        // ./explore.ts), and give it every chain. The state of every start is kept for retries.
        if (phase === "explore" && step === exploreSteps - 1) {
          choice = rankStarts();
          chosen = choice.chosen;
          tried = [chosen];
          const sc = startScores(starts, exploreLosses, explorePooled);
          log(
            "exploration (loss: split-half estimate, unbiased, so it can be negative; in brackets the loss " +
              "with sampling noise included, which ranks the starts): " +
              starts
                .map(
                  (s, g) =>
                    // With frozen couplings (the default) a start's t0 never moves: no arrow.
                    `t0 ${s}${config.explore.freezeCouplings ? "" : ` → ${groups[g].t[0].toFixed(3)}`} (loss ${sc[g].loss.toExponential(2)} [${sc[g].lossWithNoise.toExponential(2)}])`,
                )
                .join(", ") +
              `; ${explainChoice(choice, starts)}`,
          );
          const spins = await sampler.snapshot();
          exploreEnd = {
            groups: groups.map((g) => saveGroup(ctx, g)),
            spins: Buffer.from(spins.buffer, spins.byteOffset, spins.byteLength).toString("base64"),
            sweepCount: sampler.sweepCount,
          };
          run?.writeJson("exploration.json", exploreEnd);
          const per = cc.chains / G;
          groups = [groups[chosen]];
          await takeStart(chosen, spins, per);
        } else {
          await sampler.setCouplings(chainCouplings());
        }

        // The metrics line follows the start with the least loss during exploration and the kept
        // start from the step that ends it on (its loss, τ and state all from the same start).
        const lastExplore = phase === "explore" && step === exploreSteps - 1;
        const lead =
          phase !== "explore"
            ? 0
            : lastExplore
              ? chosen
              : outs.reduce((b, o, g) => (o.objective < outs[b].objective ? g : b), 0);
        const leadState = phase === "explore" && !lastExplore ? groups[lead] : groups[0];
        const summary = headSummary(ctx, leadState);
        const m: StepMetrics = {
          step,
          phase,
          loss: outs[lead].loss,
          lossUnbiased: outs[lead].lossUnbiased,
          t: [...leadState.t],
          theta: summary.theta,
          tau: outs[lead].tau,
          attention: summary.weights,
          lrFactor: outs[lead].lrFactor,
          ...(phase === "explore"
            ? {
                starts: outs.map((o, g) => ({
                  t0: startT0[g],
                  loss: o.objective,
                  lossPooled: o.objectivePooled,
                })),
              }
            : { attempt }),
          elapsedMs: elapsedBefore + (Date.now() - startLoop),
        };
        if (phase === "train") history.push({ t: m.t, theta: m.theta, lossUnbiased: m.lossUnbiased });
        // The metrics line first: a checkpoint never claims a step whose metrics could be missing.
        run?.appendMetric(m);
        const last = step === total - 1;
        if ((step + 1) % config.checkpointEvery === 0 || last || step === exploreSteps - 1)
          await saveCheckpoint(step + 1, m.elapsedMs);
        hooks.onStep?.(m, total);
      }

      const result = await summarize();
      if (result.validation.passed) return finish(result);
      const next = choice?.order.find((g) => !tried.includes(g));
      if (attempt >= config.validation.retries || next === undefined || !exploreEnd) {
        return finish(bestAttempt([...previousResults(attempt), result]));
      }
      // A failed validation: train again from the next-best exploration start.
      attemptResults[attempt] = result;
      run?.writeJson(`result-attempt-${attempt}.json`, result);
      failedAttempts = [...failedAttempts, attemptSummary(result)];
      log(
        `validation failed (${result.validation.reasons.join("; ")}); training again from the next exploration start, t0 = ${starts[next]}`,
      );
      attempt++;
      tried = [...tried, next];
      chosen = next;
      groups = [restoreGroup(ctx, exploreEnd.groups[next])];
      await takeStart(
        next,
        new Int8Array(Buffer.from(exploreEnd.spins, "base64")),
        cc.chains / starts.length,
      );
      history = [];
      startStep = total;
      total += trainSteps;
      await saveCheckpoint(startStep, elapsedBefore + (Date.now() - startLoop));
    }
  } finally {
    await sampler.dispose();
    await stepper.dispose();
  }

  // The results of the failed trainings before `upTo` (kept in the run directory for a resume).
  function previousResults(upTo: number): DualityResult[] {
    return Array.from(
      { length: upTo },
      (_, k) => attemptResults[k] ?? (run as LearnerRun).readJson<DualityResult>(`result-attempt-${k}.json`),
    );
  }

  function finish(result: DualityResult): DualityResult {
    run?.writeResult(result);
    return result;
  }

  // Averages over the tail of the current attempt's training, then the validation.
  async function summarize(): Promise<DualityResult> {
    const nTail = Math.max(2, Math.round(config.optimizer.averageFraction * trainSteps));
    const tail = history.slice(Math.max(0, history.length - nTail));
    const learned = {} as DualityResult["learned"];
    const learnedError: DualityResult["learnedError"] = {};
    const targetErr = targetErrors(ctx, groups[0], target);
    let t0Parts: DualityResult["t0ErrorParts"] = {};
    // Batch means need at least 2 steps; with fewer the training error is unknown, and so is
    // the total (the target part alone would understate it).
    const trainingKnown = tail.length >= 2;
    CANDIDATE_TERMS.forEach((name, k) => {
      const bm = batchMeans(tail.map((h) => h.t[k]));
      learned[name] = bm.mean;
      const j = ctx.termIndices.indexOf(k);
      const te = targetErr && j >= 0 ? targetErr[j] : undefined;
      if (j < 0) learnedError[name] = 0;
      else if (trainingKnown) learnedError[name] = Math.hypot(bm.error, te ?? 0);
      if (k === 0 && j >= 0) {
        t0Parts = {
          ...(trainingKnown ? { training: bm.error } : {}),
          ...(te !== undefined ? { target: te } : {}),
        };
      }
    });
    const t0 = learned.nn;
    const exactBeta = config.plaquette === 0 && config.nnn === 0 ? dualCoupling(config.beta) : null;
    const summary = headSummary(ctx, groups[0]);
    const weights = summary.weights;
    let top = 0;
    for (let k = 1; k < weights.length; k++) if (weights[k] > weights[top]) top = k;
    const byKind: Record<string, number> = {};
    const byDiagonal = { diagonal: 0, antiDiagonal: 0, axis: 0 };
    slots.forEach((s, k) => {
      byKind[s.kind] = (byKind[s.kind] ?? 0) + weights[k];
      byDiagonal[s.diagonal === "anti-diagonal" ? "antiDiagonal" : s.diagonal] += weights[k];
    });
    const theta2 = batchMeans(tail.map((h) => h.theta[0])).mean;
    const theta3 = batchMeans(tail.map((h) => h.theta[1])).mean;
    const chosenLink = { slot: top, name: slots[top].name, kind: slots[top].kind, weight: weights[top] };
    const scores = exploreSteps > 0 ? startScores(starts, exploreLosses, explorePooled) : null;
    const validation = await validateDuality(ctx, groups[0], target, {
      t: CANDIDATE_TERMS.map((n) => learned[n]),
      head: [theta2, theta3],
      chosen: chosenLink,
      // A retry's start was not the exploration's choice, so only its own loss is checked.
      exploration: scores ? { scores, chosen, compareWithBest: attempt === 0 } : null,
      seed: (config.seed * 2 + 1 + 2 * 1_000_003 * (attempt + 1)) % 2 ** 53,
    });
    if (!validation.passed) log(`validation failed: ${validation.reasons.join("; ")}`);
    return {
      beta: config.beta,
      plaquette: config.plaquette,
      nnn: config.nnn,
      L: config.L,
      Ly,
      seed: config.seed,
      learned,
      dualTerms: [...config.candidate.learn],
      learnedError,
      t0,
      ...(learnedError.nn !== undefined
        ? { t0Error: learnedError.nn }
        : {
            t0ErrorUnavailable: `n/a (${tail.length} training step${tail.length === 1 ? "" : "s"}): an error bar needs at least 2`,
          }),
      t0ErrorParts: t0Parts,
      image: t0 >= 0 ? "ferro" : "antiferro",
      ...(exactBeta === null
        ? {}
        : {
            exact: {
              dualBeta: exactBeta,
              theta2: -Math.sinh(2 * exactBeta),
              theta3: Math.cosh(2 * exactBeta),
            },
            relativeError: (Math.abs(t0) - exactBeta) / exactBeta,
          }),
      theta2,
      theta3,
      attention: {
        slots: slots.map((s) => s.name),
        kinds: slots.map((s) => s.kind),
        weights,
        entropy: entropy(weights),
        chosen: chosenLink,
        byKind,
        byDiagonal,
      },
      ...(scores && choice
        ? {
            exploration: {
              starts,
              losses: scores.map((x) => x.loss),
              lossErrors: scores.map((x) => x.lossError),
              lossesWithNoise: scores.map((x) => x.lossWithNoise),
              chosen: starts[chosen],
              why:
                attempt === 0
                  ? explainChoice(choice, starts)
                  : `training from start ${starts[choice.chosen]} failed validation; retried from start ${starts[chosen]}`,
            },
          }
        : {}),
      validation,
      failedAttempts,
      ...finalLossOf(tail.map((h) => h.lossUnbiased)),
      steps: total,
      samplesPerStep: cc.chains * Math.floor(cc.sweepsPerStep / cc.every),
      wallTimeMs: elapsedBefore + (Date.now() - startWall),
      targetTimeMs: target.wallTimeMs,
      targetBoundary: target.boundary ?? "periodic",
      backend: sampler.backend,
      adapter: sampler.adapter,
      kernel: sampler.kernel,
      observable: config.observable.kind === "mlp" ? "mlp" : `attention (${config.observable.mode})`,
      shapes: shapes.map((s) => s.name),
    };
  }
}
