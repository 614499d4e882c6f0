// tanh-tangent.ts's kernels with WebAssembly SIMD (f64x2): lanes are columns k, eight at a time,
// each with the same IEEE operations in the same order as the JavaScript kernels. Samples go
// in chunks of about 256 KB of Ḡ; rows are padded to a multiple of 8 doubles. A shared J and its
// cotangent stay in the module's memory for the whole call.
import {
  BLOCK,
  br,
  brIf,
  type Code,
  ELSE,
  END,
  emitter,
  F64X2_ADD,
  F64X2_CONST,
  F64X2_MUL,
  F64X2_SUB,
  funcBody,
  get,
  I32_ADD,
  I32_GE_S,
  I32_MUL,
  IF,
  i32c,
  instantiate,
  LOOP,
  moduleBytes,
  set,
  T_I32,
  T_V128,
  V_LOAD,
  V_STORE,
  V_ZERO,
  type WasmMemory,
} from "@physml/wasm-encode";
import { paddedRow, stageRows, stagingMemory, unstageRows } from "./wasm-rows.js";

/** Doubles of Ḡ per chunk. */
const CHUNK_DOUBLES = 32768;

// vjp(g, y, j, dy, dj, nS, d, np, shared): byte addresses; g [nS, d, np], y and dy [nS, np]; j and
// dj [nS, d, np], or [d, np] when shared (dj accumulated: zeroed by the caller)
type Fn = (
  g: number,
  y: number,
  j: number,
  dy: number,
  dj: number,
  nS: number,
  d: number,
  np: number,
  shared: number,
) => void;

function body(): number[] {
  const [G, Y, J, DY, DJ, NS, D, NP, SHARED] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [S, Q, I, PG, PY, PJ, PDY, PDJ, NB, RG, RJ, RD] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const [F, A0, GV] = [21, 25, 29]; // v128: per-column factor (y·(−2), or y when shared), sums, Ḡ
  const SV = 30; // v128 ×4: 1 − y²
  const { c, e } = emitter();
  const step = (local: number, by: Code) => e(get(local), ...by, I32_ADD, set(local));
  const at = (base: number) => e(get(base), get(Q), I32_ADD);
  // the i loop over one sample's rows at columns q…q+7
  const rows = (shared: boolean) => {
    e(i32c(0), set(I), BLOCK, LOOP, get(I), get(D), I32_GE_S, brIf(1));
    for (let r = 0; r < 4; r++) {
      e(get(RG), V_LOAD(16 * r), set(GV));
      if (shared) {
        e(get(A0 + r), get(RJ), V_LOAD(16 * r), F64X2_CONST(-2), F64X2_MUL, get(F + r), F64X2_MUL, get(GV));
        e(F64X2_MUL, F64X2_ADD, set(A0 + r));
        e(get(RD), get(RD), V_LOAD(16 * r), get(GV), get(SV + r), F64X2_MUL, F64X2_ADD, V_STORE(16 * r));
      } else {
        e(
          get(A0 + r),
          get(F + r),
          get(GV),
          F64X2_MUL,
          get(RJ),
          V_LOAD(16 * r),
          F64X2_MUL,
          F64X2_ADD,
          set(A0 + r),
        );
        e(get(RD), get(GV), get(SV + r), F64X2_MUL, V_STORE(16 * r));
      }
    }
    step(RG, get(NB));
    step(RJ, get(NB));
    step(RD, get(NB));
    step(I, i32c(1));
    e(br(0), END, END);
  };
  e(get(NP), i32c(8), I32_MUL, set(NB));
  e(get(G), set(PG), get(Y), set(PY), get(J), set(PJ), get(DY), set(PDY), get(DJ), set(PDJ));
  e(i32c(0), set(S), BLOCK, LOOP, get(S), get(NS), I32_GE_S, brIf(1));
  e(i32c(0), set(Q), BLOCK, LOOP, get(Q), get(NB), I32_GE_S, brIf(1));
  at(PG);
  e(set(RG));
  at(PJ);
  e(set(RJ));
  at(PDJ);
  e(set(RD));
  for (let r = 0; r < 4; r++) {
    // F = y·(−2) (y as it is when shared), SV = 1 − y·y
    at(PY);
    e(V_LOAD(16 * r), set(F + r), V_ZERO, set(A0 + r));
    e(F64X2_CONST(1), get(F + r), get(F + r), F64X2_MUL, F64X2_SUB, set(SV + r));
    e(get(SHARED), I32_EQ_Z, IF, get(F + r), F64X2_CONST(-2), F64X2_MUL, set(F + r), END);
  }
  e(get(SHARED), IF);
  rows(true);
  e(ELSE);
  rows(false);
  e(END);
  at(PDY);
  for (let r = 0; r < 4; r++) e(...(r > 0 ? [get(PDY), get(Q), I32_ADD] : []), get(A0 + r), V_STORE(16 * r));
  step(Q, i32c(64));
  e(br(0), END, END);
  // next sample (a shared J and its cotangent stay put)
  e(get(PG), get(D), get(NB), I32_MUL, I32_ADD, set(PG));
  step(PY, get(NB));
  step(PDY, get(NB));
  e(get(SHARED), I32_EQ_Z, IF);
  e(
    get(PJ),
    get(D),
    get(NB),
    I32_MUL,
    I32_ADD,
    set(PJ),
    get(PDJ),
    get(D),
    get(NB),
    I32_MUL,
    I32_ADD,
    set(PDJ),
  );
  e(END);
  step(S, i32c(1));
  e(br(0), END, END, END);
  return funcBody(
    [
      [12, T_I32],
      [13, T_V128],
    ],
    c,
  );
}
const I32_EQ_Z = 0x45;

