// One training step of one group (one set of couplings t and one observable map) on its share
// of the candidate samples. Three update rules:
// - attention, mode "exact": hard attention whose expectation over the K candidate slots is
//   computed exactly (no sampling noise); the affine head of each slot is solved exactly from the
//   moment polynomials (separable least squares), and the attention logits follow the gradient
//   of the expected loss Σ_k p_k L_k (autodiff) plus the identity penalty.
// - attention, mode "gumbel": the published scheme — Gumbel-softmax (soft or straight-through)
//   weights over the candidate links, the head θ2·(Σ w_k x_k) + θ3, and ∂L/∂(logits, θ) by
//   backpropagation through O_θ over the samples (autodiff vjp).
// - mlp: O = MLP(window), trained by backpropagation.
// The couplings follow the split-half covariance estimator in every mode.
import {
  type AdamState,
  adam,
  add,
  gather,
  grad,
  MLP,
  mul,
  random,
  softmax,
  sum,
  type Tensor,
  type Tree,
  tensor,
  vjp,
} from "@physml/autodiff";
import type { SquareLattice } from "@physml/lattice-core";
import type { DualityConfig } from "../config.js";
import { cacheSlotImages, type SlotMomentPlan } from "../model/moment-plan.js";
import { headJacobian, type MomentLayout, profileGram, profileJacobian } from "../model/moments.js";
import {
  type AttentionParams,
  attentionFeatures,
  type FeatureGeometry,
  type ForwardOptions,
  type MlpParams,
  mlpFeatures,
} from "../model/observable.js";
import type { CandidateSlot } from "../model/window.js";
import { couplingGradient, type GradientOutput, precondition, solveDamped } from "../stats/gradient.js";
import { type MemoryPool, memoryPool, poolFeatures, poolMeanMoments, remember } from "./memory-pool.js";
import { type SlotResult, slotStep } from "./slot-step.js";
import { decodeTree, encodeTree } from "./tree.js";

/** What every step needs and never changes. */
export interface StepContext {
  config: DualityConfig;
  lattice: SquareLattice;
  slots: readonly CandidateSlot[];
  window: Int32Array;
  geometry: FeatureGeometry;
  layout: MomentLayout;
  /** Which slots share which moment sums (see `slotMomentPlan`). */
  momentPlan: SlotMomentPlan;
  target: Float64Array;
  termIndices: number[];
  trivial: Int32Array;
}

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

/** The samples of one group for one step. */
export interface StepData {
  /** Link variables `[S][2N]`, chain-major (first half of the rows = half A). */
  x: Float64Array;
  /** Term sums `[S][4]`. */
  terms: Float64Array;
  samples: number;
  /** Global step (keys, schedules). */
  step: number;
  /** Step within the training phase, or null during exploration. */
  trainStep: number | null;
}

/** What a step reports. */
export interface StepOutput {
  loss: number;
  lossUnbiased: number;
  /**
   * What exploration ranks the starts by. Exact mode: the profile loss at this t, i.e. the least
   * unbiased loss over the non-trivial slots (each with its solved head), independent of how far
   * the attention has converged. Other modes: lossUnbiased + identity penalty.
   */
  objective: number;
  /** The same with the pooled losses (sampling noise included, never negative). */
  objectivePooled: number;
  tau: number;
  lrFactor: number;
}

