// The package's complex arithmetic on plain Float64Arrays. Two layouts are used: interleaved
// (re, im, re, im, …) for small per-point objects (coordinates, 3×3 and 4×4 metrics), and split
// (a real and an imaginary array) for the N×N Hermitian matrices of Donaldson's algorithm, whose
// products go through the real matrix-product kernels.

/** A complex number. */
export interface Complex {
  re: number;
  im: number;
}

/** An n×n complex matrix in split storage (row-major real and imaginary parts). */
export interface SplitMatrix {
  n: number;
  re: Float64Array;
  im: Float64Array;
}

/** The n×n identity in split storage. */
export function identity(n: number): SplitMatrix {
  const re = new Float64Array(n * n);
  for (let i = 0; i < n; i++) re[i * n + i] = 1;
  return { n, re, im: new Float64Array(n * n) };
}

/** The product A·B of two n×n matrices in split storage. */
export function multiply(a: SplitMatrix, b: SplitMatrix): SplitMatrix {
  const n = a.n;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const ar = a.re[i * n + k];
      const ai = a.im[i * n + k];
      for (let j = 0; j < n; j++) {
        re[i * n + j] += ar * b.re[k * n + j] - ai * b.im[k * n + j];
        im[i * n + j] += ar * b.im[k * n + j] + ai * b.re[k * n + j];
      }
    }
  }
  return { n, re, im };
}

/** |z|² of the interleaved complex number at index i of `a`. */
export function abs2At(a: Float64Array, i: number): number {
  return a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
}

/**
 * det of a 3×3 Hermitian matrix stored interleaved (9 complex entries, row-major) from `off`
 * (in doubles). The result is real for a Hermitian matrix; the imaginary rounding is dropped.
 */
export function hermitianDet3(g: Float64Array, off = 0): number {
  const r = (i: number, j: number) => g[off + 2 * (3 * i + j)];
  const m = (i: number, j: number) => g[off + 2 * (3 * i + j) + 1];
  // cofactor expansion along the first row: Σ_j g_0j C_0j with complex minors
  const minorRe = (a: number, b: number, c: number, d: number) =>
    r(1, a) * r(2, b) - m(1, a) * m(2, b) - (r(1, c) * r(2, d) - m(1, c) * m(2, d));
  const minorIm = (a: number, b: number, c: number, d: number) =>
    r(1, a) * m(2, b) + m(1, a) * r(2, b) - (r(1, c) * m(2, d) + m(1, c) * r(2, d));
  const c0r = minorRe(1, 2, 2, 1);
  const c0i = minorIm(1, 2, 2, 1);
  const c1r = -minorRe(0, 2, 2, 0);
  const c1i = -minorIm(0, 2, 2, 0);
  const c2r = minorRe(0, 1, 1, 0);
  const c2i = minorIm(0, 1, 1, 0);
  return r(0, 0) * c0r - m(0, 0) * c0i + (r(0, 1) * c1r - m(0, 1) * c1i) + (r(0, 2) * c2r - m(0, 2) * c2i);
}

/**
 * out = P g P† for P (rows × cols, interleaved) and g (cols × cols Hermitian, interleaved):
 * the pull-back of a Hermitian form. `out` is rows × rows interleaved.
 */
export function sandwich(
  P: Float64Array,
  g: Float64Array,
  rows: number,
  cols: number,
  out: Float64Array,
  tmp: Float64Array,
): void {
  // tmp = P g (rows × cols)
  for (let a = 0; a < rows; a++) {
    for (let l = 0; l < cols; l++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < cols; j++) {
        const pr = P[2 * (a * cols + j)];
        const pi = P[2 * (a * cols + j) + 1];
        const gr = g[2 * (j * cols + l)];
        const gi = g[2 * (j * cols + l) + 1];
        sr += pr * gr - pi * gi;
        si += pr * gi + pi * gr;
      }
      tmp[2 * (a * cols + l)] = sr;
      tmp[2 * (a * cols + l) + 1] = si;
    }
  }
  // out = tmp P† : out_ab = Σ_l tmp_al conj(P_bl)
  for (let a = 0; a < rows; a++) {
    for (let b = 0; b < rows; b++) {
      let sr = 0;
      let si = 0;
      for (let l = 0; l < cols; l++) {
        const tr = tmp[2 * (a * cols + l)];
        const ti = tmp[2 * (a * cols + l) + 1];
        const pr = P[2 * (b * cols + l)];
        const pi = -P[2 * (b * cols + l) + 1];
        sr += tr * pr - ti * pi;
        si += tr * pi + ti * pr;
      }
      out[2 * (a * rows + b)] = sr;
      out[2 * (a * rows + b) + 1] = si;
    }
  }
}

/**
 * Inverse of a Hermitian positive-definite matrix, through the real symmetric embedding
 * [[Re, −Im], [Im, Re]] (2n × 2n) and its Cholesky factorisation. Throws if the matrix is not
 * numerically positive definite.
 */
export function hermitianInverse(a: SplitMatrix): SplitMatrix {
  const n = a.n;
  const m = 2 * n;
  const L = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const re = 0.5 * (a.re[i * n + j] + a.re[j * n + i]);
      const im = 0.5 * (a.im[i * n + j] - a.im[j * n + i]);
      L[i * m + j] = re;
      L[(i + n) * m + (j + n)] = re;
      L[(i + n) * m + j] = im;
      L[i * m + (j + n)] = -im;
    }
  }
  // in-place Cholesky: lower triangle of L becomes the factor
  for (let j = 0; j < m; j++) {
    let d = L[j * m + j];
    for (let k = 0; k < j; k++) d -= L[j * m + k] * L[j * m + k];
    if (!(d > 0)) throw new RangeError("hermitianInverse: matrix is not positive definite");
    const s = Math.sqrt(d);
    L[j * m + j] = s;
    for (let i = j + 1; i < m; i++) {
      let v = L[i * m + j];
      for (let k = 0; k < j; k++) v -= L[i * m + k] * L[j * m + k];
      L[i * m + j] = v / s;
    }
  }
  // inverse of the lower factor, W = L⁻¹ (lower), then A⁻¹ = Wᵀ W
  const W = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    W[j * m + j] = 1 / L[j * m + j];
    for (let i = j + 1; i < m; i++) {
      let v = 0;
      for (let k = j; k < i; k++) v -= L[i * m + k] * W[k * m + j];
      W[i * m + j] = v / L[i * m + i];
    }
  }
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0;
      let si = 0;
      const k0 = Math.max(i, j);
      for (let k = k0; k < m; k++) sr += W[k * m + i] * W[k * m + j];
      const k1 = Math.max(i + n, j);
      for (let k = k1; k < m; k++) si += W[k * m + (i + n)] * W[k * m + j];
      re[i * n + j] = sr;
      im[i * n + j] = si;
    }
  }
  return { n, re, im };
}
