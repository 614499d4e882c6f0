// Hermitian eigendecomposition H = V·diag(λ)·Vᴴ of a batch of complex matrices. The value comes
// from the real symmetric kernel (kernels/eigh.ts) on the embedding [[Re H, −Im H], [Im H, Re H]],
// whose eigenvalues are those of H, each twice, with eigenvector pairs [x; y], [−y; x] for the
// eigenvector x + iy of H (and i(x + iy)); one of each pair is kept. Each eigenvector is fixed by making its largest-magnitude entry real
// and positive (the phase is otherwise free), so V is a differentiable function of H.
// Forward rule (P = Vᴴ·dH·V, F_jk = 1/(λ_k − λ_j), F_kk = 0):
//   dλ = Re diag P,   dV = V·(F∘P) + i·V·diag(φ),
// φ_k chosen so that the fixed entry j*_k of column k stays real: φ_k = −Im(V(F∘P))_{j*k} / V_{j*k}.
// The reverse rule is the transpose of that real-linear map, taken by reverse mode over the
// forward rule (both written in ops, so every order works).
import { bind, type Primitive } from "../core/bind.js";
import { alloc, zerosLike } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { eighBlock, eighScratch } from "../kernels/eigh.js";
import { checkGaps } from "../linalg/common.js";
import { EIGH_GAP_TOL } from "../linalg/eigh.js";
import { leadingBatch } from "../ops/batching.js";
import { add, div, mul, neg, sub } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";
import { concat, expandDims, reshape, slice, stack } from "../ops/shape.js";
import { vjp } from "../transforms/reverse.js";
import { checkSquare } from "./linalg.js";
import { matmul } from "./ops.js";
import { mH } from "./shape.js";
import { type ComplexLike, ComplexTensor } from "./tensor.js";

interface P {
  gapTol: number;
}

/** Packed output [2, ..., n + 1, n]: part 0 = [λ; Re V], part 1 = [0; Im V]. */
function eighImpl(re: Tensor, im: Tensor, field: string): Tensor {
  const n = re.shape[re.ndim - 1];
  const nb = re.size / (n * n);
  const m = 2 * n;
  const per = (n + 1) * n;
  const o = alloc("float64", 2 * nb * per);
  const E = new Float64Array(m * m);
  const mu = new Float64Array(m);
  const U = new Float64Array(m * m);
  const s = eighScratch(m);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  const r = re._data!;
  const q = im._data!;
  for (let b = 0; b < nb; b++) {
    const a0 = b * n * n;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const x = r[a0 + i * n + j];
        const y = q[a0 + i * n + j];
        E[i * m + j] = x;
        E[(n + i) * m + n + j] = x;
        E[i * m + n + j] = -y;
        E[(n + i) * m + j] = y;
      }
    if (!eighBlock(E, 0, s, mu, 0, U, 0))
      throw new AutodiffInputError(
        field,
        "finite Hermitian matrices",
        "a non-finite entry or no convergence",
        `batch entry ${b}`,
      );
    const o0 = b * per;
    const o1 = nb * per + b * per;
    // Columns come in pairs [x; y], [−y; x] = x + iy and i(x + iy): walk them in ascending order
    // and keep each one that is independent of those kept (Gram–Schmidt in Cⁿ). For distinct
    // eigenvalues that is every other column; in a degenerate eigenspace it still gives an
    // orthonormal basis.
    let k = 0;
    for (let c = 0; c < m && k < n; c++) {
      for (let j = 0; j < n; j++) {
        wr[j] = U[j * m + c];
        wi[j] = U[(n + j) * m + c];
      }
      for (let l = 0; l < k; l++) {
        // w −= (v_lᴴ w) v_l
        let pr = 0;
        let pi = 0;
        for (let j = 0; j < n; j++) {
          const vr = o[o0 + (j + 1) * n + l];
          const vi = o[o1 + (j + 1) * n + l];
          pr += vr * wr[j] + vi * wi[j];
          pi += vr * wi[j] - vi * wr[j];
        }
        for (let j = 0; j < n; j++) {
          const vr = o[o0 + (j + 1) * n + l];
          const vi = o[o1 + (j + 1) * n + l];
          wr[j] -= pr * vr - pi * vi;
          wi[j] -= pr * vi + pi * vr;
        }
      }
      let nrm = 0;
      for (let j = 0; j < n; j++) nrm += wr[j] * wr[j] + wi[j] * wi[j];
      if (nrm < 0.25) continue; // a phase multiple of a kept vector
      o[o0 + k] = mu[c];
      // the largest-magnitude entry (first of near-ties) is made real and positive
      let best = -1;
      let js = 0;
      for (let j = 0; j < n; j++) {
        const a = wr[j] * wr[j] + wi[j] * wi[j];
        if (a > best * (1 + 1e-12)) {
          best = a;
          js = j;
        }
      }
      const h = Math.hypot(wr[js], wi[js]);
      const scale = 1 / (h * Math.sqrt(nrm)); // conj(w_j*)/|w_j*| and normalisation
      const cr = wr[js] * scale;
      const ci = -wi[js] * scale;
      for (let j = 0; j < n; j++) {
        o[o0 + (j + 1) * n + k] = wr[j] * cr - wi[j] * ci;
        o[o1 + (j + 1) * n + k] = wr[j] * ci + wi[j] * cr;
      }
      o[o1 + (js + 1) * n + k] = 0;
      k++;
    }
  }
  return Tensor._of(o, [2, ...re.shape.slice(0, -2), n + 1, n]);
}

