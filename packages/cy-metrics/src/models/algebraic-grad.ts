// The Monge–Ampère loss of an algebraic metric and its gradient with respect to G, in closed form.
// Per point, R holds four complex rows: s and the derivatives ∂_a s along the 3 local coordinates
// of X (the ambient derivatives pulled back by the embedding Jacobian). Then M = R G R† (4 × 4)
// gives D = M₀₀ and g_{ab̄} = c (M_ab/D − M_a0 M_0b/D²) with c = 1/(πk), η = det g/|Ω|².
// Backward: d det g = tr(adj(g) dg), so with ℓ' = dℓ/d det g the adjoint of g is Γ = ℓ' adj(g);
// pushing it through g(M) gives a 4 × 4 Λ with dℓ = tr(Λ dM), and since dM = R dG R†,
// dℓ = tr(Z dG) with Z = Σ_points R† Λ R. The forward product R·G and the backward R†·(ΛR) are
// one real matrix product each over the whole batch.
import { hermitianDet3, type SplitMatrix } from "../complex.js";
import type { AlgebraicMetric } from "../donaldson/algebraic-metric.js";
import { complexBlock, complexFromBlockProduct, gemm } from "../donaldson/gemm.js";
import { potentialMetric, rowProducts } from "../donaldson/potential-metric.js";
import { sectionRows } from "../donaldson/sections.js";
import { embeddingJacobian } from "../geometry/patches.js";
import type { PointSet } from "../geometry/sample.js";
import { type EtaLossKind, etaLoss } from "./eta-loss.js";

/** Loss, gradient Z = ∂ℓ/∂G and the pointwise η of a batch. */
export interface AlgebraicLossGrad {
  loss: number;
  Z: SplitMatrix;
  eta: Float64Array;
}

/** adj(g) of a 3 × 3 complex matrix (interleaved) into `out`: adj_ij = cofactor_ji. */
function adjugate3(g: Float64Array, out: Float64Array): void {
  const re = (i: number, j: number) => g[2 * (3 * i + j)];
  const im = (i: number, j: number) => g[2 * (3 * i + j) + 1];
  // adj_ij = g_{j+1,i+1} g_{j+2,i+2} − g_{j+1,i+2} g_{j+2,i+1} (indices mod 3)
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const j1 = (j + 1) % 3;
      const j2 = (j + 2) % 3;
      const i1 = (i + 1) % 3;
      const i2 = (i + 2) % 3;
      const ar = re(j1, i1) * re(j2, i2) - im(j1, i1) * im(j2, i2);
      const ai = re(j1, i1) * im(j2, i2) + im(j1, i1) * re(j2, i2);
      const br = re(j1, i2) * re(j2, i1) - im(j1, i2) * im(j2, i1);
      const bi = re(j1, i2) * im(j2, i1) + im(j1, i2) * re(j2, i1);
      out[2 * (3 * i + j)] = ar - br;
      out[2 * (3 * i + j) + 1] = ai - bi;
    }
  }
}

/**
 * The pulled-back rows R (4 per point, [Re | Im] with 2N columns) of points [from, to) into `R`.
 * `rows5` is scratch for the ambient rows (5 per point).
 */
export function pulledBackRows(
  metric: AlgebraicMetric,
  points: PointSet,
  from: number,
  to: number,
  rows5: Float64Array,
  R: Float64Array,
): void {
  const N = metric.basis.size;
  const W = 2 * N;
  sectionRows(metric.basis, points, from, to, true, rows5);
  const jac = new Float64Array(24);
  for (let i = from; i < to; i++) {
    const src = 5 * (i - from) * W;
    const dst = 4 * (i - from) * W;
    R.set(rows5.subarray(src, src + W), dst);
    embeddingJacobian(points.grad, 10 * i, points.patch[i], points.dependent[i], jac);
    for (let a = 0; a < 3; a++) {
      const o = dst + (a + 1) * W;
      R.fill(0, o, o + W);
      for (let c = 0; c < 4; c++) {
        const pr = jac[2 * (4 * a + c)];
        const pi = jac[2 * (4 * a + c) + 1];
        if (pr === 0 && pi === 0) continue;
        const s = src + (c + 1) * W;
        for (let q = 0; q < N; q++) {
          const xr = rows5[s + q];
          const xi = rows5[s + N + q];
          R[o + q] += pr * xr - pi * xi;
          R[o + N + q] += pr * xi + pi * xr;
        }
      }
    }
  }
}

/** 𝓛_MA of `kind` on points [from, to) and its gradient Z with respect to G. */
export function algebraicLossGrad(
  metric: AlgebraicMetric,
  points: PointSet,
  from: number,
  to: number,
  kind: EtaLossKind,
): AlgebraicLossGrad {
  return algebraicEtaGrad(metric, points, from, to, (eta, w, dEta) => etaLoss(kind, eta, w, dEta));
}

/**
 * A function ℓ of the pointwise η on points [from, to) and its gradient Z with respect to G
 * (dℓ = Re tr(Z dG)); `loss(eta, weights, dEta)` returns ℓ and writes dℓ/dη_p into `dEta`.
 */
