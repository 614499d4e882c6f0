// Generates the WGSL twin of the replica-packed Ising rule from the same derived circuit and the
// same straight-line code as the CPU rule (model/packed/straight-line.ts): XORs per instance,
// ripple counters per term, the count-vector classes; the thresholds become constants. One invocation
// handles one block (4 class positions) of one 32-chain group with the block's Philox keys;
// sites of one colour share no term, so this gives the CPU rule's result bit for bit.
import { type Model, modelTables } from "@physml/lattice-core";
import type { PackedCircuit } from "../model/packed/circuit.js";
import { circuitLines, WGSL_DIALECT } from "../model/packed/straight-line.js";
import { modelWgslPrelude, neighbourLines } from "./model-gpu-common.js";

/** WGSL source (without philox.wgsl and packed_hash.wgsl, which are prepended). */
export function isingPackedWgsl(model: Model, c: PackedCircuit, groups: number, lastLanes: number): string {
  const tb = modelTables(model);
  // Twisted neighbours enter complemented: select(1, -1, odd) * word → XOR with 0xFFFFFFFF.
  const nbs = neighbourLines(tb, "n", (site) => `spins[base + ${site}]`).map((l) =>
    l.replace(/select\(1, -1, (.*)\) \* (spins\[.*\]);$/, "select(0u, 0xFFFFFFFFu, $1) ^ $2;"),
  );
  const labels = Array.from(c.terms, (t) => model.terms[t].name);
  const body = circuitLines(c, WGSL_DIALECT, labels).map((l) => `  ${l}`);
  const nC = c.thresholds.length;
  const qs = Array.from({ length: nC }, (_, q) => `q${q}`);
  const tm = qs.map((q, k) => `(${q} & (0u - ((${c.thresholds[k]}u >> (31u - m)) & 1u)))`);
  const coins =
    nC === 0
      ? ["  let acc = 0u;"]
      : [
          `  let lanes = select(0xFFFFFFFFu, ${lastLanes >>> 0}u, g == ${groups - 1}u);`,
          `  var und = (${qs.join(" | ")}) & lanes;`,
          "  var acc = 0u;",
          "  for (var m = 0u; m < 32u; m++) {",
          "    if (und == 0u) {",
          "      break;",
          "    }",
          "    let w = packed_word(r, 4u * m + jj);",
          `    let tm = ${tm.join(" | ")};`,
          "    acc |= und & tm & ~w;",
          "    und &= ~(w ^ tm);",
          "  }",
        ];
  return `${modelWgslPrelude(tb)}
@group(0) @binding(0) var<uniform> pass_: Pass;
@group(0) @binding(1) var<storage, read_write> spins: array<u32>;
@group(0) @binding(2) var<storage, read> class_sites: array<u32>;

fn update_site(g: u32, i: u32, jj: u32, r: vec4<u32>) {
  let base = g * N_SITES;
  let x = i % LX;
  let y = (i / LX) % LY;
  let z = i / (LX * LY);
${nbs.join("\n")}
  let s = spins[base + i];
${body.join("\n")}
${coins.join("\n")}
  spins[base + i] = s ^ flip ^ acc;
}

@compute @workgroup_size(64)
fn sweep(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = 4u * gid.x;
  let g = gid.y;
  if (j >= pass_.size) {
    return;
  }
  let r = philox4x32_10(vec4<u32>(g, pass_.sweep, pass_.colour, gid.x), pass_.key);
  for (var jj = 0u; jj < 4u; jj++) {
    if (j + jj < pass_.size) {
      update_site(g, class_sites[pass_.start + j + jj], jj, r);
    }
  }
}
`;
}
