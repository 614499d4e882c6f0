// The instructions physml's kernels use, as byte arrays (or single opcodes) to splice into code.
// Names follow the WebAssembly text format; immediates are LEB128-encoded here.
import { sleb, slebBig, uleb } from "./leb128.js";

// ---- control
export const BLOCK = [0x02, 0x40];
export const LOOP = [0x03, 0x40];
export const IF = [0x04, 0x40];
export const ELSE = 0x05;
export const END = 0x0b;
export const br = (depth: number) => [0x0c, ...uleb(depth)];
export const brIf = (depth: number) => [0x0d, ...uleb(depth)];

// ---- locals and constants
export const get = (i: number) => [0x20, ...uleb(i)];
export const set = (i: number) => [0x21, ...uleb(i)];
/** local.tee: set local i and keep the value on the stack. */
export const tee = (i: number) => [0x22, ...uleb(i)];
export const call = (f: number) => [0x10, ...uleb(f)];
export const SELECT = 0x1b;
export const i32c = (v: number) => [0x41, ...sleb(v)];
export const i64c = (v: bigint) => [0x42, ...slebBig(v)];
export const f64c = (v: number) => [0x44, ...new Uint8Array(new Float64Array([v]).buffer)];

// ---- memory (alignment hints: log2 of the promised byte alignment)
export const I32_LOAD = (offset: number) => [0x28, 2, ...uleb(offset)];
export const I32_STORE = (offset: number) => [0x36, 2, ...uleb(offset)];
export const F64_LOAD = [0x2b, 3, 0];
export const F64_STORE = [0x39, 3, 0];

// ---- i32 / i64
export const I32_EQZ = 0x45;
export const I32_EQ = 0x46;
export const I32_NE = 0x47;
export const I32_LT_S = 0x48;
export const I32_LT_U = 0x49;
export const I32_GE_S = 0x4e;
export const I32_GE_U = 0x4f;
export const I32_ADD = 0x6a;
export const I32_SUB = 0x6b;
export const I32_MUL = 0x6c;
export const I32_DIV_U = 0x6e;
export const I32_AND = 0x71;
export const I32_OR = 0x72;
export const I32_XOR = 0x73;
export const I32_SHL = 0x74;
export const I32_SHR_U = 0x76;
export const I64_MUL = 0x7e;
export const I64_SHR_U = 0x88;
export const I32_WRAP_I64 = 0xa7;
export const I64_EXTEND_I32_U = 0xad;

// ---- SIMD128 (prefix 0xfd, LEB128 opcode)
export const simd = (op: number) => [0xfd, ...uleb(op)];
/** v128.load / v128.store, promising 8-byte alignment unless told otherwise. */
export const V_LOAD = (offset: number, alignLog2 = 3) => [...simd(0x00), alignLog2, ...uleb(offset)];
export const V_STORE = (offset: number, alignLog2 = 3) => [...simd(0x0b), alignLog2, ...uleb(offset)];
export const V_LOAD64_SPLAT = [...simd(0x0a), 3, 0];
/** v128.load32_splat: the i32 at address + offset in all four lanes. */
export const V_LOAD32_SPLAT = (offset: number) => [...simd(0x09), 2, ...uleb(offset)];
/** i8x16.shuffle: byte k of the result is byte lanes[k] of the concatenation a‖b (0…31). */
export const I8X16_SHUFFLE = (lanes: readonly number[]) => [...simd(0x0d), ...lanes];
/** v128.const of four i32 lanes. */
export const V_CONST_I32 = (lanes: readonly number[]) => [
  ...simd(0x0c),
  ...lanes.flatMap((v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]),
];
export const V_ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];
/** v128.const holding v in both f64 lanes. */
export const F64X2_CONST = (v: number) => [...simd(0x0c), ...new Uint8Array(new Float64Array([v, v]).buffer)];
export const I32X4_SPLAT = simd(0x11);
/** Lane of an i32x4 as an i32. */
export const I32X4_EXTRACT = (lane: number) => [...simd(0x1b), lane];
/** Replaces lane `lane` of an i32x4 with an i32 (stack: vector, value). */
export const I32X4_REPLACE = (lane: number) => [...simd(0x1c), lane];
export const F64X2_SPLAT = simd(0x14);
export const F64X2_REPLACE = (lane: number) => [...simd(0x22), lane];
export const F64X2_EQ = simd(0x47);
export const F64X2_NE = simd(0x48);
export const V_NOT = simd(0x4d);
export const V_AND = simd(0x4e);
export const V_ANDNOT = simd(0x4f);
export const V_OR = simd(0x50);
export const V_XOR = simd(0x51);
export const V_BITSELECT = simd(0x52);
export const V_ANY_TRUE = simd(0x53);
export const F64X2_NEAREST = simd(0x94);
export const I32X4_SHL = simd(0xab);
export const I32X4_SHR_U = simd(0xad);
export const I32X4_ADD = simd(0xae);
export const I32X4_MUL = simd(0xb5);
/** i64x2.extmul_{low,high}_i32x4_u: the full 64-bit products of i32 lanes 0, 1 (low) or 2, 3 (high). */
export const I64X2_EXTMUL_LOW_U = simd(0xde);
export const I64X2_EXTMUL_HIGH_U = simd(0xdf);
export const F64X2_ADD = simd(0xf0);
export const F64X2_SUB = simd(0xf1);
export const F64X2_MUL = simd(0xf2);
export const F64X2_DIV = simd(0xf3);
/** pmin/pmax: b < a ? b : a and a < b ? b : a — one instruction each, NaN not propagated. */
export const F64X2_PMIN = simd(0xf6);
export const F64X2_PMAX = simd(0xf7);
/** i32x4.trunc_sat_f64x2_s_zero: both f64 lanes to saturated i32 lanes 0, 1 (NaN → 0). */
export const I32X4_TRUNC_SAT_F64X2 = simd(0xfc);
