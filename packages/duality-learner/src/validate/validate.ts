// The learner's check of its own answer: fresh samples of the learned candidate model at the
// learned couplings, mapped by the learned observable, must reproduce the target's features
// within their errors; the exploration must not have kept its start on noise; the attention
// must read a link that can carry the dual.
import type { GroupState } from "../train/group-state.js";
import { mappedLinks } from "../train/mapped-links.js";
import type { StepContext } from "../train/step-context.js";
import { sampleFeatures } from "../train/target.js";
import type { TargetData } from "../train/target-data.js";
import {
  attentionFailures,
  type ChosenLink,
  compareFeatures,
  explorationFailures,
  featureFailures,
  type StartScore,
  type ValidationTargets,
} from "./checks.js";

/** The `validation` block of a result. */
export interface Validation {
  /** Diagonal χ² per degree of freedom of the mapped features against the target's (see checks.ts). */
  chi2PerDof: number;
  dof: number;
  /** Largest |pull| of one feature, and that feature. */
  maxPull: number;
  worstFeature: string;
  /** True when every check passed; otherwise `failures` says what failed, one sentence each. */
  passed: boolean;
  failures: string[];
  /** The correlator check's thresholds on `chi2PerDof` and `maxPull`. */
  targets: ValidationTargets;
  /** Fresh samples of the learned model measured (chains × samples per chain). */
  samples: number;
  /** Wall time of the check in seconds. */
  seconds: number;
}

/** What the validation checks beyond the fresh samples. */
export interface ValidationInput {
  /** Learned couplings [nn, plaquette, nnn, field] and head (θ2, θ3) as reported. */
  t: readonly number[];
  head: [number, number];
  chosen: ChosenLink;
  /**
   * Exploration scores and the index trained from (null without exploration); `compareWithBest`
   * false for a retry, whose start was not the exploration's choice.
   */
  exploration: { scores: StartScore[]; chosen: number; compareWithBest: boolean } | null;
  /** Seed of the fresh chains (a stream of its own). */
  seed: number;
}

/** Samples the learned model afresh and runs every check. */
export async function validateDuality(
  ctx: StepContext,
  gs: GroupState,
  target: TargetData,
  input: ValidationInput,
): Promise<Validation> {
  const start = Date.now();
  const { config } = ctx;
  const targets: ValidationTargets = {
    maxChi2PerDof: config.validation.maxChi2PerDof,
    maxPull: config.validation.maxPull,
  };
  const fresh = await sampleFeatures(config, ctx.lattice, ctx.geometry.shapes, {
    couplings: { nn: input.t[0], plaquette: input.t[1], nnn: input.t[2], field: input.t[3] },
    seed: input.seed,
    map: (x, count) => mappedLinks(ctx, gs, x, count, input.head),
  });
  const cmp = compareFeatures(fresh, target);
  const failures = [
    ...featureFailures(cmp, targets),
    ...(input.exploration
      ? explorationFailures(
          input.exploration.scores,
          input.exploration.chosen,
          input.exploration.compareWithBest,
        )
      : []),
    ...(config.observable.kind === "attention" ? attentionFailures(input.chosen) : []),
  ];
  return {
    ...cmp,
    passed: failures.length === 0,
    failures,
    targets,
    samples: fresh.chains * fresh.samplesPerChain,
    seconds: (Date.now() - start) / 1000,
  };
}
