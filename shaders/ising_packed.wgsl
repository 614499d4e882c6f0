// Replica-packed checkerboard Metropolis (SPEC.md): bit b of a word is the spin of chain
// 32g + b (set = +1), so one site update flips up to 32 chains with bitwise logic. nn
// couplings only, equal in all chains. Acceptance per lane is a Bernoulli(T/2^32) mask built
// bit-serially from the binary expansion of the threshold T, MSB first; most lanes are decided
// after a few bits. One invocation owns a block of 4 consecutive class positions j = 4b … 4b+3
// and makes one Philox call for them, whose words key the cheap per-level hash of
// packed_hash.wgsl.

@group(0) @binding(0) var<uniform> pass_: Pass;
@group(0) @binding(1) var<storage, read_write> spins: array<u32>;

// Metropolis update of the site at row y, class column col of colour k in group g; `r` holds
// the block's Philox words and jj = j mod 4 the site's place in the block.
fn update_site(g: u32, k: u32, y: u32, col: u32, jj: u32, r: vec4<u32>) {
  let x = 2u * col + ((y + k) & 1u);
  let base = g * N_SITES;
  let at = base + k * CLASS_SIZE + y * HALF_X + col;
  let s = spins[at];
  // Neighbours are in the other class: same column one row up or down, and the columns of
  // x ± 1 in the same row.
  let other = base + (1u - k) * CLASS_SIZE;
  let row = other + y * HALF_X;
  let mode = pass_.mode;
  // "Costly" neighbour bits: aligned ones for J > 0 (mode 1), anti-aligned ones for J < 0.
  let inv = select(0u, 0xFFFFFFFFu, mode == 1u);
  let a0 = s ^ spins[row + (xp(x) >> 1u)] ^ inv;
  let a1 = s ^ spins[other + yp(y) * HALF_X + col] ^ inv;
  let a2 = s ^ spins[row + (xm(x) >> 1u)] ^ inv;
  let a3 = s ^ spins[other + ym(y) * HALF_X + col] ^ inv;
  // Per lane count c of costly neighbours: c = 4 costs 8|J|, c = 3 costs 4|J|, c ≤ 2 is free.
  let a01 = a0 & a1;
  let o01 = a0 ^ a1;
  let a23 = a2 & a3;
  let o23 = a2 ^ a3;
  var need8 = a01 & a23;
  var need4 = (a01 & o23) | (o01 & a23);
  var free = ~(need4 | need8);
  let t4 = pass_.t4;
  let t8 = pass_.t8;
  if (mode == 0u) {
    // J = 0: every flip is accepted.
    free = 0xFFFFFFFFu;
    need4 = 0u;
    need8 = 0u;
  }
  if (t4 == 0xFFFFFFFFu) {
    free |= need4;
    need4 = 0u;
  }
  if (t8 == 0xFFFFFFFFu) {
    free |= need8;
    need8 = 0u;
  }
  // Level m = 1, 2, … uses word packed_word(r, 4·(m − 1) + jj) against bit 32 − m of the
  // thresholds. Per lane: threshold bit 1 → accept if the word's bit is 0, else undecided;
  // bit 0 → reject if the word's bit is 1, else undecided. Stopping once no lane is undecided
  // changes nothing: levels on decided lanes are no-ops. (Extracting the threshold bit per
  // level measured faster on SwiftShader than shifting loop-carried copies of T4 and T8.)
  var und = need4 | need8;
  var acc = 0u;
  for (var m = 1u; m <= 32u; m++) {
    if (und == 0u) {
      break;
    }
    let u = packed_word(r, 4u * (m - 1u) + jj);
    let bit = 32u - m;
    let tm = (need4 & (0u - ((t4 >> bit) & 1u))) | (need8 & (0u - ((t8 >> bit) & 1u)));
    acc |= und & tm & ~u;
    und &= ~(u ^ tm);
  }
  spins[at] = s ^ (free | acc);
}

@compute @workgroup_size(64)
fn sweep(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  // Block b of colour k's class positions, flattened over x and y (large lattices need y).
  let b = gid.x + gid.y * nwg.x * 64u;
  let j0 = 4u * b;
  if (j0 >= CLASS_SIZE) {
    return;
  }
  let g = gid.z;
  let k = pass_.colour;
  let r = philox4x32_10(vec4<u32>(g, pass_.sweep, k, b), pass_.key);
  let y = j0 / HALF_X;
  let col = j0 - y * HALF_X;
  if (HALF_X % 4u == 0u) {
    // The usual case: the 4 sites lie in one row (straight-line code; SwiftShader is faster).
    update_site(g, k, y, col, 0u, r);
    update_site(g, k, y, col + 1u, 1u, r);
    update_site(g, k, y, col + 2u, 2u, r);
    update_site(g, k, y, col + 3u, 3u, r);
    return;
  }
  // Otherwise the block may run on into the next row, and the last block may be partial.
  var yy = y;
  var cc = col;
  for (var jj = 0u; jj < 4u; jj++) {
    if (j0 + jj >= CLASS_SIZE) {
      break;
    }
    update_site(g, k, yy, cc, jj, r);
    cc += 1u;
    if (cc == HALF_X) {
      cc = 0u;
      yy += 1u;
    }
  }
}
