// The end of exploration: the starts scored and ranked, the start to train from kept (sampling
// noise included; among starts tied within noise, the one whose coupling gradient is best
// measured; see ./explore.ts) and given every chain, and the state of every start saved for
// the retries.
import type { StartScore } from "../validate/checks.js";
import { explainChoice, type StartChoice, startChoice, storedChoice, tailEstimate } from "./explore.js";
import { saveGroup } from "./group-checkpoint.js";
import { takeStart } from "./learner-chains.js";
import type { LearnerSession } from "./learner-session.js";
import type { TrainingPlan } from "./training-plan.js";
import { spinsBase64, type TrainingState } from "./training-state.js";

/** Exploration scores per start over the second half of exploration. */
export function startScores(
  starts: readonly number[],
  unbiased: number[][],
  pooled: number[][],
): StartScore[] {
  return starts.map((t0, g) => {
    const u = tailEstimate(unbiased[g]);
    const p = tailEstimate(pooled[g].length > 0 ? pooled[g] : unbiased[g]);
    return { t0, loss: u.mean, lossError: u.error, lossWithNoise: p.mean };
  });
}

/** The ranking of the starts (pooled losses, noise included; older checkpoints: unbiased). */
function rankStarts(state: TrainingState): StartChoice {
  return startChoice(
    state.explorePooled.map((l, g) => (l.length > 0 ? l : state.exploreLosses[g])),
    state.exploreVarS,
  );
}

/**
 * The exploration's choice once it has ended (null before, and without exploration). It keeps
 * the first start trained from, even where this version's ranking would keep another (a run
 * resumed from an older version's checkpoint).
 */
export function explorationChoice(plan: TrainingPlan, state: TrainingState): StartChoice | null {
  if (state.chosen < 0 || plan.exploreSteps === 0) return null;
  return storedChoice(rankStarts(state), state.tried[0] ?? state.chosen);
}

/**
 * Ends exploration after its last step: keeps the best start, logs why, saves every start's
 * state (exploration.json) and hands every chain to the kept start.
 */
export async function endExploration(s: LearnerSession, state: TrainingState): Promise<void> {
  const { config, plan, sampler } = s;
  const { starts } = plan;
  const choice = rankStarts(state);
  state.chosen = choice.chosen;
  state.tried = [state.chosen];
  const sc = startScores(starts, state.exploreLosses, state.explorePooled);
  s.log(
    "exploration (loss: split-half estimate, unbiased, so it can be negative; in brackets the loss " +
      "with sampling noise included, which ranks the starts): " +
      starts
        .map(
          (t0, g) =>
            // With frozen couplings (the default) a start's t0 never moves: no arrow.
            `t0 ${t0}${config.explore.freezeCouplings ? "" : ` → ${state.groups[g].t[0].toFixed(3)}`} (loss ${sc[g].loss.toExponential(2)} [${sc[g].lossWithNoise.toExponential(2)}])`,
        )
        .join(", ") +
      `; ${explainChoice(choice, starts)}`,
  );
  const spins = await sampler.snapshot();
  state.exploreEnd = {
    groups: state.groups.map((g) => saveGroup(s.ctx, g)),
    spins: spinsBase64(spins),
    sweepCount: sampler.sweepCount,
  };
  s.run?.writeState("exploration.json", state.exploreEnd);
  state.groups = [state.groups[state.chosen]];
  await takeStart(s, state.groups, state.chosen, spins);
}
