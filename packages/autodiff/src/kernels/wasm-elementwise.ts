// Broadcasting arithmetic (add, sub, mul, div and the fused fma2, tanhGrad) with WebAssembly SIMD
// over large arrays. V8 reloads a typed-array parameter's fields after every element store, so a
// JavaScript loop costs ~2 ns per element; copying chunks through the module's memory (memcpy
// speed) and computing two lanes at a time is several times faster. Each program performs the
// same IEEE operations in the same order as its JavaScript expression in elementwise.ts, so both
// paths give identical bits.
//
// Operands must be, after merging dims: the full output layout, a scalar, or contiguous over the
// trailing dims and broadcast over the leading ones (period P, with P a multiple or a divisor of
// the chunk length). Anything else returns false and the caller's JavaScript loop runs. A long
// period (a [1024, 64] factor of a [10, 1024, 64] tangent) is copied into the module once and
// read in place, not copied again for every repeat: the copies, not the arithmetic, are most of
// a pass's time.

import {
  BLOCK,
  br,
  brIf,
  END,
  emitter,
  ensureBytes,
  F64X2_ADD,
  F64X2_CONST,
  F64X2_DIV,
  F64X2_MUL,
  F64X2_SUB,
  funcBody,
  get,
  I32_ADD,
  I32_GE_S,
  i32c,
  instantiate,
  LOOP,
  moduleBytes,
  set,
  T_I32,
  V_LOAD,
  V_STORE,
  type WasmMemory,
} from "@physml/wasm-encode";
import type { Data } from "./types.js";

/** Programs in reverse Polish notation over operands 0…3 and the constant "1". */
const PROGRAMS: Record<string, readonly (number | "1" | "+" | "-" | "*" | "/")[]> = {
  add: [0, 1, "+"],
  sub: [0, 1, "-"],
  mul: [0, 1, "*"],
  div: [0, 1, "/"],
  fma2: [0, 1, "*", 2, 3, "*", "+"], // a0 * a1 + a2 * a3
  tanhGrad: [1, "1", 0, 0, "*", "-", "*"], // a1 * (1 - a0 * a0)
};

const CH = 4096; // elements per chunk (32 KB per operand)
const MAX_OPS = 4;
// memory (doubles): operand k's chunk at k·CH, output at 4·CH, then the resident periods
const OUT = MAX_OPS * CH;
const RESIDENT = OUT + CH;
/** Longest period kept resident (doubles, 2 MB); longer ones are streamed chunk by chunk. */
const RESIDENT_MAX = 1 << 18;
const UNROLL = 4; // f64x2 pairs per loop iteration: a chunk is processed in multiples of 8 elements

// params: bytes (the chunk length in bytes, a multiple of 16·UNROLL), then each operand's byte
// address for element 0 of the chunk (its chunk region, or its place in a resident period);
// local: i32 i, the byte index shared by every operand and the output.
const BYTES = 0;
const BASE = 1; // BASE + k: operand k's address
const I = BASE + MAX_OPS;

function body(program: (typeof PROGRAMS)[string]): number[] {
  const { c, e } = emitter();
  e(i32c(0), set(I), BLOCK, LOOP, get(I), get(BYTES), I32_GE_S, brIf(1));
  for (let u = 0; u < UNROLL; u++) {
    e(get(I));
    for (const t of program) {
      if (typeof t === "number") e(get(I), get(BASE + t), I32_ADD, V_LOAD(u * 16));
      else if (t === "1") e(F64X2_CONST(1));
      else e({ "+": F64X2_ADD, "-": F64X2_SUB, "*": F64X2_MUL, "/": F64X2_DIV }[t]);
    }
    e(V_STORE(OUT * 8 + u * 16));
  }
  e(get(I), i32c(16 * UNROLL), I32_ADD, set(I), br(0), END, END, END);
  return funcBody([[1, T_I32]], c);
}

type Fn = (bytes: number, a0: number, a1: number, a2: number, a3: number) => void;
/** One module (with its own small memory) per program, built on first use; null = unavailable. */
const kernels = new Map<string, { fn: Fn; mem: WasmMemory } | null>();

function kernel(name: string): { fn: Fn; mem: WasmMemory } | null {
  let k = kernels.get(name);
  if (k === undefined) {
    const prog = PROGRAMS[name];
    k = prog ? instantiate<Fn>(moduleBytes(1 + MAX_OPS, name, body(prog)), name, 3) : null;
    if (k) ensureBytes(k.mem, RESIDENT * 8);
    kernels.set(name, k);
  }
  return k;
}

/** Period of an operand's merged strides: 0 = scalar, n = full, P = broadcast over leading dims; −1 = other. */
function period(shape: readonly number[], st: readonly number[]): number {
  let contiguous = 1;
  let p = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (st[d] === contiguous) {
      if (p !== contiguous) return -1; // contiguous again after a broadcast dim
      p = contiguous * shape[d];
    } else if (st[d] !== 0) return -1;
    contiguous *= shape[d];
  }
  return p === 1 && st.every((s) => s === 0) ? 0 : p;
}

/**
 * o = program(ins) over the merged broadcast `shape`/`strides` (as naryKernel has them) with the
 * SIMD kernel; returns false, doing nothing, when the op, the layout or the engine does not allow it.
 */
export function wasmNary(name: string, ins: Data[], shape: number[], strides: number[][], o: Data): boolean {
  if (ins.length > MAX_OPS || !(name in PROGRAMS)) return false;
  const n = o.length;
  // per operand: 0 = a scalar (splatted, step 0); −p = a period p dividing CH (tiled once); p > 0 =
  // streamed per chunk from offset s mod p (the full operand, or a period that CH divides), and
  // read in place from a resident copy when that period repeats and is short enough
  const modes: number[] = [];
  for (const st of strides) {
    const p = period(shape, st);
    if (p === 0) modes.push(0);
    else if (p === n || (p > 0 && p % CH === 0)) modes.push(p);
    else if (p > 0 && CH % p === 0) modes.push(-p);
    else return false;
  }
  const k = kernel(name);
  if (k === null) return false;
  const resident = modes.map((p) => p > 0 && p < n && p <= RESIDENT_MAX);
  let end = RESIDENT;
  const at = modes.map((p, q) => {
    if (!resident[q]) return q * CH;
    end += p;
    return end - p;
  });
  ensureBytes(k.mem, end * 8);
  const buf = new Float64Array(k.mem.buffer);
  const first = Math.min(CH, n);
  ins.forEach((x, q) => {
    const md = modes[q];
    if (md === 0) buf.fill(x[0], q * CH, q * CH + first);
    else if (md < 0) for (let s = 0; s < first; s -= md) buf.set(x.subarray(0, -md), q * CH + s);
    else if (resident[q]) buf.set(x.subarray(0, md), at[q]);
  });
  const addr = [0, 0, 0, 0];
  for (let q = 0; q < ins.length; q++) addr[q] = at[q] * 8;
  for (let s = 0; s < n; s += CH) {
    const len = Math.min(CH, n - s);
    for (let q = 0; q < ins.length; q++) {
      const p = modes[q];
      if (p <= 0) continue;
      const off = s % p;
      if (resident[q]) addr[q] = (at[q] + off) * 8;
      else buf.set(ins[q].subarray(off, off + len), q * CH);
    }
    // rounded up to whole iterations: the extra lanes (< 8, inside the regions) are dropped
    k.fn(Math.ceil(len / (2 * UNROLL)) * 16 * UNROLL, addr[0], addr[1], addr[2], addr[3]);
    o.set(buf.subarray(OUT, OUT + len), s);
  }
  return true;
}
