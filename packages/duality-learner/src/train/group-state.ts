// The learnable state of one group (one set of couplings and one observable map), its initial
// value and its JSON form in checkpoints. One type serves the three update rules (each reads its
// own fields; see ./exact-rule.ts and ./backprop-rule.ts): the checkpoint format stores it whole.
import { type AdamState, adam, mul, random, type Tensor, type Tree, tensor } from "@physml/autodiff";
import { cacheSlotImages } from "../model/moment-plan.js";
import type { AttentionParams, MlpParams } from "../model/observable.js";
import { logitAdam } from "./exact-rule.js";
import { mlpOf } from "./mlp-net.js";
import type { StepContext } from "./step-context.js";
import { decodeTree, encodeTree } from "./tree.js";

/** The learnable state of one group. */
export interface GroupState {
  /** Couplings [nn, plaquette, nnn, field]. */
  t: number[];
  tAdam: { m: number[]; v: number[]; n: number };
  /** Attention logits (attention maps). */
  logits: Tensor | null;
  logitState: AdamState | null;
  /** Exact mode: solved head (θ2, θ3) per slot, null until first solved. */
  heads: ([number, number] | null)[];
  /** Exact mode: last loss per slot (for slots skipped because their probability is tiny). */
  slotLoss: number[];
  /** Exact mode: last split-half (noise-unbiased) loss per slot. */
  slotLossUnbiased: number[];
  /** Gumbel mode: {logits, theta}; MLP mode: the network parameters. */
  params: AttentionParams | MlpParams | null;
  paramState: AdamState | null;
  mlpSign: number;
  /** Exact mode: recent samples' moments per slot (null where a slot was skipped). */
  memory: MemoryEntry[];
  /** Exact mode: running average of the profile Gauss–Newton matrix. */
  gramAvg: Float64Array | null;
}

/** One step's samples in the exact mode's memory. */
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

/** Initial state of group `g` starting from t_nn = t0. */
export function initGroup(ctx: StepContext, t0: number, g: number): GroupState {
  const { config: c, slots } = ctx;
  const K = slots.length;
  const key = random.split(random.key(c.seed + 7919 * g), 2)[0];
  const logits = mul(random.normal(key, [K]), c.observable.logitInitStd);
  const gs: GroupState = {
    t: [t0, c.candidate.init.plaquette, c.candidate.init.nnn, c.candidate.init.field],
    tAdam: { m: [0, 0, 0, 0], v: [0, 0, 0, 0], n: 0 },
    logits: null,
    logitState: null,
    heads: slots.map(() => null),
    slotLoss: slots.map(() => Number.POSITIVE_INFINITY),
    slotLossUnbiased: slots.map(() => Number.POSITIVE_INFINITY),
    params: null,
    paramState: null,
    mlpSign: 1,
    memory: [],
    gramAvg: null,
  };
  if (c.observable.kind === "mlp") {
    gs.params = mlpOf(ctx).params;
    gs.paramState = adam({ lr: 1 }).init(gs.params as unknown as Tree);
  } else if (c.observable.mode === "gumbel") {
    gs.params = { logits, theta: tensor([c.observable.theta2Init, c.observable.theta3Init]) };
    gs.paramState = adam({ lr: 1 }).init(gs.params as unknown as Tree);
  } else {
    gs.logits = logits;
    gs.logitState = logitAdam(1).init(logits);
  }
  return gs;
}

/** JSON form of a group (checkpoints). */
export function saveGroup(_ctx: StepContext, gs: GroupState): unknown {
  return encodeTree({
    ...gs,
    slotLoss: gs.slotLoss.map((v) => (Number.isFinite(v) ? v : null)),
    slotLossUnbiased: gs.slotLossUnbiased.map((v) => (Number.isFinite(v) ? v : null)),
    memory: gs.memory.map(({ images: _cache, ...e }) => e),
  });
}

/** Inverse of {@link saveGroup}. */
export function restoreGroup(ctx: StepContext, json: unknown): GroupState {
  const g = decodeTree(json) as GroupState;
  const finite = (l: (number | null)[] | undefined) =>
    (l ?? ctx.slots.map(() => null)).map((v) => (v === null ? Number.POSITIVE_INFINITY : v));
  g.slotLoss = finite(g.slotLoss as (number | null)[]);
  g.slotLossUnbiased = finite(g.slotLossUnbiased as (number | null)[] | undefined);
  for (const e of g.memory) {
    // checkpoints before the image sums carried `moms: null`
    delete (e as { moms?: unknown }).moms;
    const cache: (Float64Array | null)[] = [];
    e.images = cache;
    e.computed.forEach((c, k) => {
      if (c) cacheSlotImages(ctx.momentPlan, e.x, e.samples, k, cache);
    });
  }
  return g;
}
