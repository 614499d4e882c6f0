// The fused product-sum of mul-sum.ts, o[j] = Σ_r Π_k x_k(r, j), with WebAssembly SIMD for large
// operands. The JavaScript loop reads eight columns of every row at once: with rows 2^k elements
// apart (a batch of tangents [10, 1024, 64]) all those lines fall into the same cache sets and
// the prefetchers see 20 streams, so it ran at a third of memory speed. Here each chunk of
// columns keeps its running sums in the module's memory while the rows stream past, one
// contiguous segment at a time. Lanes are columns, and each column gets the same IEEE operations
// in the same order as the JavaScript loop (products left to right, sums from 0 in row order),
// so both paths give identical bits.
import {
  BLOCK,
  br,
  brIf,
  END,
  emitter,
  ensureBytes,
  F64X2_ADD,
  F64X2_MUL,
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
import type { Data, FactorKind } from "./types.js";

const CH = 2048; // columns per chunk (16 KB per factor)
const MAX_FACTORS = 4;
// memory (doubles): factor k at k·CH (a row segment, the chunk's slice of a shared row, or the
// constant), the column sums at ACC
const ACC = MAX_FACTORS * CH;
const UNROLL = 2; // f64x2 pairs per iteration: chunks are processed in multiples of 4 columns

// param: bytes (the chunk width in bytes, rounded up to 16·UNROLL); local: i32 i
const [BYTES, I] = [0, 1];

function body(nFactors: number): number[] {
  const { c, e } = emitter();
  e(i32c(0), set(I), BLOCK, LOOP, get(I), get(BYTES), I32_GE_S, brIf(1));
  for (let u = 0; u < UNROLL; u++) {
    // acc = acc + ((x0·x1)·x2)…
    e(get(I), get(I), V_LOAD(ACC * 8 + u * 16));
    e(get(I), V_LOAD(u * 16));
    for (let k = 1; k < nFactors; k++) e(get(I), V_LOAD(k * CH * 8 + u * 16), F64X2_MUL);
    e(F64X2_ADD, V_STORE(ACC * 8 + u * 16));
  }
  e(get(I), i32c(16 * UNROLL), I32_ADD, set(I), br(0), END, END, END);
  return funcBody([[1, T_I32]], c);
}

type Fn = (bytes: number) => void;
/** One module per factor count (the kinds only change what the caller stages); null = unavailable. */
const kernels = new Map<number, { fn: Fn; mem: WasmMemory } | null>();

function kernel(nFactors: number): { fn: Fn; mem: WasmMemory } | null {
  let k = kernels.get(nFactors);
  if (k === undefined) {
    k = instantiate<Fn>(moduleBytes(1, "mulsum", body(nFactors)), "mulsum", 2);
    if (k) ensureBytes(k.mem, (ACC + CH) * 8);
    kernels.set(nFactors, k);
  }
  return k;
}

/**
 * o[j] = Σ_{r<R} Π_k x_k(r, j) for j < C with the SIMD kernel; returns false, doing nothing, when
 * there are too many factors or the engine lacks WebAssembly SIMD.
 */
export function wasmMulSum(xs: readonly Data[], kinds: readonly FactorKind[], R: number, C: number, o: Data) {
  if (xs.length > MAX_FACTORS || xs.length === 0) return false;
  const k = kernel(xs.length);
  if (k === null) return false;
  const buf = new Float64Array(k.mem.buffer);
  kinds.forEach((t, q) => {
    if (t === "K") buf.fill(xs[q][0], q * CH, (q + 1) * CH);
  });
  for (let j0 = 0; j0 < C; j0 += CH) {
    const w = Math.min(CH, C - j0);
    kinds.forEach((t, q) => {
      if (t === "S") buf.set(xs[q].subarray(j0, j0 + w), q * CH);
    });
    buf.fill(0, ACC, ACC + CH);
    // the lanes past w (< 4, inside the regions) compute on stale values and are dropped
    const bytes = Math.ceil(w / (2 * UNROLL)) * 16 * UNROLL;
    for (let r = 0, off = j0; r < R; r++, off += C) {
      kinds.forEach((t, q) => {
        if (t === "F") buf.set(xs[q].subarray(off, off + w), q * CH);
      });
      k.fn(bytes);
    }
    o.set(buf.subarray(ACC, ACC + w), j0);
  }
  return true;
}
