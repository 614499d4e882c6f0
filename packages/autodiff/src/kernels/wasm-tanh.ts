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
  ensureBytes,
  F64_LOAD,
  F64X2_ADD,
  F64X2_CONST,
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
  get,
  I32_ADD,
  I32_GE_S,
  I32_SHL,
  I32X4_EXTRACT,
  I32X4_TRUNC_SAT_F64X2,
  i32c,
  instantiate,
  LOOP,
  moduleBytes,
  set,
  T_I32,
  T_V128,
  uleb,
  V_BITSELECT,
  V_LOAD,
  V_OR,
  V_STORE,
  V_ZERO,
  vec,
  type WasmMemory,
} from "@physml/wasm-encode";

/** Coefficients of the depth-7 Lambert convergent r·N(z)/D(z), z = r² (see tanh.ts). */
export const TANH_NUM = [2027025, 270270, 6930, 36] as const;
export const TANH_DEN = [2027025, 945945, 51975, 630, 1] as const;

// params: p (byte pointer, in place), pairs, t0 (byte pointer of T_0 in the table T_{−20…20})
const [P, PAIRS, T0] = [0, 1, 2];
// locals: i32 i; v128 x c j r z n d t (the constants are inline v128.const: V8 spills past 16
// vector registers, so they are not kept in locals)
const I = 3;
const [X, Cl, Jf, R, Z, NN, D, T] = [4, 5, 6, 7, 8, 9, 10, 11];
const [N0, N1, N2, N3] = TANH_NUM.map(F64X2_CONST);
const [D0, D1, D2, D3] = TANH_DEN.slice(0, 4).map(F64X2_CONST);

function body(): number[] {
  const c: number[] = [];
  const e = (...xs: (number | number[])[]) => {
    for (const x of xs) typeof x === "number" ? c.push(x) : c.push(...x);
  };
  // T_j for lane `lane` of j: f64.load(t0 + (j_lane << 3)), j converted once for both lanes
  // (i32x4.trunc_sat_f64x2_s_zero) and kept in the NN local until n is computed
  const tableLane = (lane: number) =>
    e(get(T0), get(NN), I32X4_EXTRACT(lane), i32c(3), I32_SHL, I32_ADD, F64_LOAD);
  e(i32c(0), set(I), BLOCK, LOOP, get(I), get(PAIRS), I32_GE_S, brIf(1));
  e(get(P), V_LOAD(0), set(X));
  // pmax/pmin are single instructions (NaN lanes become −20 here and are restored at the end)
  e(F64X2_CONST(-20), get(X), F64X2_PMAX, set(Cl), F64X2_CONST(20), get(Cl), F64X2_PMIN, set(Cl));
  e(get(Cl), F64X2_NEAREST, set(Jf));
  e(get(Cl), get(Jf), F64X2_SUB, set(R));
  e(get(Jf), I32X4_TRUNC_SAT_F64X2, set(NN));
  tableLane(0);
  e(F64X2_SPLAT);
  tableLane(1);
  e(F64X2_REPLACE(1), set(T));
  e(get(R), get(R), F64X2_MUL, set(Z));
  // n = r·(n0 + z·(n1 + z·(n2 + z·n3)))
  e(N3, get(Z), F64X2_MUL, N2, F64X2_ADD);
  e(get(Z), F64X2_MUL, N1, F64X2_ADD, get(Z), F64X2_MUL, N0, F64X2_ADD);
  e(get(R), F64X2_MUL, set(NN));
  // d = d0 + z·(d1 + z·(d2 + z·(d3 + z)))
  e(D3, get(Z), F64X2_ADD, get(Z), F64X2_MUL, D2, F64X2_ADD);
  e(get(Z), F64X2_MUL, D1, F64X2_ADD, get(Z), F64X2_MUL, D0, F64X2_ADD, set(D));
  // (t·d + n) / (d + t·n); lanes where x = ±0 or NaN keep x (the sign of zero; NaN)
  e(get(X), get(T), get(D), F64X2_MUL, get(NN), F64X2_ADD, get(D), get(T), get(NN), F64X2_MUL, F64X2_ADD);
  e(F64X2_DIV, get(X), V_ZERO, F64X2_EQ, get(X), get(X), F64X2_NE, V_OR, V_BITSELECT);
  e(set(X), get(P), get(X), V_STORE(0));
  e(get(P), i32c(16), I32_ADD, set(P), get(I), i32c(1), I32_ADD, set(I), br(0), END, END, END);
  const locals = vec([
    [...uleb(1), T_I32],
    [...uleb(8), T_V128],
  ]);
  const fn = [...locals, ...c];
  return [...uleb(fn.length), ...fn];
}

type TanhFn = (p: number, pairs: number, t0: number) => void;
let wasm: { mem: WasmMemory; fn: TanhFn } | null | undefined;

const TABLE_DOUBLES = 64; // T_{−20…20} at the start of memory, data after it
const CHUNK = 4096; // doubles per pass through the module's memory (32 KB)

function instance(): { mem: WasmMemory; fn: TanhFn } | null {
  if (wasm === undefined) {
    wasm = instantiate<TanhFn>(moduleBytes(3, "tanh", body()), "tanh", 1);
    if (wasm) {
      ensureBytes(wasm.mem, (TABLE_DOUBLES + CHUNK) * 8);
      const f = new Float64Array(wasm.mem.buffer);
      for (let j = -20; j <= 20; j++) f[j + 20] = Math.tanh(j);
    }
  }
  return wasm;
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
    w.fn(TABLE_DOUBLES * 8, len >> 1, 20 * 8);
    o.set(f.subarray(TABLE_DOUBLES, TABLE_DOUBLES + len), s);
  }
  return true;
}
