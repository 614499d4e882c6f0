// Generates the WGSL twin of the replica-packed Ising rule from the same derived circuit the
// CPU rule interprets (model/packed/circuit.ts): XORs per instance, ripple counters per term,
// the count-vector classes and their thresholds become straight-line code. One invocation
// handles one block (4 class positions) of one 32-chain group with the block's Philox keys;
// sites of one colour share no term, so this gives the CPU rule's result bit for bit.
import { type Model, modelTables } from "@physml/lattice-core";
import { FLIP_NOW, type PackedCircuit } from "../model/packed/circuit.js";
import { modelWgslPrelude, neighbourLines } from "./model-gpu-common.js";

/** WGSL source (without philox.wgsl and packed_hash.wgsl, which are prepended). */
export function isingPackedWgsl(model: Model, c: PackedCircuit, groups: number, lastLanes: number): string {
  const tb = modelTables(model);
  // Twisted neighbours enter complemented: select(1, -1, odd) * word → XOR with 0xFFFFFFFF.
  const nbs = neighbourLines(tb, "n", (site) => `spins[base + ${site}]`).map((l) =>
    l.replace(/select\(1, -1, (.*)\) \* (spins\[.*\]);$/, "select(0u, 0xFFFFFFFFu, $1) ^ $2;"),
  );
  const nA = c.terms.length;
  const body: string[] = [];
  for (let a = 0; a < nA; a++) {
    const B = c.bits[a];
    body.push(`  // counter of term ${model.terms[c.terms[a]].name}`);
    for (let l = 0; l < B; l++) body.push(`  var c${a}_${l} = 0u;`);
    const adds: string[] = [];
    for (let f = 0; f < c.fields[a]; f++) adds.push("~s");
    for (let p = c.posStart[a]; p < c.posStart[a + 1]; p++) {
      const xs = ["s"];
      for (let o = c.othersStart[p]; o < c.othersStart[p + 1]; o++) xs.push(`n${c.others[o]}`);
      if (c.parity[p] !== 0) xs.push("0xFFFFFFFFu");
      adds.push(xs.join(" ^ "));
    }
    for (const e of adds) {
      body.push(`  u = ${e};`);
      for (let l = 0; l < B; l++) body.push(`  t = c${a}_${l} & u; c${a}_${l} ^= u; u = t;`);
    }
    for (let v = 0; v < c.radix[a]; v++) {
      const terms = Array.from({ length: B }, (_, l) => ((v >> l) & 1 ? `c${a}_${l}` : `~c${a}_${l}`));
      body.push(`  let e${a}_${v} = ${terms.join(" & ")};`);
    }
  }
  const nC = c.thresholds.length;
  for (let q = 0; q < nC; q++) body.push(`  var q${q} = 0u;`);
  body.push("  var flip = 0u;");
  if (nA === 0) body.push("  flip = 0xFFFFFFFFu;");
  const digit = new Int32Array(nA);
  for (let combo = 0; nA > 0 && combo < c.comboClass.length; combo++) {
    const cls = c.comboClass[combo];
    if (cls === FLIP_NOW || cls >= 0) {
      const m = Array.from(digit, (v, a) => `e${a}_${v}`).join(" & ");
      body.push(cls === FLIP_NOW ? `  flip |= ${m};` : `  q${cls} |= ${m};`);
    }
    for (let a = nA - 1; a >= 0; a--) {
      if (++digit[a] < c.radix[a]) break;
      digit[a] = 0;
    }
  }
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
  var u = 0u;
  var t = 0u;
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