const mlpCache = new WeakMap<StepContext, MLP>();
function mlpOf(ctx: StepContext): MLP {
  let net = mlpCache.get(ctx);
  if (!net) {
    const o = ctx.config.observable;
    net = new MLP([ctx.slots.length, ...o.hidden, 1], {
      key: random.split(random.key(ctx.config.seed), 3)[2],
      activation: "tanh",
    });
    mlpCache.set(ctx, net);
  }
  return net;
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

/** Schedules at a step: τ, learning-rate factor, and whether t is still frozen. */
export function schedules(ctx: StepContext, d: Pick<StepData, "step" | "trainStep">) {
  const c = ctx.config;
  const explore = c.explore.starts.length > 1 ? c.explore.steps : 0;
  const o = c.observable;
  if (d.trainStep === null) {
    return {
      tau: o.tauStart,
      lrFactor: 1,
      tFrozen: c.explore.freezeCouplings || d.step < c.optimizer.freezeFraction * explore,
    };
  }
  const f = d.trainStep / c.optimizer.steps;
  const a = o.tauAnnealFraction > 0 ? Math.min(1, f / o.tauAnnealFraction) : 1;
  const { decayStart, finalLrFactor, freezeFraction } = c.optimizer;
  const lrFactor =
    f < decayStart ? 1 : 1 - ((1 - finalLrFactor) * (f - decayStart)) / Math.max(1e-12, 1 - decayStart);
  return {
    tau: o.tauStart * (o.tauEnd / o.tauStart) ** a,
    lrFactor,
    tFrozen: explore === 0 && f < freezeFraction,
  };
}

function softmaxValues(logits: Tensor): number[] {
  return Array.from(softmax(logits, -1).toFloat64Array());
}

/** Mixes a seed and a step into a key seed (deterministic, 53 bits). */
function stepSeed(seed: number, step: number, g: number): number {
  let h =
    (Math.imul((seed % 2 ** 32) ^ 0x9e3779b9, 0x85ebca6b) ^
      Math.imul(step + 1, 0xc2b2ae35) ^
      Math.imul(g + 1, 0x27d4eb2f)) >>>
    0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Adam for the exact mode's logits with a short second-moment memory (β2 = 0.9). The identity
 * penalty's gradient (~λ·p_identity ≈ 0.1 at first) is orders of magnitude above the later
 * loss differences between slots (~1e-4 in the ordered phase); with the default β2 = 0.999 its
 * memory kept Adam's steps tiny for hundreds of steps and the attention stayed near uniform,
 * so the coupling step kept mixing in the gradients of the wrong slots.
 */
function logitAdam(lr: number) {
  return adam({ lr, beta2: 0.9 });
}

/**
 * Least loss over the slots, without the trivial ones when they are penalised: of the split-half
 * (noise-unbiased) losses, or of the pooled losses (noise included) with `pooled`.
 */
function profileLoss(ctx: StepContext, gs: GroupState, pooled = false): number {
  const skipTrivial = ctx.config.observable.identityPenalty > 0;
  let best = Number.POSITIVE_INFINITY;
  (pooled ? gs.slotLoss : gs.slotLossUnbiased).forEach((v, k) => {
    if (!(skipTrivial && ctx.slots[k].trivial) && v < best) best = v;
  });
  return best;
}

function trivialMass(ctx: StepContext, p: readonly number[]): number {
  let m = 0;
  for (const k of ctx.trivial) m += p[k];
  return m;
}

/** The identity-penalty gradient on the logits: λ·Σ_{trivial k} softmax(logits)_k. */
function penaltyObjective(ctx: StepContext, logits: Tensor, lossPerSlot: Tensor | null): Tensor {
  const p = softmax(logits, -1);
  const pen = mul(sum(gather(p, ctx.trivial, 0)), ctx.config.observable.identityPenalty);
  return lossPerSlot ? add(sum(mul(p, lossPerSlot)), pen) : pen;
}

/** One step of one group; updates `gs` in place. */
export function stepGroup(ctx: StepContext, gs: GroupState, d: StepData): StepOutput {
  if (isExactMode(ctx)) {
    const work = beginExactStep(ctx, gs, d);
    const pools = new Map<string, MemoryPool>();
    const results = work.slots.map((k) => slotStep(ctx, gs, k, gs.heads[k], work.globalSearch, pools));
    return endExactStep(ctx, gs, d, work, results);
  }
  const sched = schedules(ctx, d);
  const { gradT, out, stats } = backpropUpdate(ctx, gs, d, Math.floor(d.samples / 2), sched);
  if (!sched.tFrozen) updateCouplings(ctx, gs, gradT, stats, sched.lrFactor);
  return out;
}

/** True when the observable map is the attention with exact expectation (the slot-wise rule). */
export function isExactMode(ctx: StepContext): boolean {
  const o = ctx.config.observable;
  return o.kind === "attention" && o.mode === "exact";
}

/** The slots an exact-mode step computes (see {@link beginExactStep}). */
export interface SlotWork {
  /** Attention probabilities at the start of the step. */
  p: number[];
  /** The slots computed this step, in increasing order. */
  slots: number[];
  /** Whether the head search is global this step. */
  globalSearch: boolean;
}

/**
 * The first part of an exact-mode step: this step's samples join the group's memory (the last
 * `memory` steps, reweighted to the current t, which the head fit and the coupling step use),
 * marked computed for the slots the step computes. Each slot's {@link slotStep} then reads only
 * the memory and t, and {@link endExactStep} combines their results.
 */
export function beginExactStep(ctx: StepContext, gs: GroupState, d: StepData): SlotWork {
  const { config: c, slots } = ctx;
  const p = softmaxValues(gs.logits as Tensor);
  // Slots the attention has all but ruled out are skipped; their last loss stands in.
  const active = slots.flatMap((_, k) => (p[k] < 1e-3 && gs.heads[k] !== null ? [] : [k]));
  const computed = slots.map(() => false);
  for (const k of active) computed[k] = true;
  remember(
    gs.memory,
    {
      t: [...gs.t],
      terms: Float64Array.from(d.terms),
      samples: d.samples,
      x: Int8Array.from(d.x),
      computed,
      images: [],
    },
    c.optimizer.memory,
  );
  return { p, slots: active, globalSearch: d.step % 25 === 0 };
}

/**
 * The rest of an exact-mode step from its slots' results (one per slot of `work.slots`, in that
 * order): the heads and losses recorded, the gradient and Gauss–Newton matrix averaged over the
 * slots with the attention's weights (summed in slot order), the logits' Adam step, and the
 * couplings' step unless they are frozen.
 */
export function endExactStep(
  ctx: StepContext,
  gs: GroupState,
  d: StepData,
  work: SlotWork,
  results: readonly SlotResult[],
): StepOutput {
  const { config: c } = ctx;
  const sched = schedules(ctx, d);
  const { p } = work;
  const Kt = ctx.termIndices.length;
  const gradT = new Float64Array(Kt);
  const gram = new Float64Array(Kt * Kt);
  let loss = 0;
  let lossU = 0;
  let pActive = 0;
  let stats: GradientOutput | null = null;
  let best = -1;
  for (const r of results) {
    const k = r.k;
    gs.heads[k] = r.head;
    gs.slotLoss[k] = r.loss;
    gs.slotLossUnbiased[k] = r.lossUnbiased;
    for (let j = 0; j < gradT.length; j++) gradT[j] += p[k] * r.grad[j];
    for (let j = 0; j < gram.length; j++) gram[j] += p[k] * r.gram[j];
    loss += p[k] * r.loss;
    lossU += p[k] * r.lossUnbiased;
    pActive += p[k];
    if (best < 0 || p[k] > p[best]) {
      best = k;
      stats = r.stats;
    }
  }
  for (let j = 0; j < gradT.length; j++) gradT[j] /= pActive;
  for (let j = 0; j < gram.length; j++) gram[j] /= pActive;
  // The Newton denominator is averaged over steps: a ratio of two estimates from the same
  // samples would shift the fixed point (E[num/den] ≠ 0 where E[num] = 0).
  if (!gs.gramAvg || gs.gramAvg.length !== gram.length) gs.gramAvg = Float64Array.from(gram);
  else for (let j = 0; j < gram.length; j++) gs.gramAvg[j] = 0.9 * gs.gramAvg[j] + 0.1 * gram[j];
  (stats as GradientOutput & { profileGram?: Float64Array }).profileGram = Float64Array.from(gs.gramAvg);
  // Logits: gradient of Σ_k p_k L_k + penalty, by autodiff, then Adam.
  const losses = tensor(Float64Array.from(gs.slotLoss, (v) => (Number.isFinite(v) ? v : 0)));
  const gl = grad((l: Tensor) => penaltyObjective(ctx, l, losses))(gs.logits as Tensor) as Tensor;
  const lr = c.optimizer.lr * sched.lrFactor;
  const upd = logitAdam(lr).step(gs.logits as Tensor, gl, gs.logitState as AdamState);
  gs.logits = upd.params;
  gs.logitState = upd.state;
  const out: StepOutput = {
    loss: loss / pActive,
    lossUnbiased: lossU / pActive,
    objective: profileLoss(ctx, gs),
    objectivePooled: profileLoss(ctx, gs, true),
    tau: sched.tau,
    lrFactor: sched.lrFactor,
  };
  if (!sched.tFrozen) updateCouplings(ctx, gs, gradT, stats as GradientOutput, sched.lrFactor);
  return out;
}

function backpropUpdate(
  ctx: StepContext,
  gs: GroupState,
  d: StepData,
  half: number,
  sched: ReturnType<typeof schedules>,
): { gradT: Float64Array; out: StepOutput; stats: GradientOutput } {
  const { config: c, geometry } = ctx;
  const S = d.samples;
  const X = geometry.windowMatrix(d.x, S);
  const isMlp = c.observable.kind === "mlp";
  const fo: ForwardOptions = {
    key: random.key(stepSeed(c.seed, d.step, 0)),
    tau: sched.tau,
    hard: c.observable.hard,
    gumbel: c.observable.gumbel,
  };
  const net = isMlp ? mlpOf(ctx) : null;
  const forward = (p: Tree): Tensor =>
    net
      ? mlpFeatures(geometry, X, S, net, p as unknown as MlpParams, gs.mlpSign)
      : attentionFeatures(geometry, X, S, p as unknown as AttentionParams, fo);
  const [psiT, pullback] = vjp(forward, gs.params as unknown as Tree);
  const psi = psiT.toFloat64Array();
  const A = ctx.target.length;
  const g = couplingGradient({
    psi,
    terms: d.terms,
    samples: S,
    half,
    target: ctx.target,
    termIndices: ctx.termIndices,
    controlVariates: c.optimizer.controlVariates,
  });
  // ∂L/∂θ: cotangent l^B/n_A on half-A rows and l^A/n_B on half-B rows (split halves, unbiased).
  const ct = new Float64Array(S * A);
  for (let b = 0; b < S; b++) {
    const other = b < half ? g.residualB : g.residualA;
    const n = b < half ? half : S - half;
    for (let a = 0; a < A; a++) ct[b * A + a] = other[a] / n;
  }
  let pg = pullback(tensor(ct, [S, A]))[0];
  if (!isMlp && c.observable.identityPenalty > 0 && ctx.trivial.length > 0) {
    const ap = gs.params as AttentionParams;
    const pen = grad((l: Tensor) => penaltyObjective(ctx, l, null))(ap.logits) as Tensor;
    const hg = pg as unknown as AttentionParams;
    pg = { logits: add(hg.logits, pen), theta: hg.theta } as unknown as Tree;
  }
  const upd = adam({ lr: c.optimizer.lr * sched.lrFactor }).step(
    gs.params as unknown as Tree,
    pg,
    gs.paramState as AdamState,
  );
  gs.params = upd.params as unknown as AttentionParams | MlpParams;
  gs.paramState = upd.state;
  const pen = isMlp
    ? 0
    : c.observable.identityPenalty * trivialMass(ctx, softmaxValues((gs.params as AttentionParams).logits));
  return {
    gradT: g.grad,
    stats: g,
    out: {
      loss: g.loss,
      lossUnbiased: g.lossUnbiased,
      objective: g.lossUnbiased + pen,
      objectivePooled: g.loss + pen,
      tau: sched.tau,
      lrFactor: sched.lrFactor,
    },
  };
}

/**
 * The learned map O applied to `count` rows of link variables `[sample][link]`, as a link field
 * `[sample][link]`: the most probable slot with its solved head (exact mode; the attention is hard),
 * the softmax-weighted window (gumbel mode; one-hot with `hard`) with the head θ, or the MLP.
 * `head` replaces the attention's (θ2, θ3), e.g. by their averages over the end of training.
 */
export function mappedLinks(
  ctx: StepContext,
  gs: GroupState,
  x: Float64Array,
  count: number,
  head?: [number, number],
): Float64Array {
  const nl = ctx.lattice.nLinks;
  const K = ctx.slots.length;
  const c = ctx.config.observable;
  if (c.kind === "mlp") {
    const X = ctx.geometry.windowMatrix(x, count);
    const input = gs.mlpSign === 1 ? X : mul(X, gs.mlpSign);
    return mlpOf(ctx)
      .apply(gs.params as MlpParams, input)
      .toFloat64Array();
  }
  const summary = headSummary(ctx, gs);
  const theta = head ?? summary.theta;
  let w = summary.weights;
  const weights = summary.weights;
  if (c.mode === "exact" || c.hard) {
    let top = 0;
    for (let k = 1; k < K; k++) if (weights[k] > weights[top]) top = k;
    w = weights.map((_, k) => (k === top ? 1 : 0));
  }
  const out = new Float64Array(count * nl);
  const win = ctx.window;
  for (let b = 0; b < count; b++) {
    const q = b * nl;
    for (let l = 0; l < nl; l++) {
      let y = 0;
      for (let k = 0; k < K; k++) if (w[k] !== 0) y += w[k] * x[q + win[l * K + k]];
      out[q + l] = theta[0] * y + theta[1];
    }
  }
  return out;
}

/**
 * How the learned couplings move with the target features, `[K][A]` for the learned terms: the
 * t-block w = (J⊥ᵀJ⊥)⁻¹J⊥ᵀ of the least-squares solution of the linearised problem, with J⊥ the
 * profile Jacobian of the attention's most probable slot at the group's current state (exact
 * mode; null in the other modes). A target error δT moves t by w·δT, so the target's share of the
 * error of t is √(w Σ_T wᵀ).
 */
export function targetSensitivity(ctx: StepContext, gs: GroupState): Float64Array | null {
  const { config: c, layout } = ctx;
  if (c.observable.kind !== "attention" || c.observable.mode !== "exact" || !gs.logits) return null;
  const p = softmaxValues(gs.logits);
  let k = 0;
  for (let j = 1; j < p.length; j++) if (p[j] > p[k]) k = j;
  const head = gs.heads[k];
  if (!head || gs.memory.every((e) => !e.computed[k])) return null;
  const mem = memoryPool(ctx, gs, k, false);
  const mean = poolMeanMoments(ctx.momentPlan, mem, k);
  const jt = couplingGradient({
    psi: poolFeatures(ctx.momentPlan, mem, k, head[0], head[1]),
    terms: mem.terms,
    samples: mem.samples,
    half: mem.half,
    weights: mem.weights,
    target: ctx.target,
    termIndices: ctx.termIndices,
  }).jacobian;
  const Kt = ctx.termIndices.length;
  const A = ctx.target.length;
  const jth = headJacobian(layout, mean, head[0], head[1]);
  const perp = profileJacobian(jt, jth, Kt);
  const gram = profileGram(jt, jth, Kt);
  const w = new Float64Array(Kt * A);
  for (let a = 0; a < A; a++) {
    const col = solveDamped(
      gram,
      Float64Array.from({ length: Kt }, (_, j) => perp[a * Kt + j]),
      0,
    );
    for (let j = 0; j < Kt; j++) w[j * A + a] = col[j];
  }
  return w;
}

/** Covariance-gradient update of the couplings, then bounds and the requested sign image. */
function updateCouplings(
  ctx: StepContext,
  gs: GroupState,
  gradT: Float64Array,
  stats: GradientOutput,
  lrFactor: number,
): void {
  const c = ctx.config;
  const mode = c.optimizer.precondition;
  const pg = (stats as GradientOutput & { profileGram?: Float64Array }).profileGram;
  let dir =
    mode === "gauss-newton" && pg
      ? solveDamped(
          pg,
          Float64Array.from(gradT, (v) => v / 2),
          0.1,
        )
      : mode === "none"
        ? gradT
        : precondition({ ...stats, grad: gradT }, mode, ctx.lattice.nSites);
  if (mode !== "none") {
    // Newton-type steps are bounded so that one noisy estimate cannot throw t far.
    const cap = c.optimizer.maxStep;
    dir = dir.map(
      (v) =>
        Math.max(-cap, Math.min(cap, c.optimizer.tLr * lrFactor * v)) / (c.optimizer.tLr * lrFactor || 1),
    );
  }
  // A step estimated from too few samples can come out non-finite (a singular curvature
  // estimate); it is skipped rather than allowed to poison the couplings.
  if (!dir.every(Number.isFinite)) return;
  const lr = c.optimizer.tLr * lrFactor;
  gs.tAdam.n++;
  ctx.termIndices.forEach((k, j) => {
    if (mode !== "none") {
      gs.t[k] -= lr * dir[j];
      return;
    }
    gs.tAdam.m[k] = 0.9 * gs.tAdam.m[k] + 0.1 * dir[j];
    gs.tAdam.v[k] = 0.999 * gs.tAdam.v[k] + 0.001 * dir[j] ** 2;
    const mh = gs.tAdam.m[k] / (1 - 0.9 ** gs.tAdam.n);
    const vh = gs.tAdam.v[k] / (1 - 0.999 ** gs.tAdam.n);
    gs.t[k] -= (lr * mh) / (Math.sqrt(vh) + 1e-12);
  });
  const bound = c.candidate.maxCoupling;
  for (const k of ctx.termIndices) gs.t[k] = Math.max(-bound, Math.min(bound, gs.t[k]));
  // (t_nn, θ2) → (−t_nn, −θ2) is an exact symmetry (x → −x by a sublattice flip) without a
  // field; map onto the requested image.
  const want = c.sign === "ferro" ? 1 : c.sign === "antiferro" ? -1 : 0;
  if (want !== 0 && Math.sign(gs.t[0]) === -want) {
    gs.t[0] = -gs.t[0];
    gs.tAdam.m[0] = -gs.tAdam.m[0];
    gs.heads = gs.heads.map((h) => (h ? [-h[0], h[1]] : null));
    if (c.observable.kind === "mlp") gs.mlpSign = -gs.mlpSign;
    else if (gs.params) {
      const ap = gs.params as AttentionParams;
      const th = ap.theta.toFloat64Array();
      gs.params = { logits: ap.logits, theta: tensor([-th[0], th[1]]) };
    }
  }
}

/**
 * Attention probabilities and (θ2, θ3) of a group. For the MLP map the "attention" is the
 * normalised sensitivity |O(x_k = +1) − O(x_k = −1)|/2 per slot (other inputs +1), and (θ2, θ3)
 * the affine map of O along the most sensitive slot.
 */
export function headSummary(
  ctx: StepContext,
  gs: GroupState,
): { weights: number[]; theta: [number, number] } {
  const K = ctx.slots.length;
  if (ctx.config.observable.kind === "attention") {
    if (ctx.config.observable.mode === "exact") {
      const w = softmaxValues(gs.logits as Tensor);
      let top = 0;
      for (let k = 1; k < K; k++) if (w[k] > w[top]) top = k;
      const h = gs.heads[top] ?? [Number.NaN, Number.NaN];
      return { weights: w, theta: [h[0], h[1]] };
    }
    const ap = gs.params as AttentionParams;
    const th = ap.theta.toFloat64Array();
    return { weights: softmaxValues(ap.logits), theta: [th[0], th[1]] };
  }
  const net = mlpOf(ctx);
  const rows = new Float64Array((K + 1) * K).fill(gs.mlpSign);
  for (let k = 0; k < K; k++) rows[(k + 1) * K + k] = -gs.mlpSign;
  const o = net.apply(gs.params as MlpParams, tensor(rows, [K + 1, K])).toFloat64Array();
  const sens = Array.from({ length: K }, (_, k) => Math.abs(o[0] - o[k + 1]) / 2);
  const total = sens.reduce((a, b) => a + b, 0) || 1;
  let top = 0;
  for (let k = 1; k < K; k++) if (sens[k] > sens[top]) top = k;
  const slope = (o[0] - o[top + 1]) / 2;
  return { weights: sens.map((s) => s / total), theta: [slope, o[0] - slope] };
}
