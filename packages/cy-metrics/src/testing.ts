// Test helpers shared by the package's tests (not exported from the package).
import { random, tensor } from "@physml/autodiff";
import type { SplitMatrix } from "./complex.js";
import { evalQuintic, type Quintic } from "./geometry/quintic.js";
import type { PointsView } from "./geometry/sample.js";
import type { MetricNn } from "./neural/metric-nn.js";

/** A random Hermitian positive-definite matrix A A† / n + 1. */
export function randomHermitian(n: number, seed: number): SplitMatrix {
  const g = random.normal(random.key(seed), [2, n, n]).toFloat64Array();
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sr = i === j ? 1 : 0;
      let si = 0;
      for (let k = 0; k < n; k++) {
        // A_ik conj(A_jk)
        const ar = g[i * n + k];
        const ai = g[n * n + i * n + k];
        const br = g[j * n + k];
        const bi = -g[n * n + j * n + k];
        sr += (ar * br - ai * bi) / n;
        si += (ar * bi + ai * br) / n;
      }
      re[i * n + j] = sr;
      im[i * n + j] = si;
    }
  }
  return { n, re, im };
}

/** One point as a PointsView in the chart (patch, dep), z given in any normalisation. */
export function pointInChart(q: Quintic, z: Float64Array, patch: number, dep: number): PointsView {
  const pr = z[2 * patch];
  const pi = z[2 * patch + 1];
  const d = pr * pr + pi * pi;
  const zn = new Float64Array(10);
  for (let j = 0; j < 5; j++) {
    zn[2 * j] = (z[2 * j] * pr + z[2 * j + 1] * pi) / d;
    zn[2 * j + 1] = (z[2 * j + 1] * pr - z[2 * j] * pi) / d;
  }
  const grad = new Float64Array(10);
  evalQuintic(q, zn, 0, new Float64Array(2), grad);
  return { n: 1, z: zn, grad, patch: Uint8Array.of(patch), dependent: Uint8Array.of(dep) };
}

/**
 * The point of X near `base` (chart patch/dep) whose local coordinate x_a is shifted by the
 * complex number h: z_dep re-solved from p = 0 by Newton's method.
 */
export function shiftAlongX(q: Quintic, base: PointsView, a: number, h: [number, number]): PointsView {
  const z = base.z.slice(0, 10);
  const loc = [0, 1, 2, 3, 4].filter((j) => j !== base.patch[0] && j !== base.dependent[0]);
  z[2 * loc[a]] += h[0];
  z[2 * loc[a] + 1] += h[1];
  const dep = base.dependent[0];
  const val = new Float64Array(2);
  const grad = new Float64Array(10);
  for (let it = 0; it < 50; it++) {
    evalQuintic(q, z, 0, val, grad);
    const gr = grad[2 * dep];
    const gi = grad[2 * dep + 1];
    const g2 = gr * gr + gi * gi;
    const dr = (val[0] * gr + val[1] * gi) / g2;
    const di = (val[1] * gr - val[0] * gi) / g2;
    z[2 * dep] -= dr;
    z[2 * dep + 1] -= di;
    if (Math.hypot(dr, di) < 1e-17) break;
  }
  evalQuintic(q, z, 0, val, grad);
  return { n: 1, z, grad, patch: base.patch.slice(), dependent: base.dependent.slice() };
}

/** Jᵀ g J̄ for 3×3 interleaved matrices: a metric in chart B expressed in chart A. */
export function transformMetric(J: Float64Array, g: Float64Array): Float64Array {
  const out = new Float64Array(18);
  for (let a = 0; a < 3; a++) {
    for (let c = 0; c < 3; c++) {
      let sr = 0;
      let si = 0;
      for (let b = 0; b < 3; b++) {
        for (let d = 0; d < 3; d++) {
          const jr = J[2 * (3 * b + a)];
          const ji = J[2 * (3 * b + a) + 1];
          const gr = g[2 * (3 * b + d)];
          const gi = g[2 * (3 * b + d) + 1];
          const kr = J[2 * (3 * d + c)];
          const ki = -J[2 * (3 * d + c) + 1];
          const tr = jr * gr - ji * gi;
          const ti = jr * gi + ji * gr;
          sr += tr * kr - ti * ki;
          si += tr * ki + ti * kr;
        }
      }
      out[2 * (3 * a + c)] = sr;
      out[2 * (3 * a + c) + 1] = si;
    }
  }
  return out;
}

/** The model with its last layer set to small deterministic numbers of size `scale` (a generic, non-FS metric). */
export function perturbed(model: MetricNn, scale: number, seed: number): MetricNn {
  const last = model.params.length - 1;
  const noise = (shape: readonly number[], s: number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return tensor(
      Float64Array.from({ length: n }, (_, i) => scale * Math.sin(1.7 * i + s + seed)),
      shape.slice(),
    );
  };
  return {
    ...model,
    params: model.params.map((p, i) => (i === last ? { w: noise(p.w.shape, 0), b: noise(p.b.shape, 3) } : p)),
  };
}
