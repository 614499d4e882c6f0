// Philox4x32-10 as a tiny WebAssembly module, assembled byte by byte with @physml/wasm-encode
// (no toolchain): WebAssembly has the 64-bit multiply that JavaScript lacks, so one round costs
// 2 i64.mul instead of 10 Math.imul. `philoxNextBlock` runs two counters interleaved so the CPU overlaps
// their dependency chains. The result is bit-identical to philox.ts (tested); the kernels use this
// when WebAssembly is available and fall back to philox.ts otherwise. The same module holds the
// packed kernel's per-block Bernoulli masks (`packedAccept4`, SIMD128: 4 sites in i32x4 lanes),
// tested equal to packedAcceptMask of packed-hash.ts, its JavaScript fallback.

import {
  BLOCK,
  br,
  brIf,
  END,
  get,
  HEADER,
  I32_ADD,
  I32_AND,
  I32_EQZ,
  I32_GE_U,
  I32_LOAD,
  I32_SHR_U,
  I32_STORE,
  I32_SUB,
  I32_WRAP_I64,
  I32_XOR,
  I32X4_ADD,
  I32X4_SPLAT,
  I64_EXTEND_I32_U,
  I64_MUL,
  I64_SHR_U,
  i32c,
  i64c,
  LOOP,
  section,
  set,
  str,
  T_I32,
  T_I64,
  T_V128,
  uleb,
  V_AND,
  V_ANY_TRUE,
  V_CONST_I32,
  V_LOAD,
  V_OR,
  V_STORE,
  V_XOR,
  vec,
  WA,
  type WasmMemory,
} from "@physml/wasm-encode";
import { bernoulliLevelV128, lowbiasMixV128 } from "./lowbias-simd.js";
import { packedAcceptMask } from "./packed-hash.js";
import { philox4x32 } from "./philox.js";

const M0 = 0xd2511f53n;
const M1 = 0xcd9e8d57n;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** One Philox round on counter locals (x0, x1, x2, x3) with key locals (k0, k1) and i64 temps. */
function round(x: number[], k: number[], p: number[]): number[] {
  const [x0, x1, x2, x3] = x;
  const [p0, p1] = p;
  return [
    ...get(x0),
    I64_EXTEND_I32_U,
    ...i64c(M0),
    I64_MUL,
    ...set(p0),
    ...get(x2),
    I64_EXTEND_I32_U,
    ...i64c(M1),
    I64_MUL,
    ...set(p1),
    ...get(p1),
    ...i64c(32n),
    I64_SHR_U,
    I32_WRAP_I64,
    ...get(x1),
    I32_XOR,
    ...get(k[0]),
    I32_XOR,
    ...set(x0),
    ...get(p0),
    ...i64c(32n),
    I64_SHR_U,
    I32_WRAP_I64,
    ...get(x3),
    I32_XOR,
    ...get(k[1]),
    I32_XOR,
    ...set(x2),
    ...get(p1),
    I32_WRAP_I64,
    ...set(x1),
    ...get(p0),
    I32_WRAP_I64,
    ...set(x3),
  ];
}

const bumpKeys = (k: number[]): number[] => [
  ...get(k[0]),
  ...i32c(W0),
  I32_ADD,
  ...set(k[0]),
  ...get(k[1]),
  ...i32c(W1),
  I32_ADD,
  ...set(k[1]),
];

const KEY_OFFSET = 32; // the key lives in memory after the 8 output words

/**
 * Body of a function with 4 counter params (c0…c3). `second` adds a second counter equal to
 * the first with word `second.word` increased by `second.add`, run interleaved with it.
 * Outputs go to memory words 0…3 (and 4…7); the key is read from memory (set by `setKey`).
 */
