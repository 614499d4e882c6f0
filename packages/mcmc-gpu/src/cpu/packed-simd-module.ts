// The replica-packed kernel of SPEC.md as a WebAssembly SIMD module (bytes built with
// @physml/wasm-encode, no toolchain): one v128 per site holds 4 of the kernel's 32-chain groups
// side by side (lane q = group g0 + q), so one site update serves 128 chains. Per site: bitwise
// adders classify every lane by ΔE, lanes with ΔE ≤ 0 flip, and the others draw SPEC.md's
// bit-serial Bernoulli masks. The block keys Philox(key, (g, n, k, ⌊j/4⌋)) of the 4 groups are
// one SIMD Philox (the lanes differ in the group counter), computed when the walk enters a block
// with a site that needs a coin; level m of site j hashes c = 4(m − 1) + (j mod 4) in every lane
// with that lane's keys. Sites of one colour do not interact, so each is decided on the spot.
// The level loop is a function of its own (`levels`): inside the walk's large body the engine
// kept its vectors on the stack; alone, they stay in registers and the 4 unrolled levels
// interleave.
// Bit-identical to packed-kernel.ts, group by group (tested).
//
// Memory (imported, shared between threads): the header below, then the spins of each
// 128-chain vector group as `[site][lane]` i32 words from a byte offset the caller passes.
import {
  BLOCK,
  br,
  brIf,
  call,
  END,
  emitter,
  funcBody,
  funcType,
  get,
  HEADER,
  I32_ADD,
  I32_AND,
  I32_DIV_U,
  I32_EQ,
  I32_EQZ,
  I32_GE_U,
  I32_LOAD,
  I32_LT_U,
  I32_MUL,
  I32_NE,
  I32_SHL,
  I32_SHR_U,
  I32_SUB,
  I32X4_ADD,
  I32X4_REPLACE,
  I32X4_SPLAT,
  IF,
  i32c,
  LOOP,
  SELECT,
  section,
  set,
  str,
  T_I32,
  T_V128,
  tee,
  uleb,
  V_AND,
  V_ANY_TRUE,
  V_CONST_I32,
  V_LOAD,
  V_LOAD32_SPLAT,
  V_NOT,
  V_OR,
  V_STORE,
  V_XOR,
  vec,
} from "@physml/wasm-encode";
import { bernoulliLevelV128, lowbiasMixV128 } from "../rng/lowbias-simd.js";
import { type PhiloxSimdLocals, philoxSimdConstants, philoxSimdRounds } from "../rng/philox-simd.js";

/** Header byte offsets: Philox key words, lattice sides, the neighbour-test inversion word. */
export const H_K0 = 0;
export const H_K1 = 4;
export const H_LX = 8;
export const H_LY = 12;
/** −1 when nn > 0 (count aligned neighbours), 0 when nn < 0 (count anti-aligned ones). */
export const H_INVERT = 16;
/**
 * 32 level rows, MSB first, of 64 bytes: bit 32 − m of T4 splatted, bit 32 − m of T8 splatted,
 * and 4·(m − 1) splatted (the level's hash code without the site's j mod 4).
 */
export const H_LEVELS = 64;
export const LEVEL_BYTES = 64;
/** First byte after the header (spins may start here). */
export const HEADER_BYTES = H_LEVELS + 32 * LEVEL_BYTES + 64;
/** Philox output of `philox4` (a test entry point): four v128, words 0…3 of the 4 lanes. */
export const H_PHILOX_OUT = HEADER_BYTES - 64;

const lowbiasK1 = 0x7feb352d;
const lowbiasK2 = 0x846ca68b;
const splat4 = (v: number) => V_CONST_I32([v, v, v, v]);
/** Levels per early-exit check (4 was faster than 1 and 2 here). */
const UNROLL = 4;

/** Locals the level loop reads and writes (v128 except LVL, an i32). */
interface LevelLocals {
  CV: number;
  R1: number;
  R2: number;
  N4: number;
  N8: number;
  UND: number;
  ACC: number;
  X: number;
  TM: number;
  KA: number;
  KB: number;
  LVL: number;
}

/**
 * The bit-serial Bernoulli levels of one site (SPEC.md), `unroll` levels per early-exit check
 * (levels after the last undecided lane change nothing): expects CV = (j mod 4) ^ r0, N4, N8,
 * UND = N4 | N8 and ACC = 0; leaves the accepted lanes in ACC.
 */
