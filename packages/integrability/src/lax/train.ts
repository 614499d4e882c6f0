// The Lax learner as state → step → (state, metrics): Adam steps on the full sample set, then an
// optional L-BFGS polish (the loss is deterministic, so a line-searched quasi-Newton method drives
// it much lower than Adam alone). The checkpoint is the state, and the polish's progress.
import { type Tensor, tensor, treeUnravel, valueAndGrad } from "@physml/autodiff";
import { type AdamState, adam, type LbfgsMinimizeState, lbfgs, type Optimizer } from "@physml/autodiff/optim";
import { PhysmlInputError } from "@physml/lattice-core";
import type { PhaseSamples } from "../data/sampling.js";
import { levenbergMarquardt } from "./levenberg.js";
import { type LaxLossWeights, laxLoss, laxResiduals } from "./loss.js";
import type { LaxModel, LaxParams } from "./model.js";

/** Default α₁…α₄. */
export const DEFAULT_WEIGHTS: LaxLossWeights = { lax: 1, l: 0.1, lm: 0.1, mc: 1, spectrum: 1 };

/** L-BFGS iterations per round of the polish. */
export const POLISH_ROUND = 50;

/** Curvature pairs the polish's L-BFGS keeps. */
export const POLISH_HISTORY = 10;

/** 𝓛_Lax below this is zero to rounding (the exact oscillator pair gives 1e-18 to 1e-32). */
export const EXACT_LAX = 1e-16;

/** Everything one model's training needs to continue (the trainer part of a LaxCheckpoint). */
export interface LaxTrainState {
  params: LaxParams;
  adam: AdamState;
  step: number;
}

/**
 * Where an interrupted polish stands, besides the trainer state: for L-BFGS the polish iterations
 * before the round under way (`roundStart`) and that round's minimize state; for
 * Levenberg–Marquardt its iterations and damping. Polish iterations so far: {@link polishDone}.
 */
export type PolishProgress =
  | { method: "lbfgs"; roundStart: number; round: LbfgsMinimizeState }
  | { method: "lm"; iterations: number; lambda: number };

/** Polish iterations done at `p` (a {@link PolishProgress}, or its stored form in a checkpoint). */
export const polishDone = (
  p:
    | { method: "lbfgs"; roundStart: number; round: { iterations: number } }
    | { method: "lm"; iterations: number },
): number => (p.method === "lbfgs" ? p.roundStart + p.round.iterations : p.iterations);

/** Options of {@link LaxTrainer.polish} and {@link LaxTrainer.polishLm}. */
export interface PolishOptions {
  /**
   * Continue the interrupted polish this progress was reported by (the state passed with it is
   * the one reported with it): the polish ends exactly as the uninterrupted one.
   */
  from?: PolishProgress;
  /** Polish iterations between calls of `onProgress` (default: none). */
  every?: number;
  /** Hears the state and progress after every `every`-th polish iteration (to checkpoint it). */
  onProgress?: (state: LaxTrainState, progress: PolishProgress) => void;
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

  /**
   * L-BFGS with an Armijo line search from the current parameters (the Adam moments are kept);
   * `o` continues an interrupted polish and reports its progress (see {@link PolishOptions}).
   */
  polish(state: LaxTrainState, batch: LaxBatch, maxIter: number, o: PolishOptions = {}): LaxTrainState {
    const from = polishFrom(o, "lbfgs");
    if (maxIter === 0) return state;
    const vg = this.polishVg(batch);
    // the state at the start of the round under way
    let s = from ? { ...state, step: state.step - from.round.iterations } : state;
    let start = from?.round;
    // in rounds, so a pair that is exact to rounding stops early: the L-BFGS gradient test never
    // fires there, since the min over components in 𝓛_L keeps the gradient at rounding noise
    for (let done = from?.roundStart ?? 0; done < maxIter; ) {
      const roundStart = done;
      const at = s;
      const r = lbfgs({ historySize: POLISH_HISTORY }).minimize(vg, s.params, {
        maxIter: Math.min(POLISH_ROUND, maxIter - done),
        gtol: 1e-10,
        ...(start ? { start } : {}),
        onIteration: (round) => {
          if (!o.onProgress || !o.every || (roundStart + round.iterations) % o.every !== 0) return;
          const params = treeUnravel(at.params, round.params);
          o.onProgress(
            { params, adam: at.adam, step: at.step + round.iterations },
            { method: "lbfgs", roundStart, round },
          );
        },
      });
      start = undefined;
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
   * `o` continues an interrupted polish and reports its progress (see {@link PolishOptions}).
   */
  polishLm(state: LaxTrainState, batch: LaxBatch, maxIter: number, o: PolishOptions = {}): LaxTrainState {
    const from = polishFrom(o, "lm");
    if (maxIter === 0) return state;
    // the step count before the polish
    const before = state.step - (from?.iterations ?? 0);
    const r = levenbergMarquardt(
      (p: LaxParams) => laxResiduals(this.model, p, batch.x, batch.xdot, this.polishWeights),
      state.params,
      {
        maxIter,
        tol: EXACT_LAX,
        ...(from ? { start: { iterations: from.iterations, lambda: from.lambda } } : {}),
        onIteration: ({ params, iterations, lambda }) => {
          if (!o.onProgress || !o.every || iterations % o.every !== 0) return;
          o.onProgress(
            { params, adam: state.adam, step: before + iterations },
            { method: "lm", iterations, lambda },
          );
        },
      },
    );
    return { params: r.params, adam: state.adam, step: before + r.iterations };
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

/** The progress of `o.from` if it is of `method`'s polish (a PhysmlInputError otherwise). */
function polishFrom<K extends PolishProgress["method"]>(
  o: PolishOptions,
  method: K,
): Extract<PolishProgress, { method: K }> | undefined {
  if (o.from && o.from.method !== method)
    throw new PhysmlInputError("from.method", `${method} (the polish run)`, o.from.method);
  return o.from as Extract<PolishProgress, { method: K }> | undefined;
}
