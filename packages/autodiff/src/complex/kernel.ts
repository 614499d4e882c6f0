// Complex LU with partial pivoting on one n×n block stored as separate real and imaginary arrays:
// log|det| and the phase of det, and the inverse. The kernels work in scratch arrays that are
// constants of their closure: V8 reloads a typed-array parameter's fields after every element
// store, not a constant's (kernels/linalg.ts measured ~3× on a batched 10×10 inverse). One set
// serves every n ≤ 32; a larger n gets a set of its size, kept while that size is the largest seen.
import type { Data } from "../kernels/types.js";

/** The kernels over scratch arrays for blocks up to cap×cap. */
function kernelsFor(cap: number) {
  const LR = new Float64Array(cap * cap);
  const LI = new Float64Array(cap * cap);
  const PIV = new Int32Array(cap);
  const YR = new Float64Array(cap);
  const YI = new Float64Array(cap);

  /** LU of the block (re at `re[off…]`, im at `im[off…]`) into LR/LI/PIV; the permutation's sign, or 0 if singular. */
  function luBlock(re: Data, im: Data, off: number, n: number): number {
    for (let i = 0; i < n * n; i++) {
      LR[i] = re[off + i];
      LI[i] = im[off + i];
    }
    for (let i = 0; i < n; i++) PIV[i] = i;
    let sign = 1;
    for (let k = 0; k < n; k++) {
      let p = k;
      let best = LR[k * n + k] ** 2 + LI[k * n + k] ** 2;
      for (let i = k + 1; i < n; i++) {
        const v = LR[i * n + k] ** 2 + LI[i * n + k] ** 2;
        if (v > best) {
          best = v;
          p = i;
        }
      }
      if (best === 0) return 0;
      if (p !== k) {
        for (let j = 0; j < n; j++) {
          const a = k * n + j;
          const b = p * n + j;
          const tr = LR[a];
          LR[a] = LR[b];
          LR[b] = tr;
          const ti = LI[a];
          LI[a] = LI[b];
          LI[b] = ti;
        }
        const t = PIV[k];
        PIV[k] = PIV[p];
        PIV[p] = t;
        sign = -sign;
      }
      // 1/d = d̄/|d|²
      const dr = LR[k * n + k] / best;
      const di = -LI[k * n + k] / best;
      for (let i = k + 1; i < n; i++) {
        const a = i * n + k;
        const fr = LR[a] * dr - LI[a] * di;
        const fi = LR[a] * di + LI[a] * dr;
        LR[a] = fr;
        LI[a] = fi;
        if (fr === 0 && fi === 0) continue;
        for (let j = k + 1; j < n; j++) {
          const u = k * n + j;
          const ur = LR[u];
          const ui = LI[u];
          LR[i * n + j] -= fr * ur - fi * ui;
          LI[i * n + j] -= fr * ui + fi * ur;
        }
      }
    }
    return sign;
  }

  /** [log|det A|, arg det A ∈ (−π, π]] of one block; [−∞, 0] for a singular matrix. */
  function cslogdetBlock(re: Data, im: Data, off: number, n: number): [number, number] {
    const sign = luBlock(re, im, off, n);
    if (sign === 0) return [Number.NEGATIVE_INFINITY, 0];
    let ld = 0;
    let ur = sign;
    let ui = 0;
    for (let k = 0; k < n; k++) {
      const a = LR[k * n + k];
      const b = LI[k * n + k];
      const m = Math.hypot(a, b);
      ld += Math.log(m);
      // multiply the unit phasor by d/|d|
      const cr = a / m;
      const ci = b / m;
      const t = ur * cr - ui * ci;
      ui = ur * ci + ui * cr;
      ur = t;
    }
    return [ld, Math.atan2(ui, ur)];
  }

  /** Writes A⁻¹ of one block to (oRe, oIm) at `oOff`; false if A is singular. */
  function cinverseBlock(
    re: Data,
    im: Data,
    off: number,
    n: number,
    oRe: Data,
    oIm: Data,
    oOff: number,
  ): boolean {
    if (luBlock(re, im, off, n) === 0) return false;
    for (let c = 0; c < n; c++) {
      // forward: L y = P e_c (unit lower triangle)
      for (let i = 0; i < n; i++) {
        let sr = PIV[i] === c ? 1 : 0;
        let si = 0;
        for (let j = 0; j < i; j++) {
          const lr = LR[i * n + j];
          const li = LI[i * n + j];
          sr -= lr * YR[j] - li * YI[j];
          si -= lr * YI[j] + li * YR[j];
        }
        YR[i] = sr;
        YI[i] = si;
      }
      // backward: U x = y
      for (let i = n - 1; i >= 0; i--) {
        let sr = YR[i];
        let si = YI[i];
        for (let j = i + 1; j < n; j++) {
          const ur = LR[i * n + j];
          const ui = LI[i * n + j];
          sr -= ur * YR[j] - ui * YI[j];
          si -= ur * YI[j] + ui * YR[j];
        }
        const dr = LR[i * n + i];
        const di = LI[i * n + i];
        const d2 = dr * dr + di * di;
        YR[i] = (sr * dr + si * di) / d2;
        YI[i] = (si * dr - sr * di) / d2;
        oRe[oOff + i * n + c] = YR[i];
        oIm[oOff + i * n + c] = YI[i];
      }
    }
    return true;
  }
  return { cslogdetBlock, cinverseBlock };
}

const SMALL = 32;
const small = kernelsFor(SMALL);
let large: { cap: number; k: ReturnType<typeof kernelsFor> } | null = null;

/**
 * The complex LU kernels for n×n blocks: `cslogdetBlock(re, im, off, n)` → [log|det A|, arg det A ∈
 * (−π, π]] ([−∞, 0] for a singular matrix), and `cinverseBlock(re, im, off, n, oRe, oIm, oOff)`,
 * which writes A⁻¹ and returns false for a singular A.
 */
export function complexLu(n: number): ReturnType<typeof kernelsFor> {
  if (n <= SMALL) return small;
  if (large === null || large.cap < n) large = { cap: n, k: kernelsFor(n) };
  return large.k;
}