function levelLoop(l: LevelLocals, unroll: number): number[] {
  const { CV, R1, R2, N4, N8, UND, ACC, X, TM, KA, KB, LVL } = l;
  const mix = (key: number) => lowbiasMixV128(X, KA, KB, key);
  // One depth level of the bit-serial Bernoulli masks (SPEC.md), level table row at LVL + off.
  // CV = (j mod 4) ^ r0 per site; the code of level m is 4(m − 1) | (j mod 4), so its first
  // key addition is CV ^ 4(m − 1).
  const level = (off: number) => [
    ...get(CV),
    ...get(LVL),
    ...V_LOAD(off + 32, 4),
    ...V_XOR,
    ...set(X),
    ...mix(R1),
    ...mix(R2), // X = u_m
    ...get(N4),
    ...get(LVL),
    ...V_LOAD(off, 4),
    ...V_AND,
    ...get(N8),
    ...get(LVL),
    ...V_LOAD(off + 16, 4),
    ...V_AND,
    ...V_OR,
    ...set(TM),
    ...bernoulliLevelV128(ACC, UND, TM, X),
  ];
  const { c, e } = emitter();
  e(i32c(H_LEVELS), set(LVL), LOOP);
  for (let u = 0; u < unroll; u++) e(level(LEVEL_BYTES * u));
  e(
    get(LVL),
    i32c(LEVEL_BYTES * unroll),
    I32_ADD,
    tee(LVL),
    i32c(H_LEVELS + 32 * LEVEL_BYTES),
    I32_LT_U,
    get(UND),
    V_ANY_TRUE,
    I32_AND,
    brIf(0),
    END,
  );
  return c;
}

/**
 * `levels(cv, r1, r2, n4, n8) → acc`: the level loop as its own function, so that the engine's
 * register allocator sees only its few live vectors.
 */
function levelsBody(unroll: number): number[] {
  const [CV, R1, R2, N4, N8, UND, ACC, X, TM, KA, KB, LVL] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const { c, e } = emitter();
  e(splat4(lowbiasK1), set(KA), splat4(lowbiasK2), set(KB));
  e(get(N4), get(N8), V_OR, set(UND));
  e(levelLoop({ CV, R1, R2, N4, N8, UND, ACC, X, TM, KA, KB, LVL }, unroll));
  e(get(ACC), END);
  return funcBody(
    [
      [6, T_V128],
      [1, T_I32],
    ],
    c,
  );
}

