// The losses of a metric model that is not Kähler or chart-consistent by construction
// (cymetric, arXiv 2012.04656 §2.3), as differentiable expressions, each a weighted mean over
// the batch (weights w, so they estimate integrals over X):
//   𝓛_dJ   Σ_ijk |c_ijk|² with c_ijk = ∂_k g_ij̄ − ∂_i g_kj̄ (dJ = 0 ⇔ c = 0), derivatives along X;
//   𝓛_T    Σ_ab |g^A − Jᵀ g^B J̄|²_ab between the two charts of a point (geometry/second-chart.ts);
//   𝓛_vol  (Vol_K/5 − 1)²: Vol_K/Vol_K(FS) = E_FS[det g/det g_FS] over the FS-distributed points,
//          and Vol_K = ∫J³ = 5 for the hyperplane class; the scale-free 𝓛_MA leaves the scale to it.
// The derivatives along X come from forward-mode autodiff of the metric as a function of z:
// along the holomorphic tangent v = P_k (row k of the pull-back), ∂_k g = ½(D_v g − i D_{iv} g),
// where D_u g = d/dt g(z + t u) is the real directional derivative (z(x) is holomorphic).
import { jvpBatched, stack, type Tensor } from "@physml/autodiff";
import * as C from "@physml/autodiff/complex";
import type { MetricFn } from "../neural/metric-nn.js";

/**
 * The metric g [B, 3, 3] at z [B, 5] and its derivatives ∂_k g_ij̄ along the tangents P [B, 3, 5]
 * (P_k: the direction of local coordinate x_k in homogeneous coordinates) as dg, complex
 * [B, 3 (k), 3 (i), 3 (j)].
 */
export function metricDerivatives(
  fn: MetricFn,
  z: C.ComplexTensor,
  P: C.ComplexTensor,
): { g: C.ComplexTensor; dg: C.ComplexTensor } {
  const B = z.shape[0];
  const tr: Tensor[] = [];
  const ti: Tensor[] = [];
  for (let k = 0; k < 3; k++) {
    const v = C.reshape(C.slice(P, [0, k, 0], [B, k + 1, 5]), [B, 5]);
    tr.push(v.re, v.im.neg());
    ti.push(v.im, v.re);
  }
  const [[gre, gim], [dre, dim]] = jvpBatched(
    (xr: Tensor, xi: Tensor) => {
      const g = fn(new C.ComplexTensor(xr, xi));
      return [g.re, g.im];
    },
    [z.re, z.im],
    [stack(tr, 0), stack(ti, 0)],
    1,
  );
  // dre, dim: [6, B, 3, 3]; direction 2k is v = P_k, 2k + 1 is i·P_k
  const rows: C.ComplexTensor[] = [];
  const at = (t: Tensor, d: number) => t.slice([d, 0, 0, 0], [d + 1, B, 3, 3]).reshape([B, 3, 3]);
  for (let k = 0; k < 3; k++) {
    const re = at(dre, 2 * k)
      .add(at(dim, 2 * k + 1))
      .mul(0.5);
    const im = at(dim, 2 * k)
      .sub(at(dre, 2 * k + 1))
      .mul(0.5);
    rows.push(new C.ComplexTensor(re, im));
  }
  return { g: new C.ComplexTensor(gre, gim), dg: C.stack(rows, 1) };
}

/** c_ijk = ∂_k g_ij̄ − ∂_i g_kj̄ from ∂_k g_ij̄ [B, k, i, j]: complex [B, i, j, k]. */
export function kahlerTensor(dg: C.ComplexTensor): C.ComplexTensor {
  return C.sub(C.transpose(dg, [0, 2, 3, 1]), C.transpose(dg, [0, 1, 3, 2]));
}

const weightedMean = (perPoint: Tensor, w: Tensor) => perPoint.mul(w).sum().div(w.sum());

/** 𝓛_dJ = Σ_p w_p Σ_ijk |c_ijk|² / Σ_p w_p. */
export function kahlerLoss(c: C.ComplexTensor, w: Tensor): Tensor {
  const B = c.shape[0];
  return weightedMean(C.abs2(C.reshape(c, [B, 27])).sum(1), w);
}

/** Jᵀ g J̄ for J, g complex [m, 3, 3]: a metric of the second chart in the first chart's coordinates. */
export function toFirstChart(J: C.ComplexTensor, g: C.ComplexTensor): C.ComplexTensor {
  return C.matmul(C.matmul(C.mT(J), g), C.conj(J));
}

/** 𝓛_T = Σ_p w_p |g^A − Jᵀ g^B J̄|² / Σ_p w_p over the points with a second chart. */
export function transitionLoss(
  gA: C.ComplexTensor,
  gB: C.ComplexTensor,
  J: C.ComplexTensor,
  w: Tensor,
): Tensor {
  const m = gA.shape[0];
  return weightedMean(C.abs2(C.reshape(C.sub(gA, toFirstChart(J, gB)), [m, 9])).sum(1), w);
}

/** 𝓛_vol = (mean(det g/det g_FS) − 1)² from det g [B] and det g_FS [B] (FS-distributed points). */
export function volumeLoss(det: Tensor, detFS: Tensor): Tensor {
  const r = det.div(detFS).mean().sub(1);
  return r.mul(r);
}
