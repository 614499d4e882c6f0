// A WebAssembly SIMD (f64x2) matrix-product kernel, encoded byte by byte here so the package
// needs no toolchain. Inner tile: 4 rows × 4 columns of C in eight f64x2 accumulators; every k
// step loads two vectors of a B row and splats one A entry per row. Operands are copied into the
// module's memory with M and N padded to multiples of 4 (padding rows/columns of C are dropped).
// If the engine lacks WebAssembly SIMD the caller falls back to the JavaScript kernel.
import type { Data } from "./elementwise.js";

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
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
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

// opcodes
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const i32c = (v: number) => [0x41, ...sleb(v)];
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_GE_S = 0x4e;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const br = (d: number) => [0x0c, ...uleb(d)];
const brIf = (d: number) => [0x0d, ...uleb(d)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const V_LOAD = (off: number) => [...simd(0x00), 3, ...uleb(off)];
const V_STORE = (off: number) => [...simd(0x0b), 3, ...uleb(off)];
const V_LOAD64_SPLAT = [...simd(0x0a), 3, 0];
const V_ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];
const F64X2_ADD = simd(0xf0);
const F64X2_MUL = simd(0xf2);

// params a b c M K N aRow aK (byte strides of A between rows i and between k, so a transposed
// A is read in place); locals i32 i j k pa0..pa3 pb K8 N8 pc; v128 acc0..7 bv0 bv1 av
const [A, B, C, M, K, N, AROW, AK] = [0, 1, 2, 3, 4, 5, 6, 7];
const [I, J, KK, PA0, PB, K8, N8, PC] = [8, 9, 10, 11, 15, 16, 17, 18];
const ACC0 = 19;
const BV0 = 27;
const BV1 = 28;
const AV = 29;

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
  for (let q = 0; q < 8; q++) e(V_ZERO, set(ACC0 + q));
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
  // pc = c + (i·N + j)·8, then one row of the tile per N8 step
  e(get(C), get(I), get(N), I32_MUL, get(J), I32_ADD, i32c(8), I32_MUL, I32_ADD, set(PC));
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
    [...uleb(11), 0x7f],
    [...uleb(11), 0x7b],
  ]);
  const fn = [...locals, ...c];
  return [...uleb(fn.length), ...fn];
}

function moduleBytes(): Uint8Array {
  const i32 = 0x7f;
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([[0x60, ...vec(new Array<number[]>(8).fill([i32])), ...vec([])]])),
    ...section(2, vec([[...str("env"), ...str("mem"), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str("mm"), 0x00, 0]])),
    ...section(10, vec([body()])),
  ]);
}

// The subset of the WebAssembly JS API used here (the ES2023 lib without DOM does not type it).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (d: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface Wasm {
  mem: WasmMemory;
  mm: (a: number, b: number, c: number, M: number, K: number, N: number, aRow: number, aK: number) => void;
}

let wasm: Wasm | null | undefined;

function instance(): Wasm | null {
  if (wasm !== undefined) return wasm;
  try {
    if (!WA) return (wasm = null);
    const bytes = moduleBytes();
    if (!WA.validate(bytes)) return (wasm = null);
    const mem = new WA.Memory({ initial: 16 });
    const inst = new WA.Instance(new WA.Module(bytes), { env: { mem } });
    wasm = { mem, mm: inst.exports.mm as Wasm["mm"] };
  } catch {
    wasm = null;
  }
  return wasm;
}

/** True when the SIMD kernel is available in this engine. */
export function wasmMatmulAvailable(): boolean {
  return instance() !== null;
}

/**
 * C[M,N] = op(A)·op(B) (row-major blocks at the given offsets; op(A) = Aᵀ with A stored [K,M]
 * when `transA`, likewise B stored [N,K] when `transB`) with the SIMD kernel. Returns false,
 * doing nothing, if WebAssembly SIMD is unavailable.
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
  // a transposed A is read in place with strides; its padding rows read up to 3 values past its
  // end (a 4-value gap before B); those rows of C are dropped
  const need = (Mp * Kd + 4 + Kd * Np + Mp * Np) * 8;
  const have = w.mem.buffer.byteLength;
  if (need > have) w.mem.grow(Math.ceil((need - have) / 65536));
  const f = new Float64Array(w.mem.buffer);
  const bOff = Mp * Kd + 4;
  const cOff = bOff + Kd * Np;
  f.set(a.subarray(ao, ao + M * Kd), 0);
  if (transB) {
    for (let j = 0; j < Nd; j++)
      for (let k = 0, p = bo + j * Kd; k < Kd; k++) f[bOff + k * Np + j] = b[p + k];
  } else if (Np === Nd) f.set(b.subarray(bo, bo + Kd * Nd), bOff);
  else for (let k = 0; k < Kd; k++) f.set(b.subarray(bo + k * Nd, bo + (k + 1) * Nd), bOff + k * Np);
  if (transA) w.mm(0, bOff * 8, cOff * 8, Mp, Kd, Np, 8, M * 8);
  else w.mm(0, bOff * 8, cOff * 8, Mp, Kd, Np, Kd * 8, 8);
  if (Np === Nd) c.set(f.subarray(cOff, cOff + M * Nd), co);
  else for (let i = 0; i < M; i++) c.set(f.subarray(cOff + i * Np, cOff + i * Np + Nd), co + i * Nd);
  return true;
}
