// The WebAssembly SIMD (f64x2) code of the matrix product, encoded byte by byte so the package
// needs no toolchain; the blocking and the copies through the module's memory are in
// wasm-matmul.ts. Six functions share one imported memory — these two, addBias and tanh for a
// dense layer's epilogue, applied to C while it is still in the module (no extra passes), and
// tanhGrad and colSum for its backward pass (wasm-dense-backward.ts):
//   packB — op(B) rearranged into 4-column panels [N/4][K][4], padding columns zero, so the inner
//           loop reads its B vectors at one pointer that steps 32 bytes (with B read in place at a
//           runtime row stride every k step touched a new cache line and needed its own address);
//   mm    — C = A·Bpanels, 4 rows × 4 columns of C per register tile (eight f64x2 accumulators;
//           per k: two B vectors, four splatted A entries, 8 multiplies + 8 adds). Each C entry
//           is a sum over k in order starting from 0 (or from C when accumulating), the same
//           rounding as a plain loop. A 6-row tile (12 accumulators) was measured: V8 spills it.
// Measured on a 1024×64·64×64 product with operands already in memory: 20.4 GFLOP/s, against
// 18.5 for the unpacked kernel this replaces — about the core's 128-bit peak (2 multiplies and
// 2 adds of f64x2 per cycle), so k-unrolling (tried, 2× to 8×) gains nothing.

import {
  BLOCK,
  br,
  brIf,
  type Code,
  ELSE,
  END,
  emitter,
  F64_LOAD,
  F64_STORE,
  F64X2_ADD,
  F64X2_CONST,
  F64X2_MUL,
  F64X2_SUB,
  f64c,
  funcBody,
  funcType,
  get,
  HEADER,
  I32_ADD,
  I32_AND,
  I32_EQ,
  I32_EQZ,
  I32_GE_S,
  I32_LT_S,
  I32_MUL,
  I32_SHR_U,
  I32_SUB,
  IF,
  i32c,
  LOOP,
  section,
  set,
  str,
  T_I32,
  T_V128,
  uleb,
  V_LOAD,
  V_LOAD64_SPLAT,
  V_STORE,
  V_ZERO,
  vec,
  WA,
  type WasmMemory,
} from "@physml/wasm-encode";
import {
  type ConvFwdFn,
  type ConvPadFn,
  type ConvWGFn,
  convFwdBody,
  convPadBody,
  convWGBody,
} from "./wasm-conv-code.js";
import { TANH_TABLE_DOUBLES, type TanhFn, tanhBody, writeTanhTables } from "./wasm-tanh.js";

/** A function body with `nI32` i32 and `nV128` v128 locals after its parameters. */
function body(code: number[], nI32: number, nV128: number): number[] {
  return funcBody(
    [
      [nI32, T_I32],
      [nV128, T_V128],
    ],
    code,
  );
}

