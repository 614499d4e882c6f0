// Philox4x32-10 as a tiny WebAssembly module, assembled here byte by byte (no toolchain):
// WebAssembly has the 64-bit multiply that JavaScript lacks, so one round costs 2 i64.mul
// instead of 10 Math.imul. `philox2` runs two counters interleaved so the CPU overlaps their
// dependency chains. The result is bit-identical to philox.ts (tested); the kernels use this
// when WebAssembly is available and fall back to philox.ts otherwise.

import { philox4x32 } from "./philox.js";

const M0 = 0xd2511f53n;
const M1 = 0xcd9e8d57n;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** Signed LEB128 of a BigInt (for i32.const / i64.const immediates). */
function sleb(v: bigint): number[] {
  const out: number[] = [];
  let x = v;
  for (;;) {
    const byte = Number(x & 0x7fn);
    x >>= 7n;
    const done = (x === 0n && (byte & 0x40) === 0) || (x === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function uleb(n: number): number[] {
  const out: number[] = [];
  let x = n;
  do {
    let byte = x & 0x7f;
    x >>>= 7;
    if (x !== 0) byte |= 0x80;
    out.push(byte);
  } while (x !== 0);
  return out;
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const I32 = 0x7f;
const I64 = 0x7e;
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i64const = (v: bigint) => [0x42, ...sleb(v)];
const i32const = (v: number) => [0x41, ...sleb(BigInt(v | 0))];
const EXTEND_U = 0xad;
const I64_MUL = 0x7e;
const I64_SHR_U = 0x88;
const WRAP = 0xa7;
const I32_XOR = 0x73;
const I32_ADD = 0x6a;
const store = (offset: number) => [0x36, 0x02, ...uleb(offset)];

/** One Philox round on counter locals (x0, x1, x2, x3) with key locals (k0, k1) and i64 temps. */
function round(x: number[], k: number[], p: number[]): number[] {
  const [x0, x1, x2, x3] = x;
  const [p0, p1] = p;
  return [
    ...get(x0),
    EXTEND_U,
    ...i64const(M0),
    I64_MUL,
    ...set(p0),
    ...get(x2),
    EXTEND_U,
    ...i64const(M1),
    I64_MUL,
    ...set(p1),
    ...get(p1),
    ...i64const(32n),
    I64_SHR_U,
    WRAP,
    ...get(x1),
    I32_XOR,
    ...get(k[0]),
    I32_XOR,
    ...set(x0),
    ...get(p0),
    ...i64const(32n),
    I64_SHR_U,
    WRAP,
    ...get(x3),
    I32_XOR,
    ...get(k[1]),
    I32_XOR,
    ...set(x2),
    ...get(p1),
    WRAP,
    ...set(x1),
    ...get(p0),
    WRAP,
    ...set(x3),
  ];
}

const bumpKeys = (k: number[]): number[] => [
  ...get(k[0]),
  ...i32const(W0),
  I32_ADD,
  ...set(k[0]),
  ...get(k[1]),
  ...i32const(W1),
  I32_ADD,
  ...set(k[1]),
];

const load = (offset: number) => [0x28, 0x02, ...uleb(offset)];
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
    ...i32const(0),
    ...load(KEY_OFFSET),
    ...set(k[0]),
    ...i32const(0),
    ...load(KEY_OFFSET + 4),
    ...set(k[1]),
  ];
  if (second) {
    for (let w = 0; w < 4; w++) {
      code.push(...get(w));
      if (w === second.word) code.push(...i32const(second.add), I32_ADD);
      code.push(...set(4 + w));
    }
  }
  for (let r = 0; r < 10; r++) {
    for (let l = 0; l < lanes; l++) code.push(...round(xs[l], k, ps[l]));
    if (r < 9) code.push(...bumpKeys(k));
  }
  for (const [l, x] of xs.entries()) {
    for (const [w, local] of x.entries()) code.push(...i32const(0), ...get(local), ...store(16 * l + 4 * w));
  }
  code.push(0x0b);
  const i32Locals = 4 * lanes - 4 + 2;
  const locals = vec([
    [...uleb(i32Locals), I32],
    [...uleb(2 * lanes), I64],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

/** `setKey(k0, k1)`: stores the key for the following calls. */
function setKeyBody(): number[] {
  const code = [
    ...i32const(0),
    ...get(0),
    ...store(KEY_OFFSET),
    ...i32const(0),
    ...get(1),
    ...store(KEY_OFFSET + 4),
    0x0b,
  ];
  const fn = [...vec([]), ...code];
  return [...uleb(fn.length), ...fn];
}

const I32_AND = 0x71;
const I32_OR = 0x72;
const I32_SHL = 0x74;
const I32_EQZ = 0x45;
const I32_LT_U = 0x49;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const brIf = (depth: number) => [0x0d, depth];
const END = 0x0b;
const TM4_OFFSET = 64; // 32 level masks −(bit of T4), most significant first
const TM8_OFFSET = 192; // the same for T8

/**
 * `packedDecide(g, n, k, i, und4, und8) → acc`: the bit-serial Bernoulli decision of the
 * packed kernel (SPEC.md) for one site, entirely in WebAssembly. Depth pairs d, d+1 of
 * Philox(key, (g, n, (d << 1) | k, i)) give 8 levels; per level l and lane, with
 * tm = −(bit 32 − l of T): acc |= und & tm & ~u, und &= ~(u ^ tm), for T4 and T8. Stops after
 * the depth pair that leaves no lane undecided, or after 32 levels.
 */
function packedDecideBody(): number[] {
  const [G, N, K, I, UND4, UND8] = [0, 1, 2, 3, 4, 5];
  const [K0, K1, ACC, D2] = [6, 7, 10, 11];
  const xs = [
    [12, 13, 14, 15],
    [16, 17, 18, 19],
  ];
  const [SHIFT, U, TM4, TM8, KK0, KK1] = [20, 21, 22, 23, 24, 25];
  const ps = [
    [26, 27],
    [28, 29],
  ];
  const code: number[] = [
    ...i32const(0),
    ...load(KEY_OFFSET),
    ...set(K0),
    ...i32const(0),
    ...load(KEY_OFFSET + 4),
    ...set(K1),
    ...BLOCK,
    ...LOOP,
    // Counters (g, n, 4·d2 + k, i) and (g, n, 4·d2 + k + 2, i), i.e. depths 2·d2 and 2·d2 + 1.
    ...get(G),
    ...set(xs[0][0]),
    ...get(N),
    ...set(xs[0][1]),
    ...get(D2),
    ...i32const(2),
    I32_SHL,
    ...get(K),
    I32_ADD,
    ...set(xs[0][2]),
    ...get(I),
    ...set(xs[0][3]),
    ...get(G),
    ...set(xs[1][0]),
    ...get(N),
    ...set(xs[1][1]),
    ...get(xs[0][2]),
    ...i32const(2),
    I32_ADD,
    ...set(xs[1][2]),
    ...get(I),
    ...set(xs[1][3]),
    ...get(K0),
    ...set(KK0),
    ...get(K1),
    ...set(KK1),
  ];
  for (let r = 0; r < 10; r++) {
    code.push(...round(xs[0], [KK0, KK1], ps[0]), ...round(xs[1], [KK0, KK1], ps[1]));
    if (r < 9) code.push(...bumpKeys([KK0, KK1]));
  }
  // Level masks tm = −(threshold bit) come from tables written by `setThresholds`: for level
  // l = 8·d2 + w + 1 at byte TM4_OFFSET + 4·(l − 1) = (d2 << 5) + TM4_OFFSET + 4w.
  code.push(...get(D2), ...i32const(5), I32_SHL, ...set(SHIFT));
  for (let w = 0; w < 8; w++) {
    const word = w < 4 ? xs[0][w] : xs[1][w - 4];
    code.push(
      ...get(word),
      ...set(U),
      ...get(SHIFT),
      ...load(TM4_OFFSET + 4 * w),
      ...set(TM4),
      ...get(SHIFT),
      ...load(TM8_OFFSET + 4 * w),
      ...set(TM8),
      // acc |= ((und4 & tm4) | (und8 & tm8)) & ~u
      ...get(ACC),
      ...get(UND4),
      ...get(TM4),
      I32_AND,
      ...get(UND8),
      ...get(TM8),
      I32_AND,
      I32_OR,
      ...get(U),
      ...i32const(-1),
      I32_XOR,
      I32_AND,
      I32_OR,
      ...set(ACC),
      // und &= ~(u ^ tm)
      ...get(UND4),
      ...get(U),
      ...get(TM4),
      I32_XOR,
      ...i32const(-1),
      I32_XOR,
      I32_AND,
      ...set(UND4),
      ...get(UND8),
      ...get(U),
      ...get(TM8),
      I32_XOR,
      ...i32const(-1),
      I32_XOR,
      I32_AND,
      ...set(UND8),
    );
  }
  code.push(
    ...get(D2),
    ...i32const(1),
    I32_ADD,
    ...set(D2),
    ...get(UND4),
    ...get(UND8),
    I32_OR,
    I32_EQZ,
    ...brIf(1),
    ...get(D2),
    ...i32const(4),
    I32_LT_U,
    ...brIf(0),
    END,
    END,
    ...get(ACC),
    END,
  );
  const locals = vec([
    [...uleb(20), I32],
    [...uleb(4), I64],
  ]);
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

function moduleBytes(): Uint8Array {
  const type = (params: number, results = 0) => [
    0x60,
    ...vec(Array.from({ length: params }, () => [I32])),
    ...vec(Array.from({ length: results }, () => [I32])),
  ];
  const exp = (n: string, fn: number) => [...name(n), 0x00, fn];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([type(4), type(2), type(6, 1)])),
    ...section(3, vec([[0], [0], [0], [1], [2]])),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(
      7,
      vec([
        [...name("mem"), 0x02, 0x00],
        exp("philox", 0),
        exp("philoxNextDepth", 1),
        exp("philoxNextBlock", 2),
        exp("setKey", 3),
        exp("packedDecide", 4),
      ]),
    ),
    ...section(
      10,
      vec([
        body(null),
        body({ word: 2, add: 2 }),
        body({ word: 3, add: 1 }),
        setKeyBody(),
        packedDecideBody(),
      ]),
    ),
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
  /** Also counter (c0, c1, c2 + 2, c3): the next depth of the packed kernel. */
  philoxNextDepth(c0: number, c1: number, c2: number, c3: number): void;
  /** Also counter (c0, c1, c2, c3 + 1): the next block of the int kernel. */
  philoxNextBlock(c0: number, c1: number, c2: number, c3: number): void;
  /** Thresholds (t4, t8) for `packedDecide`. */
  setThresholds(t4: number, t8: number): void;
  /** The packed kernel's accepted-lane mask for site i (SPEC.md bit-serial masks). */
  packedDecide(g: number, n: number, k: number, i: number, und4: number, und8: number): number;
  words: Uint32Array;
  iwords: Int32Array;
}

// The few WebAssembly APIs used here (the project's lib settings have no WebAssembly types).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
interface WasmMemory {
  buffer: ArrayBuffer;
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

/** A fresh instance (one per thread), or null when WebAssembly is unavailable. */
export function createWasmPhilox(): WasmPhilox | null {
  if (compiled === undefined) {
    try {
      if (!wasmApi) throw new Error("no WebAssembly");
      compiled = new wasmApi.Module(moduleBytes());
    } catch {
      compiled = null;
    }
  }
  if (!compiled || !wasmApi) return null;
  const inst = new wasmApi.Instance(compiled, {});
  const e = inst.exports as unknown as Omit<WasmPhilox, "words" | "iwords" | "setThresholds"> & {
    mem: WasmMemory;
  };
  const mem32 = new Int32Array(e.mem.buffer);
  return {
    setKey: e.setKey,
    philox: e.philox,
    philoxNextDepth: e.philoxNextDepth,
    philoxNextBlock: e.philoxNextBlock,
    setThresholds: (t4, t8) => {
      for (let l = 0; l < 32; l++) {
        mem32[TM4_OFFSET / 4 + l] = -((t4 >>> (31 - l)) & 1);
        mem32[TM8_OFFSET / 4 + l] = -((t8 >>> (31 - l)) & 1);
      }
    },
    packedDecide: e.packedDecide,
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
  let k0 = 0;
  let k1 = 0;
  let t4 = 0;
  let t8 = 0;
  return {
    words,
    iwords,
    setKey: (x, y) => {
      k0 = x;
      k1 = y;
    },
    philox: (c0, c1, c2, c3) => philox4x32(k0, k1, c0, c1, c2, c3, a),
    philoxNextDepth: (c0, c1, c2, c3) => {
      philox4x32(k0, k1, c0, c1, c2, c3, a);
      philox4x32(k0, k1, c0, c1, c2 + 2, c3, b);
    },
    philoxNextBlock: (c0, c1, c2, c3) => {
      philox4x32(k0, k1, c0, c1, c2, c3, a);
      philox4x32(k0, k1, c0, c1, c2, c3 + 1, b);
    },
    setThresholds: (x, y) => {
      t4 = x;
      t8 = y;
    },
    packedDecide: (g, n, k, i, u4, u8) => {
      let und4 = u4;
      let und8 = u8;
      let acc = 0;
      for (let d = 0; d < 8 && (und4 | und8) !== 0; d += 2) {
        philox4x32(k0, k1, g, n, (d << 1) | k, i, a);
        philox4x32(k0, k1, g, n, ((d + 1) << 1) | k, i, b);
        for (let w = 0; w < 8; w++) {
          const u = iwords[w];
          const tm4 = -((t4 >>> (31 - 4 * d - w)) & 1);
          const tm8 = -((t8 >>> (31 - 4 * d - w)) & 1);
          acc |= ((und4 & tm4) | (und8 & tm8)) & ~u;
          und4 &= ~(u ^ tm4);
          und8 &= ~(u ^ tm8);
        }
      }
      return acc;
    },
  };
}

/** This thread's Philox for the hot loops: WebAssembly when available. */
export const fastPhilox: WasmPhilox = createWasmPhilox() ?? createJsPhilox();