/** Locals of `colour`: 10 i32 params, then i32 and v128 locals numbered in declaration order. */
function colourBody(): number[] {
  // params
  const [PTR, G0, N, K, FROM, TO] = [0, 1, 2, 3, 4, 5];
  const LANE0 = 6; // 6…9: lane masks
  let next = 10;
  const i32 = () => next++;
  const [LX, LY, HALF, LXB, Y, M, J, ROW, UP, DN, X0, MEND, JROW, PC, XB, BLK, JC] = Array.from(
    { length: 17 },
    i32,
  );
  const nI32 = next - 10;
  const v = () => next++;
  const [LANES, INV, S, A, B, C, D, C3, C4, N4, N8, ACC, CV] = Array.from({ length: 13 }, v);
  const ph: PhiloxSimdLocals = {
    x: [v(), v(), v(), v()],
    k0: v(),
    k1: v(),
    hi: v(),
    lo: v(),
    m0: v(),
    m1: v(),
  };
  const nV128 = next - 10 - nI32;
  const [R0, R1, R2] = ph.x;

  const { c, e } = emitter();
  const ld = (off: number) => [...i32c(0), ...I32_LOAD(off)];
  // neighbour word at byte address (on the stack) → s ^ nb ^ inv into local `to`
  const bit = (to: number) => [...V_LOAD(0, 4), ...get(S), ...V_XOR, ...get(INV), ...V_XOR, ...set(to)];

  // setup
  e(ld(H_LX), set(LX), ld(H_LY), set(LY), get(LX), i32c(1), I32_SHR_U, set(HALF), get(LX), i32c(4), I32_SHL);
  e(set(LXB), i32c(0), V_LOAD32_SPLAT(H_INVERT), set(INV));
  e(philoxSimdConstants(ph));
  e(get(LANE0), I32X4_SPLAT);
  for (let q = 1; q < 4; q++) e(get(LANE0 + q), I32X4_REPLACE(q));
  e(set(LANES), i32c(-1), set(BLK), get(FROM), set(J), get(J), get(HALF), I32_DIV_U, set(Y));
  e(get(J), get(Y), get(HALF), I32_MUL, I32_SUB, set(M));

  // rows
  e(BLOCK, LOOP);
  e(get(J), get(TO), I32_GE_U, brIf(1));
  e(get(PTR), get(Y), get(LXB), I32_MUL, I32_ADD, set(ROW));
  e(get(PTR), i32c(0), get(Y), i32c(1), I32_ADD, get(Y), i32c(1), I32_ADD, get(LY), I32_EQ, SELECT);
  e(get(LXB), I32_MUL, I32_ADD, set(UP));
  e(get(PTR), get(LY), i32c(1), I32_SUB, get(Y), i32c(1), I32_SUB, get(Y), I32_EQZ, SELECT);
  e(get(LXB), I32_MUL, I32_ADD, set(DN));
  e(get(Y), get(K), I32_ADD, i32c(1), I32_AND, i32c(4), I32_SHL, set(X0)); // byte offset of x0
  // mEnd = min(half, m + to − j)
  e(get(M), get(TO), get(J), I32_SUB, I32_ADD, tee(MEND), get(HALF), get(MEND), get(HALF), I32_LT_U, SELECT);
  e(set(MEND), get(J), get(M), I32_SUB, set(JROW), get(J), get(MEND), get(M), I32_SUB, I32_ADD, set(J));

  // sites of the row
  e(BLOCK, LOOP);
  e(get(M), get(MEND), I32_GE_U, brIf(1));
  e(get(M), i32c(5), I32_SHL, get(X0), I32_ADD, set(XB)); // x·16
  e(get(ROW), get(XB), I32_ADD, tee(PC), V_LOAD(0, 4), set(S));
  // right: x + 1 == Lx ? 0 : x + 1
  e(get(ROW), i32c(0), get(XB), i32c(16), I32_ADD, get(XB), i32c(16), I32_ADD, get(LXB), I32_EQ, SELECT);
  e(I32_ADD, bit(A));
  e(get(UP), get(XB), I32_ADD, bit(B));
  // left: x == 0 ? Lx − 1 : x − 1
  e(get(ROW), get(LXB), i32c(16), I32_SUB, get(XB), i32c(16), I32_SUB, get(XB), I32_EQZ, SELECT);
  e(I32_ADD, bit(C));
  e(get(DN), get(XB), I32_ADD, bit(D));
  // c = (2·a01 + o01) + (2·a23 + o23) lanes: c4 = a01 & a23, c3 = a01 & o23 | o01 & a23
  e(get(A), get(B), V_AND, get(C), get(D), V_AND, V_AND, set(C4));
  e(get(A), get(B), V_AND, get(C), get(D), V_XOR, V_AND, get(A), get(B), V_XOR, get(C), get(D), V_AND, V_AND);
  e(V_OR, set(C3));
  e(get(S), get(C3), get(C4), V_OR, V_NOT, V_XOR, set(S)); // S = spins with the ΔE ≤ 0 lanes flipped
  e(get(C3), get(LANES), V_AND, tee(N4), get(C4), get(LANES), V_AND, tee(N8), V_OR);
  e(splat4(0), set(ACC));
  e(V_ANY_TRUE, IF);
  // the block keys, once per block that has a site needing a coin
  e(get(JROW), get(M), I32_ADD, tee(JC), i32c(2), I32_SHR_U, get(BLK), I32_NE, IF);
  e(get(JC), i32c(2), I32_SHR_U, set(BLK));
  e(get(G0), I32X4_SPLAT, V_CONST_I32([0, 1, 2, 3]), I32X4_ADD, set(ph.x[0]));
  e(
    get(N),
    I32X4_SPLAT,
    set(ph.x[1]),
    get(K),
    I32X4_SPLAT,
    set(ph.x[2]),
    get(BLK),
    I32X4_SPLAT,
    set(ph.x[3]),
  );
  e(i32c(0), V_LOAD32_SPLAT(H_K0), set(ph.k0), i32c(0), V_LOAD32_SPLAT(H_K1), set(ph.k1));
  e(philoxSimdRounds(ph), END);
  e(get(JC), i32c(3), I32_AND, I32X4_SPLAT, get(R0), V_XOR, set(CV));
  e(get(CV), get(R1), get(R2), get(N4), get(N8), call(3), set(ACC));
  e(END);
  // S ^= accepted lanes
  e(get(PC), get(S), get(ACC), V_XOR, V_STORE(0, 4));
  e(get(M), i32c(1), I32_ADD, set(M), br(0), END, END);
  e(i32c(0), set(M), get(Y), i32c(1), I32_ADD, set(Y), br(0), END, END, END);
  return funcBody(
    [
      [nI32, T_I32],
      [nV128, T_V128],
    ],
    c,
  );
}