// packB(src, dst, K, N, bk, bn): dst[(j>>2)·4K + 4k + (j&3)] = src[k·bk + j·bn] (byte strides bk,
// bn; j < N), and 0 for the padding columns N ≤ j < N rounded up to 4. Rows of B that are
// contiguous (bn = 8) move two columns per v128; other layouts (op(B) = Bᵀ) one value at a time.
function packB(): number[] {
  const [SRC, DST, K, N, BK, BN] = [0, 1, 2, 3, 4, 5];
  const [J, KK, PS, PD, NV, NP] = [6, 7, 8, 9, 10, 11];
  const { c, e } = emitter();
  const loopK = (inner: Code, step: Code) => {
    e(i32c(0), set(KK), BLOCK, LOOP, get(KK), get(K), I32_GE_S, brIf(1), ...inner);
    e(...step, get(PD), i32c(32), I32_ADD, set(PD), get(KK), i32c(1), I32_ADD, set(KK), br(0), END, END);
  };
  // panel start of column j: dst + (j >> 2)·32K + (j & 3)·8
  const panelOf = () => e(get(DST), get(J), i32c(2), I32_SHR_U, get(K), I32_MUL, i32c(32), I32_MUL, I32_ADD);
  e(get(N), i32c(3), I32_ADD, i32c(-4), I32_AND, set(NP));
  // whole panels of a contiguous row: two v128 per k
  e(i32c(0), set(NV), get(BN), i32c(8), I32_EQ, IF, get(N), i32c(-4), I32_AND, set(NV), END);
  e(i32c(0), set(J), BLOCK, LOOP, get(J), get(NV), I32_GE_S, brIf(1));
  e(get(SRC), get(J), i32c(8), I32_MUL, I32_ADD, set(PS));
  panelOf();
  e(set(PD));
  loopK(
    [get(PD), get(PS), V_LOAD(0), V_STORE(0), get(PD), get(PS), V_LOAD(16), V_STORE(16)],
    [get(PS), get(BK), I32_ADD, set(PS)],
  );
  e(get(J), i32c(4), I32_ADD, set(J), br(0), END, END);
  // the remaining columns one by one (zeros past N)
  e(BLOCK, LOOP, get(J), get(NP), I32_GE_S, brIf(1));
  e(get(SRC), get(J), get(BN), I32_MUL, I32_ADD, set(PS));
  panelOf();
  e(get(J), i32c(3), I32_AND, i32c(8), I32_MUL, I32_ADD, set(PD));
  e(get(J), get(N), I32_GE_S, IF);
  loopK([get(PD), f64c(0), F64_STORE], []);
  e(ELSE);
  loopK([get(PD), get(PS), F64_LOAD, F64_STORE], [get(PS), get(BK), I32_ADD, set(PS)]);
  e(END);
  e(get(J), i32c(1), I32_ADD, set(J), br(0), END, END, END);
  return body(c, 6, 0);
}

// mm(a, b, c, M, K, Np, aRow, aK, acc): C[i, j] (+)= Σ_k A[i, k]·Bp[j, k] for i < M (a multiple of
// 4), j < Np; A entry (i, k) at a + i·aRow + k·aK (byte strides, so a transposed A is read in
// place), B in packB's panels, C rows Np·8 bytes apart; acc ≠ 0 adds to C (blocking over K).
function mm(): number[] {
  const [A, B, C, M, K, NP, AROW, AK, ACC] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [I, J, KK, PB, PC, N8] = [9, 10, 11, 12, 13, 14];
  const PA0 = 15; // four row pointers
  const ACC0 = 19; // v128: accumulators (row r: ACC0 + 2r, + 1), then B vectors and the A splat
  const [BV0, BV1, AV] = [ACC0 + 8, ACC0 + 9, ACC0 + 10];
  const { c, e } = emitter();
  const addTo = (local: number, v: Code) => e(get(local), ...v, I32_ADD, set(local));
  e(get(NP), i32c(8), I32_MUL, set(N8));
  e(i32c(0), set(I), BLOCK, LOOP, get(I), get(M), I32_GE_S, brIf(1));
  e(i32c(0), set(J), BLOCK, LOOP, get(J), get(NP), I32_GE_S, brIf(1));
  // pc = c + (i·Np + j)·8; pb = b + j·8K (panel j/4); pa_r = a + (i + r)·aRow
  e(get(C), get(I), get(NP), I32_MUL, get(J), I32_ADD, i32c(8), I32_MUL, I32_ADD, set(PC));
  e(get(B), get(J), get(K), I32_MUL, i32c(8), I32_MUL, I32_ADD, set(PB));
  e(get(A), get(I), get(AROW), I32_MUL, I32_ADD, set(PA0));
  for (let r = 1; r < 4; r++) e(get(PA0 + r - 1), get(AROW), I32_ADD, set(PA0 + r));
  e(get(ACC), IF);
  for (let r = 0; r < 4; r++) {
    e(get(PC), i32c(r), get(N8), I32_MUL, I32_ADD, set(KK));
    e(get(KK), V_LOAD(0), set(ACC0 + 2 * r), get(KK), V_LOAD(16), set(ACC0 + 2 * r + 1));
  }
  e(ELSE);
  for (let q = 0; q < 8; q++) e(V_ZERO, set(ACC0 + q));
  e(END);
  // KK counts the remaining k steps down
  e(get(K), set(KK), BLOCK, LOOP, get(KK), I32_EQZ, brIf(1));
  e(get(PB), V_LOAD(0), set(BV0), get(PB), V_LOAD(16), set(BV1));
  for (let r = 0; r < 4; r++) {
    e(get(PA0 + r), V_LOAD64_SPLAT, set(AV));
    e(get(ACC0 + 2 * r), get(AV), get(BV0), F64X2_MUL, F64X2_ADD, set(ACC0 + 2 * r));
    e(get(ACC0 + 2 * r + 1), get(AV), get(BV1), F64X2_MUL, F64X2_ADD, set(ACC0 + 2 * r + 1));
    addTo(PA0 + r, [get(AK)]);
  }
  addTo(PB, [i32c(32)]);
  e(get(KK), i32c(1), I32_SUB, set(KK), br(0), END, END);
  for (let r = 0; r < 4; r++) {
    e(get(PC), get(ACC0 + 2 * r), V_STORE(0), get(PC), get(ACC0 + 2 * r + 1), V_STORE(16));
    addTo(PC, [get(N8)]);
  }
  e(get(J), i32c(4), I32_ADD, set(J), br(0), END, END);
  e(get(I), i32c(4), I32_ADD, set(I), br(0), END, END, END);
  return body(c, 10, 11);
}

