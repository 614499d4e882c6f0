// tanh over an array with WebAssembly SIMD (two f64 lanes), the same method and constants as
// fastTanh in tanh.ts, lane for lane: clamp to [−20, 20], j = nearest(x), r = x − j,
// t_r = r·N(r²)/D(r²), tanh x = (T_j·D + r·N) / (D + T_j·r·N). V8's JavaScript loops over
// typed-array parameters reload each array's fields after every store (~2 ns per element), so
// bulk elementwise work is faster copied through the module's memory in cache-sized chunks.
import {
  BLOCK,
  br,
  brIf,
  END,
  emitter,
  ensureBytes,
  F64_LOAD,
  F64X2_ADD,
  F64X2_DIV,
  F64X2_EQ,
  F64X2_MUL,
  F64X2_NE,
  F64X2_NEAREST,
  F64X2_PMAX,
  F64X2_PMIN,
  F64X2_REPLACE,
  F64X2_SPLAT,
  F64X2_SUB,
  funcBody,
  get,
  I32_ADD,
  I32_GE_S,
  I32_SHL,
  I32X4_EXTRACT,
  i32c,
  instantiate,
  LOOP,
  moduleBytes,
  set,
  T_I32,
  T_V128,
  V_BITSELECT,
  V_LOAD,
  V_OR,
  V_STORE,
  V_ZERO,
  type WasmMemory,
} from "@physml/wasm-encode";

/** Coefficients of the depth-7 Lambert convergent r·N(z)/D(z), z = r² (see tanh.ts). */
export const TANH_NUM = [2027025, 270270, 6930, 36] as const;
export const TANH_DEN = [2027025, 945945, 51975, 630, 1] as const;

// params: p (byte pointer, in place), pairs, t0 (byte pointer of T_0 in the table T_{−20…20})
const [P, PAIRS, T0] = [0, 1, 2];
// locals: i32 i; v128 x c j r z n d t. The constants are loaded from memory (a v128 each after the
// table) at every use: V8 builds an inline v128.const from general registers, several instructions
// per use, and keeping them in locals would spill past 16 vector registers, while a load that hits
// L1 is one µop (4.6 → 3.2 ns per element, measured).
const I = 3;
const [X, Cl, Jf, R, Z, NN, D, T] = [4, 5, 6, 7, 8, 9, 10, 11];
const MAGIC = 1.5 * 2 ** 52;
const CONSTS = [...TANH_NUM, ...TANH_DEN.slice(0, 4), -20, 20, MAGIC];
const CONST_BYTE = 48 * 8; // after the table T_{−20…20}, 16-byte aligned
const cload = (v: number) => [...i32c(0), ...V_LOAD(CONST_BYTE + 16 * CONSTS.indexOf(v))];
const [N0, N1, N2, N3] = TANH_NUM.map(cload);
const [D0, D1, D2, D3] = TANH_DEN.slice(0, 4).map(cload);

/** f64x2 pairs computed side by side per iteration: two independent dependency chains (each ~70
 * cycles of latency: Horner steps, the division) let the core overlap them (3.2 → 2.8 ns per
 * element, measured); more would spill vector registers. */
const PAIRS_PER_ITER = 2;

/**
 * The tanh function body (params p, pairs, t0; tanh in place on `pairs` f64x2 at byte p), for any
 * module whose memory starts with the tables written by writeTanhTables (the matrix product's
 * module reuses it to apply a dense layer's activation to C before copying it out).
 */
