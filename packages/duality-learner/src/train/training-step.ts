// One step of the learner: the chains' samples, every group's update, the exploration's scores
// (and its end after its last step), the metrics line and the checkpoint.
import { linkVariablesBatch } from "../model/features.js";
import { endExploration } from "./exploration-end.js";
import { termVariance } from "./explore.js";
import { headSummary } from "./head-summary.js";
import { chainCouplings } from "./learner-chains.js";
import { elapsedMs, type LearnerSession } from "./learner-session.js";
import type { StepMetrics } from "./result.js";
import type { StepOutput } from "./step-data.js";
import { totalSteps } from "./training-plan.js";
import { saveCheckpoint, type TrainingState } from "./training-state.js";

/**
 * Runs step `state.step` and advances the state to the next one (groups, exploration scores,
 * history, checkpoint); returns its metrics line, which the run directory and `onStep` have
 * been given.
 */
export async function trainingStep(s: LearnerSession, state: TrainingState): Promise<StepMetrics> {
  const { config, ctx, plan, sampler, run } = s;
  const { lattice } = ctx;
  const cc = config.candidate;
  const step = state.step;
  const total = totalSteps(plan, state.attempt);
  const phase: StepMetrics["phase"] = step < plan.exploreSteps ? "explore" : "train";
  const trainStep = step - plan.exploreSteps - state.attempt * plan.trainSteps;
  const meas = await sampler.measure({
    sweeps: cc.sweepsPerStep,
    every: cc.every,
    configurations: true,
  });
  const conf = meas.configurations as Int8Array;
  const S = cc.chains * Math.floor(cc.sweepsPerStep / cc.every);
  const x = linkVariablesBatch(lattice, conf, S);
  const G = state.groups.length;
  const rowsPer = S / G;
  const outs = await s.stepper.step(
    state.groups,
    state.groups.map((_, g) => ({
      x: x.subarray(g * rowsPer * lattice.nLinks, (g + 1) * rowsPer * lattice.nLinks),
      terms: meas.terms.subarray(g * rowsPer * 4, (g + 1) * rowsPer * 4),
      samples: rowsPer,
      step,
      trainStep: phase === "train" ? trainStep : null,
    })),
  );
  // Every start's t_nn after the step, before the end of exploration keeps only one of them.
  const startT0 = state.groups.map((gs) => gs.t[0]);
  if (phase === "explore") {
    for (const [g, o] of outs.entries()) {
      state.exploreLosses[g].push(o.objective);
      state.explorePooled[g].push(o.objectivePooled);
      state.exploreVarS[g].push(
        termVariance(meas.terms.subarray(g * rowsPer * 4, (g + 1) * rowsPer * 4), rowsPer),
      );
    }
  }
  const lastExplore = phase === "explore" && step === plan.exploreSteps - 1;
  if (lastExplore) await endExploration(s, state);
  else await sampler.setCouplings(chainCouplings(cc.chains, state.groups));

  const m = metricsLine(s, state, { step, phase, lastExplore, outs, startT0 });
  if (phase === "train") state.history.push({ t: m.t, theta: m.theta, lossUnbiased: m.lossUnbiased });
  state.step = step + 1;
  // The metrics line first: a checkpoint never claims a step whose metrics could be missing.
  run?.appendMetric(m);
  if ((step + 1) % config.checkpointEvery === 0 || step === total - 1 || step === plan.exploreSteps - 1)
    await saveCheckpoint(s, state, m.elapsedMs);
  s.hooks.onStep?.(m, total);
  return m;
}

/**
 * The metrics line of a step. It follows the start with the least loss during exploration and
 * the kept start from the step that ends it on (its loss, τ and state all from the same start).
 */
function metricsLine(
  s: LearnerSession,
  state: TrainingState,
  d: {
    step: number;
    phase: StepMetrics["phase"];
    lastExplore: boolean;
    outs: readonly StepOutput[];
    startT0: readonly number[];
  },
): StepMetrics {
  const { step, phase, lastExplore, outs } = d;
  const lead =
    phase !== "explore"
      ? 0
      : lastExplore
        ? state.chosen
        : outs.reduce((b, o, g) => (o.objective < outs[b].objective ? g : b), 0);
  const leadState = phase === "explore" && !lastExplore ? state.groups[lead] : state.groups[0];
  const summary = headSummary(s.ctx, leadState);
  return {
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
            t0: d.startT0[g],
            loss: o.objective,
            lossPooled: o.objectivePooled,
          })),
        }
      : { attempt: state.attempt }),
    elapsedMs: elapsedMs(s),
  };
}