/** Part k (0 = re, 1 = im) of the packed output, rows [r0, r1). */
function rowsOf(out: Tensor, k: number, r0: number, r1: number): Tensor {
  const nd = out.ndim;
  const starts = out.shape.map(() => 0);
  const ends = [...out.shape];
  starts[0] = k;
  ends[0] = k + 1;
  starts[nd - 2] = r0;
  ends[nd - 2] = r1;
  return reshape(slice(out, starts, ends), [...out.shape.slice(1, -2), r1 - r0, out.shape[nd - 1]]);
}

/** One-hot [..., n, n] (constant) marking the fixed entry j*_k of every column k: where Im V is exactly 0 and |V| largest. */
function fixedEntries(vr: Tensor, vi: Tensor): Tensor {
  const n = vr.shape[vr.ndim - 1];
  const a = vr._raw();
  const b = vi._raw();
  const o = alloc("float64", a.length);
  for (let base = 0; base < a.length; base += n * n)
    for (let k = 0; k < n; k++) {
      let best = -1;
      let js = 0;
      for (let j = 0; j < n; j++) {
        const v = a[base + j * n + k];
        if (b[base + j * n + k] === 0 && v > best) {
          best = v;
          js = j;
        }
      }
      o[base + js * n + k] = 1;
    }
  return Tensor._of(o, vr.shape);
}

/** F_jk = 1/(λ_k − λ_j) off the diagonal, 0 on it. */
function gapMatrix(w: Tensor): Tensor {
  const I = eyeLike(w.shape[w.ndim - 1]);
  return sub(div(1, add(sub(expandDims(w, -2), expandDims(w, -1)), I)), I);
}

/** The forward rule for one tangent (tr, ti) (shapes of re, im, or with leading tangent batch dims). */
function eighJvp(out: Tensor, tr: Tensor | null, ti: Tensor | null, gapTol: number, nb: number): Tensor {
  const n = out.shape[out.ndim - 1];
  const w = reshape(rowsOf(out, 0, 0, 1), out.shape.slice(1, -2).concat([n]));
  checkGaps(w, gapTol, false, "eigh.z", "distinct eigenvalues to differentiate eigenvectors");
  const V = new ComplexTensor(rowsOf(out, 0, 1, n + 1), rowsOf(out, 1, 1, n + 1));
  const T = new ComplexTensor(tr ?? mul(ti!, 0), ti ?? mul(tr!, 0));
  const P = matmul(mH(V), matmul(T, V));
  const dw = sum(mul(P.re, eyeLike(n)), -1); // Re diag P
  const F = gapMatrix(w);
  const dV0 = matmul(V, new ComplexTensor(mul(F, P.re), mul(F, P.im)));
  const M = fixedEntries(V.re, V.im);
  const phi = neg(div(sum(mul(M, dV0.im), -2, true), sum(mul(M, V.re), -2, true)));
  const dre = sub(dV0.re, mul(phi, V.im));
  const dim = add(dV0.im, mul(phi, V.re));
  const row0 = expandDims(dw, -2);
  return stack([concat([row0, dre], -2), concat([mul(row0, 0), dim], -2)], nb);
}

const eyeLike = (n: number): Tensor =>
  Tensor._of(
    Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)),
    [n, n],
  );