// addBias(c, rows, Np, bias): C[i, j] = C[i, j] + bias[j] for the rows of a C block (Np a
// multiple of 4) — a dense layer's bias, the same IEEE addition as the add op.
function addBias(): number[] {
  const [C, ROWS, NP, BIAS] = [0, 1, 2, 3];
  const [R, Q, PB] = [4, 5, 6];
  const { c, e } = emitter();
  e(i32c(0), set(R), BLOCK, LOOP, get(R), get(ROWS), I32_GE_S, brIf(1));
  e(get(BIAS), set(PB), i32c(0), set(Q), BLOCK, LOOP, get(Q), get(NP), I32_GE_S, brIf(1));
  e(get(C), get(C), V_LOAD(0), get(PB), V_LOAD(0), F64X2_ADD, V_STORE(0));
  e(get(C), i32c(16), I32_ADD, set(C), get(PB), i32c(16), I32_ADD, set(PB));
  e(get(Q), i32c(2), I32_ADD, set(Q), br(0), END, END);
  e(get(R), i32c(1), I32_ADD, set(R), br(0), END, END, END);
  return body(c, 3, 0);
}

// tanhGrad(g, y, pairs): g ← g·(1 − y·y) in place over `pairs` f64x2 — the tanh derivative applied
// to a cotangent (y = tanh x), the same IEEE operations in the same order as the tanhGrad op's
// kernels, so a dense layer's backward pass can form it where the products read it.
function tanhGrad(): number[] {
  const [G, Y, PAIRS] = [0, 1, 2];
  const [I] = [3];
  const { c, e } = emitter();
  e(i32c(0), set(I), BLOCK, LOOP, get(I), get(PAIRS), I32_GE_S, brIf(1));
  e(get(G), get(G), V_LOAD(0), F64X2_CONST(1), get(Y), V_LOAD(0), get(Y), V_LOAD(0), F64X2_MUL, F64X2_SUB);
  e(F64X2_MUL, V_STORE(0));
  e(get(G), i32c(16), I32_ADD, set(G), get(Y), i32c(16), I32_ADD, set(Y));
  e(get(I), i32c(1), I32_ADD, set(I), br(0), END, END, END);
  return body(c, 1, 0);
}

