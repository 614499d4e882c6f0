// Philox4x32-10 (Random123), counter-based: no RNG state is stored anywhere; every random
// word is a pure function of (key, counter). See packages/mcmc-gpu/SPEC.md.
//
// WGSL has no 64-bit integers and no mulhi, so the 32×32→64 product is assembled from 16-bit
// halves. u32 multiplication wraps in WGSL, which gives the low word directly.

const PHILOX_M0: u32 = 0xD2511F53u;
const PHILOX_M1: u32 = 0xCD9E8D57u;
const PHILOX_W0: u32 = 0x9E3779B9u;
const PHILOX_W1: u32 = 0xBB67AE85u;

// (hi, lo) of the full 64-bit product a·b, from four 16×16-bit partial products. Each
// partial sum below stays under 2^32: (2^16 − 1)^2 + 2^16 − 1 < 2^32.
fn philox_mulhilo(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xFFFFu;
  let a1 = a >> 16u;
  let b0 = b & 0xFFFFu;
  let b1 = b >> 16u;
  let t = a0 * b0;
  let u = a1 * b0 + (t >> 16u);
  let v = a0 * b1 + (u & 0xFFFFu);
  let hi = a1 * b1 + (u >> 16u) + (v >> 16u);
  return vec2<u32>(hi, (v << 16u) | (t & 0xFFFFu));
}

fn philox_round(c: vec4<u32>, k0: u32, k1: u32) -> vec4<u32> {
  let p0 = philox_mulhilo(PHILOX_M0, c.x);
  let p1 = philox_mulhilo(PHILOX_M1, c.z);
  return vec4<u32>(p1.x ^ c.y ^ k0, p1.y, p0.x ^ c.w ^ k1, p0.y);
}

// Philox4x32 with 10 rounds; round r uses the key plus r times the Weyl constants. Written
// out round by round: software adapters do not always unroll the loop themselves.
fn philox4x32_10(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  let k0 = key.x;
  let k1 = key.y;
  var c = philox_round(counter, k0, k1);
  c = philox_round(c, k0 + PHILOX_W0, k1 + PHILOX_W1);
  c = philox_round(c, k0 + 2u * PHILOX_W0, k1 + 2u * PHILOX_W1);
  c = philox_round(c, k0 + 3u * PHILOX_W0, k1 + 3u * PHILOX_W1);
  c = philox_round(c, k0 + 4u * PHILOX_W0, k1 + 4u * PHILOX_W1);
  c = philox_round(c, k0 + 5u * PHILOX_W0, k1 + 5u * PHILOX_W1);
  c = philox_round(c, k0 + 6u * PHILOX_W0, k1 + 6u * PHILOX_W1);
  c = philox_round(c, k0 + 7u * PHILOX_W0, k1 + 7u * PHILOX_W1);
  c = philox_round(c, k0 + 8u * PHILOX_W0, k1 + 8u * PHILOX_W1);
  return philox_round(c, k0 + 9u * PHILOX_W0, k1 + 9u * PHILOX_W1);
}
