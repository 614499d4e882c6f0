// Replica-packed checkerboard Metropolis (SPEC.md): bit b of a word is the spin of chain
// 32g + b (set = +1), so one invocation updates one site in 32 chains with bitwise logic.
// nn couplings only, equal in all chains. Acceptance per lane is an exact Bernoulli(T/2^32)
// mask built bit-serially from the binary expansion of the threshold T, MSB first; most lanes
// are decided after a few bits, so few random words are needed per site.

@group(0) @binding(0) var<uniform> pass_: Pass;
@group(0) @binding(1) var<storage, read_write> spins: array<u32>;

// One level of the bit-serial comparisons u < T4 and u < T8 with random word w at threshold
// bit `bit`: where the threshold bit is 1, undecided lanes with a 0 in w accept and those
// with a 1 stay undecided; where it is 0, lanes with a 1 in w reject. Branch-free.
fn serial_level(st: vec4<u32>, w: u32, t4: u32, t8: u32, bit: u32) -> vec4<u32> {
  let m4 = 0u - ((t4 >> bit) & 1u);
  let m8 = 0u - ((t8 >> bit) & 1u);
  return vec4<u32>(st.x & (w ^ ~m4), st.y | (st.x & ~w & m4), st.z & (w ^ ~m8), st.w | (st.z & ~w & m8));
}

@compute @workgroup_size(64)
fn sweep(@builtin(global_invocation_id) gid: vec3<u32>) {
  // One invocation per site of colour k: column `col` of row y of the class (no division needed).
  let col = gid.x;
  let y = gid.y;
  let g = gid.z;
  if (col >= HALF_X) {
    return;
  }
  let k = pass_.colour;
  let x = 2u * col + ((y + k) & 1u);
  let base = g * N_SITES;
  let at = base + k * CLASS_SIZE + y * HALF_X + col;
  let s = spins[at];
  // Neighbours are in the other class: same column one row up or down, and the columns of
  // x ± 1 in the same row.
  let other = base + (1u - k) * CLASS_SIZE;
  let row = other + y * HALF_X;
  let nR = spins[row + (xp(x) >> 1u)];
  let nL = spins[row + (xm(x) >> 1u)];
  let nU = spins[other + yp(y) * HALF_X + col];
  let nD = spins[other + ym(y) * HALF_X + col];
  // Lanes where the neighbour is aligned with the spin.
  let a0 = ~(s ^ nR);
  let a1 = ~(s ^ nU);
  let a2 = ~(s ^ nL);
  let a3 = ~(s ^ nD);
  // Aligned count m = m0 + 2·m1 + 4·m2 per lane, by two half adders and a full adder.
  let h01 = a0 ^ a1;
  let c01 = a0 & a1;
  let h23 = a2 ^ a3;
  let c23 = a2 & a3;
  let m0 = h01 ^ h23;
  let c0 = h01 & h23;
  let t = c01 ^ c23;
  let m1 = t ^ c0;
  let m2 = (c01 & c23) | (t & c0);

  var free = 0xFFFFFFFFu;
  var need4 = 0u;
  var need8 = 0u;
  if (pass_.mode == 1u) {
    // J > 0: ΔE = 4J(m − 2); m ≤ 2 is free, m = 3 costs 4J, m = 4 costs 8J.
    need4 = m0 & m1;
    need8 = m2;
    free = ~(need4 | need8);
  } else if (pass_.mode == 2u) {
    // J < 0: ΔE = 4|J|(2 − m); m ≥ 2 is free, m = 1 costs 4|J|, m = 0 costs 8|J|.
    let low = ~(m1 | m2);
    need4 = low & m0;
    need8 = low & ~m0;
    free = ~low;
  }
  let t4 = pass_.t4;
  let t8 = pass_.t8;
  if (t4 == 0xFFFFFFFFu) {
    free |= need4;
    need4 = 0u;
  }
  if (t8 == 0xFFFFFFFFu) {
    free |= need8;
    need8 = 0u;
  }
  // Depth levels m = 4d+1 … 4d+4 use the 4 words of Philox(key, (g, n, (d << 1) | k, i)),
  // MSB of the thresholds first. Checking for undecided lanes once per Philox block instead of
  // every level changes nothing: levels on decided lanes are no-ops.
  // st = (undecided T4 lanes, accepted T4 lanes, undecided T8 lanes, accepted T8 lanes).
  var st = vec4<u32>(need4, 0u, need8, 0u);
  let i = y * LX + x;
  for (var d = 0u; d < 8u; d++) {
    if ((st.x | st.z) == 0u) {
      break;
    }
    let u = philox4x32_10(vec4<u32>(g, pass_.sweep, (d << 1u) | k, i), pass_.key);
    let top = 31u - 4u * d;
    st = serial_level(st, u.x, t4, t8, top);
    st = serial_level(st, u.y, t4, t8, top - 1u);
    st = serial_level(st, u.z, t4, t8, top - 2u);
    st = serial_level(st, u.w, t4, t8, top - 3u);
  }
  spins[at] = s ^ (free | st.y | st.w);
}