function body(second: { word: number; add: number } | null): number[] {
  const lanes = second ? 2 : 1;
  const xs = [[0, 1, 2, 3]];
  if (second) xs.push([4, 5, 6, 7]);
  const k = [4 * lanes, 4 * lanes + 1];
  const ps = Array.from({ length: lanes }, (_, l) => [4 * lanes + 2 + 2 * l, 4 * lanes + 3 + 2 * l]);
  const code: number[] = [
    ...i32c(0),
    ...I32_LOAD(KEY_OFFSET),
    ...set(k[0]),
    ...i32c(0),
    ...I32_LOAD(KEY_OFFSET + 4),
    ...set(k[1]),
  ];
  if (second) {
    for (let w = 0; w < 4; w++) {
      code.push(...get(w));
      if (w === second.word) code.push(...i32c(second.add), I32_ADD);
      code.push(...set(4 + w));
    }
  }
  for (let r = 0; r < 10; r++) {
    for (let l = 0; l < lanes; l++) code.push(...round(xs[l], k, ps[l]));
    if (r < 9) code.push(...bumpKeys(k));
  }
  for (const [l, x] of xs.entries()) {
    for (const [w, local] of x.entries()) code.push(...i32c(0), ...get(local), ...I32_STORE(16 * l + 4 * w));
  }
  code.push(END);
  const i32Locals = 4 * lanes - 4 + 2;
  const locals = vec([
    [...uleb(i32Locals), T_I32],
    [...uleb(2 * lanes), T_I64],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

/** `setKey(k0, k1)`: stores the key for the following calls. */
function setKeyBody(): number[] {
  const code = [
    ...i32c(0),
    ...get(0),
    ...I32_STORE(KEY_OFFSET),
    ...i32c(0),
    ...get(1),
    ...I32_STORE(KEY_OFFSET + 4),
    END,
  ];
  const fn = [...vec([]), ...code];
  return [...uleb(fn.length), ...fn];
}

/** Byte offsets of the block decision's inputs (need4[4], need8[4]) and output (acc[4]). */
const NEED_OFFSET = 64;
const ACC_OFFSET = 96;

/**
 * `packedAccept4(r0, r1, r2, t4, t8)`: the packed kernel's bit-serial Bernoulli masks (SPEC.md)
 * for the 4 sites of one block at once, one site per SIMD lane: lane jj uses the words
 * lowbias32(lowbias32(c ^ r0) ^ r1) ^ r2 with c = 4·(m − 1) + jj. Reads need4[0..3] and
 * need8[0..3] from memory at NEED_OFFSET, writes acc[0..3] at ACC_OFFSET. Stops after the level
 * that leaves no lane of any site undecided (no-op levels for the others), or after level 32.
 */
function packedAccept4Body(): number[] {
  const [R0, R1, R2, T4, T8] = [0, 1, 2, 3, 4];
  const M = 5; // i32: level − 1
  const [VR0, VR1, VR2, N4, N8, UND, ACC, C, X, TM, K1, K2] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const splat = (from: number, to: number) => [...get(from), ...I32X4_SPLAT, ...set(to)];
  const mix = (key: number) => lowbiasMixV128(X, K1, K2, key);
  // −((t >>> (31 − m)) & 1), splatted.
  const levelMask = (t: number) => [
    ...i32c(0),
    ...get(t),
    ...i32c(31),
    ...get(M),
    I32_SUB,
    I32_SHR_U,
    ...i32c(1),
    I32_AND,
    I32_SUB,
    ...I32X4_SPLAT,
  ];
  const code = [
    ...splat(R0, VR0),
    ...splat(R1, VR1),
    ...splat(R2, VR2),
    ...i32c(0x7feb352d),
    ...I32X4_SPLAT,
    ...set(K1),
    ...i32c(0x846ca68b),
    ...I32X4_SPLAT,
    ...set(K2),
    ...i32c(0),
    ...V_LOAD(NEED_OFFSET),
    ...set(N4),
    ...i32c(0),
    ...V_LOAD(NEED_OFFSET + 16),
    ...set(N8),
    ...get(N4),
    ...get(N8),
    ...V_OR,
    ...set(UND),
    ...V_CONST_I32([0, 1, 2, 3]),
    ...set(C),
    ...BLOCK,
    ...LOOP,
    ...get(UND),
    ...V_ANY_TRUE,
    I32_EQZ,
    ...brIf(1),
    ...get(M),
    ...i32c(32),
    I32_GE_U,
    ...brIf(1),
    ...get(C),
    ...get(VR0),
    ...V_XOR,
    ...set(X),
    ...mix(VR1),
    ...mix(VR2),
    // tm = (need4 & level mask of T4) | (need8 & level mask of T8)
    ...get(N4),
    ...levelMask(T4),
    ...V_AND,
    ...get(N8),
    ...levelMask(T8),
    ...V_AND,
    ...V_OR,
    ...set(TM),
    ...bernoulliLevelV128(ACC, UND, TM, X),
    ...get(C),
    ...V_CONST_I32([4, 4, 4, 4]),
    ...I32X4_ADD,
    ...set(C),
    ...get(M),
    ...i32c(1),
    I32_ADD,
    ...set(M),
    ...br(0),
    END,
    END,
    ...i32c(0),
    ...get(ACC),
    ...V_STORE(ACC_OFFSET),
    END,
  ];
  const fn = [
    ...vec([
      [...uleb(1), T_I32],
      [...uleb(12), T_V128],
    ]),
    ...code,
  ];
  return [...uleb(fn.length), ...fn];
}

function moduleBytes(): Uint8Array {
  const type = (params: number, results = 0) => [
    0x60,
    ...vec(Array.from({ length: params }, () => [T_I32])),
    ...vec(Array.from({ length: results }, () => [T_I32])),
  ];
  const exp = (n: string, fn: number) => [...str(n), 0x00, fn];
  return Uint8Array.from([
    ...HEADER,
    ...section(1, vec([type(4), type(2), type(5)])),
    ...section(3, vec([[0], [0], [1], [2]])),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(
      7,
      vec([
        [...str("mem"), 0x02, 0x00],
        exp("philox", 0),
        exp("philoxNextBlock", 1),
        exp("setKey", 2),
        exp("packedAccept4", 3),
      ]),
    ),
    ...section(10, vec([body(null), body({ word: 3, add: 1 }), setKeyBody(), packedAccept4Body()])),
  ]);
}

/**
 * A Philox instance with its key set once by `setKey`; results land in `words` (u32) /
 * `iwords` (the same memory as int32): words 0…3 for counter (c0, c1, c2, c3), and words 4…7
 * for the second counter of the two paired forms.
 */
export interface WasmPhilox {
  setKey(k0: number, k1: number): void;
  philox(c0: number, c1: number, c2: number, c3: number): void;
  /** Also counter (c0, c1, c2, c3 + 1): the next block of the int kernel. */
  philoxNextBlock(c0: number, c1: number, c2: number, c3: number): void;
  /**
   * The packed kernel's accepted-lane masks of the 4 sites of a block with Philox words
   * (r0, r1, r2) and thresholds (t4, t8): reads `need[0..3]` (lanes needing T4) and
   * `need[4..7]` (T8), writes `acc[0..3]` (`packedAcceptMask` of packed-hash.ts per site).
   */
  packedAccept4(r0: number, r1: number, r2: number, t4: number, t8: number): void;
  need: Int32Array;
  acc: Int32Array;
  words: Uint32Array;
  iwords: Int32Array;
}

let compiled: object | null | undefined;

/** A fresh instance (one per thread), or null when WebAssembly is unavailable. */
export function createWasmPhilox(): WasmPhilox | null {
  if (compiled === undefined) {
    try {
      if (!WA) throw new Error("no WebAssembly");
      compiled = new WA.Module(moduleBytes());
    } catch {
      compiled = null;
    }
  }
  if (!compiled || !WA) return null;
  const inst = new WA.Instance(compiled, {});
  const e = inst.exports as unknown as Omit<WasmPhilox, "words" | "iwords" | "need" | "acc"> & {
    mem: WasmMemory;
  };
  return {
    setKey: e.setKey,
    philox: e.philox,
    philoxNextBlock: e.philoxNextBlock,
    packedAccept4: e.packedAccept4,
    need: new Int32Array(e.mem.buffer, NEED_OFFSET, 8),
    acc: new Int32Array(e.mem.buffer, ACC_OFFSET, 4),
    words: new Uint32Array(e.mem.buffer, 0, 8),
    iwords: new Int32Array(e.mem.buffer, 0, 8),
  };
}

/** The same interface on top of philox.ts (for hosts without WebAssembly). */
export function createJsPhilox(): WasmPhilox {
  const words = new Uint32Array(8);
  const iwords = new Int32Array(words.buffer);
  const a = words.subarray(0, 4);
  const b = words.subarray(4, 8);
  const need = new Int32Array(8);
  const acc = new Int32Array(4);
  let k0 = 0;
  let k1 = 0;
  return {
    words,
    iwords,
    setKey: (x, y) => {
      k0 = x;
      k1 = y;
    },
    philox: (c0, c1, c2, c3) => philox4x32(k0, k1, c0, c1, c2, c3, a),
    philoxNextBlock: (c0, c1, c2, c3) => {
      philox4x32(k0, k1, c0, c1, c2, c3, a);
      philox4x32(k0, k1, c0, c1, c2, c3 + 1, b);
    },
    need,
    acc,
    packedAccept4: (r0, r1, r2, t4, t8) => {
      for (let jj = 0; jj < 4; jj++)
        acc[jj] = packedAcceptMask(r0, r1, r2, jj, need[jj], need[4 + jj], t4, t8);
    },
  };
}

/** This thread's Philox for the hot loops: WebAssembly when available. */
export const fastPhilox: WasmPhilox = createWasmPhilox() ?? createJsPhilox();
