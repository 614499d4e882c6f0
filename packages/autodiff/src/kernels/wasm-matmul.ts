// A WebAssembly SIMD (f64x2) matrix-product kernel, encoded byte by byte here so the package
// needs no toolchain. Inner tile: 4 rows × 4 columns of C in eight f64x2 accumulators; every k
// step loads two vectors of a B row and splats one A entry per row. Operands are copied into the
// module's memory with M and N padded to multiples of 4 (padding rows/columns of C are dropped).
// If the engine lacks WebAssembly SIMD the caller falls back to the JavaScript kernel.

import {
  BLOCK,
  br,
  brIf,
  ELSE,
  END,
  ensureBytes,
  F64X2_ADD,
  F64X2_MUL,
  get,
  I32_ADD,
  I32_GE_S,
  I32_MUL,
  IF,
  i32c,
  instantiate,
  LOOP,
  set,
  T_I32,
  T_V128,
  uleb,
  V_LOAD,
  V_LOAD64_SPLAT,
  V_STORE,
  V_ZERO,
  vec,
  type WasmMemory,
  moduleBytes as wasmModule,
} from "@physml/wasm-encode";
import type { Data } from "./elementwise.js";

// params a b c M K N aRow aK acc (byte strides of A between rows i and between k, so a transposed
// A is read in place; acc ≠ 0 adds to C instead of overwriting it, for blocking over K);
// locals i32 i j k pa0..pa3 pb K8 N8 pc; v128 acc0..7 bv0 bv1 av
const [A, B, C, M, K, N, AROW, AK, ACC] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const [I, J, KK, PA0, PB, K8, N8, PC] = [9, 10, 11, 12, 16, 17, 18, 19];
const ACC0 = 20;
const BV0 = 28;
const BV1 = 29;
const AV = 30;

function body(): number[] {
  const c: number[] = [];
  const e = (...xs: (number | number[])[]) => {
    for (const x of xs) typeof x === "number" ? c.push(x) : c.push(...x);
  };
  const addTo = (local: number, v: number[] | number) =>
    e(get(local), typeof v === "number" ? i32c(v) : v, I32_ADD, set(local));
  e(get(K), i32c(8), I32_MUL, set(K8), get(N), i32c(8), I32_MUL, set(N8));
  e(i32c(0), set(J), BLOCK, LOOP, get(J), get(N), I32_GE_S, brIf(1));
  e(i32c(0), set(I), BLOCK, LOOP, get(I), get(M), I32_GE_S, brIf(1));
  // pa_r = a + (i + r)·aRow;  pb = b + j·8
  e(get(A), get(I), get(AROW), I32_MUL, I32_ADD, set(PA0));
  for (let r = 1; r < 4; r++) e(get(PA0 + r - 1), get(AROW), I32_ADD, set(PA0 + r));
  e(get(B), get(J), i32c(8), I32_MUL, I32_ADD, set(PB));
  // pc = c + (i·N + j)·8; the accumulators start from the C tile (acc) or from zero
  e(get(C), get(I), get(N), I32_MUL, get(J), I32_ADD, i32c(8), I32_MUL, I32_ADD, set(PC));
  e(get(ACC), IF);
  for (let r = 0; r < 4; r++) {
    e(get(PC), i32c(r), get(N8), I32_MUL, I32_ADD, V_LOAD(0), set(ACC0 + 2 * r));
    e(get(PC), i32c(r), get(N8), I32_MUL, I32_ADD, V_LOAD(16), set(ACC0 + 2 * r + 1));
  }
  e(ELSE);
  for (let q = 0; q < 8; q++) e(V_ZERO, set(ACC0 + q));
  e(END);
  e(i32c(0), set(KK), BLOCK, LOOP, get(KK), get(K), I32_GE_S, brIf(1));
  e(get(PB), V_LOAD(0), set(BV0), get(PB), V_LOAD(16), set(BV1));
  for (let r = 0; r < 4; r++) {
    e(get(PA0 + r), V_LOAD64_SPLAT, set(AV));
    e(get(ACC0 + 2 * r), get(AV), get(BV0), F64X2_MUL, F64X2_ADD, set(ACC0 + 2 * r));
    e(get(ACC0 + 2 * r + 1), get(AV), get(BV1), F64X2_MUL, F64X2_ADD, set(ACC0 + 2 * r + 1));
    addTo(PA0 + r, get(AK));
  }
  addTo(PB, get(N8));
  addTo(KK, 1);
  e(br(0));
  e(END, END);
  // one row of the tile per N8 step
  for (let r = 0; r < 4; r++) {
    e(get(PC), get(ACC0 + 2 * r), V_STORE(0), get(PC), get(ACC0 + 2 * r + 1), V_STORE(16));
    if (r < 3) addTo(PC, get(N8));
  }
  addTo(I, 4);
  e(br(0));
  e(END, END);
  addTo(J, 4);
  e(br(0));
  e(END, END, END);
  const locals = vec([
    [...uleb(11), T_I32],
    [...uleb(11), T_V128],
  ]);
  const fn = [...locals, ...c];
  return [...uleb(fn.length), ...fn];
}

