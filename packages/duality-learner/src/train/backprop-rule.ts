// The back-propagation update rules, for the attention map in mode "gumbel" (the published
// scheme: Gumbel-softmax weights over the candidate links, soft or straight-through, the head
// θ2·(Σ w_k x_k) + θ3; state GumbelGroup) and for the MLP map O = MLP(window) (state MlpGroup):
// ∂L/∂(parameters) by backpropagation through O over the samples (autodiff vjp), one Adam
// step, then the couplings' step from the split-half covariance estimator.
import { add, grad, random, type Tensor, tensor, vjp } from "@physml/autodiff";
import { adam } from "@physml/autodiff/optim";
import {
  type AttentionParams,
  attentionFeatures,
  type ForwardOptions,
  type MlpParams,
  mlpFeatures,
} from "../model/observable.js";
import { couplingGradient, type GradientOutput } from "../stats/gradient.js";
import { updateCouplings } from "./couplings-update.js";
import type { GumbelGroup, MlpGroup } from "./group-state.js";
import { softmaxValues } from "./head-summary.js";
import { penaltyObjective, trivialMass } from "./identity-penalty.js";
import { mlpOf } from "./mlp-net.js";
import { schedules } from "./schedules.js";
import type { StepContext } from "./step-context.js";
import type { StepData, StepOutput } from "./step-data.js";
import { stepSeed } from "./step-seed.js";

/**
 * f(params) and the pullback of a cotangent of it to the parameters, typed as the parameters
 * (autodiff's pullback gives them the parameters' structure but types them as any tree).
 */
function linearised<P extends object>(f: (p: P) => Tensor, params: P): [Tensor, (ct: Tensor) => P] {
  const [out, pullback] = vjp(f, params);
  return [out, (ct) => pullback(ct)[0] as P];
}

/**
 * The coupling gradient of the step's features ψ `[S][A]` and the cotangent of the split-half
 * loss with respect to ψ: l^B/n_A on half-A rows and l^A/n_B on half-B rows (split halves, unbiased).
 */
function splitHalfLoss(
  ctx: StepContext,
  d: StepData,
  psiT: Tensor,
): { g: GradientOutput; cotangent: Tensor } {
  const S = d.samples;
  const half = Math.floor(S / 2);
  const A = ctx.target.length;
  const g = couplingGradient({
    psi: psiT.toFloat64Array(),
    terms: d.terms,
    samples: S,
    half,
    target: ctx.target,
    termIndices: ctx.termIndices,
    controlVariates: ctx.config.optimizer.controlVariates,
  });
  const ct = new Float64Array(S * A);
  for (let b = 0; b < S; b++) {
    const other = b < half ? g.residualB : g.residualA;
    const n = b < half ? half : S - half;
    for (let a = 0; a < A; a++) ct[b * A + a] = other[a] / n;
  }
  return { g, cotangent: tensor(ct, [S, A]) };
}

/** The couplings' step (unless frozen) and what the step reports, with the map's penalty `pen`. */
function endStep(
  ctx: StepContext,
  gs: GumbelGroup | MlpGroup,
  g: GradientOutput,
  sched: ReturnType<typeof schedules>,
  pen: number,
): StepOutput {
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

/** One step of a group of the Gumbel attention; updates `gs` in place. */
export function gumbelStep(ctx: StepContext, gs: GumbelGroup, d: StepData): StepOutput {
  const sched = schedules(ctx, d);
  const { config: c, geometry } = ctx;
  const S = d.samples;
  const X = geometry.windowMatrix(d.x, S);
  const fo: ForwardOptions = {
    key: random.key(stepSeed(c.seed, d.step, 0)),
    tau: sched.tau,
    hard: c.observable.hard,
    gumbel: c.observable.gumbel,
  };
  const [psiT, pullback] = linearised(
    (p: AttentionParams) => attentionFeatures(geometry, X, S, p, fo),
    gs.params,
  );
  const { g, cotangent } = splitHalfLoss(ctx, d, psiT);
  let pg = pullback(cotangent);
  if (c.observable.identityPenalty > 0 && ctx.trivial.length > 0) {
    const pen = grad((l: Tensor) => penaltyObjective(ctx, l, null))(gs.params.logits);
    pg = { logits: add(pg.logits, pen), theta: pg.theta };
  }
  const upd = adam({ lr: c.optimizer.lr * sched.lrFactor }).step(gs.params, pg, gs.paramState);
  gs.params = upd.params;
  gs.paramState = upd.state;
  const pen = c.observable.identityPenalty * trivialMass(ctx, softmaxValues(gs.params.logits));
  return endStep(ctx, gs, g, sched, pen);
}

/** One step of a group of the MLP map; updates `gs` in place. */
export function mlpStep(ctx: StepContext, gs: MlpGroup, d: StepData): StepOutput {
  const sched = schedules(ctx, d);
  const { config: c, geometry } = ctx;
  const S = d.samples;
  const X = geometry.windowMatrix(d.x, S);
  const net = mlpOf(ctx);
  const [psiT, pullback] = linearised(
    (p: MlpParams) => mlpFeatures(geometry, X, S, net, p, gs.mlpSign),
    gs.params,
  );
  const { g, cotangent } = splitHalfLoss(ctx, d, psiT);
  const upd = adam({ lr: c.optimizer.lr * sched.lrFactor }).step(
    gs.params,
    pullback(cotangent),
    gs.paramState,
  );
  gs.params = upd.params;
  gs.paramState = upd.state;
  return endStep(ctx, gs, g, sched, 0);
}
