// The WebAssembly SIMD code of the direct 2-D convolution (wasm-conv.ts stages the operands and
// runs it). The input of each sample sits in the module as padded planes [Ci][PH][PW] (the
// boundary rows and columns already wrapped or zeroed), so the input under tap (da, db) of output
// site (r, j) is at a fixed byte offset from the site's own padded position: a table offs[k]
// (k = ci·T + t over the active taps) replaces the column matrix of im2col, and the shifted rows
// are read in place. Both kernels use the product kernel's 4×4 register tile (eight f64x2
// accumulators, two vector loads and four splats per 8 multiply-adds):
//   convFwd — C[co, r·W + j] = Σ_k Wp[co, k]·X[site(r, j) + offs[k]], 4 output channels × 4
//             columns of one lattice row per tile; Wp in 4-row panels [Mp/4][K][4];
//   convPad — the padded planes from raw [H][W] planes (wrapped or zero boundary);
//   convWG  — DW[co, k] = Σ_samples Σ_sites G[co, site]·X[site + offs[k]], 4 channels × 2 taps per
//             tile, vectorised over pairs of sites, the lanes added at the end.
// Every C entry is a sum in k order starting from 0, and every DW entry the sum of its two lane
// sums, whichever thread computes it.

import {
  BLOCK,
  br,
  brIf,
  type Code,
  ELSE,
  END,
  emitter,
  F64_LOAD,
  F64_STORE,
  F64X2_ADD,
  F64X2_MUL,
  f64c,
  funcBody,
  get,
  I32_ADD,
  I32_AND,
  I32_EQZ,
  I32_GE_S,
  I32_LOAD,
  I32_LT_S,
  I32_MUL,
  I32_SUB,
  IF,
  i32c,
  LOOP,
  set,
  simd,
  T_I32,
  T_V128,
  uleb,
  V_LOAD,
  V_STORE,
  V_ZERO,
} from "@physml/wasm-encode";

const splatAt = (offset: number) => [...simd(0x0a), 3, ...uleb(offset)];
const F64X2_EXTRACT = (lane: number) => [...simd(0x21), lane];
const F64_ADD = 0xa0;

function body(code: number[], nI32: number, nV128: number): number[] {
  return funcBody(
    [
      [nI32, T_I32],
      [nV128, T_V128],
    ],
    code,
  );
}

/** Parameters of convFwd (all i32, byte addresses and strides): see convFwdBody. */
export type ConvFwdFn = (
  xc: number,
  offs: number,
  wp: number,
  c: number,
  M: number,
  K: number,
  H: number,
  W: number,
  PW: number,
  ns: number,
  xs: number,
  cs: number,
  bias: number,
) => void;

