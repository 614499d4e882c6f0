// The training loss of the additive and multiplicative metric models on a batch of points:
// α_MA 𝓛_MA + α_dJ 𝓛_dJ + α_T 𝓛_T + α_vol 𝓛_vol (cymetric's weighted sum; its Ricci term is not
// here). 𝓛_MA is the package's scale-free Monge–Ampère loss (models/eta-loss.ts), so the overall
// scale of g is set by 𝓛_vol alone.
import { type Tensor, tensor, valueAndGrad } from "@physml/autodiff";
import * as C from "@physml/autodiff/complex";
import type { LinearParams } from "@physml/autodiff/nn";
import type { PointSet } from "../geometry/sample.js";
import { secondCharts } from "../geometry/second-chart.js";
import { type EtaLossKind, etaLossTensor } from "../models/eta-loss.js";
import {
  kahlerLoss,
  kahlerTensor,
  metricDerivatives,
  transitionLoss,
  volumeLoss,
} from "../models/metric-losses.js";
import { type MetricNn, metricNnFn } from "./metric-nn.js";
import {
  chartSelectors,
  coordinateTensor,
  interleavedMatrices3,
  matrices3,
  pullbackTensor,
} from "./point-tensors.js";

/** Weights of the loss terms (cymetric's α without the Ricci entry). */
export interface MetricLossWeights {
  ma: number;
  dJ: number;
  T: number;
  vol: number;
}

/** The four loss terms on a batch (differentiable in `params`). */
export interface MetricLossTerms {
  ma: Tensor;
  dJ: Tensor;
  T: Tensor;
  vol: Tensor;
}

const zero = () => tensor([0], [1]).sum();

/** The loss terms of the model with parameters `params` on points [from, to). */
export function metricNnLossTerms(
  model: MetricNn,
  params: LinearParams[],
  points: PointSet,
  from: number,
  to: number,
  kind: EtaLossKind,
  needed: MetricLossWeights,
): MetricLossTerms {
  const B = to - from;
  const q = points.quintic;
  const fn = metricNnFn(model, params, q, chartSelectors(points, from, to));
  const z = coordinateTensor(points, from, to);
  const w = tensor(points.weight.slice(from, to), [B]);
  let g: C.ComplexTensor;
  let dJ = zero();
  if (needed.dJ !== 0) {
    const d = metricDerivatives(fn, z, pullbackTensor(points, from, to));
    g = d.g;
    dJ = kahlerLoss(kahlerTensor(d.dg), w);
  } else {
    g = fn(z);
  }
  const det = C.real(C.det(g));
  const eta = det.div(tensor(points.omega2.slice(from, to), [B]));
  const ma = etaLossTensor(kind, eta, w);
  const vol = needed.vol !== 0 ? volumeLoss(det, tensor(points.detFS.slice(from, to), [B])) : zero();
  let T = zero();
  if (needed.T !== 0) {
    const second = secondCharts(q, points, from, to);
    const m = second.index.length;
    if (m > 0) {
      const gB = metricNnFn(
        model,
        params,
        q,
        chartSelectors(second.view, 0, m),
      )(coordinateTensor(second.view, 0, m));
      const wB = tensor(
        second.index.map((i) => points.weight[from + i]),
        [m],
      );
      T = transitionLoss(C.gather(g, second.index, 0), gB, matrices3(second.jacobian, m), wB);
    }
  }
  return { ma, dJ, T, vol };
}

/** The weighted total on points [from, to) and its gradient in the network's parameters. */
export function metricNnLossAndGrad(
  model: MetricNn,
  points: PointSet,
  from: number,
  to: number,
  kind: EtaLossKind,
  alpha: MetricLossWeights,
): { loss: number; grads: LinearParams[] } {
  const total = (params: LinearParams[]) => {
    const t = metricNnLossTerms(model, params, points, from, to, kind, alpha);
    return t.ma.mul(alpha.ma).add(t.dJ.mul(alpha.dJ)).add(t.T.mul(alpha.T)).add(t.vol.mul(alpha.vol));
  };
  const [value, grads] = valueAndGrad(total)(model.params);
  return { loss: value.item(), grads };
}

/** η = det g/|Ω|² of the model at every point (chunks of `chunk` points). */
export function metricNnEta(model: MetricNn, points: PointSet, chunk = 1000): Float64Array {
  const out = new Float64Array(points.n);
  for (let from = 0; from < points.n; from += chunk) {
    const to = Math.min(points.n, from + chunk);
    const fn = metricNnFn(model, model.params, points.quintic, chartSelectors(points, from, to));
    const det = C.real(C.det(fn(coordinateTensor(points, from, to)))).toFloat64Array();
    for (let i = 0; i < det.length; i++) out[from + i] = det[i] / points.omega2[from + i];
  }
  return out;
}

/** The model's metric at every point as n × 18 interleaved complex entries. */
export function metricNnValues(model: MetricNn, points: PointSet, chunk = 1000): Float64Array {
  return interleavedMatrices3(points.n, chunk, (from, to) =>
    metricNnFn(
      model,
      model.params,
      points.quintic,
      chartSelectors(points, from, to),
    )(coordinateTensor(points, from, to)),
  );
}
