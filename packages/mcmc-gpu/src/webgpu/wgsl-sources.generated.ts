// Generated from the repository's shaders/*.wgsl by `pnpm --filter @physml/mcmc-gpu wgsl`
// (scripts/generate-wgsl.ts); edit the .wgsl files and regenerate, never this file.

/** The name of a WGSL file of the repository's shaders/. */
export type WgslFile =
  | "ising_int.wgsl"
  | "ising_packed.wgsl"
  | "layout.wgsl"
  | "measure_int.wgsl"
  | "measure_packed.wgsl"
  | "packed_hash.wgsl"
  | "packed_hash_eval.wgsl"
  | "philox.wgsl"
  | "philox_eval.wgsl";

/** The WGSL source of every file of shaders/, by name. */
export const WGSL_SOURCES: Readonly<Record<WgslFile, string>> = {
  "ising_int.wgsl": `// Checkerboard Metropolis, int kernel (SPEC.md): any couplings per chain, i32 spins ±1.
// One invocation owns 4 consecutive sites j = 4b … 4b+3 of colour class k in chain c and
// draws one Philox4x32-10 block for them: r_j = word (j mod 4) of Philox(key, (c, n, k, b)).
// Acceptance compares the raw u32 word with the chain's precomputed threshold (acceptance.ts);
// no floating point anywhere.

// The layout of a chain's threshold table (acceptance.ts's thresholdIndex), set by the backend:
// entries per chain, the entry of s = −1 with every neighbourhood sum 0, and the index steps of
// s = +1 and of a, q, b stepping by 2.
override TABLE_PER_CHAIN: u32;
override TABLE_CENTRE: i32;
override STRIDE_SPIN: i32;
override STRIDE_NN: i32;
override STRIDE_PLAQ: i32;
override STRIDE_NNN: i32;

@group(0) @binding(0) var<uniform> pass_: Pass;
@group(0) @binding(1) var<storage, read_write> spins: array<i32>;
@group(0) @binding(2) var<storage, read> thresholds: array<u32>;

// Metropolis update of the j-th site of colour class k in chain c with random word r.
fn update_site(c: u32, k: u32, j: u32, r: u32) {
  let base = c * N_SITES;
  let p = class_site(k, j);
  let x = p.x;
  let y = p.y;
  let x1 = xp(x);
  let x0 = xm(x);
  let y1 = yp(y);
  let y0 = ym(y);
  let at = base + k * CLASS_SIZE + j;
  let s = spins[at];
  let sR = spins[base + slot(x1, y)];
  let sU = spins[base + slot(x, y1)];
  let sL = spins[base + slot(x0, y)];
  let sD = spins[base + slot(x, y0)];
  // Table index relative to s = −1, a = b = q = 0 (TABLE_CENTRE): (a+4)/2 = a/2 + 2 etc.
  var idx = select(0, STRIDE_SPIN, s > 0) + ((sR + sU + sL + sD) >> 1u) * STRIDE_NN;
  if (COLOURS == 4u) {
    let sUR = spins[base + slot(x1, y1)];
    let sUL = spins[base + slot(x0, y1)];
    let sDL = spins[base + slot(x0, y0)];
    let sDR = spins[base + slot(x1, y0)];
    let nnn = sUR + sUL + sDL + sDR;
    let q = sR * sUR * sU + sL * sU * sUL + sDL * sD * sL + sD * sDR * sR;
    idx += (q >> 1u) * STRIDE_PLAQ + (nnn >> 1u) * STRIDE_NNN;
  }
  let t = thresholds[c * TABLE_PER_CHAIN + u32(TABLE_CENTRE + idx)];
  if (r < t || t == 0xFFFFFFFFu) {
    spins[at] = -s;
  }
}

@compute @workgroup_size(64)
fn sweep(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  let c = gid.y;
  let j = 4u * b;
  if (j >= CLASS_SIZE) {
    return;
  }
  let k = pass_.colour;
  let r = philox4x32_10(vec4<u32>(c, pass_.sweep, k, b), pass_.key);
  // Sites of one colour do not interact, so the order of the 4 updates does not matter.
  update_site(c, k, j, r.x);
  if (j + 1u < CLASS_SIZE) {
    update_site(c, k, j + 1u, r.y);
  }
  if (j + 2u < CLASS_SIZE) {
    update_site(c, k, j + 2u, r.z);
  }
  if (j + 3u < CLASS_SIZE) {
    update_site(c, k, j + 3u, r.w);
  }
}
`,
  "ising_packed.wgsl": `// Replica-packed checkerboard Metropolis (SPEC.md): bit b of a word is the spin of chain
// 32g + b (set = +1), so one site update flips up to 32 chains with bitwise logic. nn
// couplings only, equal in all chains. Acceptance per lane is a Bernoulli(T/2^32) mask built
// bit-serially from the binary expansion of the threshold T, MSB first; most lanes are decided
// after a few bits. One invocation owns a block of 4 consecutive class positions j = 4b … 4b+3
// and makes one Philox call for them, whose words key the cheap per-level hash of
// packed_hash.wgsl.

@group(0) @binding(0) var<uniform> pass_: Pass;
@group(0) @binding(1) var<storage, read_write> spins: array<u32>;

// Metropolis update of the site at row y, class column col of colour k in group g; \`r\` holds
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
`,
  "layout.wgsl": `// Lattice geometry and memory layout shared by the sweep and measurement kernels.
//
// Spins of one chain (int kernel) or one 32-chain group (packed kernel) are stored colour
// class by colour class: slot = class·CLASS_SIZE + j, where j is the position of the site in
// its colour class (increasing site order, as SPEC.md numbers them). The j-th update of a
// colour is then the j-th word of a contiguous run, so neighbouring invocations read and
// write neighbouring memory, and the neighbours of a class are contiguous runs of the other
// classes.

override LX: u32;
override LY: u32;
override COLOURS: u32;
override HALF_X: u32 = LX / 2u;
override N_SITES: u32 = LX * LY;
override CLASS_SIZE: u32 = N_SITES / COLOURS;

// One entry of the per-pass parameter table (bound with a dynamic offset, one entry per dispatch).
struct Pass {
  key: vec2<u32>,
  sweep: u32,
  colour: u32,
  // Measurement kernels: sample index and samples per chain in the sums buffer.
  sample: u32,
  samples: u32,
  // Packed kernel: thresholds for ΔE = 4|J| and 8|J|, and the sign of J (0: J = 0, 1: J > 0, 2: J < 0).
  t4: u32,
  t8: u32,
  mode: u32,
}

fn colour_of(x: u32, y: u32) -> u32 {
  if (COLOURS == 2u) {
    return (x + y) & 1u;
  }
  return (x & 1u) + 2u * (y & 1u);
}

// Storage slot of site (x, y) inside its chain's (or group's) block of N_SITES words.
fn slot(x: u32, y: u32) -> u32 {
  let row = select(y >> 1u, y, COLOURS == 2u);
  return colour_of(x, y) * CLASS_SIZE + row * HALF_X + (x >> 1u);
}

// Coordinates of the j-th site of colour class k.
fn class_site(k: u32, j: u32) -> vec2<u32> {
  let row = j / HALF_X;
  let col = j - row * HALF_X;
  if (COLOURS == 2u) {
    return vec2<u32>(2u * col + ((row + k) & 1u), row);
  }
  return vec2<u32>(2u * col + (k & 1u), 2u * row + (k >> 1u));
}

fn xp(x: u32) -> u32 {
  return select(x + 1u, 0u, x + 1u == LX);
}
fn xm(x: u32) -> u32 {
  return select(x - 1u, LX - 1u, x == 0u);
}
fn yp(y: u32) -> u32 {
  return select(y + 1u, 0u, y + 1u == LY);
}
fn ym(y: u32) -> u32 {
  return select(y - 1u, LY - 1u, y == 0u);
}
`,
  "measure_int.wgsl": `// Measurements on the GPU for the int layout (SPEC.md, "Measurements"): for each chain, the term sums
// [S_nn, S_plaq, S_nnn, M] and the 13 standard link-shape sums, as exact integers.
// One invocation per (block of rows, chain c) walks its rows and keeps private sums, then adds
// them with one atomic per quantity: no workgroup barriers, few atomics.
// Every standard shape is a product of some of the 4 sides of the plaquette anchored at a
// site (bottom, right, top, left; mask bits 1, 2, 4, 8 in shape_masks). The loop keeps the
// sums of all 16 side products, mask m in lane m mod 4 of vector m / 4, so the hot loop is a few
// vector multiply-adds with no per-shape work; shapes pick their sum once at the end.
// (The replica-packed layout has its own, 32-chains-at-a-time kernel: measure_packed.wgsl.)

@group(0) @binding(0) var<uniform> pass_: Pass;
// Declared read_write to match the shared bind-group layout; the measurement never writes it.
@group(0) @binding(1) var<storage, read_write> spins: array<i32>;
@group(0) @binding(2) var<storage, read> shape_masks: array<u32>;
// [chain][sample][17]: S_nn, S_plaq, S_nnn, M, then the 13 shape sums.
@group(0) @binding(3) var<storage, read_write> sums: array<atomic<i32>>;

// Rows walked by one invocation: fewer, larger partial sums mean fewer atomics, which are
// slow on software adapters.
override ROWS_PER_INVOCATION: u32;

const N_SHAPES: u32 = 13u;
const N_SUMS: u32 = 17u;

fn spin_at(c: u32, x: u32, y: u32) -> i32 {
  return spins[c * N_SITES + slot(x, y)];
}

@compute @workgroup_size(64)
fn measure(@builtin(global_invocation_id) gid: vec3<u32>) {
  let y_first = gid.x * ROWS_PER_INVOCATION;
  let c = gid.y;
  if (y_first >= LY) {
    return;
  }
  var p: array<vec4<i32>, 4>;
  var plaq = 0;
  var nnn = 0;
  var mag = 0;
  for (var y = y_first; y < min(LY, y_first + ROWS_PER_INVOCATION); y++) {
    let y1 = yp(y);
    let y0 = ym(y);
    // Walking right, the right column of one plaquette is the left column of the next.
    var a = spin_at(c, 0u, y);
    var d = spin_at(c, 0u, y1);
    for (var x = 0u; x < LX; x++) {
      let x1 = xp(x);
      // Corners: a (x,y), b (x+1,y), cc (x+1,y+1), d (x,y+1); f (x+1,y−1).
      let b = spin_at(c, x1, y);
      let cc = spin_at(c, x1, y1);
      let f = spin_at(c, x1, y0);
      let bottom = a * b;
      let right = b * cc;
      let v0 = vec4<i32>(1, bottom, right, bottom * right);
      let v1 = v0 * (d * cc);
      let left = a * d;
      p[0] += v0;
      p[1] += v1;
      p[2] += v0 * left;
      p[3] += v1 * left;
      plaq += a * b * cc * d;
      // nnn bonds of site (x,y): to (x+1,y+1) and to (x+1,y−1).
      nnn += a * (cc + f);
      mag += a;
      a = b;
      d = cc;
    }
  }
  let out = (c * pass_.samples + pass_.sample) * N_SUMS;
  // S_nn = Σ (bottom + left): masks 1 and 8.
  atomicAdd(&sums[out], p[0].y + p[2].x);
  atomicAdd(&sums[out + 1u], plaq);
  atomicAdd(&sums[out + 2u], nnn);
  atomicAdd(&sums[out + 3u], mag);
  for (var s = 0u; s < N_SHAPES; s++) {
    let m = shape_masks[s];
    atomicAdd(&sums[out + 4u + s], p[m >> 2u][m & 3u]);
  }
}
`,
  "measure_packed.wgsl": `// Measurements for the replica-packed layout, 32 chains at a time (SPEC.md, "Measurements").
//
// On a torus every measured sum is, up to translation, the sum of a product of corners of
// the plaquette anchored at each site: a (x,y), b (x+1,y), cc (x+1,y+1), d (x,y+1). So the GPU
// counts a handful of distinct corner products (\`quantities\`: M = Σa, Σab, Σad, Σac, Σbd,
// Σabcd) and the CPU assembles the 4 term sums and 13 shape sums from them.
//
// With bit set = spin +1, the "negative bit" word of a product (set where it is −1) is the
// XOR of its spin words, complemented when it has an odd number of spins: one operation for 32
// chains. Per-lane counts of −1 are kept bit-sliced (word k holds bit k of all 32 lane counts):
// a 4-bit counter takes each site (straight-line carry chain), and every 15 sites it is added
// into a wide counter. Sum of a quantity over the walked sites = sites − 2·count.
//
// One invocation per (block of rows, group g, quantity q); one atomic per lane at the end.

@group(0) @binding(0) var<uniform> pass_: Pass;
// Declared read_write to match the shared bind-group layout; the measurement never writes it.
@group(0) @binding(1) var<storage, read_write> spins: array<u32>;
// Corner masks of the quantities: bits 1 a, 2 b, 4 cc, 8 d.
@group(0) @binding(2) var<storage, read> quantities: array<u32>;
// [chain][sample][N_QUANTITIES] sums.
@group(0) @binding(3) var<storage, read_write> sums: array<atomic<i32>>;

// Chains in use (lanes of the last group beyond it are never reported).
override CHAINS: u32;
override N_QUANTITIES: u32;
// Rows walked by one invocation (fewer atomics, which are slow on software adapters).
override ROWS_PER_INVOCATION: u32;
// Bits of the wide counter: the bit length of ROWS_PER_INVOCATION·LX, so every count fits.
override COUNTER_BITS: u32;

const MAX_BITS: u32 = 32u;

fn word_at(base: u32, x: u32, y: u32) -> u32 {
  return spins[base + slot(x, y)];
}

fn pick(mask: u32, bit: u32, w: u32) -> u32 {
  return select(0u, w, (mask & bit) != 0u);
}

@compute @workgroup_size(64)
fn measure(@builtin(global_invocation_id) gid: vec3<u32>) {
  let y_first = gid.x * ROWS_PER_INVOCATION;
  let g = gid.y;
  let q = gid.z;
  if (y_first >= LY) {
    return;
  }
  let m = quantities[q];
  let odd = (countOneBits(m) & 1u) != 0u;
  let base = g * N_SITES;
  var wide: array<u32, MAX_BITS>;
  var l0 = 0u;
  var l1 = 0u;
  var l2 = 0u;
  var l3 = 0u;
  var pending = 0u;
  let y_end = min(LY, y_first + ROWS_PER_INVOCATION);
  for (var y = y_first; y < y_end; y++) {
    let y1 = yp(y);
    var a = word_at(base, 0u, y);
    var d = word_at(base, 0u, y1);
    for (var x = 0u; x < LX; x++) {
      let x1 = xp(x);
      let b = word_at(base, x1, y);
      let cc = word_at(base, x1, y1);
      var neg = pick(m, 1u, a) ^ pick(m, 2u, b) ^ pick(m, 4u, cc) ^ pick(m, 8u, d);
      neg = select(neg, ~neg, odd);
      // 4-bit counter += neg (at most 15 sites between flushes, so no overflow).
      let t0 = l0 & neg;
      l0 ^= neg;
      let t1 = l1 & t0;
      l1 ^= t0;
      let t2 = l2 & t1;
      l2 ^= t1;
      l3 ^= t2;
      pending++;
      if (pending == 15u) {
        // wide += (l3 l2 l1 l0), a bit-sliced ripple-carry addition.
        var carry = 0u;
        let low = vec4<u32>(l0, l1, l2, l3);
        for (var k = 0u; k < COUNTER_BITS; k++) {
          let add = select(0u, low[min(k, 3u)], k < 4u);
          let h = wide[k];
          wide[k] = h ^ add ^ carry;
          carry = (h & add) | (carry & (h ^ add));
        }
        l0 = 0u;
        l1 = 0u;
        l2 = 0u;
        l3 = 0u;
        pending = 0u;
      }
      a = b;
      d = cc;
    }
  }
  // Flush the remainder.
  var carry = 0u;
  let low = vec4<u32>(l0, l1, l2, l3);
  for (var k = 0u; k < COUNTER_BITS; k++) {
    let add = select(0u, low[min(k, 3u)], k < 4u);
    let h = wide[k];
    wide[k] = h ^ add ^ carry;
    carry = (h & add) | (carry & (h ^ add));
  }
  let lanes = min(32u, CHAINS - 32u * g);
  let walked = i32((y_end - y_first) * LX);
  for (var lane = 0u; lane < lanes; lane++) {
    var count = 0u;
    for (var k = 0u; k < COUNTER_BITS; k++) {
      count |= ((wide[k] >> lane) & 1u) << k;
    }
    let c = 32u * g + lane;
    atomicAdd(&sums[(c * pass_.samples + pass_.sample) * N_QUANTITIES + q], walked - 2 * i32(count));
  }
}
`,
  "packed_hash.wgsl": `// The cheap counter-based words of the replica-packed kernel (packages/mcmc-gpu/SPEC.md,
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
`,
  "packed_hash_eval.wgsl": `// Evaluates packed_word on a list of inputs: the GPU side of the known-answer and
// CPU-agreement tests. Input record q: block words r = words 4q..4q+3 (x, y, z used), code
// c = codes[q].

@group(0) @binding(0) var<storage, read> blocks: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read> codes: array<u32>;
@group(0) @binding(2) var<storage, read_write> outputs: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let q = gid.x;
  if (q >= arrayLength(&outputs)) {
    return;
  }
  outputs[q] = packed_word(blocks[q], codes[q]);
}
`,
  "philox.wgsl": `// Philox4x32-10 (Random123), counter-based: no RNG state is stored anywhere; every random
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
`,
  "philox_eval.wgsl": `// Evaluates Philox4x32-10 on a list of (counter, key) inputs: the GPU side of the known-answer
// and CPU-agreement tests. Input record r: counter = words 6r..6r+3, key = words 6r+4, 6r+5.

@group(0) @binding(0) var<storage, read> inputs: array<u32>;
@group(0) @binding(1) var<storage, read_write> outputs: array<vec4<u32>>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= arrayLength(&outputs)) {
    return;
  }
  let b = 6u * r;
  let ctr = vec4<u32>(inputs[b], inputs[b + 1u], inputs[b + 2u], inputs[b + 3u]);
  outputs[r] = philox4x32_10(ctr, vec2<u32>(inputs[b + 4u], inputs[b + 5u]));
}
`,
};
