// Cholesky factor H = L·Lᴴ of a batch of complex Hermitian positive-definite matrices: L lower
// triangular with a real positive diagonal. Forward rule (Murray 2016, complex form):
//   dL = L·Φ(L⁻¹·dH·L⁻ᴴ),  Φ(X) = strictly lower part of X + ½·diag X,
// (X is Hermitian, so its diagonal is real and dL keeps a real diagonal). The reverse rule is the
// transpose of that real-linear map, by reverse mode over the forward rule.
import { bind, type Primitive } from "../core/bind.js";
import { alloc, zerosLike } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { leadingBatch } from "../ops/batching.js";
import { mul } from "../ops/elementwise.js";
import { reshape, slice, stack } from "../ops/shape.js";
import { vjp } from "../transforms/reverse.js";
import { hermitian } from "./eigh.js";
import { inverse } from "./linalg.js";
import { matmul } from "./ops.js";
import { mH } from "./shape.js";
import { type ComplexLike, ComplexTensor } from "./tensor.js";

function cholImpl(re: Tensor, im: Tensor): Tensor {
  const n = re.shape[re.ndim - 1];
  const nb = re.size / (n * n);
  const o = alloc("float64", 2 * re.size);
  const r = re._data!;
  const q = im._data!;
  const off = re.size;
  for (let b = 0; b < nb; b++) {
    const a0 = b * n * n;
    for (let j = 0; j < n; j++) {
      let d = r[a0 + j * n + j];
      for (let k = 0; k < j; k++) d -= o[a0 + j * n + k] ** 2 + o[off + a0 + j * n + k] ** 2;
      if (!(d > 0))
        throw new AutodiffInputError(
          "cholesky.z",
          "Hermitian positive-definite matrices",
          "a non-positive pivot",
          `batch entry ${b}, column ${j}`,
        );
      const ljj = Math.sqrt(d);
      o[a0 + j * n + j] = ljj;
      for (let i = j + 1; i < n; i++) {
        // (H_ij − Σ_k L_ik·conj(L_jk)) / L_jj
        let sr = r[a0 + i * n + j];
        let si = q[a0 + i * n + j];
        for (let k = 0; k < j; k++) {
          const xr = o[a0 + i * n + k];
          const xi = o[off + a0 + i * n + k];
          const yr = o[a0 + j * n + k];
          const yi = o[off + a0 + j * n + k];
          sr -= xr * yr + xi * yi;
          si -= xi * yr - xr * yi;
        }
        o[a0 + i * n + j] = sr / ljj;
        o[off + a0 + i * n + j] = si / ljj;
      }
    }
  }
  return Tensor._of(o, [2, ...re.shape]);
}

function part(out: Tensor, k: number): Tensor {
  const starts = out.shape.map(() => 0);
  const ends = [...out.shape];
  starts[0] = k;
  ends[0] = k + 1;
  return reshape(slice(out, starts, ends), out.shape.slice(1));
}

/** Φ's weights: 1 below the diagonal, ½ on it, 0 above. */
function phiMask(n: number): Tensor {
  return Tensor._of(
    Float64Array.from({ length: n * n }, (_, i) => {
      const r = Math.floor(i / n);
      const c = i % n;
      return r > c ? 1 : r === c ? 0.5 : 0;
    }),
    [n, n],
  );
}

function cholJvp(out: Tensor, tr: Tensor | null, ti: Tensor | null, nb: number): Tensor {
  const L = new ComplexTensor(part(out, 0), part(out, 1));
  const n = L.shape[L.ndim - 1];
  const T = new ComplexTensor(tr ?? mul(ti!, 0), ti ?? mul(tr!, 0));
  const Li = inverse(L);
  const X = matmul(matmul(Li, T), mH(Li));
  const m = phiMask(n);
  const d = matmul(L, new ComplexTensor(mul(X.re, m), mul(X.im, m)));
  return stack([d.re, d.im], nb);
}

const P_CCHOL: Primitive<null> = definePrimitive({
  name: "complexCholesky",
  impl: ([re, im]) => cholImpl(re, im),
  jvp: (_x, [tr, ti], out, _p, nb) => cholJvp(out, tr, ti, nb),
  // the transpose of the forward rule (linear in the tangent), by reverse mode over it
  vjp(g, [re, im], out) {
    const [, pull] = vjp((a: Tensor, b: Tensor) => cholJvp(out, a, b, 0), zerosLike(re), zerosLike(im));
    return pull(g) as Tensor[];
  },
  // the output is [2, ...batch, n, n]: the mapped axis is 1
  batch: (xs, bds, p, size) => [leadingBatch(P_CCHOL, xs, bds, p, size)[0], 1],
});

/**
 * Lower Cholesky factor L (real positive diagonal) of a batch of complex Hermitian
 * positive-definite matrices […, n, n]: H = L·Lᴴ. The input is replaced by its
 * Hermitian part, so derivatives are those of a Hermitian matrix; any order, both modes. A
 * non-positive pivot is an error naming the batch entry.
 */
export function cholesky(a: ComplexLike): ComplexTensor {
  const h = hermitian(a, "cholesky.z");
  const out = bind(P_CCHOL, [h.re, h.im], null);
  return new ComplexTensor(part(out, 0), part(out, 1));
}
