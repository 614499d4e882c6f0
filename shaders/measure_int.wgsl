// Measurements on the GPU for the int layout (SPEC.md, "Measurements"): for each chain, the term sums
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
