// The learner's persistent candidate chains: the sampler they run on, split evenly over the
// groups (each group's chains sample at its couplings), and the hand-over of every chain to one
// start at the end of exploration or at a retry.
import { type Couplings, couplingsFromVector } from "@physml/lattice-core";
import { createSampler, type Sampler } from "@physml/mcmc-gpu";
import type { DualityConfig } from "../config.js";
import type { GroupState } from "./group-state.js";
import type { LearnerSession } from "./learner-session.js";
import type { StepContext } from "./step-context.js";
import type { TrainingPlan } from "./training-plan.js";

/** Per chain, the couplings of its group (the chains split evenly and in order over the groups). */
export function chainCouplings(chains: number, groups: readonly GroupState[]): Couplings[] {
  const per = chains / groups.length;
  return Array.from({ length: chains }, (_, c) => {
    return couplingsFromVector(groups[Math.floor(c / per)].t);
  });
}

/** The sampler of the candidate chains, at the couplings of `groups`, cold. */
export async function openChains(
  config: DualityConfig,
  ctx: StepContext,
  plan: TrainingPlan,
  groups: readonly GroupState[],
  workers: number | undefined,
): Promise<Sampler> {
  const cc = config.candidate;
  const usesFourColours =
    ctx.termIndices.some((k) => k === 1 || k === 2) || cc.init.plaquette !== 0 || cc.init.nnn !== 0;
  return createSampler({
    lattice: ctx.lattice,
    couplings: chainCouplings(cc.chains, groups),
    chains: cc.chains,
    seed: (config.seed * 2) % 2 ** 53,
    backend: config.backend,
    // Per-chain couplings (exploration) need the int kernel; one coupling for all chains may pack.
    kernel: plan.starts.length > 1 || usesFourColours || ctx.termIndices.some((k) => k > 0) ? "int" : "auto",
    colouring: usesFourColours ? 4 : "auto",
    init: "cold",
    ...(workers === undefined ? {} : { workers }),
  });
}

/**
 * Gives every chain the state of exploration start `g` (`spins` as saved at the end of
 * exploration, every start's chains) and lets the copies decorrelate under their own random
 * streams; the chains then sample at the couplings of `groups`, the one group trained.
 */
export async function takeStart(
  s: LearnerSession,
  groups: readonly GroupState[],
  g: number,
  spins: Int8Array,
): Promise<void> {
  const { sampler } = s;
  const cc = s.config.candidate;
  const N = s.ctx.lattice.nSites;
  const perGroup = cc.chains / s.plan.starts.length;
  const repl = new Int8Array(spins.length);
  for (let c = 0; c < cc.chains; c++)
    repl.set(
      spins.subarray((g * perGroup + (c % perGroup)) * N, (g * perGroup + (c % perGroup) + 1) * N),
      c * N,
    );
  await sampler.setCouplings(chainCouplings(cc.chains, groups));
  await sampler.restore(repl, sampler.sweepCount);
  await sampler.sweep(Math.max(20, cc.warmupSweeps / 5));
}