export function algebraicEtaGrad(
  metric: AlgebraicMetric,
  points: PointSet,
  from: number,
  to: number,
  loss: (eta: Float64Array, weight: Float64Array, dEta: Float64Array) => number,
): AlgebraicLossGrad {
  const N = metric.basis.size;
  const W = 2 * N;
  const B = to - from;
  const c = 1 / (Math.PI * metric.basis.k);
  const rows5 = new Float64Array(5 * B * W);
  const R = new Float64Array(4 * B * W);
  pulledBackRows(metric, points, from, to, rows5, R);
  const U = gemm(R, 4 * B, W, complexBlock(metric.G.re, metric.G.im, N), W, W);
  // forward: M (4 × 4) and g (3 × 3) per point
  const Ms = new Float64Array(32 * B);
  const gs = new Float64Array(18 * B);
  const eta = new Float64Array(B);
  const dets = new Float64Array(B);
  for (let p = 0; p < B; p++) {
    const M = Ms.subarray(32 * p, 32 * p + 32);
    rowProducts(U, R, 4 * p, 4, N, M);
    const g = gs.subarray(18 * p, 18 * p + 18);
    potentialMetric(M, 4, c, g);
    dets[p] = hermitianDet3(g);
    eta[p] = dets[p] / points.omega2[from + p];
  }
  const dEta = new Float64Array(B);
  const value = loss(eta, points.weight.subarray(from, to), dEta);
  // backward: Λ per point, then Y = Λ R
  const Y = new Float64Array(4 * B * W);
  const adj = new Float64Array(18);
  const Lam = new Float64Array(32);
  for (let p = 0; p < B; p++) {
    const lp = dEta[p] / points.omega2[from + p];
    const M = Ms.subarray(32 * p, 32 * p + 32);
    const D = M[0];
    adjugate3(gs.subarray(18 * p, 18 * p + 18), adj);
    // Γ = ℓ' adj(g); Λ_{ba} = (c/D) Γ_{ba} for a, b ≥ 1
    for (let b = 0; b < 3; b++) {
      for (let a = 0; a < 3; a++) {
        Lam[2 * (4 * (b + 1) + a + 1)] = ((c * lp) / D) * adj[2 * (3 * b + a)];
        Lam[2 * (4 * (b + 1) + a + 1) + 1] = ((c * lp) / D) * adj[2 * (3 * b + a) + 1];
      }
    }
    const f = (-c * lp) / (D * D);
    let l00r = 0;
    let l00i = 0;
    for (let a = 0; a < 3; a++) {
      // Λ_{0a} = f Σ_b M_{0b} Γ_{ba};  Λ_{a0} = f Σ_b Γ_{ab} M_{b0}
      let r0 = 0;
      let i0 = 0;
      let r1 = 0;
      let i1 = 0;
      for (let b = 0; b < 3; b++) {
        const m0r = M[2 * (b + 1)];
        const m0i = M[2 * (b + 1) + 1];
        const gr = adj[2 * (3 * b + a)];
        const gi = adj[2 * (3 * b + a) + 1];
        r0 += m0r * gr - m0i * gi;
        i0 += m0r * gi + m0i * gr;
        const hr = adj[2 * (3 * a + b)];
        const hi = adj[2 * (3 * a + b) + 1];
        const mbr = M[2 * (4 * (b + 1))];
        const mbi = M[2 * (4 * (b + 1)) + 1];
        r1 += hr * mbr - hi * mbi;
        i1 += hr * mbi + hi * mbr;
      }
      Lam[2 * (a + 1)] = f * r0;
      Lam[2 * (a + 1) + 1] = f * i0;
      Lam[2 * (4 * (a + 1))] = f * r1;
      Lam[2 * (4 * (a + 1)) + 1] = f * i1;
      // Λ₀₀ = f Σ_ab Γ_ba M_ab − (2/D) f Σ_ab Γ_ba M_a0 M_0b
      for (let b = 0; b < 3; b++) {
        const gr = adj[2 * (3 * b + a)];
        const gi = adj[2 * (3 * b + a) + 1];
        const o = 2 * (4 * (a + 1) + b + 1);
        const mar = M[2 * (4 * (a + 1))];
        const mai = M[2 * (4 * (a + 1)) + 1];
        const mbr = M[2 * (b + 1)];
        const mbi = M[2 * (b + 1) + 1];
        const pr = M[o] - (2 / D) * (mar * mbr - mai * mbi);
        const pi = M[o + 1] - (2 / D) * (mar * mbi + mai * mbr);
        l00r += gr * pr - gi * pi;
        l00i += gr * pi + gi * pr;
      }
    }
    Lam[0] = f * l00r;
    Lam[1] = f * l00i;
    for (let i = 0; i < 4; i++) {
      const yo = (4 * p + i) * W;
      for (let j = 0; j < 4; j++) {
        const lr = Lam[2 * (4 * i + j)];
        const li = Lam[2 * (4 * i + j) + 1];
        if (lr === 0 && li === 0) continue;
        const ro = (4 * p + j) * W;
        for (let q = 0; q < N; q++) {
          const xr = R[ro + q];
          const xi = R[ro + N + q];
          Y[yo + q] += lr * xr - li * xi;
          Y[yo + N + q] += lr * xi + li * xr;
        }
      }
    }
  }
  // Z = R† Y: Re = RrᵀYr + RiᵀYi, Im = RrᵀYi − RiᵀYr
  const T = gemm(R, 4 * B, W, Y, 4 * B, W, true, false);
  return { loss: value, Z: complexFromBlockProduct(T, N), eta };
}
