// Small dense linear algebra on one n×n row-major block (n ≤ 16): LU with partial pivoting,
// inverse, solve, log|det| with sign, Cholesky. Batched callers loop over blocks.
//
// The LU works in module-level scratch arrays, not in arrays passed as parameters or allocated per
// block: V8 treats typed arrays held in module constants as constants, while for a parameter it
// reloads the array's fields after every element store (and a fresh array per block is garbage),
// which made a batched 10×10 inverse ~3× slower. The arithmetic and its order are unchanged.
import type { Data } from "./types.js";

const MAX_N = 16;
const LU = new Float64Array(MAX_N * MAX_N);
const PIV = new Int32Array(MAX_N);
const Y = new Float64Array(MAX_N);

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

/** [sign, log|det|] of the n×n block of `a` at offset `off`. */
export function slogdetBlock(a: Data, off: number, n: number): [number, number] {
  let sign = luBlock(a, off, n);
  if (sign === 0) return [0, Number.NEGATIVE_INFINITY];
  let ld = 0;
  for (let i = 0; i < n; i++) {
    const d = LU[i * n + i];
    if (d < 0) sign = -sign;
    ld += Math.log(Math.abs(d));
  }
  return [sign, ld];
}

/** X = A⁻¹·B for the n×n block of `a` and the n×m block of `b`; writes into `o`. Returns false if singular. */
export function solveBlock(
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