export function tanhBody(): number[] {
  const { c, e } = emitter();
  // the locals of pair u: X… shifted by 8u; every stage is emitted for each pair in turn
  const L = (local: number, u: number) => local + 8 * u;
  const stages: ((u: number) => void)[] = [
    (u) => e(get(P), V_LOAD(16 * u), set(L(X, u))),
    // pmax/pmin are single instructions (NaN lanes become −20 here and are restored at the end)
    (u) => e(cload(-20), get(L(X, u)), F64X2_PMAX, set(L(Cl, u))),
    (u) => e(cload(20), get(L(Cl, u)), F64X2_PMIN, set(L(Cl, u))),
    (u) => e(get(L(Cl, u)), F64X2_NEAREST, set(L(Jf, u))),
    (u) => e(get(L(Cl, u)), get(L(Jf, u)), F64X2_SUB, set(L(R, u))),
    // T_j per lane: f64.load(t0 + (j_lane << 3)). j + 1.5·2^52 holds the integer j in the low
    // 32 bits of each lane (i32 lanes 0 and 2), one add instead of V8's five-instruction
    // saturating conversion; kept in the NN local until n is computed
    (u) => e(get(L(Jf, u)), cload(MAGIC), F64X2_ADD, set(L(NN, u))),
    (u) => {
      const tableLane = (lane: number) =>
        e(get(T0), get(L(NN, u)), I32X4_EXTRACT(2 * lane), i32c(3), I32_SHL, I32_ADD, F64_LOAD);
      tableLane(0);
      e(F64X2_SPLAT);
      tableLane(1);
      e(F64X2_REPLACE(1), set(L(T, u)));
    },
    (u) => e(get(L(R, u)), get(L(R, u)), F64X2_MUL, set(L(Z, u))),
    // n = r·(n0 + z·(n1 + z·(n2 + z·n3)))
    (u) => {
      const z = get(L(Z, u));
      e(N3, z, F64X2_MUL, N2, F64X2_ADD, z, F64X2_MUL, N1, F64X2_ADD, z, F64X2_MUL, N0, F64X2_ADD);
      e(get(L(R, u)), F64X2_MUL, set(L(NN, u)));
    },
    // d = d0 + z·(d1 + z·(d2 + z·(d3 + z)))
    (u) => {
      const z = get(L(Z, u));
      e(D3, z, F64X2_ADD, z, F64X2_MUL, D2, F64X2_ADD, z, F64X2_MUL, D1, F64X2_ADD);
      e(z, F64X2_MUL, D0, F64X2_ADD, set(L(D, u)));
    },
    // (t·d + n) / (d + t·n); lanes where x = ±0 or NaN keep x (the sign of zero; NaN)
    (u) => {
      const [x, t, n, d] = [X, T, NN, D].map((l) => get(L(l, u)));
      e(x, t, d, F64X2_MUL, n, F64X2_ADD, d, t, n, F64X2_MUL, F64X2_ADD, F64X2_DIV);
      e(x, V_ZERO, F64X2_EQ, x, x, F64X2_NE, V_OR, V_BITSELECT, set(L(X, u)));
    },
    (u) => e(get(P), get(L(X, u)), V_STORE(16 * u)),
  ];
  e(i32c(0), set(I), BLOCK, LOOP, get(I), get(PAIRS), I32_GE_S, brIf(1));
  for (const stage of stages) for (let u = 0; u < PAIRS_PER_ITER; u++) stage(u);
  e(get(P), i32c(16 * PAIRS_PER_ITER), I32_ADD, set(P));
  e(get(I), i32c(PAIRS_PER_ITER), I32_ADD, set(I), br(0), END, END, END);
  return funcBody(
    [
      [1, T_I32],
      [8 * PAIRS_PER_ITER, T_V128],
    ],
    c,
  );
}

export type TanhFn = (p: number, pairs: number, t0: number) => void;
let wasm: { mem: WasmMemory; fn: TanhFn } | null | undefined;

/** Doubles at the start of memory that tanhBody reads: T_{−20…20}, then the constants. */
export const TANH_TABLE_DOUBLES = 96;
/** The t0 argument of tanhBody: the byte address of T_0. */
export const TANH_T0_BYTE = 20 * 8;
const TABLE_DOUBLES = TANH_TABLE_DOUBLES; // data after the tables
const CHUNK = 4096; // doubles per pass through the module's memory (32 KB)

function instance(): { mem: WasmMemory; fn: TanhFn } | null {
  if (wasm === undefined) {
    wasm = instantiate<TanhFn>(moduleBytes(3, "tanh", tanhBody()), "tanh", 1);
    if (wasm) {
      ensureBytes(wasm.mem, (TABLE_DOUBLES + CHUNK) * 8);
      writeTanhTables(new Float64Array(wasm.mem.buffer));
    }
  }
  return wasm;
}

/** Writes the tables tanhBody reads into the first TANH_TABLE_DOUBLES doubles of `f`. */
export function writeTanhTables(f: Float64Array): void {
  for (let j = -20; j <= 20; j++) f[j + 20] = Math.tanh(j);
  CONSTS.forEach((v, i) => {
    f.fill(v, CONST_BYTE / 8 + 2 * i, CONST_BYTE / 8 + 2 * i + 2);
  });
}

/**
 * o[i] = tanh(x[i]) for i < n with the SIMD kernel, in chunks; returns false (doing nothing) if
 * WebAssembly SIMD is unavailable. An odd last element is left to the caller.
 */
export function wasmTanh(
  x: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> },
  o: { set(a: ArrayLike<number>, off: number): void },
  n: number,
): boolean {
  const w = instance();
  if (w === null) return false;
  const f = new Float64Array(w.mem.buffer);
  const even = n & ~1;
  for (let s = 0; s < even; s += CHUNK) {
    const len = Math.min(CHUNK, even - s);
    f.set(x.subarray(s, s + len), TABLE_DOUBLES);
    // whole iterations: a last odd pair computes on a stale pair of the chunk, never copied out
    w.fn(TABLE_DOUBLES * 8, len >> 1, TANH_T0_BYTE);
    o.set(f.subarray(TABLE_DOUBLES, TABLE_DOUBLES + len), s);
  }
  return true;
}