// tanhGradTo(out, g, y, pairs): out ← g·(1 − y·y) over `pairs` f64x2, tanhGrad's operations with
// the result elsewhere, for a cotangent g that must stay as it is (a dense output of the layer
// above, resident in this memory: wasm-resident.ts).
function tanhGradTo(): number[] {
  const [O, G, Y, PAIRS] = [0, 1, 2, 3];
  const [I] = [4];
  const { c, e } = emitter();
  e(i32c(0), set(I), BLOCK, LOOP, get(I), get(PAIRS), I32_GE_S, brIf(1));
  e(get(O), get(G), V_LOAD(0), F64X2_CONST(1), get(Y), V_LOAD(0), get(Y), V_LOAD(0), F64X2_MUL, F64X2_SUB);
  e(F64X2_MUL, V_STORE(0));
  e(get(O), i32c(16), I32_ADD, set(O), get(G), i32c(16), I32_ADD, set(G), get(Y), i32c(16), I32_ADD, set(Y));
  e(get(I), i32c(1), I32_ADD, set(I), br(0), END, END, END);
  return body(c, 1, 0);
}

// colSum(x, rows, N, out): out[j] = Σ_r x[r, j] for j < N (N even, rows N·8 bytes apart), each
// a sum over r in order starting from 0 — the sum op's rounding over the leading axis — for a dense
// layer's bias gradient, read where its backward pass formed ga. Eight columns (one cache line of
// a row) at a time in four accumulators, then the remaining pairs one at a time.
function colSum(): number[] {
  const [X, ROWS, N, OUT] = [0, 1, 2, 3];
  const [J, P, R, S] = [4, 5, 6, 7];
  const A = [8, 9, 10, 11];
  const { c, e } = emitter();
  const rows = (width: number) => {
    for (let q = 0; q < width; q++) e(V_ZERO, set(A[q]));
    e(get(X), get(J), i32c(8), I32_MUL, I32_ADD, set(P), i32c(0), set(R));
    e(BLOCK, LOOP, get(R), get(ROWS), I32_GE_S, brIf(1));
    for (let q = 0; q < width; q++) e(get(A[q]), get(P), V_LOAD(16 * q), F64X2_ADD, set(A[q]));
    e(get(P), get(S), I32_ADD, set(P), get(R), i32c(1), I32_ADD, set(R), br(0), END, END);
    for (let q = 0; q < width; q++)
      e(get(OUT), get(J), i32c(8), I32_MUL, I32_ADD, get(A[q]), V_STORE(16 * q));
    e(get(J), i32c(2 * width), I32_ADD, set(J));
  };
  e(get(N), i32c(8), I32_MUL, set(S), i32c(0), set(J));
  e(BLOCK, LOOP, get(N), get(J), i32c(8), I32_ADD, I32_LT_S, brIf(1)); // N < J + 8
  rows(4);
  e(br(0), END, END);
  e(BLOCK, LOOP, get(J), get(N), I32_GE_S, brIf(1));
  rows(1);
  e(br(0), END, END, END);
  return body(c, 4, 4);
}

/** Largest memory, in 64 KiB pages (2 GiB: byte offsets stay positive i32). */
export const MATMUL_MAX_PAGES = 32768;

/**
 * The module: imports `env.mem` (shared, for worker threads, when `shared`), exports packB (6 i32
 * params), mm (9), addBias (4), tanh (3; wasm-tanh.ts's code, reading its tables at the start
 * of memory), tanhGrad (3), the direct convolution's convFwd (13), convWG (12) and
 * convPad (8) (wasm-conv-code.ts), colSum (4) and tanhGradTo (4).
 */
