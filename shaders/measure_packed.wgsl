// Measurements for the replica-packed layout, 32 chains at a time (SPEC.md, "Measurements").
//
// On a torus every measured sum is, up to translation, the sum of a product of corners of
// the plaquette anchored at each site: a (x,y), b (x+1,y), cc (x+1,y+1), d (x,y+1). So the GPU
// counts a handful of distinct corner products (`quantities`: M = Σa, Σab, Σad, Σac, Σbd,
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