type MmFn = (
  a: number,
  b: number,
  c: number,
  M: number,
  K: number,
  N: number,
  aRow: number,
  aK: number,
  acc: number,
) => void;
interface Wasm {
  mem: WasmMemory;
  mm: MmFn;
}

let wasm: Wasm | null | undefined;

function instance(): Wasm | null {
  if (wasm === undefined) {
    const inst = instantiate<MmFn>(wasmModule(9, "mm", body()), "mm");
    wasm = inst && { mem: inst.mem, mm: inst.fn };
  }
  return wasm;
}

/** True when the SIMD kernel is available in this engine. */
export function wasmMatmulAvailable(): boolean {
  return instance() !== null;
}

// Blocking: B is copied in once (padded to N multiple of 4); C is computed in row blocks of MC
// rows, and each block's rows of op(A) are copied in just before and its rows of C copied out just
// after, so the copies run between cache and the arrays, not through main memory twice, and the
// module's memory stays small. Each block is accumulated over K blocks of KC (the kernel reads A
// through its strides) so the operands it sweeps sit in L1/L2. (Splitting the row blocks over
// worker threads was measured and gave nothing on the 2-core machine: V8's concurrent GC and
// compiler threads already keep the second core busy in these workloads.)
const KC = 256; // K block when K > KC_SPLIT
const KC_SPLIT = 512;
const A_BLOCK_DOUBLES = 16384; // 128 KB of A per block

/**
 * C[M,N] = op(A)·op(B) (row-major blocks at the given offsets; op(A) = Aᵀ with A stored [K,M]
 * when `transA`, likewise B stored [N,K] when `transB`) with the SIMD kernel. Returns false,
 * doing nothing, if WebAssembly SIMD is unavailable or the operands do not fit its memory.
 */
export function wasmMatmul(
  a: Data,
  ao: number,
  b: Data,
  bo: number,
  c: Data,
  co: number,
  M: number,
  Kd: number,
  Nd: number,
  transA = false,
  transB = false,
): boolean {
  const w = instance();
  if (w === null) return false;
  const Mp = (M + 3) & ~3;
  const Np = (Nd + 3) & ~3;
  const kc = Kd > KC_SPLIT ? KC : Kd;
  const mc = Math.max(4, Math.min(Mp, Math.floor(A_BLOCK_DOUBLES / kc) & ~3));
  // With a single row block (e.g. a weight gradient XᵀG with a long K) B and a transposed A are
  // copied one K block at a time, so nothing is ever staged beyond the cache.
  const slabs = Mp <= mc;
  const bRows = slabs ? kc : Kd;
  // layout (doubles): B [bRows, Np] | A block [mc, Kd] or [Kd, mc] (+ 4) | C block [mc, Np]
  const aOff = bRows * Np;
  const cOff = aOff + mc * Kd + 4;
  const need = (cOff + mc * Np) * 8;
  if (need >= 2 ** 31) return false;
  ensureBytes(w.mem, need);
  const f = new Float64Array(w.mem.buffer);
  /** Rows [k0, k0 + len) of op(B) into the B region from row `at`. */
  const copyB = (k0: number, len: number, at: number) => {
    if (transB) {
      for (let j = 0; j < Nd; j++)
        for (let k = 0, p = bo + j * Kd + k0; k < len; k++) f[(at + k) * Np + j] = b[p + k];
    } else if (Np === Nd) f.set(b.subarray(bo + k0 * Nd, bo + (k0 + len) * Nd), at * Np);
    else
      for (let k = 0; k < len; k++)
        f.set(b.subarray(bo + (k0 + k) * Nd, bo + (k0 + k + 1) * Nd), (at + k) * Np);
  };
  if (!slabs) copyB(0, Kd, 0);
  for (let i0 = 0; i0 < Mp; i0 += mc) {
    const mPad = Math.min(mc, Mp - i0);
    const rows = Math.min(mPad, M - i0);
    // byte strides of the block between rows i and between k; a transposed A is gathered as
    // [Kd][mPad]. Padding rows (≤ 3) hold stale values: they only feed C's padding rows, which
    // are dropped.
    const aRow = transA ? 8 : Kd * 8;
    const aK = transA ? mPad * 8 : 8;
    if (!transA) f.set(a.subarray(ao + i0 * Kd, ao + (i0 + rows) * Kd), aOff);
    for (let k0 = 0; k0 < Kd; k0 += kc) {
      const kLen = Math.min(kc, Kd - k0);
      if (transA) {
        for (let k = k0; k < k0 + kLen; k++)
          f.set(a.subarray(ao + k * M + i0, ao + k * M + i0 + rows), aOff + k * mPad);
      }
      if (slabs) copyB(k0, kLen, 0);
      const bAt = slabs ? 0 : k0 * Np * 8;
      w.mm((aOff + k0 * (aK / 8)) * 8, bAt, cOff * 8, mPad, kLen, Np, aRow, aK, k0 > 0 ? 1 : 0);
    }
    if (Np === Nd) c.set(f.subarray(cOff, cOff + rows * Nd), co + i0 * Nd);
    else
      for (let i = 0; i < rows; i++) c.set(f.subarray(cOff + i * Np, cOff + i * Np + Nd), co + (i0 + i) * Nd);
  }
  return true;
}
