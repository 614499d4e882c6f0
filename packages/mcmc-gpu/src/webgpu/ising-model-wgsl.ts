// Generates the WGSL sweep kernel of the generic Ising Metropolis rule from a model's derived
// tables: the stencil (neighbour offsets and each term's products), the ΔE table layout and
// the colour classes come from lattice-core exactly as the CPU rule reads them, so the
// stencil is written once (in the description) and both backends agree bit for bit.
import { type Model, modelTables } from "@physml/lattice-core";
import { modelWgslPrelude, neighbourLines } from "./model-gpu-common.js";

/** WGSL source (without philox.wgsl, which is prepended) of the generic Ising sweep. */
export function isingModelWgsl(model: Model): string {
  const tb = modelTables(model);
  const nbs = neighbourLines(tb, "n", (site) => `spins[base + ${site}]`);
  const terms = tb.terms.map((t, ti) => {
    if (t.positions.length === 0) return `  // term ${t.name}: field only, constant in the table`;
    const prods = t.positions.map((p) => p.others.map((m) => `n${m}`).join(" * "));
    return [
      `  // term ${t.name}`,
      `  let v${ti} = ${prods.join(" + ")};`,
      `  idx += ${tb.stride[ti]}u * u32((v${ti} + ${t.positions.length}) >> 1u);`,
    ].join("\n");
  });
  return `${modelWgslPrelude(tb)}
@group(0) @binding(0) var<uniform> pass_: Pass;
@group(0) @binding(1) var<storage, read_write> spins: array<i32>;
@group(0) @binding(2) var<storage, read> thresholds: array<u32>;
@group(0) @binding(3) var<storage, read> class_sites: array<u32>;

const TABLE: u32 = ${2 * tb.half}u;
const HALF: u32 = ${tb.half}u;

fn update_site(c: u32, i: u32, r: u32) {
  let base = c * N_SITES;
  let x = i % LX;
  let y = (i / LX) % LY;
  let z = i / (LX * LY);
${nbs.join("\n")}
  let s = spins[base + i];
  var idx = select(0u, HALF, s > 0);
${terms.join("\n")}
  let t = thresholds[c * TABLE + idx];
  if (r < t || t == 0xFFFFFFFFu) {
    spins[base + i] = -s;
  }
}

@compute @workgroup_size(64)
fn sweep(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = 4u * gid.x;
  let c = gid.y;
  if (j >= pass_.size) {
    return;
  }
  let r = philox4x32_10(vec4<u32>(c, pass_.sweep, pass_.colour, gid.x), pass_.key);
  update_site(c, class_sites[pass_.start + j], r.x);
  if (j + 1u < pass_.size) {
    update_site(c, class_sites[pass_.start + j + 1u], r.y);
  }
  if (j + 2u < pass_.size) {
    update_site(c, class_sites[pass_.start + j + 2u], r.z);
  }
  if (j + 3u < pass_.size) {
    update_site(c, class_sites[pass_.start + j + 3u], r.w);
  }
}
`;
}
