// The simple per-coordinate classifier and the learned linear front end in front of it, shared by
// the Fourier task (a ring) and the 2D Ising task (a torus): logit = b + Σ_j (u_j z_j + v_j z_j²)
// on z = W x (or another head on z, e.g. the shared network of shared-head.ts), with W learned
// from the identity under an orthogonality penalty, by the cross-entropy alone or with the
// feature-separation loss added. The question in both tasks is whether W becomes the DFT without
// being handed it.
import {
  add,
  concat,
  div,
  matmul,
  mean,
  mT,
  mul,
  reshape,
  square,
  sub,
  sum,
  type Tensor,
  type Tree,
  tensor,
} from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import type { Labelled } from "../train/dataset.js";
import type { BinaryModel, FitOptions, FitResult } from "../train/fit.js";
import { bceWithLogits } from "../train/models.js";
import type { TaggedFit } from "../train/trainings.js";
import { decorrelationLoss, inputCovariance } from "./decorrelation.js";
import { denseMap, type MapShape } from "./map-shapes.js";
import { type PeakFeature, peakReward } from "./peak-score.js";

export interface AdditiveParams {
  [k: string]: Tensor;
  u: Tensor;
  v: Tensor;
  b: Tensor;
}

/** A learned front end's parameters: the map's (`MapShape`) and the classifier's behind it. */
export type LearnedParams<
  M extends { [k: string]: Tensor } = { W: Tensor },
  H extends Tree = AdditiveParams,
> = M & {
  head: H;
};

/** A classifier read off the coordinates z [B, d] of a front end: its start and its logits [B]. */
export interface Head<H extends Tree> {
  init: H;
  logits(p: H, z: Tensor): Tensor;
  /** An L2 penalty on its weights, for `LearnedMapOptions.headDecay` (absent: the head has none). */
  decay?(p: H): Tensor;
}

/** The simple network: logit = b + Σ_j (u_j z_j + v_j z_j²), one coordinate at a time. */
function additiveLogits(p: AdditiveParams, z: Tensor): Tensor {
  const lin = matmul(concat([z, square(z)], 1), reshape(concat([p.u, p.v], 0), [-1, 1]));
  return add(reshape(lin, [z.shape[0]]), p.b);
}

/** The per-coordinate classifier's starting parameters for d coordinates (all zero). */
export const zerosHead = (d: number): AdditiveParams => ({
  u: tensor(new Float64Array(d)),
  v: tensor(new Float64Array(d)),
  b: tensor(new Float64Array(1)),
});

/** The per-coordinate classifier, trained by the cross-entropy. */
export const additive: BinaryModel<AdditiveParams> = {
  logits: additiveLogits,
  loss: (p, x, y) => bceWithLogits(additiveLogits(p, x), y),
};

/** The per-coordinate classifier as the head of a learned map (d coordinates, all weights 0). */
export const additiveHead = (d: number): Head<AdditiveParams> => ({
  init: zerosHead(d),
  logits: additiveLogits,
  decay: headDecayPenalty,
});

/**
 * Feature separation: for each feature f_j = z_j², the squared difference of the class means
 * over the sum of the class variances (a Fisher score), averaged and negated (lower is better).
 */
export function separationLoss(z: Tensor, y: Tensor): Tensor {
  const f = square(z);
  const n1 = Math.max(1, sum(y).item());
  const n0 = Math.max(1, z.shape[0] - n1);
  const w1 = reshape(mul(y, 1 / n1), [1, -1]);
  const w0 = reshape(mul(sub(1, y), 1 / n0), [1, -1]);
  const m1 = matmul(w1, f);
  const m0 = matmul(w0, f);
  const v1 = sub(matmul(w1, square(f)), square(m1));
  const v0 = sub(matmul(w0, square(f)), square(m0));
  // The small constant keeps a feature that is constant on a batch from dividing by zero.
  return mul(-1, mean(div(square(sub(m1, m0)), add(add(v1, v0), 1e-6))));
}

/** Σ_j (u_j² + v_j²): the L2 norm of the head's per-coordinate weights (not the bias). */
export function headDecayPenalty(p: AdditiveParams): Tensor {
  return add(sum(square(p.u)), sum(square(p.v)));
}

