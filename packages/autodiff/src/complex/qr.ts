// Reduced QR decomposition A = Q·R of a batch of complex m×n matrices: Q (m×k) with orthonormal
// columns (QᴴQ = I), R (k×n) upper triangular with a real non-negative diagonal, k = min(m, n).
// The diagonal convention fixes the phase freedom Q → Q·D, R → D̄·R (D unitary diagonal), so the
// factorisation is unique for full column rank and differentiable.
//
// The primitive takes m ≥ n and packs (re, im) of Q over R into one output [2, …, m+n, n].
// Forward rule (the complex form of JAX's real rule): with X = dA·R⁻¹ and C = Qᴴ·X,
//   Ω = L − Lᴴ + i·Im diag C   (L the strictly lower part of C),
//   dQ = X + Q·(Ω − C),   dR = (C − Ω)·R.
// Why: Qᴴ·dQ = Ω is skew-Hermitian and dR·R⁻¹ = C − Ω upper triangular with a real diagonal
// (R's diagonal stays real), which fixes Ω's lower part and its imaginary diagonal. The reverse
// rule is the transpose of that real-linear map, by reverse mode over the forward rule at run time
// (both in ops, so every order works). A wide A = [A₁ A₂] is composed: Q, R₁ = qr(A₁),
// R = [R₁, Qᴴ·A₂].
import { bind, type Primitive } from "../core/bind.js";
import { alloc, zerosLike } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { pow2Scale } from "../kernels/scale.js";
import type { Data } from "../kernels/types.js";
import { strictLower } from "../linalg/common.js";
import { leadingBatch } from "../ops/batching.js";
import { mul as rmul } from "../ops/elementwise.js";
import { reshape, slice as rslice, stack } from "../ops/shape.js";
import { vjp } from "../transforms/reverse.js";
import { inverse } from "./linalg.js";
import { add, matmul, mul, sub } from "./ops.js";
import { concat, mH, rowsOf, slice } from "./shape.js";
import { type ComplexLike, ComplexTensor, toComplex } from "./tensor.js";

/** Complex Householder QR of one m×n block (re `a`, im `b` at `ao`), m ≥ n; Q over R into `o`. */
function qrBlock(
  a: Data,
  b: Data,
  ao: number,
  m: number,
  n: number,
  o: Data,
  oo: number,
  off: number,
): boolean {
  const ua = pow2Scale(a, ao, m * n);
  const ub = pow2Scale(b, ao, m * n);
  if (ua === 0 || ub === 0) return false;
  const unit = Math.max(ua, ub); // exact division: the sums of squares cannot overflow
  const Wr = new Float64Array(m * n);
  const Wi = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) {
    Wr[i] = a[ao + i] / unit;
    Wi[i] = b[ao + i] / unit;
  }
  const Hr = new Float64Array(m * n); // Householder vectors, column k from row k
  const Hi = new Float64Array(m * n);
  const beta = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let nrm = 0;
    for (let i = k; i < m; i++) nrm = Math.hypot(nrm, Wr[i * n + k], Wi[i * n + k]);
    if (nrm === 0) continue; // column already zero: H_k = I
    // v = x − α·e₁ with α = −e^{i arg x_k}·‖x‖, so v_k = x_k + e^{i arg x_k}·‖x‖ (no cancellation)
    const xr = Wr[k * n + k];
    const xi = Wi[k * n + k];
    const ax = Math.hypot(xr, xi);
    const [pr, pi] = ax === 0 ? [1, 0] : [xr / ax, xi / ax];
    let vv = 0;
    for (let i = k; i < m; i++) {
      const vr = i === k ? xr + pr * nrm : Wr[i * n + k];
      const vi = i === k ? xi + pi * nrm : Wi[i * n + k];
      Hr[i * n + k] = vr;
      Hi[i * n + k] = vi;
      vv += vr * vr + vi * vi;
    }
    beta[k] = 2 / vv;
    for (let j = k; j < n; j++) reflectColumn(Hr, Hi, beta[k], k, m, n, Wr, Wi, j);
  }
  // Q = H_0 ⋯ H_{n−1}·[I; 0], applied right to left (each H_k is Hermitian)
  const qr = o.subarray(oo, oo + m * n);
  const qi = o.subarray(off + oo, off + oo + m * n);
  for (let i = 0; i < n; i++) qr[i * n + i] = 1;
  for (let k = n - 1; k >= 0; k--) {
    if (beta[k] === 0) continue;
    for (let j = 0; j < n; j++) reflectColumn(Hr, Hi, beta[k], k, m, n, qr, qi, j);
  }
  // rotate each row of R by the conjugate phase of its diagonal entry (and Q's column by the
  // phase), so that R_ii = |R_ii| is real and non-negative
  const r0 = oo + m * n;
  for (let i = 0; i < n; i++) {
    const dr = Wr[i * n + i];
    const di = Wi[i * n + i];
    const ad = Math.hypot(dr, di);
    const [pr, pi] = ad === 0 ? [1, 0] : [dr / ad, di / ad];
    for (let j = i; j < n; j++) {
      const wr = Wr[i * n + j];
      const wi = Wi[i * n + j];
      o[r0 + i * n + j] = j === i ? ad * unit : (pr * wr + pi * wi) * unit;
      o[off + r0 + i * n + j] = j === i ? 0 : (pr * wi - pi * wr) * unit;
    }
    for (let k = 0; k < m; k++) {
      const zr = qr[k * n + i];
      const zi = qi[k * n + i];
      qr[k * n + i] = zr * pr - zi * pi;
      qi[k * n + i] = zr * pi + zi * pr;
    }
  }
  return true;
}

