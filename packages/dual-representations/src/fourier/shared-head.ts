// The shared classifier (a "deep set", or a 1×1 convolution over the coordinates):
// logit = Σ_m g(t_m), one small ReLU network g applied with the same weights to every coordinate
// t_m = z_m, or to every pair of neighbours t_m = (z_{2m+1}, z_{2m+2 mod N}). Unlike the
// per-coordinate quadratic classifier it can threshold: g(t) ≈ (|t| − τ)_+ counts coordinates (or
// pairs) of large power, so it can see a peak — a wave's power in one frequency pair of the DFT —
// and not only the total power, which is the same in every orthonormal basis (Parseval). It is
// the same network in every basis: only z decides whether a peak is there to see.
import { gather, mul, random, reshape, sum, type Tensor, zeros } from "@physml/autodiff";
import { type LinearParams, MLP } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";
import type { BinaryModel } from "../train/fit.js";
import { bceWithLogits } from "../train/models.js";
import { dftPairOrder } from "./basis.js";
import type { Head } from "./front-end.js";

/** What g reads: one coordinate, or a pair of neighbouring coordinates. */
export const SHARED_INPUTS = ["coordinate", "pair"] as const;
export type SharedInput = (typeof SHARED_INPUTS)[number];

/** The shared classifier on N coordinates: as a head, as a model, and its parameter count. */
export interface SharedClassifier extends Head<LinearParams[]> {
  model: BinaryModel<LinearParams[]>;
  /** Weights and biases of g (the same for every coordinate or pair). */
  parameters: number;
}

/** Hidden biases start uniform in [−BIAS_SPREAD, 0]. */
const BIAS_SPREAD = 2;

/**
 * g: [m, hidden, 1] with a ReLU hidden layer (m = 1 for `coordinate`, 2 for `pair`), from `seed`:
 * Glorot-uniform hidden weights and hidden biases uniform in [−2, 0], so that each unit starts as
 * a threshold somewhere in the range of a unit-noise coordinate (from biases 0 the thresholds
 * take many steps to get there: DFT test accuracy 0.722 from 0 against 0.845 after 12 epochs at
 * N = 64, MEASUREMENTS.md); read-out 0, so the classifier starts at logit 0 as the per-coordinate
 * one does. ReLU because a threshold (|t| − τ)_+ is two units of it exactly (tanh units from the
 * same start reach 0.709 against 0.863 in 30 epochs at N = 32).
 */
export function sharedClassifier(
  N: number,
  input: SharedInput,
  hidden: number,
  seed: number,
): SharedClassifier {
  const m = input === "pair" ? 2 : 1;
  if (N % m !== 0) throw new PhysmlInputError("length", "an even number (pairs of coordinates)", N);
  const [kg, kb] = random.split(random.key(seed));
  const g = new MLP([m, hidden, 1], { key: kg, activation: "relu" });
  const init: LinearParams[] = [
    { w: g.params[0].w, b: mul(random.uniform(kb, [hidden]), -BIAS_SPREAD) },
    { w: zeros([hidden, 1]), b: zeros([1]) },
  ];
  // Pairs (cos k, sin k) in the DFT, neighbouring sites in position space: the same network sees a
  // frequency's whole power in the one basis and two adjacent samples in the other.
  const order = m === 2 ? dftPairOrder(N) : undefined;
  const logits = (p: LinearParams[], z: Tensor): Tensor => {
    const B = z.shape[0];
    const t = reshape(order ? gather(z, order, 1) : z, [B * (N / m), m]);
    return sum(reshape(g.apply(p, t), [B, N / m]), 1);
  };
  return {
    init,
    logits,
    model: { logits, loss: (p, x, y) => bceWithLogits(logits(p, x), y) },
    parameters: (m + 1) * hidden + hidden + 1,
  };
}
