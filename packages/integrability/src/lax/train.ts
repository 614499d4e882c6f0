// The Lax learner as state → step → (state, metrics): Adam steps on the full sample set, then an
// optional L-BFGS polish (the loss is deterministic, so a line-searched quasi-Newton method drives
// it much lower than Adam alone). The checkpoint is the state.
import {
  type AdamState,
  adam,
  lbfgs,
  type Optimizer,
  type Tensor,
  tensor,
  valueAndGrad,
} from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import type { PhaseSamples } from "../data/sampling.js";
import { type LaxLossWeights, laxLoss } from "./loss.js";
import type { LaxModel, LaxParams } from "./model.js";

/** Default α₁…α₄. */
export const DEFAULT_WEIGHTS: LaxLossWeights = { lax: 1, l: 0.1, lm: 0.1, mc: 1, spectrum: 1 };

/** Everything a Lax run needs to continue: its checkpoint. */
export interface LaxTrainState {
  params: LaxParams;
  adam: AdamState;
  step: number;
}

/** One entry of the loss history. */
export interface LaxMetrics {
  step: number;
  total: number;
  lax: number;
  l: number;
  lm: number;
  mc: number;
  spectrum: number;
}

/** The training data as tensors. */
export interface LaxBatch {
  x: Tensor;
  xdot: Tensor;
}

/** Tensors of a sample set. */
export function laxBatch(s: PhaseSamples): LaxBatch {
  return { x: tensor(s.x, [s.count, s.dim]), xdot: tensor(s.xdot, [s.count, s.dim]) };
}

/** A trainer bound to a model, weights and learning rate. */
export class LaxTrainer {
  private readonly opt: Optimizer<AdamState>;
  private readonly vg: (b: LaxBatch) => (p: LaxParams) => [Tensor, LaxParams];

  constructor(
    readonly model: LaxModel,
    readonly weights: LaxLossWeights = DEFAULT_WEIGHTS,
    lr = 3e-3,
  ) {
    for (const [k, v] of Object.entries(weights))
      if (!(v >= 0) || !Number.isFinite(v))
        throw new PhysmlInputError(`weights.${k}`, "a finite number >= 0", v);
    if (!(lr > 0)) throw new PhysmlInputError("lr", "a number > 0", lr);
    this.opt = adam({ lr });
    this.vg = (b: LaxBatch) =>
      valueAndGrad((p: LaxParams) => laxLoss(this.model, p, b.x, b.xdot, this.weights).total) as (
        p: LaxParams,
      ) => [Tensor, LaxParams];
  }

  /** A fresh state from parameters (new or taken from another run). */
  init(params: LaxParams = this.model.init()): LaxTrainState {
    return { params, adam: this.opt.init(params), step: 0 };
  }

  /** One Adam step. */
  step(state: LaxTrainState, batch: LaxBatch): LaxTrainState {
    const [, g] = this.vg(batch)(state.params);
    const { params, state: adamState } = this.opt.step(state.params, g, state.adam);
    return { params, adam: adamState, step: state.step + 1 };
  }

  /** L-BFGS with an Armijo line search from the current parameters (the Adam moments are kept). */
  polish(state: LaxTrainState, batch: LaxBatch, maxIter: number): LaxTrainState {
    if (maxIter === 0) return state;
    const vg = this.vg(batch);
    const r = lbfgs().minimize(vg, state.params, {
      maxIter,
      gtol: 1e-10,
    });
    return { params: r.params, adam: state.adam, step: state.step + r.iterations };
  }

  /** The loss terms at the current parameters. */
  metrics(state: LaxTrainState, batch: LaxBatch): LaxMetrics {
    const t = laxLoss(this.model, state.params, batch.x, batch.xdot, this.weights);
    return {
      step: state.step,
      total: t.total.item(),
      lax: t.lax.item(),
      l: t.l.item(),
      lm: t.lm.item(),
      mc: t.mc.item(),
      spectrum: t.spectrum.item(),
    };
  }
}
