// Checkerboard Metropolis, int kernel (SPEC.md): any couplings per chain, i32 spins ±1.
// One invocation owns 4 consecutive sites j = 4b … 4b+3 of colour class k in chain c and
// draws one Philox4x32-10 block for them: r_j = word (j mod 4) of Philox(key, (c, n, k, b)).
// Acceptance compares the raw u32 word with the chain's precomputed threshold (acceptance.ts);
// no floating point anywhere.

@group(0) @binding(0) var<uniform> pass_: Pass;
@group(0) @binding(1) var<storage, read_write> spins: array<i32>;
@group(0) @binding(2) var<storage, read> thresholds: array<u32>;

@compute @workgroup_size(64)
fn sweep(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  let c = gid.y;
  let j0 = 4u * b;
  if (j0 >= CLASS_SIZE) {
    return;
  }
  let k = pass_.colour;
  let r = philox4x32_10(vec4<u32>(c, pass_.sweep, k, b), pass_.key);
  let base = c * N_SITES;
  // Index of a = b = q = 0 in the chain's table: (a+4)/2 = a/2 + 2 etc.
  let tb = c * 250u + 62u;
  let jn = min(j0 + 4u, CLASS_SIZE);
  for (var j = j0; j < jn; j++) {
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
    var idx = select(0, 125, s > 0) + ((sR + sU + sL + sD) >> 1u) * 25;
    if (COLOURS == 4u) {
      let sUR = spins[base + slot(x1, y1)];
      let sUL = spins[base + slot(x0, y1)];
      let sDL = spins[base + slot(x0, y0)];
      let sDR = spins[base + slot(x1, y0)];
      let nnn = sUR + sUL + sDL + sDR;
      let q = sR * sUR * sU + sL * sU * sUL + sDL * sD * sL + sD * sDR * sR;
      idx += (nnn >> 1u) * 5 + (q >> 1u);
    }
    let t = thresholds[tb + u32(idx)];
    if (r[j - j0] < t || t == 0xFFFFFFFFu) {
      spins[at] = -s;
    }
  }
}
