// A minimal WebAssembly binary encoder for the package's hand-written SIMD kernels, so they need
// no toolchain: LEB128 integers, sections, the opcodes the kernels use, and a one-function module
// importing its memory as env.mem.

export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
export const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

// ---- opcodes
export const get = (i: number) => [0x20, ...uleb(i)];
export const set = (i: number) => [0x21, ...uleb(i)];
export const i32c = (v: number) => [0x41, ...sleb(v)];
export const I32_ADD = 0x6a;
export const I32_MUL = 0x6c;
export const I32_SHL = 0x74;
export const I32_GE_S = 0x4e;
export const F64_LOAD = [0x2b, 3, 0];
export const BLOCK = [0x02, 0x40];
export const LOOP = [0x03, 0x40];
export const IF = [0x04, 0x40];
export const ELSE = 0x05;
export const END = 0x0b;
export const br = (d: number) => [0x0c, ...uleb(d)];
export const brIf = (d: number) => [0x0d, ...uleb(d)];
export const simd = (op: number) => [0xfd, ...uleb(op)];
export const V_LOAD = (off: number) => [...simd(0x00), 3, ...uleb(off)];
export const V_STORE = (off: number) => [...simd(0x0b), 3, ...uleb(off)];
export const V_LOAD64_SPLAT = [...simd(0x0a), 3, 0];
export const V_ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];
export const V_OR = simd(0x50);
export const V_BITSELECT = simd(0x52);
/** v128.const holding v in both f64 lanes. */
export const F64X2_CONST = (v: number) => [...simd(0x0c), ...new Uint8Array(new Float64Array([v, v]).buffer)];
/** Lane of an i32x4 as an i32. */
export const I32X4_EXTRACT = (lane: number) => [...simd(0x1b), lane];
/** i32x4.trunc_sat_f64x2_s_zero: both f64 lanes to saturated i32 lanes 0, 1 (NaN → 0). */
export const I32X4_TRUNC_SAT_F64X2 = simd(0xfc);
export const F64X2_SPLAT = simd(0x14);
export const F64X2_REPLACE = (lane: number) => [...simd(0x22), lane];
export const F64X2_EQ = simd(0x47);
export const F64X2_NE = simd(0x48);
export const F64X2_NEAREST = simd(0x94);
export const F64X2_ADD = simd(0xf0);
export const F64X2_SUB = simd(0xf1);
export const F64X2_MUL = simd(0xf2);
export const F64X2_DIV = simd(0xf3);
/** pmin/pmax: b < a ? b : a and a < b ? b : a — one instruction each, NaN not propagated. */
export const F64X2_PMIN = simd(0xf6);
export const F64X2_PMAX = simd(0xf7);
export const T_I32 = 0x7f;
export const T_V128 = 0x7b;

/**
 * A module with one exported function `name` taking `params` i32 arguments and returning
 * nothing, whose body (locals + code) is `body`, importing its memory as `env.mem`.
 */
export function moduleBytes(params: number, name: string, body: number[]): Uint8Array {
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([[0x60, ...vec(new Array<number[]>(params).fill([T_I32])), ...vec([])]])),
    ...section(2, vec([[...str("env"), ...str("mem"), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str(name), 0x00, 0]])),
    ...section(10, vec([body])),
  ]);
}

// The subset of the WebAssembly JS API used here (the ES2023 lib without DOM does not type it).
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (d: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
export const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * Instantiates a one-function module built by `moduleBytes` with a fresh memory of `pages`
 * 64 KiB pages; null when the engine lacks WebAssembly or rejects the module (e.g. no SIMD).
 */
export function instantiate<F>(
  bytes: Uint8Array,
  name: string,
  pages = 16,
): { mem: WasmMemory; fn: F } | null {
  try {
    if (!WA?.validate(bytes)) return null;
    const mem = new WA.Memory({ initial: pages });
    const inst = new WA.Instance(new WA.Module(bytes), { env: { mem } });
    return { mem, fn: inst.exports[name] as F };
  } catch {
    return null;
  }
}

/** Grows `mem` to at least `bytes` bytes. */
export function ensureBytes(mem: WasmMemory, bytes: number): void {
  const have = mem.buffer.byteLength;
  if (bytes > have) mem.grow(Math.ceil((bytes - have) / 65536));
}
