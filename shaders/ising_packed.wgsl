// Replica-packed checkerboard Metropolis (SPEC.md): bit b of a word is the spin of chain
// 32g + b (set = +1), so one invocation updates one site in 32 chains with bitwise logic.
// nn couplings only, equal in all chains. Acceptance per lane is an exact Bernoulli(T/2^32)
// mask built bit-serially from the binary expansion of the threshold T, MSB first; most lanes
// are decided after a few bits, so few random words are needed per site.

@group(0) @binding(0) var<uniform> pass_: Pass;
@group(0) @binding(1) var<storage, read_write> spins: array<u32>;

// One step of the bit-serial comparison u < T for the lanes still undecided.
struct Serial {
  und: u32,
  acc: u32,
}

fn serial_step(st: Serial, t_bit: bool, u: u32) -> Serial {
  if (t_bit) {
    return Serial(st.und & u, st.acc | (st.und & ~u));
  }
  return Serial(st.und & ~u, st.acc);
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
  var s4 = Serial(need4, 0u);
  var s8 = Serial(need8, 0u);
  let i = y * LX + x;
  // Depth levels m = 4d+1 … 4d+4 use the 4 words of Philox(key, (g, n, (d << 1) | k, i)),
  // MSB of the thresholds first. Checking for undecided lanes once per block of 4 levels
  // instead of every level changes nothing: steps on decided lanes are no-ops.
  for (var d = 0u; d < 8u; d++) {
    if ((s4.und | s8.und) == 0u) {
      break;
    }
    let u = philox4x32_10(vec4<u32>(g, pass_.sweep, (d << 1u) | k, i), pass_.key);
    let top = 31u - 4u * d;
    s4 = serial_step(s4, ((t4 >> top) & 1u) != 0u, u.x);
    s8 = serial_step(s8, ((t8 >> top) & 1u) != 0u, u.x);
    s4 = serial_step(s4, ((t4 >> (top - 1u)) & 1u) != 0u, u.y);
    s8 = serial_step(s8, ((t8 >> (top - 1u)) & 1u) != 0u, u.y);
    s4 = serial_step(s4, ((t4 >> (top - 2u)) & 1u) != 0u, u.z);
    s8 = serial_step(s8, ((t8 >> (top - 2u)) & 1u) != 0u, u.z);
    s4 = serial_step(s4, ((t4 >> (top - 3u)) & 1u) != 0u, u.w);
    s8 = serial_step(s8, ((t8 >> (top - 3u)) & 1u) != 0u, u.w);
  }
  spins[at] = s ^ (free | s4.acc | s8.acc);
}