// convFwd(xc, offs, wp, c, M, K, H, W, PW, ns, xs, cs, bias): for samples s < ns, C_s[i, r·W + j] =
// Σ_k wp[i, k]·X_s[r·PW + j + offs[k]/8] (+ bias[i] when bias ≥ 0, added to the finished sum as
// the add op would) with X_s = xc + s·xs (the padded position of site (0, 0)), C_s = c + s·cs,
// rows HW·8 bytes apart; M a multiple of 4, W a multiple of 4.
export function convFwdBody(): number[] {
  const [XC, OFFS, WP, C, M, K, H, W, PW, NS, XS, CS, BIAS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const [S, I, R, J, KK, PB, PC, PO, Q, PA, HW8, PROW, XB, CB, WPI] = [
    13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
  ];
  const ACC0 = 28; // v128 locals: 8 accumulators (row r: ACC0 + 2r, + 1), then B vectors and the splat
  const [BV0, BV1, AV] = [ACC0 + 8, ACC0 + 9, ACC0 + 10];
  const { c, e } = emitter();
  const inc = (l: number, v: Code) => e(get(l), ...v, I32_ADD, set(l));
  e(get(H), get(W), I32_MUL, i32c(8), I32_MUL, set(HW8));
  e(i32c(0), set(S), BLOCK, LOOP, get(S), get(NS), I32_GE_S, brIf(1));
  e(get(XC), get(S), get(XS), I32_MUL, I32_ADD, set(XB));
  e(get(C), get(S), get(CS), I32_MUL, I32_ADD, set(CB));
  e(i32c(0), set(I), BLOCK, LOOP, get(I), get(M), I32_GE_S, brIf(1));
  // this tile row's weight panel and first C entry
  e(get(WP), get(I), get(K), I32_MUL, i32c(8), I32_MUL, I32_ADD, set(WPI));
  e(get(CB), get(I), get(HW8), I32_MUL, I32_ADD, set(PC));
  e(get(XB), set(PROW));
  e(i32c(0), set(R), BLOCK, LOOP, get(R), get(H), I32_GE_S, brIf(1));
  e(i32c(0), set(J), BLOCK, LOOP, get(J), get(W), I32_GE_S, brIf(1));
  e(get(PROW), get(J), i32c(8), I32_MUL, I32_ADD, set(PB));
  e(get(WPI), set(PA), get(OFFS), set(PO));
  for (let q = 0; q < 8; q++) e(V_ZERO, set(ACC0 + q));
  e(get(K), set(KK), BLOCK, LOOP, get(KK), I32_EQZ, brIf(1));
  e(get(PO), I32_LOAD(0), get(PB), I32_ADD, set(Q));
  e(get(Q), V_LOAD(0), set(BV0), get(Q), V_LOAD(16), set(BV1));
  for (let r = 0; r < 4; r++) {
    e(get(PA), splatAt(8 * r), set(AV));
    e(get(ACC0 + 2 * r), get(AV), get(BV0), F64X2_MUL, F64X2_ADD, set(ACC0 + 2 * r));
    e(get(ACC0 + 2 * r + 1), get(AV), get(BV1), F64X2_MUL, F64X2_ADD, set(ACC0 + 2 * r + 1));
  }
  inc(PA, [i32c(32)]);
  inc(PO, [i32c(4)]);
  e(get(KK), i32c(1), I32_SUB, set(KK), br(0), END, END);
  e(get(BIAS), i32c(0), I32_GE_S, IF);
  for (let r = 0; r < 4; r++) {
    e(get(BIAS), get(I), i32c(r), I32_ADD, i32c(8), I32_MUL, I32_ADD, splatAt(0), set(AV));
    e(get(ACC0 + 2 * r), get(AV), F64X2_ADD, set(ACC0 + 2 * r));
    e(get(ACC0 + 2 * r + 1), get(AV), F64X2_ADD, set(ACC0 + 2 * r + 1));
  }
  e(END);
  // the tile's 4 rows of C: columns r·W + j … + 3 (tiles run through C's columns in order)
  for (let r = 0; r < 4; r++) {
    e(get(PC), ...(r === 0 ? [] : [get(HW8), i32c(r), I32_MUL, I32_ADD]), set(Q));
    e(get(Q), get(ACC0 + 2 * r), V_STORE(0), get(Q), get(ACC0 + 2 * r + 1), V_STORE(16));
  }
  inc(PC, [i32c(32)]);
  e(get(J), i32c(4), I32_ADD, set(J), br(0), END, END);
  inc(PROW, [get(PW), i32c(8), I32_MUL]);
  e(get(R), i32c(1), I32_ADD, set(R), br(0), END, END);
  e(get(I), i32c(4), I32_ADD, set(I), br(0), END, END);
  e(get(S), i32c(1), I32_ADD, set(S), br(0), END, END, END);
  return body(c, 15, 11);
}

/** Parameters of convWG (all i32, byte addresses and strides): see convWGBody. */
export type ConvWGFn = (
  xc: number,
  offs: number,
  g: number,
  dw: number,
  M: number,
  K: number,
  H: number,
  W: number,
  PW: number,
  ns: number,
  xs: number,
  gs: number,
) => void;

// convWG(xc, offs, g, dw, M, K, H, W, PW, ns, xs, gs): dw[i, k] = Σ_{s < ns} Σ_{r, j}
// G_s[i, r·W + j]·X_s[r·PW + j + offs[k]/8] (stored, not added), G_s = g + s·gs with rows HW·8
// bytes apart, X_s = xc + s·xs; M a multiple of 4, K and W even.
export function convWGBody(): number[] {
  const [XC, OFFS, G, DW, M, K, H, W, PW, NS, XS, GS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [I, KP, S, R, J, HW8, PG, PX0, PX1, O0, O1, GB, XB, PD, SKIP] = [
    12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
  ];
  const PG1 = 27; // PG1 … PG1 + 2: the tile's other three channel rows of G, beside PG
  const ACC0 = 30; // v128: accumulators (channel r, tap q: ACC0 + 2r + q), then G and X vectors
  const [GV, XV0, XV1] = [ACC0 + 8, ACC0 + 9, ACC0 + 10];
  const { c, e } = emitter();
  const inc = (l: number, v: Code) => e(get(l), ...v, I32_ADD, set(l));
  e(get(H), get(W), I32_MUL, i32c(8), I32_MUL, set(HW8));
  // bytes from the end of one lattice row to the start of the next in a padded plane
  e(get(PW), get(W), I32_SUB, i32c(8), I32_MUL, set(SKIP));
  e(i32c(0), set(I), BLOCK, LOOP, get(I), get(M), I32_GE_S, brIf(1));
  e(i32c(0), set(KP), BLOCK, LOOP, get(KP), get(K), I32_GE_S, brIf(1));
  e(get(OFFS), get(KP), i32c(4), I32_MUL, I32_ADD, set(O0));
  e(get(O0), I32_LOAD(4), set(O1), get(O0), I32_LOAD(0), set(O0));
  for (let q = 0; q < 8; q++) e(V_ZERO, set(ACC0 + q));
  e(get(G), get(I), get(HW8), I32_MUL, I32_ADD, set(GB), get(XC), set(XB));
  e(i32c(0), set(S), BLOCK, LOOP, get(S), get(NS), I32_GE_S, brIf(1));
  e(get(GB), set(PG), get(XB), get(O0), I32_ADD, set(PX0), get(XB), get(O1), I32_ADD, set(PX1));
  for (let r = 1; r < 4; r++) e(get(r === 1 ? PG : PG1 + r - 2), get(HW8), I32_ADD, set(PG1 + r - 1));
  e(i32c(0), set(R), BLOCK, LOOP, get(R), get(H), I32_GE_S, brIf(1));
  e(i32c(0), set(J), BLOCK, LOOP, get(J), get(W), I32_GE_S, brIf(1));
  e(get(PX0), V_LOAD(0), set(XV0), get(PX1), V_LOAD(0), set(XV1));
  for (let r = 0; r < 4; r++) {
    e(get(r === 0 ? PG : PG1 + r - 1), V_LOAD(0), set(GV));
    e(get(ACC0 + 2 * r), get(GV), get(XV0), F64X2_MUL, F64X2_ADD, set(ACC0 + 2 * r));
    e(get(ACC0 + 2 * r + 1), get(GV), get(XV1), F64X2_MUL, F64X2_ADD, set(ACC0 + 2 * r + 1));
  }
  inc(PG, [i32c(16)]);
  for (let r = 0; r < 3; r++) inc(PG1 + r, [i32c(16)]);
  inc(PX0, [i32c(16)]);
  inc(PX1, [i32c(16)]);
  e(get(J), i32c(2), I32_ADD, set(J), br(0), END, END);
  inc(PX0, [get(SKIP)]);
  inc(PX1, [get(SKIP)]);
  e(get(R), i32c(1), I32_ADD, set(R), br(0), END, END);
  inc(GB, [get(GS)]);
  inc(XB, [get(XS)]);
  e(get(S), i32c(1), I32_ADD, set(S), br(0), END, END);
  // dw[i + r, kp + q] = lane 0 + lane 1
  for (let r = 0; r < 4; r++) {
    e(
      get(DW),
      get(I),
      i32c(r),
      I32_ADD,
      get(K),
      I32_MUL,
      get(KP),
      I32_ADD,
      i32c(8),
      I32_MUL,
      I32_ADD,
      set(PD),
    );
    for (let q = 0; q < 2; q++) {
      e(get(PD), ...(q === 0 ? [] : [i32c(8), I32_ADD]));
      e(get(ACC0 + 2 * r + q), F64X2_EXTRACT(0), get(ACC0 + 2 * r + q), F64X2_EXTRACT(1), F64_ADD, F64_STORE);
    }
  }
  e(get(KP), i32c(2), I32_ADD, set(KP), br(0), END, END);
  e(get(I), i32c(4), I32_ADD, set(I), br(0), END, END, END);
  return body(c, 18, 11);
}

/** Parameters of convPad (all i32; addresses in bytes): see convPadBody. */
export type ConvPadFn = (
  src: number,
  dst: number,
  planes: number,
  H: number,
  W: number,
  rh: number,
  rw: number,
  circular: number,
) => void;

// convPad(src, dst, planes, H, W, rh, rw, circular): for each of `planes` raw planes [H][W] at src
// (contiguous), the padded plane [H + 2rh][W + 2rw] at dst (contiguous): row R is lattice row
// R − rh and column c lattice column c − rw, wrapped when `circular` ≠ 0, else 0 outside;
// rh < H and rw ≤ W. W even (the rows move as f64x2 pairs).
export function convPadBody(): number[] {
  const [SRC, DST, PLANES, H, W, RH, RW, CIRC] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [P, R, I, J, PH, PW, PS, PD, PR] = [8, 9, 10, 11, 12, 13, 14, 15, 16];
  const { c, e } = emitter();
  const inc = (l: number, v: Code) => e(get(l), ...v, I32_ADD, set(l));
  e(get(H), get(RH), get(RH), I32_ADD, I32_ADD, set(PH), get(W), get(RW), get(RW), I32_ADD, I32_ADD, set(PW));
  e(get(DST), set(PD));
  e(i32c(0), set(P), BLOCK, LOOP, get(P), get(PLANES), I32_GE_S, brIf(1));
  e(i32c(0), set(R), BLOCK, LOOP, get(R), get(PH), I32_GE_S, brIf(1));
  e(get(R), get(RH), I32_SUB, set(I));
  // rows outside the lattice: wrapped, or zero (PS = 1 marks a zero row)
  e(i32c(0), set(PS));
  e(get(I), i32c(0), I32_LT_S, IF, get(I), get(H), I32_ADD, set(I), i32c(1), set(PS), END);
  e(get(I), get(H), I32_GE_S, IF, get(I), get(H), I32_SUB, set(I), i32c(1), set(PS), END);
  e(get(PS), get(CIRC), I32_EQZ, I32_AND, IF);
  e(i32c(0), set(J), BLOCK, LOOP, get(J), get(PW), I32_GE_S, brIf(1));
  e(get(PD), get(J), i32c(8), I32_MUL, I32_ADD, f64c(0), F64_STORE);
  e(get(J), i32c(1), I32_ADD, set(J), br(0), END, END);
  e(ELSE);
  // PR: the source row; the lattice row moves in pairs to dst + rw
  e(get(SRC), get(P), get(H), I32_MUL, get(I), I32_ADD, get(W), I32_MUL, i32c(8), I32_MUL, I32_ADD, set(PR));
  e(i32c(0), set(J), BLOCK, LOOP, get(J), get(W), I32_GE_S, brIf(1));
  e(get(PD), get(RW), get(J), I32_ADD, i32c(8), I32_MUL, I32_ADD);
  e(get(PR), get(J), i32c(8), I32_MUL, I32_ADD, V_LOAD(0), V_STORE(0));
  e(get(J), i32c(2), I32_ADD, set(J), br(0), END, END);
  // the rw columns either side
  e(i32c(0), set(J), BLOCK, LOOP, get(J), get(RW), I32_GE_S, brIf(1));
  e(get(CIRC), IF);
  e(get(PD), get(J), i32c(8), I32_MUL, I32_ADD);
  e(get(PR), get(W), get(RW), I32_SUB, get(J), I32_ADD, i32c(8), I32_MUL, I32_ADD, F64_LOAD, F64_STORE);
  e(get(PD), get(RW), get(W), I32_ADD, get(J), I32_ADD, i32c(8), I32_MUL, I32_ADD);
  e(get(PR), get(J), i32c(8), I32_MUL, I32_ADD, F64_LOAD, F64_STORE);
  e(ELSE);
  e(get(PD), get(J), i32c(8), I32_MUL, I32_ADD, f64c(0), F64_STORE);
  e(get(PD), get(RW), get(W), I32_ADD, get(J), I32_ADD, i32c(8), I32_MUL, I32_ADD, f64c(0), F64_STORE);
  e(END);
  e(get(J), i32c(1), I32_ADD, set(J), br(0), END, END);
  e(END);
  inc(PD, [get(PW), i32c(8), I32_MUL]);
  e(get(R), i32c(1), I32_ADD, set(R), br(0), END, END);
  e(get(P), i32c(1), I32_ADD, set(P), br(0), END, END, END);
  return body(c, 9, 0);
}
