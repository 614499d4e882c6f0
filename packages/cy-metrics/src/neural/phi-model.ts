// The φ-model of cymetric: K = K_FS + NN(z, z̄) with a real scalar network on the
// scale-invariant inputs Re and Im of z_i z̄_j / |z|² (so NN is a function on P⁴ and K_FS + NN
// is a global Kähler potential in the class of the hyperplane). The metric is the batched
// ∂∂̄ of K over the 5 homogeneous coordinates (@physml/autodiff/complex), pulled back to X with
// the 3 × 5 Jacobian whose patch column is zero — which equals the affine-patch computation.
// With a base metric (an algebraic metric evaluated at the same points) the potential is
// K_alg + NN instead: ∂∂̄ is linear, so the base enters as its precomputed metric on X.
import { random, type Tensor, tensor, valueAndGrad } from "@physml/autodiff";
import * as C from "@physml/autodiff/complex";
import { type LinearParams, MLP } from "@physml/autodiff/nn";
import { sigmaFromEta } from "../eval/sigma.js";
import type { McValue } from "../eval/volumes.js";
import type { PointSet, PointsView } from "../geometry/sample.js";
import { type EtaLossKind, etaLossTensor } from "../models/eta-loss.js";
import { coordinateTensor, interleavedMatrices3, matrices3, pullbackTensor } from "./point-tensors.js";

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

/**
 * K(z) = (1/π) log |z|² + NN(Re, Im of z_i z̄_j/|z|²) for z of shape [B, 5]; with
 * `withFS = false` the network term alone (the base metric is then added separately).
 */
export function phiPotential(
  model: PhiModel,
  params: LinearParams[],
  withFS = true,
): (z: C.ComplexTensor) => Tensor {
  return (z) => {
    const B = z.shape[0];
    const s = C.abs2(z).sum(1);
    const outer = C.div(C.mul(C.expandDims(z, 2), C.conj(C.expandDims(z, 1))), s.reshape([B, 1, 1]));
    const x = C.real(outer).reshape([B, 25]);
    const y = C.imag(outer).reshape([B, 25]);
    const features = C.concat([C.complex(x), C.complex(y)], 1).re;
    const nn = model.mlp.apply(params, features).reshape([B]);
    if (!withFS) return nn;
    return s
      .log()
      .mul(1 / Math.PI)
      .add(nn);
  };
}

/**
 * Metric values of a base metric on X at points: n × 18 interleaved 3 × 3 complex entries
 * (`evaluateMetric(…, { metrics: true }).g` of an algebraic metric).
 */
export type BaseMetric = Float64Array;

/** The φ-model metric on X at points [from, to): complex [B, 3, 3] (plus `base` when given). */
export function phiMetric(
  model: PhiModel,
  params: LinearParams[],
  points: PointsView,
  from: number,
  to: number,
  base?: BaseMetric,
): C.ComplexTensor {
  const g = C.ddbar(phiPotential(model, params, base === undefined))(coordinateTensor(points, from, to));
  const P = pullbackTensor(points, from, to);
  const pulled = C.matmul(C.matmul(P, g), C.mH(P));
  return base === undefined ? pulled : C.add(pulled, matrices3(base.subarray(18 * from, 18 * to), to - from));
}

/** η = det g/|Ω|² of the φ-model at every point (chunks of `chunk` points). */
export function phiEta(model: PhiModel, points: PointSet, base?: BaseMetric, chunk = 1000): Float64Array {
  const out = new Float64Array(points.n);
  for (let from = 0; from < points.n; from += chunk) {
    const to = Math.min(points.n, from + chunk);
    const det = C.real(C.det(phiMetric(model, model.params, points, from, to, base))).toFloat64Array();
    for (let i = 0; i < det.length; i++) out[from + i] = det[i] / points.omega2[from + i];
  }
  return out;
}

/** The φ-model metric on X at every point as n × 18 interleaved complex entries. */
export function phiMetricValues(
  model: PhiModel,
  points: PointSet,
  base?: BaseMetric,
  chunk = 1000,
): Float64Array {
  return interleavedMatrices3(points.n, chunk, (from, to) =>
    phiMetric(model, model.params, points, from, to, base),
  );
}

/** σ of the φ-model on (held-out) points. */
export function phiSigma(model: PhiModel, points: PointSet, base?: BaseMetric): McValue {
  return sigmaFromEta(phiEta(model, points, base), points.weight);
}

/**
 * The Monge–Ampère loss of `kind` (models/eta-loss.ts: scale free, σ itself for l1) on points
 * [from, to) and its gradient with respect to the network parameters.
 */
export function phiLossAndGrad(
  model: PhiModel,
  points: PointSet,
  from: number,
  to: number,
  kind: EtaLossKind,
  base?: BaseMetric,
): { loss: number; grads: LinearParams[] } {
  const B = to - from;
  const w = tensor(points.weight.slice(from, to), [B]);
  const invOmega = tensor(
    points.omega2.slice(from, to).map((o) => 1 / o),
    [B],
  );
  const loss = (params: LinearParams[]) => {
    const eta = C.real(C.det(phiMetric(model, params, points, from, to, base))).mul(invOmega);
    return etaLossTensor(kind, eta, w);
  };
  const [value, grads] = valueAndGrad(loss)(model.params);
  return { loss: value.item(), grads };
}