// fwd(y, j, o, nS, d, np, shared): o [nS, d, np] = J ⊙ (1 − y·y), byte addresses; y [nS, np], j
// [nS, d, np], or [d, np] when shared
type FwdFn = (y: number, j: number, o: number, nS: number, d: number, np: number, shared: number) => void;

function fwdBody(): number[] {
  const [Y, J, O, NS, D, NP, SHARED] = [0, 1, 2, 3, 4, 5, 6];
  const [S, Q, I, PY, PJ, PO, NB, RJ, RO] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
  const SV = 16; // v128 ×4: 1 − y²
  const { c, e } = emitter();
  const step = (local: number, by: Code) => e(get(local), ...by, I32_ADD, set(local));
  e(get(NP), i32c(8), I32_MUL, set(NB), get(Y), set(PY), get(J), set(PJ), get(O), set(PO));
  e(i32c(0), set(S), BLOCK, LOOP, get(S), get(NS), I32_GE_S, brIf(1));
  e(i32c(0), set(Q), BLOCK, LOOP, get(Q), get(NB), I32_GE_S, brIf(1));
  for (let r = 0; r < 4; r++) {
    e(F64X2_CONST(1), get(PY), get(Q), I32_ADD, V_LOAD(16 * r), get(PY), get(Q), I32_ADD, V_LOAD(16 * r));
    e(F64X2_MUL, F64X2_SUB, set(SV + r));
  }
  e(get(PJ), get(Q), I32_ADD, set(RJ), get(PO), get(Q), I32_ADD, set(RO));
  e(i32c(0), set(I), BLOCK, LOOP, get(I), get(D), I32_GE_S, brIf(1));
  for (let r = 0; r < 4; r++) e(get(RO), get(RJ), V_LOAD(16 * r), get(SV + r), F64X2_MUL, V_STORE(16 * r));
  step(RJ, get(NB));
  step(RO, get(NB));
  step(I, i32c(1));
  e(br(0), END, END);
  step(Q, i32c(64));
  e(br(0), END, END);
  // next sample (a shared J stays put)
  step(PY, get(NB));
  e(get(PO), get(D), get(NB), I32_MUL, I32_ADD, set(PO));
  e(get(SHARED), I32_EQ_Z, IF, get(PJ), get(D), get(NB), I32_MUL, I32_ADD, set(PJ), END);
  step(S, i32c(1));
  e(br(0), END, END, END);
  return funcBody(
    [
      [9, T_I32],
      [4, T_V128],
    ],
    c,
  );
}

