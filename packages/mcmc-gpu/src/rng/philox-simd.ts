// Philox4x32-10 on four counters at once, one per i32x4 lane, as WebAssembly SIMD code to splice
// into a function body (@physml/wasm-encode). The lanes share the key and differ in any counter
// word; the 32×32→64 products come from i64x2.extmul_{low,high}_i32x4_u (the high words picked
// by one shuffle) and i32x4.mul (the low words). Same rounds, constants and word order as
// philox.ts, so lane q equals philox4x32 of lane q's counter (tested).
import {
  get,
  I8X16_SHUFFLE,
  I32X4_ADD,
  I32X4_MUL,
  I64X2_EXTMUL_HIGH_U,
  I64X2_EXTMUL_LOW_U,
  set,
  V_CONST_I32,
  V_XOR,
} from "@physml/wasm-encode";

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
/** Bytes of the odd i32 lanes of two i64x2 products: their high words, lanes 0…3. */
const HIGH_WORDS = [4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31];

/** v128 locals the fragment uses: the counter/state x0…x3, the keys and two temporaries. */
export interface PhiloxSimdLocals {
  x: [number, number, number, number];
  k0: number;
  k1: number;
  hi: number;
  lo: number;
  /** Locals holding the multipliers splatted (set once by `philoxSimdConstants`). */
  m0: number;
  m1: number;
}

const splat4 = (v: number) => V_CONST_I32([v, v, v, v]);

/** Sets the multiplier locals. */
export function philoxSimdConstants(l: PhiloxSimdLocals): number[] {
  return [...splat4(M0), ...set(l.m0), ...splat4(M1), ...set(l.m1)];
}

/** High 32 bits of the lane products a·m, left on the stack. */
const mulHi = (a: number, m: number) => [
  ...get(a),
  ...get(m),
  ...I64X2_EXTMUL_LOW_U,
  ...get(a),
  ...get(m),
  ...I64X2_EXTMUL_HIGH_U,
  ...I8X16_SHUFFLE(HIGH_WORDS),
];

/**
 * The 10 rounds on locals x (the counters on entry, the output words on exit) with keys k0, k1
 * (the key splatted on entry; clobbered).
 */
export function philoxSimdRounds(l: PhiloxSimdLocals): number[] {
  const [x0, x1, x2, x3] = l.x;
  const code: number[] = [];
  for (let r = 0; r < 10; r++) {
    code.push(
      // (hi0, lo0) = M0·x0
      ...mulHi(x0, l.m0),
      ...set(l.hi),
      ...get(x0),
      ...get(l.m0),
      ...I32X4_MUL,
      ...set(l.lo),
      // x0 = hi1 ^ x1 ^ k0 with (hi1, lo1) = M1·x2; x1 = lo1
      ...mulHi(x2, l.m1),
      ...get(x1),
      ...V_XOR,
      ...get(l.k0),
      ...V_XOR,
      ...set(x0),
      ...get(x2),
      ...get(l.m1),
      ...I32X4_MUL,
      ...set(x1),
      // x2 = hi0 ^ x3 ^ k1; x3 = lo0
      ...get(l.hi),
      ...get(x3),
      ...V_XOR,
      ...get(l.k1),
      ...V_XOR,
      ...set(x2),
      ...get(l.lo),
      ...set(x3),
    );
    if (r < 9)
      code.push(
        ...get(l.k0),
        ...splat4(W0),
        ...I32X4_ADD,
        ...set(l.k0),
        ...get(l.k1),
        ...splat4(W1),
        ...I32X4_ADD,
        ...set(l.k1),
      );
  }
  return code;
}
