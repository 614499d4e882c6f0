// The WebAssembly SIMD (f64x2) code of the weighted Gram products of gram.ts, encoded byte by
// byte as in wasm-matmul-code.ts. Two one-function modules:
//   gramFwd — H_b = J_b·diag(c_b)·J_bᵀ for a chunk of samples, the upper triangle computed and
//             mirrored (55 of 100 dot products for d = 10);
//   gramVjp — P = (Ḡ + Ḡᵀ)·J per sample, then J̄ = P ⊙ c and c̄ = ½ Σ_i J_i ⊙ P_i in the same
//             pass, so neither P nor J ⊙ P is ever stored.
// Rows are np doubles apart, np a multiple of 8 (zero padding), so every inner step works on
// four f64x2 and no remainder loop is needed. The operation order is written out in gram.ts's
// JavaScript kernels, which give the same bits.
import {
  BLOCK,
  br,
  brIf,
  END,
  emitter,
  F64_LOAD,
  F64_STORE,
  F64X2_ADD,
  F64X2_CONST,
  F64X2_MUL,
  F64X2_SPLAT,
  funcBody,
  get,
  I32_ADD,
  I32_GE_S,
  I32_MUL,
  i32c,
  LOOP,
  moduleBytes,
  set,
  simd,
  T_I32,
  T_V128,
  V_LOAD,
  V_STORE,
  V_ZERO,
} from "@physml/wasm-encode";

const F64_ADD = 0xa0;
const extractLane = (lane: number) => [...simd(0x21), lane];

/** gramFwd(j, c, h, t, nS, d, np): byte addresses of J [nS, d, np], c [nS, np], H [nS, d, d], a scratch row t [np]. */
export type GramFwdFn = (
  j: number,
  c: number,
  h: number,
  t: number,
  nS: number,
  d: number,
  np: number,
) => void;
/** gramVjp(j, c, g, dj, dc, nS, d, np): J, c and Ḡ [nS, d, d] in; J̄ [nS, d, np] and c̄ [nS, np] (zeroed by the caller) out. */
export type GramVjpFn = (
  j: number,
  c: number,
  g: number,
  dj: number,
  dc: number,
  nS: number,
  d: number,
  np: number,
) => void;

function fwdBody(): number[] {
  const [J, C, H, T, NS, D, NP] = [0, 1, 2, 3, 4, 5, 6];
  const [S, I, JJ, Q, PJ, PC, PH, RI, RJ, NB, PT, PR] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  const A0 = 19; // four v128 accumulators
  const { c, e } = emitter();
  const step = (local: number, by: number[]) => e(get(local), ...by, I32_ADD, set(local));
  // h = lane 0 + lane 1 of (A0 + A1) + (A2 + A3), stored at ph + (r·d + q)·8
  const storeH = (r: number, q: number) => {
    e(get(PH), get(r), get(D), I32_MUL, get(q), I32_ADD, i32c(8), I32_MUL, I32_ADD);
    e(get(A0), extractLane(0), get(A0), extractLane(1), F64_ADD, F64_STORE);
  };
  e(get(NP), i32c(8), I32_MUL, set(NB), get(J), set(PJ), get(C), set(PC), get(H), set(PH));
  e(i32c(0), set(S), BLOCK, LOOP, get(S), get(NS), I32_GE_S, brIf(1));
  e(i32c(0), set(I), get(PJ), set(RI), BLOCK, LOOP, get(I), get(D), I32_GE_S, brIf(1));
  // t = J_i ⊙ c
  e(i32c(0), set(Q), BLOCK, LOOP, get(Q), get(NB), I32_GE_S, brIf(1));
  e(get(T), get(Q), I32_ADD, get(RI), get(Q), I32_ADD, V_LOAD(0), get(PC), get(Q), I32_ADD, V_LOAD(0));
  e(F64X2_MUL, V_STORE(0));
  step(Q, i32c(16));
  e(br(0), END, END);
  // H_ij for j ≥ i: lane pair r of A_r sums the columns k ≡ 2r, 2r + 1 (mod 8), in k order
  e(get(I), set(JJ), get(RI), set(RJ), BLOCK, LOOP, get(JJ), get(D), I32_GE_S, brIf(1));
  for (let r = 0; r < 4; r++) e(V_ZERO, set(A0 + r));
  e(get(T), set(PT), get(RJ), set(PR), i32c(0), set(Q), BLOCK, LOOP, get(Q), get(NB), I32_GE_S, brIf(1));
  for (let r = 0; r < 4; r++)
    e(get(A0 + r), get(PT), V_LOAD(16 * r), get(PR), V_LOAD(16 * r), F64X2_MUL, F64X2_ADD, set(A0 + r));
  step(PT, i32c(64));
  step(PR, i32c(64));
  step(Q, i32c(64));
  e(br(0), END, END);
  e(get(A0), get(A0 + 1), F64X2_ADD, get(A0 + 2), get(A0 + 3), F64X2_ADD, F64X2_ADD, set(A0));
  storeH(I, JJ);
  storeH(JJ, I);
  step(RJ, get(NB));
  step(JJ, i32c(1));
  e(br(0), END, END);
  step(RI, get(NB));
  step(I, i32c(1));
  e(br(0), END, END);
  // next sample
  e(get(PJ), get(D), get(NB), I32_MUL, I32_ADD, set(PJ));
  step(PC, get(NB));
  e(get(PH), get(D), get(D), I32_MUL, i32c(8), I32_MUL, I32_ADD, set(PH));
  step(S, i32c(1));
  e(br(0), END, END, END);
  return funcBody(
    [
      [12, T_I32],
      [4, T_V128],
    ],
    c,
  );
}

