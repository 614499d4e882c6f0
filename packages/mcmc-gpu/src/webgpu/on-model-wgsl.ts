// Generates the WGSL kernels of the O(n) rules (Metropolis with per-chain width, and
// over-relaxation) from a model's derived stencil, as ising-model-wgsl.ts does for Ising.
// f32 spins [chain][site][n]; the random words are the CPU rule's (Philox(key, (c, n, 2^30 + k,
// 2j)) and (…, 2j + 1)), but f32 arithmetic makes the chains differ from the Float64 CPU ones
// after a few sweeps, so the two backends agree statistically, not bit for bit.
import { type Model, modelTables } from "@physml/lattice-core";
import { modelWgslPrelude, neighbourLines } from "./model-gpu-common.js";

/** WGSL source (philox.wgsl is prepended) with entry points `metropolis` and `overrelax`. */
export function onModelWgsl(model: Model): string {
  const tb = modelTables(model);
  const n = (model.spin as { n: number }).n;
  const nbs = neighbourLines(tb, "j", (site) => `base + N_COMP * (${site})`);
  const field: string[] = [];
  tb.terms.forEach((t, ti) => {
    for (const p of t.positions)
      field.push(
        `  for (var a = 0u; a < N_COMP; a++) { h[a] += couplings[${ti}] * spins[j${p.others[0]} + a]; }`,
      );
    if (t.fieldCount > 0) field.push(`  h[${model.terms[ti].axis}] += couplings[${ti}] * ${t.fieldCount}.0;`);
  });
  return `${modelWgslPrelude(tb)}
@group(0) @binding(0) var<uniform> pass_: Pass;
@group(0) @binding(1) var<storage, read_write> spins: array<f32>;
@group(0) @binding(2) var<storage, read> couplings: array<f32>;
@group(0) @binding(3) var<storage, read> class_sites: array<u32>;
@group(0) @binding(4) var<storage, read> widths: array<f32>;
@group(0) @binding(5) var<storage, read_write> accepted: array<atomic<u32>>;

const N_COMP: u32 = ${n}u;

// The local field h at site i of chain c (H = −s_i·h + terms without i); o = offset of s_i.
fn local_field(c: u32, i: u32) -> array<f32, ${n}> {
  let base = c * N_SITES * N_COMP;
  let x = i % LX;
  let y = (i / LX) % LY;
  let z = i / (LX * LY);
${nbs.join("\n")}
  var h: array<f32, ${n}>;
${field.join("\n")}
  return h;
}

fn u01(w: u32) -> f32 {
  return (f32(w >> 8u) + 0.5) / 16777216.0;
}

@compute @workgroup_size(64)
fn metropolis(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let c = gid.y;
  if (j >= pass_.size) {
    return;
  }
  let i = class_sites[pass_.start + j];
  let k = 0x40000000u + pass_.colour;
  let w0 = philox4x32_10(vec4<u32>(c, pass_.sweep, k, 2u * j), pass_.key);
  let w1 = philox4x32_10(vec4<u32>(c, pass_.sweep, k, 2u * j + 1u), pass_.key);
  let words = array<u32, 8>(w0.x, w0.y, w0.z, w0.w, w1.x, w1.y, w1.z, w1.w);
  var g: array<f32, 6>;
  for (var p = 0u; p < 3u; p++) {
    let r = sqrt(-2.0 * log(u01(words[2u * p])));
    let phi = 6.283185307179586 * u01(words[2u * p + 1u]);
    g[2u * p] = r * cos(phi);
    g[2u * p + 1u] = r * sin(phi);
  }
  let h = local_field(c, i);
  let o = (c * N_SITES + i) * N_COMP;
  let delta = widths[c];
  var norm = 0.0;
  var t: array<f32, ${n}>;
  for (var a = 0u; a < N_COMP; a++) {
    t[a] = spins[o + a] + delta * g[a];
    norm += t[a] * t[a];
  }
  if (norm == 0.0) {
    return;
  }
  let inv = inverseSqrt(norm);
  var dE = 0.0;
  for (var a = 0u; a < N_COMP; a++) {
    t[a] *= inv;
    dE -= (t[a] - spins[o + a]) * h[a];
  }
  if (dE <= 0.0 || u01(words[7]) < exp(-dE)) {
    for (var a = 0u; a < N_COMP; a++) {
      spins[o + a] = t[a];
    }
    atomicAdd(&accepted[c], 1u);
  }
}

@compute @workgroup_size(64)
fn overrelax(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let c = gid.y;
  if (j >= pass_.size) {
    return;
  }
  let i = class_sites[pass_.start + j];
  let h = local_field(c, i);
  let o = (c * N_SITES + i) * N_COMP;
  var sh = 0.0;
  var hh = 0.0;
  for (var a = 0u; a < N_COMP; a++) {
    sh += spins[o + a] * h[a];
    hh += h[a] * h[a];
  }
  if (hh == 0.0) {
    return;
  }
  let f = 2.0 * sh / hh;
  var norm = 0.0;
  var t: array<f32, ${n}>;
  for (var a = 0u; a < N_COMP; a++) {
    t[a] = f * h[a] - spins[o + a];
    norm += t[a] * t[a];
  }
  // Renormalise: f32 reflections would otherwise let |s| drift.
  let inv = inverseSqrt(norm);
  for (var a = 0u; a < N_COMP; a++) {
    spins[o + a] = t[a] * inv;
  }
}
`;
}
