// Checkerboard Metropolis, int kernel (SPEC.md): any couplings per chain, i32 spins ±1.
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