function moduleBytes(shared: boolean): Uint8Array {
  const sig = (n: number) => funcType(new Array<number>(n).fill(T_I32));
  const names = [
    "packB",
    "mm",
    "addBias",
    "tanh",
    "tanhGrad",
    "convFwd",
    "convWG",
    "convPad",
    "colSum",
    "tanhGradTo",
  ];
  // memory limits: flags 0 = min only; 3 = min, max, shared
  const limits = shared ? [0x03, ...uleb(1), ...uleb(MATMUL_MAX_PAGES)] : [0x00, ...uleb(1)];
  return new Uint8Array([
    ...HEADER,
    ...section(1, vec([sig(6), sig(9), sig(4), sig(3), sig(13), sig(12), sig(8)])), // tanhGrad shares tanh's (i32, i32, i32)
    ...section(2, vec([[...str("env"), ...str("mem"), 0x02, ...limits]])),
    // colSum and tanhGradTo share addBias's (4 × i32)
    ...section(3, vec([[0], [1], [2], [3], [3], [4], [5], [6], [2], [2]])),
    ...section(7, vec(names.map((n, i) => [...str(n), 0x00, i]))),
    ...section(
      10,
      vec([
        packB(),
        mm(),
        addBias(),
        tanhBody(),
        tanhGrad(),
        convFwdBody(),
        convWGBody(),
        convPadBody(),
        colSum(),
        tanhGradTo(),
      ]),
    ),
  ]);
}

export type PackBFn = (src: number, dst: number, K: number, N: number, bk: number, bn: number) => void;
export type MmFn = (
  a: number,
  b: number,
  c: number,
  M: number,
  K: number,
  Np: number,
  aRow: number,
  aK: number,
  acc: number,
) => void;

export type AddBiasFn = (c: number, rows: number, Np: number, bias: number) => void;
export type TanhGradFn = (g: number, y: number, pairs: number) => void;
export type TanhGradToFn = (out: number, g: number, y: number, pairs: number) => void;
export type ColSumFn = (x: number, rows: number, N: number, out: number) => void;

/** Doubles reserved at the start of the memory for the tanh tables; the caller's regions follow. */
export const MATMUL_RESERVED_DOUBLES = TANH_TABLE_DOUBLES;

/**
 * The instantiated kernels and their memory; null when the engine lacks WebAssembly SIMD. The
 * memory is shared (a SharedArrayBuffer, so worker threads can run the same kernels on it, see
 * matmul-threads.ts) where the engine allows, else private; `module` is the compiled module.
 */
export function instantiateMatmul(): {
  mem: WasmMemory;
  module: object;
  shared: boolean;
  packB: PackBFn;
  mm: MmFn;
  addBias: AddBiasFn;
  tanh: TanhFn;
  tanhGrad: TanhGradFn;
  convFwd: ConvFwdFn;
  convWG: ConvWGFn;
  convPad: ConvPadFn;
  colSum: ColSumFn;
  tanhGradTo: TanhGradToFn;
} | null {
  for (const shared of typeof SharedArrayBuffer === "function" ? [true, false] : [false]) {
    try {
      const bytes = moduleBytes(shared);
      if (!WA?.validate(bytes)) continue;
      const mem = new WA.Memory(
        shared ? { initial: 16, maximum: MATMUL_MAX_PAGES, shared } : { initial: 16 },
      );
      const module = new WA.Module(bytes);
      const { exports } = new WA.Instance(module, { env: { mem } });
      writeTanhTables(new Float64Array(mem.buffer));
      return {
        mem,
        module,
        shared,
        packB: exports.packB as PackBFn,
        mm: exports.mm as MmFn,
        addBias: exports.addBias as AddBiasFn,
        tanh: exports.tanh as TanhFn,
        tanhGrad: exports.tanhGrad as TanhGradFn,
        convFwd: exports.convFwd as ConvFwdFn,
        convWG: exports.convWG as ConvWGFn,
        convPad: exports.convPad as ConvPadFn,
        colSum: exports.colSum as ColSumFn,
        tanhGradTo: exports.tanhGradTo as TanhGradToFn,
      };
    } catch {
      // try the next variant
    }
  }
  return null;
}