function part(out: Tensor, k: number): Tensor {
  const starts = out.shape.map(() => 0);
  const ends = [...out.shape];
  starts[0] = k;
  ends[0] = k + 1;
  return reshape(rslice(out, starts, ends), out.shape.slice(1));
}

const eyeMask = (n: number) =>
  Tensor._of(
    Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)),
    [n, n],
  );

function qrJvp(out: Tensor, tr: Tensor | null, ti: Tensor | null, nb: number): Tensor {
  const QR = new ComplexTensor(part(out, 0), part(out, 1));
  const n = QR.shape[QR.ndim - 1];
  const m = QR.shape[QR.ndim - 2] - n;
  const Q = rowsOf(QR, 0, m);
  const R = rowsOf(QR, m, m + n);
  const T = new ComplexTensor(tr ?? rmul(ti!, 0), ti ?? rmul(tr!, 0));
  const X = matmul(T, inverse(R));
  const C = matmul(mH(Q), X);
  const L = mul(C, strictLower(n));
  const Om = add(sub(L, mH(L)), new ComplexTensor(rmul(C.re, 0), rmul(C.im, eyeMask(n))));
  const dQ = add(X, matmul(Q, sub(Om, C)));
  const dR = matmul(sub(C, Om), R);
  const d = concat([dQ, dR], -2);
  return stack([d.re, d.im], nb);
}

const P_CQR: Primitive<null> = definePrimitive({
  name: "complexQr",
  impl([re, im]) {
    const [m, n] = [re.shape[re.ndim - 2], re.shape[re.ndim - 1]];
    const nb = re.size / (m * n);
    const half = nb * (m + n) * n;
    const o = alloc("float64", 2 * half);
    o.fill(0);
    for (let b = 0; b < nb; b++) {
      if (!qrBlock(re._data!, im._data!, b * m * n, m, n, o, b * (m + n) * n, half))
        throw new AutodiffInputError("qr.z", "finite matrices", "a non-finite entry", `batch entry ${b}`);
    }
    return Tensor._of(o, [2, ...re.shape.slice(0, -2), m + n, n]);
  },
  jvp: (_x, [tr, ti], out, _p, nb) => qrJvp(out, tr, ti, nb),
  // the transpose of the forward rule (linear in the tangent), by reverse mode over it
  vjp(g, [re, im], out) {
    const [, pull] = vjp((a: Tensor, b: Tensor) => qrJvp(out, a, b, 0), zerosLike(re), zerosLike(im));
    return pull(g) as Tensor[];
  },
  // the output is [2, ...batch, m+n, n]: the mapped axis is 1
  batch: (xs, bds, p, size) => [leadingBatch(P_CQR, xs, bds, p, size)[0], 1],
});

/** Result of the complex {@link qr}. */
export interface ComplexQR {
  /** […, m, k], orthonormal columns (QᴴQ = I), k = min(m, n). */
  readonly q: ComplexTensor;
  /** […, k, n], upper triangular (trapezoidal when m < n) with a real non-negative diagonal. */
  readonly r: ComplexTensor;
}

/**
 * Reduced QR decomposition of a batch of complex m×n matrices (complex Householder): A = Q·R with
 * QᴴQ = I and R upper triangular with a real diagonal R_ii ≥ 0. Differentiable to any order in
 * both modes where the leading k×k block has full rank (the rules invert R, through the complex
 * LU).
 */
export function qr(a: ComplexLike): ComplexQR {
  const z = toComplex(a, "qr.z");
  if (z.ndim < 2 || z.shape.some((d) => d < 1))
    throw new AutodiffInputError("qr.z", "a batch of m×n matrices […, m, n] with m, n >= 1", [...z.shape]);
  const [m, n] = [z.shape[z.ndim - 2], z.shape[z.ndim - 1]];
  if (m < n) {
    const lead = z.shape.slice(0, -2);
    const zeros = lead.map(() => 0);
    const { q, r } = qr(slice(z, [...zeros, 0, 0], [...lead, m, m]));
    const r2 = matmul(mH(q), slice(z, [...zeros, 0, m], [...lead, m, n]));
    return { q, r: concat([r, r2], -1) };
  }
  const out = bind(P_CQR, [z.re, z.im], null);
  const QR = new ComplexTensor(part(out, 0), part(out, 1));
  return { q: rowsOf(QR, 0, m), r: rowsOf(QR, m, m + n) };
}

/**
 * Applies the Householder reflection I − β·v·vᴴ (v = column k of H from row k on) to column j of
 * the m × n matrix A (split storage): t = β·vᴴ·A[:, j], A[:, j] −= t·v.
 */
function reflectColumn(
  Hr: ArrayLike<number>,
  Hi: ArrayLike<number>,
  beta: number,
  k: number,
  m: number,
  n: number,
  Ar: Data,
  Ai: Data,
  j: number,
): void {
  let tr = 0;
  let ti = 0;
  for (let i = k; i < m; i++) {
    const vr = Hr[i * n + k];
    const vi = Hi[i * n + k];
    tr += vr * Ar[i * n + j] + vi * Ai[i * n + j];
    ti += vr * Ai[i * n + j] - vi * Ar[i * n + j];
  }
  tr *= beta;
  ti *= beta;
  for (let i = k; i < m; i++) {
    const vr = Hr[i * n + k];
    const vi = Hi[i * n + k];
    Ar[i * n + j] -= tr * vr - ti * vi;
    Ai[i * n + j] -= tr * vi + ti * vr;
  }
}
