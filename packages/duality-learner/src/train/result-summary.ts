// The result of one training (one attempt): averages over the tail of its steps with their
// errors (training noise and the target's share), the attention's summary, the exploration's
// scores and choice, and the validation of the answer.
import { dualCoupling, plural } from "@physml/lattice-core";
import { CANDIDATE_TERMS } from "../config.js";
import { batchMeans } from "../stats/gradient.js";
import { validateDuality } from "../validate/validate.js";
import { candidateErrors } from "./candidate-noise.js";
import { explorationChoice, startScores } from "./exploration-end.js";
import { explainChoice } from "./explore.js";
import { headSummary } from "./head-summary.js";
import type { LearnerSession } from "./learner-session.js";
import { type DualityResult, entropy, finalLossOf } from "./result.js";
import { fitSensitivity, targetErrors } from "./target-sensitivity.js";

/** Why a model with a plaquette or nnn coupling has no exact value to compare with. */
const NO_EXACT_DUAL =
  "no exact dual coupling: the plaquette or nnn coupling is not 0 (Kramers–Wannier covers nn only)";

import { totalSteps } from "./training-plan.js";
import type { TrainingState } from "./training-state.js";

/** Averages over the tail of the current attempt's training, then the validation. */
export async function summarize(s: LearnerSession, state: TrainingState): Promise<DualityResult> {
  const { config, ctx, target, plan, sampler } = s;
  const { slots } = ctx;
  const { starts, exploreSteps, trainSteps } = plan;
  const { history, attempt, chosen } = state;
  const gs = state.groups[0];
  const choice = explorationChoice(plan, state);
  const nTail = Math.max(2, Math.round(config.optimizer.averageFraction * trainSteps));
  const tail = history.slice(Math.max(0, history.length - nTail));
  const learned = {} as DualityResult["learned"];
  const learnedError: DualityResult["learnedError"] = {};
  // one fit sensitivity serves both propagated parts (the target's and the candidate chains')
  const fit = fitSensitivity(ctx, gs);
  const targetErr = targetErrors(ctx, fit, target);
  const candidateErr = candidateErrors(ctx, fit, tail.length);
  let t0Parts: DualityResult["t0ErrorParts"] = {};
  // Batch means need at least 2 steps; with fewer the training error is unknown, and so is
  // the total (the target part alone would understate it).
  const trainingKnown = tail.length >= 2;
  CANDIDATE_TERMS.forEach((name, k) => {
    const bm = batchMeans(tail.map((h) => h.t[k]));
    learned[name] = bm.mean;
    const j = ctx.termIndices.indexOf(k);
    const te = targetErr && j >= 0 ? targetErr[j] : undefined;
    const ce = candidateErr && j >= 0 ? candidateErr[j] : undefined;
    if (j < 0) learnedError[name] = 0;
    else if (trainingKnown) learnedError[name] = Math.hypot(bm.error, te ?? 0, ce ?? 0);
    if (k === 0 && j >= 0) {
      t0Parts = {
        ...(trainingKnown ? { training: bm.error } : {}),
        ...(te !== undefined ? { target: te } : {}),
        ...(ce !== undefined ? { candidate: ce } : {}),
      };
    }
  });
  const t0 = learned.nn;
  const exactBeta = config.plaquette === 0 && config.nnn === 0 ? dualCoupling(config.beta) : null;
  const summary = headSummary(ctx, gs);
  const weights = summary.weights;
  let top = 0;
  for (let k = 1; k < weights.length; k++) if (weights[k] > weights[top]) top = k;
  const byKind: Record<string, number> = {};
  const byDiagonal = { diagonal: 0, antiDiagonal: 0, axis: 0 };
  slots.forEach((sl, k) => {
    byKind[sl.kind] = (byKind[sl.kind] ?? 0) + weights[k];
    byDiagonal[sl.diagonal === "anti-diagonal" ? "antiDiagonal" : sl.diagonal] += weights[k];
  });
  const theta2 = batchMeans(tail.map((h) => h.theta[0])).mean;
  const theta3 = batchMeans(tail.map((h) => h.theta[1])).mean;
  const chosenLink = { slot: top, name: slots[top].name, kind: slots[top].kind, weight: weights[top] };
  const scores = exploreSteps > 0 ? startScores(starts, state.exploreLosses, state.explorePooled) : null;
  const validation = await validateDuality(ctx, gs, target, {
    t: CANDIDATE_TERMS.map((n) => learned[n]),
    head: [theta2, theta3],
    chosen: chosenLink,
    // A retry's start was not the exploration's choice, so only its own loss is checked.
    exploration: scores ? { scores, chosen, compareWithBest: attempt === 0 } : null,
    seed: (config.seed * 2 + 1 + 2 * 1_000_003 * (attempt + 1)) % 2 ** 53,
  });
  if (!validation.passed) s.log(`validation failed: ${validation.failures.join("; ")}`);
  const cc = config.candidate;
  return {
    beta: config.beta,
    plaquette: config.plaquette,
    nnn: config.nnn,
    L: config.L,
    Ly: config.Ly ?? config.L,
    seed: config.seed,
    learned,
    dualTerms: [...cc.learn],
    learnedError,
    t0,
    ...(learnedError.nn !== undefined
      ? { t0Error: learnedError.nn }
      : {
          t0ErrorUnavailable: `n/a (${plural(tail.length, "training step")}): an error bar needs at least 2`,
        }),
    t0ErrorParts: t0Parts,
    image: t0 >= 0 ? "ferro" : "antiferro",
    ...(exactBeta === null
      ? { exactUnavailable: NO_EXACT_DUAL }
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
      slots: slots.map((sl) => sl.name),
      kinds: slots.map((sl) => sl.kind),
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
    failedAttempts: state.failedAttempts,
    ...finalLossOf(tail.map((h) => h.lossUnbiased)),
    steps: totalSteps(plan, attempt),
    samplesPerStep: cc.chains * Math.floor(cc.sweepsPerStep / cc.every),
    // the run's earlier attempts up to their last checkpoint, and a target measured by one that
    // stopped before its first
    seconds: (s.run?.carriedSeconds ?? 0) + s.uncheckpointedSeconds + (Date.now() - s.calledAt) / 1000,
    targetSeconds: target.wallTimeMs / 1000,
    targetBoundary: target.boundary ?? "periodic",
    backend: sampler.backend,
    adapter: sampler.adapter,
    kernel: sampler.kernel,
    observable: config.observable.kind === "mlp" ? "mlp" : `attention (${config.observable.mode})`,
    shapes: s.shapes.map((sh) => sh.name),
  };
}
