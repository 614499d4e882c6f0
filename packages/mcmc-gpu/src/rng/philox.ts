// Philox4x32-10 (Salmon et al. 2011, Random123), the counter-based generator of SPEC.md.
// Stateless: the 4 output words are a pure function of a 2-word key and a 4-word counter, so
// any site of any chain at any sweep can draw its random number without stored RNG state,
// and the WebGPU backend reproduces the stream bit for bit.
//
// No BigInt: the 32×32→64 products are built from 16-bit halves with Math.imul, all in int32
// arithmetic so V8 keeps them in registers.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const M0_LO = M0 & 0xffff;
const M0_HI = M0 >>> 16;
const M1_LO = M1 & 0xffff;
const M1_HI = M1 >>> 16;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/**
 * High 32 bits of the 64-bit product `a · (bh·2^16 + bl)` for u32 `a` (as int32 bits).
 * Each 16×16 partial product is < 2^32, so `Math.imul(...) >>> 16` extracts its upper half
 * exactly; the carries of the middle column are added explicitly.
 */
function mulhi(a: number, bl: number, bh: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const lh = Math.imul(al, bh);
  const hl = Math.imul(ah, bl);
  const mid = (Math.imul(al, bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (Math.imul(ah, bh) + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

/**
 * Philox4x32-10 of key (k0, k1) and counter (c0, c1, c2, c3). Writes the 4 output words into
 * `out` (as int32 bit patterns when `out` is an Int32Array, as u32 for a Uint32Array).
 * Inputs are taken modulo 2^32.
 */
export function philox4x32(
  k0: number,
  k1: number,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  out: Int32Array | Uint32Array,
): void {
  let x0 = c0 | 0;
  let x1 = c1 | 0;
  let x2 = c2 | 0;
  let x3 = c3 | 0;
  let key0 = k0 | 0;
  let key1 = k1 | 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(x0, M0_LO, M0_HI);
    const lo0 = Math.imul(x0, M0);
    const hi1 = mulhi(x2, M1_LO, M1_HI);
    const lo1 = Math.imul(x2, M1);
    x0 = hi1 ^ x1 ^ key0;
    x1 = lo1;
    x2 = hi0 ^ x3 ^ key1;
    x3 = lo0;
    key0 = (key0 + W0) | 0;
    key1 = (key1 + W1) | 0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}

/** The Philox key of SPEC.md for a user seed in [0, 2^53): `[seed mod 2^32, floor(seed / 2^32)]`. */
export function philoxKey(seed: number): [number, number] {
  return [(seed % 4294967296) >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/** Convenience form returning a fresh Uint32Array of the 4 words (not for hot loops). */
export function philox(
  key: readonly [number, number],
  counter: readonly [number, number, number, number],
): Uint32Array {
  const out = new Uint32Array(4);
  philox4x32(key[0], key[1], counter[0], counter[1], counter[2], counter[3], out);
  return out;
}
