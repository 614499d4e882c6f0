// Points as complex tensors for the autodiff models: the patch-normalised coordinates, the
// constant 3 × 5 pull-back Jacobians (numbers, for models whose metric is pulled back once), and
// the same Jacobians as a differentiable function of z (for derivatives of a metric along X,
// where the Jacobian's own dependence on the point matters).
import { tensor } from "@physml/autodiff";
import * as C from "@physml/autodiff/complex";
import { localIndices } from "../geometry/patches.js";
import { N_COORDS, type Quintic } from "../geometry/quintic.js";
import type { PointsView } from "../geometry/sample.js";

/** The coordinates z of points [from, to) as a complex [B, 5] tensor (z_patch = 1). */
export function coordinateTensor(points: PointsView, from: number, to: number): C.ComplexTensor {
  const B = to - from;
  const re = new Float64Array(B * 5);
  const im = new Float64Array(B * 5);
  for (let i = 0; i < B * 5; i++) {
    re[i] = points.z[10 * from + 2 * i];
    im[i] = points.z[10 * from + 2 * i + 1];
  }
  return C.complex(tensor(re, [B, 5]), tensor(im, [B, 5]));
}

/**
 * The 3 × 5 pull-back Jacobians P_aj = ∂z_j/∂x_a of points [from, to) as a complex [B, 3, 5]
 * tensor: 1 at the local coordinate x_a, −(∂_a p)/(∂_dep p) in the dependent column, 0 elsewhere
 * (the patch column too), so P g P† of a metric on the 5 homogeneous coordinates is its
 * pull-back to X in the local coordinates.
 */
export function pullbackTensor(points: PointsView, from: number, to: number): C.ComplexTensor {
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

/** ∂p/∂z_j of the quintic at z [B, 5] as a differentiable complex [B, 5] tensor. */
export function quinticGradientTensor(q: Quintic, z: C.ComplexTensor): C.ComplexTensor {
  const B = z.shape[0];
  const col = (j: number) => C.reshape(C.slice(z, [0, j], [B, j + 1]), [B]);
  // powers[j][m] = z_j^m, m ≤ 4 (a derivative of a quintic monomial has degree ≤ 4 per coordinate)
  const powers: C.ComplexTensor[][] = [];
  for (let j = 0; j < N_COORDS; j++) {
    const zj = col(j);
    const p: C.ComplexTensor[] = [C.complex(tensor(new Float64Array(B).fill(1), [B])), zj];
    for (let m = 2; m <= 4; m++) p.push(C.mul(p[m - 1], zj));
    powers.push(p);
  }
  const columns: C.ComplexTensor[] = [];
  for (let j = 0; j < N_COORDS; j++) {
    let sum: C.ComplexTensor | null = null;
    for (const term of q.terms) {
      const e = term.exponents;
      if (e[j] === 0) continue;
      let mono: C.ComplexTensor | null = null;
      for (let l = 0; l < N_COORDS; l++) {
        const m = l === j ? e[l] - 1 : e[l];
        if (m > 0) mono = mono === null ? powers[l][m] : C.mul(mono, powers[l][m]);
      }
      const c = C.complex(e[j] * term.coefficient.re, e[j] * term.coefficient.im);
      const t = mono === null ? C.mul(powers[0][0], c) : C.mul(mono, c);
      sum = sum === null ? t : C.add(sum, t);
    }
    columns.push(C.reshape(sum ?? C.mul(powers[0][0], 0), [B, 1]));
  }
  return C.concat(columns, 1);
}

/** Constant one-hot selectors of the charts: loc [B, 3, 5] (x_a → z_loc[a]) and dep [B, 1, 5]. */
export interface ChartSelectors {
  loc: C.ComplexTensor;
  dep: C.ComplexTensor;
}

/** The chart selectors of points [from, to). */
export function chartSelectors(points: PointsView, from: number, to: number): ChartSelectors {
  const B = to - from;
  const loc = new Float64Array(B * 15);
  const dep = new Float64Array(B * 5);
  for (let i = from; i < to; i++) {
    const d = points.dependent[i];
    const l = localIndices(points.patch[i], d);
    for (let a = 0; a < 3; a++) loc[(i - from) * 15 + 5 * a + l[a]] = 1;
    dep[(i - from) * 5 + d] = 1;
  }
  return { loc: C.complex(tensor(loc, [B, 3, 5])), dep: C.complex(tensor(dep, [B, 1, 5])) };
}

/** The pull-back Jacobians [B, 3, 5] as a differentiable function of z (charts fixed by `sel`). */
export function pullbackOf(q: Quintic, sel: ChartSelectors, z: C.ComplexTensor): C.ComplexTensor {
  const B = z.shape[0];
  const grad = C.reshape(quinticGradientTensor(q, z), [B, 5, 1]);
  const dLoc = C.matmul(sel.loc, grad); // [B, 3, 1]
  const dDep = C.matmul(sel.dep, grad); // [B, 1, 1]
  return C.sub(sel.loc, C.mul(C.div(dLoc, dDep), sel.dep));
}

/** m × 9 interleaved complex matrices as a complex [m, 3, 3] tensor. */
export function matrices3(values: Float64Array, m: number): C.ComplexTensor {
  const re = new Float64Array(9 * m);
  const im = new Float64Array(9 * m);
  for (let i = 0; i < 9 * m; i++) {
    re[i] = values[2 * i];
    im[i] = values[2 * i + 1];
  }
  return C.complex(tensor(re, [m, 3, 3]), tensor(im, [m, 3, 3]));
}

/**
 * The inverse of {@link matrices3} over `n` points in chunks of `chunk`: `metricOf(from, to)` is the
 * complex [to − from, 3, 3] metric of those points; the result is n × 9 interleaved complex entries.
 */
export function interleavedMatrices3(
  n: number,
  chunk: number,
  metricOf: (from: number, to: number) => C.ComplexTensor,
): Float64Array {
  const out = new Float64Array(18 * n);
  for (let from = 0; from < n; from += chunk) {
    const g = metricOf(from, Math.min(n, from + chunk));
    const re = C.real(g).toFloat64Array();
    const im = C.imag(g).toFloat64Array();
    for (let i = 0; i < re.length; i++) {
      out[18 * from + 2 * i] = re[i];
      out[18 * from + 2 * i + 1] = im[i];
    }
  }
  return out;
}
