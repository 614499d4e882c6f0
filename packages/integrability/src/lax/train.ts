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
import { levenbergMarquardt } from "./levenberg.js";
import { type LaxLossWeights, laxLoss, laxResiduals } from "./loss.js";
import type { LaxModel, LaxParams } from "./model.js";

/** Default α₁…α₄. */
export const DEFAULT_WEIGHTS: LaxLossWeights = { lax: 1, l: 0.1, lm: 0.1, mc: 1, spectrum: 1 };

/** L-BFGS iterations per round of the polish. */
const POLISH_ROUND = 50;

/** 𝓛_Lax below this is zero to rounding (the exact oscillator pair gives 1e-18 to 1e-32). */
export const EXACT_LAX = 1e-16;

/** Everything one model's training needs to continue (the trainer part of a LaxCheckpoint). */
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
  /** 𝓛_inv (reported whatever its weight). */
  invariant: number;
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

  private readonly polishVg: (b: LaxBatch) => (p: LaxParams) => [Tensor, LaxParams];

  constructor(
    readonly model: LaxModel,
    readonly weights: LaxLossWeights = DEFAULT_WEIGHTS,
    lr = 3e-3,
    readonly polishWeights: LaxLossWeights = weights,
  ) {
    for (const [name, w] of [
      ["weights", weights],
      ["polishWeights", polishWeights],
    ] as const)
      for (const [k, v] of Object.entries(w)) {
        if (k === "spreadOf") {
          if (v !== "trace" && v !== "norm") throw new PhysmlInputError(`${name}.${k}`, "trace | norm", v);
        } else if (!(v >= 0) || !Number.isFinite(v))
          throw new PhysmlInputError(`${name}.${k}`, "a finite number >= 0", v);
      }
    if (!(lr > 0)) throw new PhysmlInputError("lr", "a number > 0", lr);
    this.opt = adam({ lr });
    const vg = (w: LaxLossWeights) => (b: LaxBatch) =>
      valueAndGrad((p: LaxParams) => laxLoss(this.model, p, b.x, b.xdot, w).total) as (
        p: LaxParams,
      ) => [Tensor, LaxParams];
    this.vg = vg(weights);
    this.polishVg = vg(polishWeights);
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
    const vg = this.polishVg(batch);
    let s = state;
    // in rounds, so a pair that is exact to rounding stops early: the L-BFGS gradient test never
    // fires there, since the min over components in 𝓛_L keeps the gradient at rounding noise
    for (let done = 0; done < maxIter; ) {
      const r = lbfgs().minimize(vg, s.params, {
        maxIter: Math.min(POLISH_ROUND, maxIter - done),
        gtol: 1e-10,
      });
      s = { params: r.params, adam: s.adam, step: s.step + r.iterations };
      done += Math.max(r.iterations, 1);
      if (r.converged || r.iterations === 0) break;
      if (laxLoss(this.model, s.params, batch.x, batch.xdot, this.polishWeights).lax.item() < EXACT_LAX)
        break;
    }
    return s;
  }

  /**
   * Levenberg–Marquardt on the residuals of the polish weights (𝓛_Lax and the guards; 𝓛_L and
   * 𝓛_LM, a min over components, are no sum of squares and are left out). For small models only.
   */
  polishLm(state: LaxTrainState, batch: LaxBatch, maxIter: number): LaxTrainState {
    if (maxIter === 0) return state;
    const r = levenbergMarquardt(
      (p: LaxParams) => laxResiduals(this.model, p, batch.x, batch.xdot, this.polishWeights),
      state.params,
      { maxIter, tol: EXACT_LAX },
    );
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
      invariant: t.invariant.item(),
    };
  }
}