let mod: { fn: Fn; mem: WasmMemory } | null | undefined;
let fwdMod: { fn: FwdFn; mem: WasmMemory } | null | undefined;

/** tanh-tangent.ts's kernel with SIMD; false, doing nothing, when unavailable. */
export function wasmTanhTangentVjp(
  g: Float64Array,
  y: Float64Array,
  j: Float64Array,
  dy: Float64Array,
  dj: Float64Array,
  B: number,
  d: number,
  n: number,
  shared: boolean,
): boolean {
  if (mod === undefined) mod = instantiate<Fn>(moduleBytes(9, "tanhTangentVjp", body()), "tanhTangentVjp", 8);
  if (mod === null) return false;
  const np = paddedRow(n);
  const chunk = Math.min(B, Math.max(1, Math.floor(CHUNK_DOUBLES / (d * np))));
  // layout (doubles): Ḡ [chunk·d·np] | y [chunk·np] | ȳ [chunk·np] | J | J̄ ([chunk·d·np], or [d·np] shared)
  const jRows = shared ? d : chunk * d;
  const yOff = chunk * d * np;
  const dyOff = yOff + chunk * np;
  const jOff = dyOff + chunk * np;
  const djOff = jOff + jRows * np;
  const end = djOff + jRows * np;
  const buf = stagingMemory(mod, end);
  if (buf === null) return false;
  if (shared) {
    stageRows(buf, jOff, j, 0, d, n, np);
    buf.fill(0, djOff, end);
  }
  for (let b0 = 0; b0 < B; b0 += chunk) {
    const nS = Math.min(chunk, B - b0);
    stageRows(buf, 0, g, b0 * d, nS * d, n, np);
    stageRows(buf, yOff, y, b0, nS, n, np);
    if (!shared) stageRows(buf, jOff, j, b0 * d, nS * d, n, np);
    mod.fn(0, yOff * 8, jOff * 8, dyOff * 8, djOff * 8, nS, d, np, shared ? 1 : 0);
    unstageRows(dy, b0, buf, dyOff, nS, n, np);
    if (!shared) unstageRows(dj, b0 * d, buf, djOff, nS * d, n, np);
  }
  if (shared) unstageRows(dj, 0, buf, djOff, d, n, np);
  return true;
}

/** o = J ⊙ (1 − y²) (tanhGrad's operations) with SIMD; false, doing nothing, when unavailable. */
export function wasmTanhTangent(
  y: Float64Array,
  j: Float64Array,
  o: Float64Array,
  B: number,
  d: number,
  n: number,
  shared: boolean,
): boolean {
  if (fwdMod === undefined)
    fwdMod = instantiate<FwdFn>(moduleBytes(7, "tanhTangent", fwdBody()), "tanhTangent", 8);
  if (fwdMod === null) return false;
  const np = paddedRow(n);
  const chunk = Math.min(B, Math.max(1, Math.floor(CHUNK_DOUBLES / (d * np))));
  // layout (doubles): out [chunk·d·np] | y [chunk·np] | J ([chunk·d·np], or [d·np] shared)
  const yOff = chunk * d * np;
  const jOff = yOff + chunk * np;
  const end = jOff + (shared ? d : chunk * d) * np;
  const buf = stagingMemory(fwdMod, end);
  if (buf === null) return false;
  if (shared) stageRows(buf, jOff, j, 0, d, n, np);
  for (let b0 = 0; b0 < B; b0 += chunk) {
    const nS = Math.min(chunk, B - b0);
    stageRows(buf, yOff, y, b0, nS, n, np);
    if (!shared) stageRows(buf, jOff, j, b0 * d, nS * d, n, np);
    fwdMod.fn(yOff * 8, jOff * 8, 0, nS, d, np, shared ? 1 : 0);
    unstageRows(o, b0 * d, buf, 0, nS * d, n, np);
  }
  return true;
}