/** `sweeps(ptr, g0, n0, count, l0…l3)`: sweeps n0 … n0 + count − 1, colour 0 then 1. */
function sweepsBody(): number[] {
  const [PTR, G0, N0, COUNT] = [0, 1, 2, 3];
  const [S, LEN] = [8, 9];
  const { c, e } = emitter();
  e(i32c(0), I32_LOAD(H_LX), i32c(0), I32_LOAD(H_LY), I32_MUL, i32c(1), I32_SHR_U, set(LEN));
  e(BLOCK, LOOP, get(S), get(COUNT), I32_GE_U, brIf(1));
  for (const k of [0, 1]) {
    e(get(PTR), get(G0), get(N0), get(S), I32_ADD, i32c(k), i32c(0), get(LEN));
    for (let q = 0; q < 4; q++) e(get(4 + q));
    e(call(0));
  }
  e(get(S), i32c(1), I32_ADD, set(S), br(0), END, END, END);
  return funcBody([[2, T_I32]], c);
}

/** `philox4(g0, n, k, b)`: Philox(key, (g0 + q, n, k, b)) for q = 0…3 to H_PHILOX_OUT (tests). */
function philox4Body(): number[] {
  const ph: PhiloxSimdLocals = { x: [4, 5, 6, 7], k0: 8, k1: 9, hi: 10, lo: 11, m0: 12, m1: 13 };
  const { c, e } = emitter();
  e(philoxSimdConstants(ph));
  e(get(0), I32X4_SPLAT, V_CONST_I32([0, 1, 2, 3]), I32X4_ADD, set(4));
  e(get(1), I32X4_SPLAT, set(5), get(2), I32X4_SPLAT, set(6), get(3), I32X4_SPLAT, set(7));
  e(i32c(0), V_LOAD32_SPLAT(H_K0), set(8), i32c(0), V_LOAD32_SPLAT(H_K1), set(9));
  e(philoxSimdRounds(ph));
  for (let w = 0; w < 4; w++) e(i32c(0), get(4 + w), V_STORE(H_PHILOX_OUT + 16 * w, 4));
  e(END);
  return funcBody([[10, T_V128]], c);
}

/**
 * The module: imports `env.mem` (shared, `pages` pages) and exports `colour(ptr, g0, n, k,
 * from, to, l0, l1, l2, l3)` (class positions [from, to) of colour k of the vector group at byte
 * `ptr`, groups g0 … g0 + 3 with lane masks l0 … l3), `sweeps(ptr, g0, n0, count, l0…l3)` and
 * `philox4(g0, n, k, b)`; function 3 is `levels`.
 */
export function packedSimdModule(pages: number): Uint8Array {
  const t = (n: number) => funcType(new Array<number>(n).fill(T_I32));
  return new Uint8Array([
    ...HEADER,
    ...section(1, vec([t(10), t(8), t(4), funcType(new Array<number>(5).fill(T_V128), [T_V128])])),
    ...section(2, vec([[...str("env"), ...str("mem"), 0x02, 0x03, ...uleb(pages), ...uleb(pages)]])),
    ...section(3, vec([[0], [1], [2], [3]])),
    ...section(
      7,
      vec([
        [...str("colour"), 0x00, 0],
        [...str("sweeps"), 0x00, 1],
        [...str("philox4"), 0x00, 2],
      ]),
    ),
    ...section(10, vec([colourBody(), sweepsBody(), philox4Body(), levelsBody(UNROLL)])),
  ]);
}
