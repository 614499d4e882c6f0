// The learnable state of one group (one set of couplings and one observable map): one type per
// update rule, told apart by `rule`, each read only by its rule (./exact-rule.ts,
// ./backprop-rule.ts), and the group's initial value. Its checkpoint form is in
// ./group-checkpoint.ts.
import { mul, random, type Tensor, tensor } from "@physml/autodiff";
import { type AdamState, adam } from "@physml/autodiff/optim";
import { seedPlus } from "@physml/lattice-core";
import { updateRule } from "../config.js";
import type { AttentionParams, MlpParams } from "../model/observable.js";
import { logitAdam } from "./logit-adam.js";
import { mlpOf } from "./mlp-net.js";
import type { StepContext } from "./step-context.js";

/** What every rule's group holds: the couplings and the moments of their step. */
export interface CouplingsState {
  /** Couplings [nn, plaquette, nnn, field]. */
  t: number[];
  /** Adam moments of the couplings' step (used without preconditioning). */
  tAdam: { m: number[]; v: number[]; n: number };
}

/** A group of the exact (slot-wise) attention rule. */
export interface ExactGroup extends CouplingsState {
  rule: "exact";
  /** Attention logits over the candidate slots. */
  logits: Tensor;
  logitState: AdamState;
  /** Solved head (θ2, θ3) per slot, null until first solved. */
  heads: ([number, number] | null)[];
  /** Last loss per slot (for slots skipped because their probability is tiny). */
  slotLoss: number[];
  /** Last split-half (noise-unbiased) loss per slot. */
  slotLossUnbiased: number[];
  /** Recent samples' moments per slot (null where a slot was skipped). */
  memory: MemoryEntry[];
  /** Running average of the profile Gauss–Newton matrix, null before the first step. */
  gramAvg: Float64Array | null;
}

/** A group of the Gumbel-softmax attention, trained by back-propagation. */
export interface GumbelGroup extends CouplingsState {
  rule: "gumbel";
  /** Attention logits and head θ. */
  params: AttentionParams;
  paramState: AdamState;
}

/** A group of the MLP map, trained by back-propagation. */
export interface MlpGroup extends CouplingsState {
  rule: "mlp";
  /** The network's parameters. */
  params: MlpParams;
  paramState: AdamState;
  /** ±1: the sign image applied to the network's input (see ./couplings-update.ts). */
  mlpSign: number;
}

/** The learnable state of one group, of the update rule the configuration names. */
export type GroupState = ExactGroup | GumbelGroup | MlpGroup;

/** One step's samples in the exact rule's memory. */
export interface MemoryEntry {
  /** Couplings the samples were drawn at. */
  t: number[];
  terms: Float64Array;
  samples: number;
  /** Link variables `[S][2N]` as ±1 (checkpointed; the moments are recomputed from them). */
  x: Int8Array;
  /** The slots this step's samples were used for (the others were skipped at that step). */
  computed: boolean[];
  /**
   * The sums of the shape images the computed slots read (see model/moment-plan.ts), indexed
   * by image: a cache of what x gives, not checkpointed.
   */
  images?: (Float64Array | null)[];
}

/** The attention logits group `g` starts from: N(0, logitInitStd²) per slot, from the seed. */
function initialLogits(ctx: StepContext, g: number): Tensor {
  const { config: c, slots } = ctx;
  // seed + 7919·g wrapped below 2^53 (the same key as the plain sum wherever that is a safe integer)
  const key = random.split(random.key(seedPlus(c.seed, 7919 * g)), 2)[0];
  return mul(random.normal(key, [slots.length]), c.observable.logitInitStd);
}

/** Initial state of group `g` starting from t_nn = t0. */
export function initGroup(ctx: StepContext, t0: number, g: number): GroupState {
  const { config: c, slots } = ctx;
  const couplings: CouplingsState = {
    t: [t0, c.candidate.init.plaquette, c.candidate.init.nnn, c.candidate.init.field],
    tAdam: { m: [0, 0, 0, 0], v: [0, 0, 0, 0], n: 0 },
  };
  switch (updateRule(c)) {
    case "exact": {
      const logits = initialLogits(ctx, g);
      return {
        rule: "exact",
        ...couplings,
        logits,
        logitState: logitAdam(1).init(logits),
        heads: slots.map(() => null),
        slotLoss: slots.map(() => Number.POSITIVE_INFINITY),
        slotLossUnbiased: slots.map(() => Number.POSITIVE_INFINITY),
        memory: [],
        gramAvg: null,
      };
    }
    case "gumbel": {
      const params = {
        logits: initialLogits(ctx, g),
        theta: tensor([c.observable.theta2Init, c.observable.theta3Init]),
      };
      return { rule: "gumbel", ...couplings, params, paramState: adam({ lr: 1 }).init(params) };
    }
    case "mlp": {
      const { params } = mlpOf(ctx);
      return { rule: "mlp", ...couplings, params, paramState: adam({ lr: 1 }).init(params), mlpSign: 1 };
    }
  }
}