const P_CEIGH: Primitive<P> = definePrimitive({
  name: "complexEigh",
  impl: ([re, im]) => eighImpl(re, im, "eigh.z"),
  jvp: (_x, [tr, ti], out, { gapTol }, nb) => eighJvp(out, tr, ti, gapTol, nb),
  // the transpose of the forward rule, by reverse mode over it (it is linear in the tangent)
  vjp(g, [re, im], out, { gapTol }) {
    const [, pull] = vjp(
      (a: Tensor, b: Tensor) => eighJvp(out, a, b, gapTol, 0),
      zerosLike(re),
      zerosLike(im),
    );
    return pull(g) as Tensor[];
  },
  // the output is [2, ...batch, …]: the mapped axis is 1
  batch: (xs, bds, p, size) => [leadingBatch(P_CEIGH, xs, bds, p, size)[0], 1],
});

/** Result of the complex {@link eigh}. */
export interface ComplexEigh {
  /** Real eigenvalues, ascending, […, n]. */
  readonly values: Tensor;
  /** Orthonormal eigenvectors as columns, […, n, n]: H·V = V·diag(values); each column's largest entry is real and positive. */
  readonly vectors: ComplexTensor;
}

/**
 * Eigendecomposition of a batch of complex Hermitian matrices […, n, n] (the input is replaced by
 * its Hermitian part (H + Hᴴ)/2, so derivatives are those of a Hermitian matrix). Differentiable
 * to any order in both modes; eigenvector derivatives need distinct eigenvalues (relative gap
 * above `gapTol`, default 1e-10), else `LinalgDegeneracyError`. Eigenvalue-only code should use
 * {@link eigvalsh}, whose first derivative needs no gap.
 */
export function eigh(a: ComplexLike, opts: { gapTol?: number } = {}): ComplexEigh {
  const c = hermitian(a, "eigh.z");
  const gapTol = opts.gapTol ?? EIGH_GAP_TOL;
  if (!(gapTol >= 0)) throw new AutodiffInputError("eigh.gapTol", "a number >= 0", gapTol);
  const out = bind(P_CEIGH, [c.re, c.im], { gapTol });
  const n = c.shape[c.ndim - 1];
  return {
    values: reshape(rowsOf(out, 0, 0, 1), [...c.shape.slice(0, -2), n]),
    vectors: new ComplexTensor(rowsOf(out, 0, 1, n + 1), rowsOf(out, 1, 1, n + 1)),
  };
}

const P_CEIGVALSH: Primitive<null> = definePrimitive({
  name: "complexEigvalsh",
  impl([re, im]) {
    const out = eighImpl(re, im, "eigvalsh.z");
    const n = re.shape[re.ndim - 1];
    return reshape(rowsOf(out, 0, 0, 1), [...re.shape.slice(0, -2), n]);
  },
  // dλ_k = Re (Vᴴ dH V)_kk = Σ_j Re(conj(V_jk)·(dH V)_jk); adjoint: (Re, Im) of V·diag(λ̄)·Vᴴ
  jvp([re, im], [tr, ti], _out, _p, _nb) {
    const V = eigh(new ComplexTensor(re, im)).vectors;
    const T = new ComplexTensor(tr ?? mul(ti!, 0), ti ?? mul(tr!, 0));
    const TV = matmul(T, V);
    return sum(add(mul(V.re, TV.re), mul(V.im, TV.im)), -2);
  },
  vjp(g, [re, im]) {
    const V = eigh(new ComplexTensor(re, im)).vectors;
    const Q = matmul(new ComplexTensor(mul(V.re, expandDims(g, -2)), mul(V.im, expandDims(g, -2))), mH(V));
    return [Q.re, Q.im];
  },
  batch: (xs, bds, p, size) => leadingBatch(P_CEIGVALSH, xs, bds, p, size),
});

/**
 * Eigenvalues (ascending, real, […, n]) of a batch of complex Hermitian matrices. The first
 * derivative dλ = Re diag(Vᴴ dH V) needs no gap (at a degeneracy it is that of symmetric
 * functions of the degenerate eigenvalues); higher orders differentiate V and need distinct
 * eigenvalues.
 */
export function eigvalsh(a: ComplexLike): Tensor {
  const c = hermitian(a, "eigvalsh.z");
  return bind(P_CEIGVALSH, [c.re, c.im], null);
}

/** The Hermitian part (A + Aᴴ)/2 of a batch of square complex matrices (checked). */
export function hermitian(a: ComplexLike, field: string): ComplexTensor {
  const [c] = checkSquare(a, field);
  const h = mH(c);
  return new ComplexTensor(mul(add(c.re, h.re), 0.5), mul(add(c.im, h.im), 0.5));
}
