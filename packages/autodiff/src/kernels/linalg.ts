// Dense linear algebra on n×n row-major blocks, any n: LU with partial pivoting, solve and
// Cholesky of one block; log|det| with sign and the inverse of a whole batch (straight-line code
// per n up to UNROLL_MAX_N, linalg-unrolled.ts; the loops below for larger n).
//
// The LU works in scratch arrays that are constants of the kernels' closure, not arrays passed as
// parameters or allocated per block: V8 treats typed arrays held in constants as constants, while
// for a parameter it reloads the array's fields after every element store (and a fresh array per
// block is garbage), which made a batched 10×10 inverse ~3× slower. One set serves every n ≤ 16;
// a larger n gets a set of its size, kept while that size is the largest seen.
import { inverseUnrolled, slogdetUnrolled, UNROLL_MAX_N } from "./linalg-unrolled.js";
import type { Data } from "./types.js";

/** The LU kernels over scratch arrays for blocks up to cap×cap. */
function kernelsFor(cap: number) {
  const LU = new Float64Array(cap * cap);
  const PIV = new Int32Array(cap);
  const Y = new Float64Array(cap);
  const X = new Float64Array(cap * cap);

  /** LU of the n×n block of `a` at `off` into LU/PIV; returns the sign of the permutation or 0 if singular. */
  function luBlock(a: Data, off: number, n: number): number {
    const lu = LU;
    for (let i = 0; i < n * n; i++) lu[i] = a[off + i];
    let sign = 1;
    for (let i = 0; i < n; i++) PIV[i] = i;
    for (let k = 0; k < n; k++) {
      let p = k;
      let best = Math.abs(lu[k * n + k]);
      for (let i = k + 1; i < n; i++) {
        const v = Math.abs(lu[i * n + k]);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      if (best === 0) return 0;
      if (p !== k) {
        for (let j = 0; j < n; j++) {
          const t = lu[k * n + j];
          lu[k * n + j] = lu[p * n + j];
          lu[p * n + j] = t;
        }
        const t = PIV[k];
        PIV[k] = PIV[p];
        PIV[p] = t;
        sign = -sign;
      }
      const d = lu[k * n + k];
      for (let i = k + 1; i < n; i++) {
        const f = (lu[i * n + k] /= d);
        if (f !== 0) for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
      }
    }
    return sign;
  }

  /**
   * log|det| of the nb n×n blocks of `a` into `ld` (−∞ for a singular block) and, if `sign` is
   * given, the sign of det into it (+1, −1, or 0 for a singular block).
   */
  function slogdetBatch(a: Data, n: number, nb: number, ld: Data, sign: Data | null): void {
    for (let b = 0; b < nb; b++) {
      let s = luBlock(a, b * n * n, n);
      let l = Number.NEGATIVE_INFINITY;
      if (s !== 0) {
        l = 0;
        for (let i = 0; i < n; i++) {
          const d = LU[i * n + i];
          if (d < 0) s = -s;
          l += Math.log(Math.abs(d));
        }
      }
      ld[b] = l;
      if (sign !== null) sign[b] = s;
    }
  }

  /**
   * A⁻¹ of each of the nb n×n blocks of `a` into `o`; returns the index of the first singular
   * block (the rest of `o` is then unspecified), or −1. The same bits as solveBlock against the
   * identity, in fewer operations: see inverseSource in linalg-unrolled.ts, which this loop mirrors.
   */
  function inverseBatch(a: Data, n: number, nb: number, o: Data): number {
    const lu = LU;
    const x = X;
    for (let b = 0; b < nb; b++) {
      const off = b * n * n;
      if (luBlock(a, off, n) === 0) return b;
      for (let i = 1; i < n; i++) {
        for (let j = 0; j < i; j++) {
          let s = 0 - lu[i * n + j];
          for (let k = j + 1; k < i; k++) s -= lu[i * n + k] * x[k * n + j];
          x[i * n + j] = s;
        }
      }
      for (let i = n - 1; i >= 0; i--) {
        const d = lu[i * n + i];
        for (let j = 0; j < n; j++) {
          let s = j < i ? x[i * n + j] : j === i ? 1 : 0;
          for (let k = i + 1; k < n; k++) s -= lu[i * n + k] * x[k * n + j];
          x[i * n + j] = s / d;
        }
      }
      for (let j = 0; j < n; j++) {
        const c = off + PIV[j];
        for (let i = 0; i < n; i++) o[c + i * n] = x[i * n + j];
      }
    }
    return -1;
  }

  /** X = A⁻¹·B for the n×n block of `a` and the n×m block of `b`; writes into `o`. Returns false if singular. */
  function solveBlock(
    a: Data,
    ao: number,
    b: Data,
    bo: number,
    m: number,
    o: Data,
    oo: number,
    n: number,
  ): boolean {
    if (luBlock(a, ao, n) === 0) return false;
    const lu = LU;
    const y = Y;
    for (let c = 0; c < m; c++) {
      for (let i = 0; i < n; i++) {
        let s = b[bo + PIV[i] * m + c];
        for (let k = 0; k < i; k++) s -= lu[i * n + k] * y[k];
        y[i] = s;
      }
      for (let i = n - 1; i >= 0; i--) {
        let s = y[i];
        for (let k = i + 1; k < n; k++) s -= lu[i * n + k] * y[k];
        y[i] = s / lu[i * n + i];
      }
      for (let i = 0; i < n; i++) o[oo + i * m + c] = y[i];
    }
    return true;
  }

  return { slogdetBatch, inverseBatch, solveBlock };
}

const SMALL = 16;
const small = kernelsFor(SMALL);
let large: { cap: number; k: ReturnType<typeof kernelsFor> } | null = null;

function kernels(n: number): ReturnType<typeof kernelsFor> {
  if (n <= SMALL) return small;
  if (large === null || large.cap < n) large = { cap: n, k: kernelsFor(n) };
  return large.k;
}

/**
 * log|det| of the nb n×n blocks of `a` into `ld` (−∞ for a singular block) and, if `sign` is
 * given, the sign of det into it (+1, −1, or 0 for a singular block).
 */
export function slogdetBatch(a: Data, n: number, nb: number, ld: Data, sign: Data | null): void {
  if (n <= UNROLL_MAX_N) slogdetUnrolled(n)(a, nb, ld, sign);
  else kernels(n).slogdetBatch(a, n, nb, ld, sign);
}

/**
 * A⁻¹ of each of the nb n×n blocks of `a` into `o`; returns the index of the first singular
 * block (the rest of `o` is then unspecified), or −1. The same bits as solving against the
 * identity, in fewer operations: see inverseSource in linalg-unrolled.ts, which the loop mirrors.
 */
export function inverseBatch(a: Data, n: number, nb: number, o: Data): number {
  return n <= UNROLL_MAX_N ? inverseUnrolled(n)(a, nb, o) : kernels(n).inverseBatch(a, n, nb, o);
}

/**
 * X = A⁻¹·B for the n×n block of `a` at `ao` and the n×m block of `b` at `bo`, written to `o` at
 * `oo`; false if A is singular.
 */
export function solveLu(n: number): ReturnType<typeof kernelsFor>["solveBlock"] {
  return kernels(n).solveBlock;
}

/** Lower Cholesky factor of the n×n block; returns false if not positive definite. */
export function choleskyBlock(a: Data, ao: number, o: Data, oo: number, n: number): boolean {
  for (let i = 0; i < n * n; i++) o[oo + i] = 0;
  for (let j = 0; j < n; j++) {
    let s = a[ao + j * n + j];
    for (let k = 0; k < j; k++) s -= o[oo + j * n + k] ** 2;
    if (!(s > 0)) return false;
    const d = Math.sqrt(s);
    o[oo + j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a[ao + i * n + j];
      for (let k = 0; k < j; k++) t -= o[oo + i * n + k] * o[oo + j * n + k];
      o[oo + i * n + j] = t / d;
    }
  }
  return true;
}
