// The cheap counter-based words of the replica-packed kernel (packages/mcmc-gpu/SPEC.md,
// "Replica-packed kernel"). One Philox4x32-10 call per block of 4 sites gives three uniform
// round keys (r.x, r.y, r.z); the word of code c = 4·(m − 1) + (j mod 4) (depth level m of the
// block's site j) is a 2-round key-alternating cipher over the bijection lowbias32:
// lowbias32(lowbias32(c ^ r.x) ^ r.y) ^ r.z. 4 u32 multiplies per word instead of Philox's
// 20 full 32×32→64 products (80 multiplies without a native mulhi).

// lowbias32 (C. Wellons, hash-prospector): bijective multiply–xorshift mixer.
fn lowbias32(v: u32) -> u32 {
  var x = v ^ (v >> 16u);
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  return x ^ (x >> 16u);
}

fn packed_word(r: vec4<u32>, c: u32) -> u32 {
  return lowbias32(lowbias32(c ^ r.x) ^ r.y) ^ r.z;
}