function vjpBody(): number[] {
  const [J, C, G, DJ, DC, NS, D, NP] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [S, I, JJ, Q, PJ, PC, PG, PDJ, PDC, RI, RJ, NB, D8, GI, GJ, PO] = [
    8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
  ];
  const [A0, SV] = [24, 28]; // four v128 accumulators, then the splatted Ḡ_ij + Ḡ_ji
  const { c, e } = emitter();
  const step = (local: number, by: number[]) => e(get(local), ...by, I32_ADD, set(local));
  e(get(NP), i32c(8), I32_MUL, set(NB), get(D), i32c(8), I32_MUL, set(D8));
  e(get(J), set(PJ), get(C), set(PC), get(G), set(PG), get(DJ), set(PDJ), get(DC), set(PDC));
  e(i32c(0), set(S), BLOCK, LOOP, get(S), get(NS), I32_GE_S, brIf(1));
  e(i32c(0), set(I), get(PJ), set(RI), get(PDJ), set(PO), BLOCK, LOOP, get(I), get(D), I32_GE_S, brIf(1));
  e(i32c(0), set(Q), BLOCK, LOOP, get(Q), get(NB), I32_GE_S, brIf(1));
  // P_i at columns q…q+7: Σ_j (Ḡ_ij + Ḡ_ji)·J_j, j in order from 0
  for (let r = 0; r < 4; r++) e(V_ZERO, set(A0 + r));
  e(get(PJ), get(Q), I32_ADD, set(RJ));
  e(get(PG), get(I), get(D8), I32_MUL, I32_ADD, set(GI), get(PG), get(I), i32c(8), I32_MUL, I32_ADD, set(GJ));
  e(i32c(0), set(JJ), BLOCK, LOOP, get(JJ), get(D), I32_GE_S, brIf(1));
  e(get(GI), F64_LOAD, get(GJ), F64_LOAD, F64_ADD, F64X2_SPLAT, set(SV));
  for (let r = 0; r < 4; r++)
    e(get(A0 + r), get(SV), get(RJ), V_LOAD(16 * r), F64X2_MUL, F64X2_ADD, set(A0 + r));
  step(RJ, get(NB));
  step(GI, i32c(8));
  step(GJ, get(D8));
  step(JJ, i32c(1));
  e(br(0), END, END);
  // J̄_i = P_i ⊙ c; c̄ += J_i ⊙ P_i
  for (let r = 0; r < 4; r++) {
    e(
      get(PO),
      get(Q),
      I32_ADD,
      get(A0 + r),
      get(PC),
      get(Q),
      I32_ADD,
      V_LOAD(16 * r),
      F64X2_MUL,
      V_STORE(16 * r),
    );
    e(get(PDC), get(Q), I32_ADD, get(PDC), get(Q), I32_ADD, V_LOAD(16 * r));
    e(get(RI), get(Q), I32_ADD, V_LOAD(16 * r), get(A0 + r), F64X2_MUL, F64X2_ADD, V_STORE(16 * r));
  }
  step(Q, i32c(64));
  e(br(0), END, END);
  step(RI, get(NB));
  step(PO, get(NB));
  step(I, i32c(1));
  e(br(0), END, END);
  // c̄ ← ½ c̄: the sum above counts every pair (i, j) twice
  e(i32c(0), set(Q), BLOCK, LOOP, get(Q), get(NB), I32_GE_S, brIf(1));
  e(get(PDC), get(Q), I32_ADD, get(PDC), get(Q), I32_ADD, V_LOAD(0), F64X2_CONST(0.5), F64X2_MUL, V_STORE(0));
  step(Q, i32c(16));
  e(br(0), END, END);
  // next sample
  e(get(PJ), get(D), get(NB), I32_MUL, I32_ADD, set(PJ));
  e(get(PDJ), get(D), get(NB), I32_MUL, I32_ADD, set(PDJ));
  step(PC, get(NB));
  step(PDC, get(NB));
  e(get(PG), get(D), get(D8), I32_MUL, I32_ADD, set(PG));
  step(S, i32c(1));
  e(br(0), END, END, END);
  return funcBody(
    [
      [16, T_I32],
      [5, T_V128],
    ],
    c,
  );
}

/** The two modules' bytes (each imports its memory as env.mem and exports one function). */
export const gramFwdBytes = (): Uint8Array => moduleBytes(7, "gramFwd", fwdBody());
export const gramVjpBytes = (): Uint8Array => moduleBytes(8, "gramVjp", vjpBody());
