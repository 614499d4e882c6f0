// The φ-model of cymetric: K = K_FS + NN(z, z̄) with a real scalar network on the
// scale-invariant inputs Re and Im of z_i z̄_j / |z|² (so NN is a function on P⁴ and K_FS + NN
// is a global Kähler potential in the class of the hyperplane). The metric is the batched
// ∂∂̄ of K over the 5 homogeneous coordinates (@physml/autodiff/complex), pulled back to X with
// the 3 × 5 Jacobian whose patch column is zero — which equals the affine-patch computation.
// Partial: a model, its metric and Monge–Ampère loss with a training step; see the README for
// what remains (other models, 𝓛_dJ/𝓛_T/𝓛_vol, ψ as an input, the targets).
import {
  type AdamState,
  adam,
  type LinearParams,
  MLP,
  type Optimizer,
  random,
  type Tensor,
  tensor,
  valueAndGrad,
} from "@physml/autodiff";
import * as C from "@physml/autodiff/complex";
import { sigmaFromEta } from "../eval/sigma.js";
import type { McValue } from "../eval/volumes.js";
import { localIndices } from "../geometry/patches.js";
import type { PointSet, PointsView } from "../geometry/sample.js";

/** A φ-model: the network and its parameters. */
export interface PhiModel {
  mlp: MLP;
  params: LinearParams[];
}

/** Number of real network inputs: Re and Im of the 5 × 5 matrix z_i z̄_j / |z|². */
export const PHI_INPUTS = 50;

/** A φ-model with hidden widths `hidden` (tanh), initialised from `seed`; the last layer starts at 0 (K = K_FS). */
export function phiModel(hidden: readonly number[], seed: number): PhiModel {
  const mlp = new MLP([PHI_INPUTS, ...hidden, 1], { key: random.key(seed), activation: "tanh" });
  const params = mlp.params.map((p, i) =>
    i === mlp.params.length - 1 ? { w: p.w.mul(0), b: p.b.mul(0) } : p,
  );
  return { mlp, params };
}

/** K(z) = (1/π) log |z|² + NN(Re, Im of z_i z̄_j/|z|²) for z of shape [B, 5]. */
export function phiPotential(model: PhiModel, params: LinearParams[]): (z: C.ComplexTensor) => Tensor {
  return (z) => {
    const B = z.shape[0];
    const s = C.abs2(z).sum(1);
    const outer = C.div(C.mul(C.expandDims(z, 2), C.conj(C.expandDims(z, 1))), s.reshape([B, 1, 1]));
    const x = C.real(outer).reshape([B, 25]);
    const y = C.imag(outer).reshape([B, 25]);
    const features = C.concat([C.complex(x), C.complex(y)], 1).re;
    const nn = model.mlp.apply(params, features).reshape([B]);
    return s
      .log()
      .mul(1 / Math.PI)
      .add(nn);
  };
}

/** The constant 3 × 5 pull-back Jacobians of points [from, to) as a complex [B, 3, 5] tensor. */
function pullbacks(points: PointsView, from: number, to: number): C.ComplexTensor {
  const B = to - from;
  const re = new Float64Array(B * 15);
  const im = new Float64Array(B * 15);
  for (let i = from; i < to; i++) {
    const dep = points.dependent[i];
    const loc = localIndices(points.patch[i], dep);
    const gr = points.grad[10 * i + 2 * dep];
    const gi = points.grad[10 * i + 2 * dep + 1];
    const g2 = gr * gr + gi * gi;
    for (let a = 0; a < 3; a++) {
      const o = (i - from) * 15 + a * 5;
      re[o + loc[a]] = 1;
      const ar = points.grad[10 * i + 2 * loc[a]];
      const ai = points.grad[10 * i + 2 * loc[a] + 1];
      re[o + dep] = -(ar * gr + ai * gi) / g2;
      im[o + dep] = -(ai * gr - ar * gi) / g2;
    }
  }
  return C.complex(tensor(re, [B, 3, 5]), tensor(im, [B, 3, 5]));
}

function coordinates(points: PointsView, from: number, to: number): C.ComplexTensor {
  const B = to - from;
  const re = new Float64Array(B * 5);
  const im = new Float64Array(B * 5);
  for (let i = 0; i < B * 5; i++) {
    re[i] = points.z[10 * from + 2 * i];
    im[i] = points.z[10 * from + 2 * i + 1];
  }
  return C.complex(tensor(re, [B, 5]), tensor(im, [B, 5]));
}

/** The φ-model metric on X at points [from, to): complex [B, 3, 3]. */
export function phiMetric(
  model: PhiModel,
  params: LinearParams[],
  points: PointsView,
  from: number,
  to: number,
): C.ComplexTensor {
  const g = C.ddbar(phiPotential(model, params))(coordinates(points, from, to));
  const P = pullbacks(points, from, to);
  return C.matmul(C.matmul(P, g), C.mH(P));
}

/** det of the φ-model metric on X at every point (chunks of `chunk` points). */
export function phiDet(model: PhiModel, points: PointsView, chunk = 1000): Float64Array {
  const out = new Float64Array(points.n);
  for (let from = 0; from < points.n; from += chunk) {
    const to = Math.min(points.n, from + chunk);
    out.set(C.real(C.det(phiMetric(model, model.params, points, from, to))).toFloat64Array(), from);
  }
  return out;
}

/** σ of the φ-model on (held-out) points. */
export function phiSigma(model: PhiModel, points: PointSet): McValue {
  const det = phiDet(model, points);
  const eta = new Float64Array(points.n);
  for (let i = 0; i < points.n; i++) eta[i] = det[i] / points.omega2[i];
  return sigmaFromEta(eta, points.weight);
}

/** Training state of the φ-model under the Monge–Ampère loss. */
export interface PhiTrainer {
  model: PhiModel;
  optimizer: Optimizer<AdamState>;
  state: AdamState;
  /** Fixed normalisation mean(w)/mean(η_FS w) of η = det g/|Ω|² (the Kähler class does not change). */
  kappaRatio: number;
}

/** A trainer with Adam at learning rate `lr`; the normalisation comes from the FS metric on `points`. */
export function phiTrainer(model: PhiModel, points: PointSet, lr = 1e-3): PhiTrainer {
  let sw = 0;
  let sew = 0;
  for (let i = 0; i < points.n; i++) {
    sw += points.weight[i];
    sew += (points.detFS[i] / points.omega2[i]) * points.weight[i];
  }
  const optimizer = adam({ lr });
  return { model, optimizer, state: optimizer.init(model.params), kappaRatio: sw / sew };
}

/**
 * One Adam step on the weighted Monge–Ampère loss 𝓛_MA = Σ w |1 − r η| / Σ w over points
 * [from, to), r the trainer's fixed normalisation. Returns the loss before the step.
 */
export function phiStep(trainer: PhiTrainer, points: PointSet, from: number, to: number): number {
  const { model } = trainer;
  const B = to - from;
  const w = tensor(points.weight.slice(from, to), [B]);
  const inv = tensor(
    points.omega2.slice(from, to).map((o) => trainer.kappaRatio / o),
    [B],
  );
  const wSum = points.weight.slice(from, to).reduce((a, b) => a + b, 0);
  const loss = (params: LinearParams[]) => {
    const det = C.real(C.det(phiMetric(model, params, points, from, to)));
    return det.mul(inv).sub(1).abs().mul(w).sum().div(wSum);
  };
  const [value, grads] = valueAndGrad(loss)(model.params);
  const { params, state } = trainer.optimizer.step(model.params, grads, trainer.state);
  trainer.model = { mlp: model.mlp, params };
  trainer.state = state;
  return value.item();
}
