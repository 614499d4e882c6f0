// The back-propagation update rule, for the attention map in mode "gumbel" (the published
// scheme: Gumbel-softmax weights over the candidate links, soft or straight-through, the head
// θ2·(Σ w_k x_k) + θ3) and for the MLP map O = MLP(window): ∂L/∂(parameters) by
// backpropagation through O over the samples (autodiff vjp), one Adam step, then the couplings'
// step from the split-half covariance estimator.
import {
  type AdamState,
  adam,
  add,
  grad,
  random,
  type Tensor,
  type Tree,
  tensor,
  vjp,
} from "@physml/autodiff";
import {
  type AttentionParams,
  attentionFeatures,
  type ForwardOptions,
  type MlpParams,
  mlpFeatures,
} from "../model/observable.js";
import { couplingGradient } from "../stats/gradient.js";
import { updateCouplings } from "./couplings-update.js";
import type { GroupState } from "./group-state.js";
import { softmaxValues } from "./head-summary.js";
import { penaltyObjective, trivialMass } from "./identity-penalty.js";
import { mlpOf } from "./mlp-net.js";
import { schedules } from "./schedules.js";
import type { StepContext } from "./step-context.js";
import type { StepData, StepOutput } from "./steps.js";

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

/** One back-propagation step of one group; updates `gs` in place. */
export function backpropStep(ctx: StepContext, gs: GroupState, d: StepData): StepOutput {
  const sched = schedules(ctx, d);
  const half = Math.floor(d.samples / 2);
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
  if (!sched.tFrozen) updateCouplings(ctx, gs, g.grad, g, sched.lrFactor);
  return {
    loss: g.loss,
    lossUnbiased: g.lossUnbiased,
    objective: g.lossUnbiased + pen,
    objectivePooled: g.loss + pen,
    tau: sched.tau,
    lrFactor: sched.lrFactor,
  };
}