/** How a learned front end is trained. */
export interface LearnedMapOptions {
  /** Weight of mean((W Wᵀ − 1)²) in the loss. */
  orthogonalityWeight: number;
  /**
   * Weight of the head's decay penalty in the loss (default 0; the per-coordinate head's is
   * {@link headDecayPenalty}): against the head memorising.
   */
  headDecay?: number;
  /** Weight of {@link separationLoss} on z = W x (0: the cross-entropy alone). */
  separationWeight: number;
  /**
   * Weight of the peak reward on z = W x (default 0: none): the loss falls by this times
   * `peakScore` (peak-score.ts), the mean excess kurtosis of the coordinates over the batch, which
   * is largest for rows that each hold one frequency pair on the signal-noise task; or
   * `pairPeakScore`, see `peakFeature`.
   */
  peakWeight?: number;
  /**
   * What the peak reward is computed on (default `coordinate`): each z_j, or (`pair`) the power of
   * each pair of coordinates the shared classifier reads together.
   */
  peakFeature?: PeakFeature;
  /**
   * Weight of {@link decorrelationLoss} (decorrelation.ts) in the loss (default 0: none): the
   * off-diagonal share of the covariance of z = W x, with x's covariance from the training rows.
   */
  decorrelationWeight?: number;
  /** Seed of the 5 % noise added to the identity at the start. */
  initSeed: number;
}

/** A trained front end: the fit, W (N × N, row-major) and ‖W Wᵀ − 1‖_F / √N. */
export interface LearnedMapFit<
  M extends { [k: string]: Tensor } = { W: Tensor },
  H extends Tree = AdditiveParams,
> {
  fit: FitResult<LearnedParams<M, H>>;
  W: Float64Array;
  orthogonalityResidual: number;
}

/** ‖W Wᵀ − 1‖_F / √N of an N × N matrix (0: orthogonal). */
export function orthogonalityResidual(W: Float64Array, N: number): number {
  let res = 0;
  for (let i = 0; i < N; i++)
    for (let k = 0; k < N; k++) {
      let s = 0;
      for (let j = 0; j < N; j++) s += W[i * N + j] * W[k * N + j];
      res += (s - (i === k ? 1 : 0)) ** 2;
    }
  return Math.sqrt(res / N);
}

/**
 * Trains a classifier behind a learned map z = W x (N inputs) through `fit` (a run's
 * TrainingLedger checkpoints it like any other training). W is dense unless `shape` says otherwise
 * (e.g. separable on a torus, `map-shapes.ts`); the classifier is the per-coordinate one unless
 * `head` says otherwise. Training starts from `start` if given (e.g. a trained map with its rows
 * reordered), else from the identity with 5 % noise and the head's start.
 */
export function fitLearnedMap<
  M extends { [k: string]: Tensor } = { W: Tensor },
  H extends Tree = AdditiveParams,
>(
  fit: TaggedFit,
  tag: string,
  data: { train: Labelled; test: Labelled },
  o: LearnedMapOptions,
  opts: FitOptions,
  shape: MapShape<M> = denseMap(data.train.d) as unknown as MapShape<M>,
  head: Head<H> = additiveHead(data.train.d) as unknown as Head<H>,
  start?: LearnedParams<M, H>,
): LearnedMapFit<M, H> {
  const N = data.train.d;
  if (shape.N !== N) throw new PhysmlInputError("shape.N", `${N} (the inputs)`, shape.N);
  const headDecay = o.headDecay ?? 0;
  const peakWeight = o.peakWeight ?? 0;
  const decorrelationWeight = o.decorrelationWeight ?? 0;
  const covariance = decorrelationWeight > 0 ? inputCovariance(data.train.x, N) : undefined;
  const decay = head.decay;
  if (headDecay > 0 && !decay)
    throw new PhysmlInputError("headDecay", "0 (this head has no decay penalty)", headDecay);
  const model: BinaryModel<LearnedParams<M, H>> = {
    logits: (p, x) => head.logits(p.head, matmul(x, mT(shape.matrix(p)))),
    loss: (p, x, y) => {
      const W = shape.matrix(p);
      const zx = matmul(x, mT(W));
      let l = add(
        bceWithLogits(head.logits(p.head, zx), y),
        mul(o.orthogonalityWeight, shape.orthogonality(p)),
      );
      if (headDecay > 0 && decay) l = add(l, mul(headDecay, decay(p.head)));
      if (o.separationWeight > 0) l = add(l, mul(o.separationWeight, separationLoss(zx, y)));
      if (peakWeight > 0) l = sub(l, mul(peakWeight, peakReward(o.peakFeature ?? "coordinate", zx)));
      if (covariance) l = add(l, mul(decorrelationWeight, decorrelationLoss(W, covariance)));
      return l;
    },
  };
  // Start in the given representation (W ≈ 1); the noise breaks the symmetry.
  const init = start ?? ({ ...shape.init(o.initSeed), head: head.init } as LearnedParams<M, H>);
  const r = fit(tag, model, init, data, opts);
  const W = shape.matrix(r.params).toFloat64Array();
  return { fit: r, W, orthogonalityResidual: orthogonalityResidual(W, N) };
}
