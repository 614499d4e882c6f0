// cymetric's metric models (arXiv 2012.04656 §3): a network predicts the 3 × 3 metric on X in the
// local coordinates of the point's chart directly, on top of the pulled-back Fubini–Study metric:
//   additive        g = g_FS + H,
//   multiplicative  g = g_FS ∘ (1 + H)   (entrywise),
// where H is the Hermitian 3 × 3 matrix built from the network's 9 real outputs, and the network
// reads the 10 real coordinates (Re z, Im z) of the patch-normalised point (cymetric's inputs).
// Neither is Kähler nor chart-consistent by construction: that is what 𝓛_dJ and 𝓛_T train.
// The metric is written as a differentiable function of z (the pull-back included), so its
// derivatives along X come from forward-mode autodiff (models/metric-losses.ts).
import { random, type Tensor, tensor } from "@physml/autodiff";
import * as C from "@physml/autodiff/complex";
import { type LinearParams, MLP } from "@physml/autodiff/nn";
import type { Quintic } from "../geometry/quintic.js";
import type { PointsView } from "../geometry/sample.js";
import { type ChartSelectors, chartSelectors, coordinateTensor, pullbackOf } from "./point-tensors.js";

/** How the network's Hermitian matrix H enters the metric. */
export type MetricNnKind = "add" | "mult";

/** A metric network: the MLP and its parameters. */
export interface MetricNn {
  kind: MetricNnKind;
  mlp: MLP;
  params: LinearParams[];
}

/** Network inputs: Re and Im of the 5 coordinates. */
export const METRIC_NN_INPUTS = 10;
/** Network outputs: 3 real diagonal entries, then Re and Im of the 3 entries above the diagonal. */
export const METRIC_NN_OUTPUTS = 9;

/** A metric network with hidden widths `hidden` (tanh) from `seed`; the last layer starts at 0 (g = g_FS). */
export function metricNn(kind: MetricNnKind, hidden: readonly number[], seed: number): MetricNn {
  const mlp = new MLP([METRIC_NN_INPUTS, ...hidden, METRIC_NN_OUTPUTS], {
    key: random.key(seed),
    activation: "tanh",
  });
  const params = mlp.params.map((p, i) =>
    i === mlp.params.length - 1 ? { w: p.w.mul(0), b: p.b.mul(0) } : p,
  );
  return { kind, mlp, params };
}

// Where the 9 outputs go: H = Σ_o out_o · E_o with constant complex 3 × 3 matrices E_o.
const HERMITIAN_BASIS = (() => {
  const re = new Float64Array(9 * 9);
  const im = new Float64Array(9 * 9);
  const upper = [
    [0, 1],
    [0, 2],
    [1, 2],
  ];
  for (let a = 0; a < 3; a++) re[9 * a + 3 * a + a] = 1;
  upper.forEach(([a, b], u) => {
    re[9 * (3 + u) + 3 * a + b] = 1;
    re[9 * (3 + u) + 3 * b + a] = 1;
    im[9 * (6 + u) + 3 * a + b] = 1;
    im[9 * (6 + u) + 3 * b + a] = -1;
  });
  return C.complex(tensor(re, [9, 9]), tensor(im, [9, 9]));
})();

/** The Hermitian [B, 3, 3] matrices of network outputs [B, 9]. */
export function hermitianFromOutputs(out: Tensor): C.ComplexTensor {
  const B = out.shape[0];
  return C.reshape(C.matmul(out, HERMITIAN_BASIS), [B, 3, 3]);
}

/**
 * The ambient Fubini–Study metric (1/π)(δ_jl/S − z̄_j z_l/S²), S = Σ|z|², on the 5 homogeneous
 * coordinates at z [B, 5] (differentiable); pulled back with a Jacobian whose patch column is
 * zero it is the affine-chart metric of geometry/fubini-study.ts.
 */
export function ambientFubiniStudyTensor(z: C.ComplexTensor): C.ComplexTensor {
  const B = z.shape[0];
  const S = C.abs2(z).sum(1).reshape([B, 1, 1]);
  const outer = C.mul(C.conj(C.expandDims(z, 2)), C.expandDims(z, 1));
  const eye = C.complex(
    tensor([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], [1, 5, 5]),
  );
  const g = C.sub(C.div(eye, S), C.div(outer, S.mul(S)));
  return C.mul(g, 1 / Math.PI);
}

/** A metric on X as a function of the coordinates z [B, 5] of points in fixed charts: g [B, 3, 3]. */
export type MetricFn = (z: C.ComplexTensor) => C.ComplexTensor;

/** The pulled-back Fubini–Study metric as a {@link MetricFn} for the charts `sel`. */
export function fubiniStudyFn(q: Quintic, sel: ChartSelectors): MetricFn {
  return (z) => {
    const P = pullbackOf(q, sel, z);
    return C.matmul(C.matmul(P, ambientFubiniStudyTensor(z)), C.mH(P));
  };
}

/** The model's metric as a {@link MetricFn} for the charts `sel`, with parameters `params`. */
export function metricNnFn(
  model: MetricNn,
  params: LinearParams[],
  q: Quintic,
  sel: ChartSelectors,
): MetricFn {
  const fs = fubiniStudyFn(q, sel);
  return (z) => {
    const features = C.concat([C.complex(z.re), C.complex(z.im)], 1).re;
    const H = hermitianFromOutputs(model.mlp.apply(params, features));
    const g = fs(z);
    return model.kind === "add" ? C.add(g, H) : C.mul(g, C.add(H, 1));
  };
}

/** The model's metric on X at points [from, to): complex [B, 3, 3]. */
export function metricNnAt(
  model: MetricNn,
  params: LinearParams[],
  q: Quintic,
  points: PointsView,
  from: number,
  to: number,
): C.ComplexTensor {
  return metricNnFn(model, params, q, chartSelectors(points, from, to))(coordinateTensor(points, from, to));
}
