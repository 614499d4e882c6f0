// Compiles the packed circuit's straight-line code (straight-line.ts, the same lines the WGSL
// kernel pastes) into a JavaScript function updating one colour class of one group, so the CPU
// rule runs without interpreting the circuit per site. Same stream and result as the
// interpreted walk in rules/ising-packed.ts (tested bit for bit).
import type { WasmPhilox } from "../../rng/philox-wasm.js";
import { acceptClasses } from "./accept.js";
import type { PackedCircuit } from "./circuit.js";
import { circuitLines, JS_DIALECT } from "./straight-line.js";

/** Most count vectors for which the circuit is compiled (beyond, the rule interprets it). */
export const MAX_COMPILED_COMBOS = 4096;

/**
 * Updates class `cls` of colour k in group g at sweep n: `w` the words, `off` = g·N, `nb` the
 * neighbour table, `twist` per (site, neighbour) 0 or −1 (XOR mask) or null, `lanes` the lanes
 * that may take a coin, `rng` keyed already.
 */
export type ClassUpdate = (
  w: Int32Array,
  off: number,
  cls: Int32Array,
  nb: Int32Array,
  twist: Int32Array | null,
  lanes: number,
  rng: WasmPhilox,
  g: number,
  n: number,
  k: number,
) => void;

/** The compiled class update of circuit `c` with its term labels, or null when too large. */
export function compileCircuit(
  c: PackedCircuit,
  labels: readonly string[],
  twisted: boolean,
): ClassUpdate | null {
  if (c.comboClass.length > MAX_COMPILED_COMBOS) return null;
  const used = [...new Set(c.others)].sort((a, b) => a - b);
  const loads = used.map(
    (m) => `const n${m} = w[off + nb[nbo + ${m}]]${twisted ? ` ^ twist[nbo + ${m}]` : ""};`,
  );
  const coins = Array.from(
    c.thresholds,
    (T, q) => `q${q} &= lanes; if (q${q} !== 0) { coinMask[nCoin] = q${q}; coinT[nCoin++] = ${T}; }`,
  );
  const src = `"use strict";
return function packedClassUpdate(w, off, cls, nb, twist, lanes, rng, g, n, k) {
  const iw = rng.iwords;
  let block = -1, r0 = 0, r1 = 0, r2 = 0;
  for (let j = 0; j < cls.length; j++) {
    const i = cls[j];
    const s = w[off + i];
    const nbo = i * ${c.nNb};
    ${loads.join("\n    ")}
    ${circuitLines(c, JS_DIALECT, labels).join("\n    ")}
    let nCoin = 0;
    ${coins.join("\n    ")}
    if (nCoin > 0) {
      if (j >> 2 !== block) {
        block = j >> 2;
        rng.philox(g, n, k, block);
        r0 = iw[0];
        r1 = iw[1];
        r2 = iw[2];
      }
      flip |= acceptClasses(r0, r1, r2, j & 3, coinMask, coinT, nCoin);
    }
    w[off + i] = s ^ flip;
  }
};`;
  const coinMask = new Int32Array(Math.max(1, c.thresholds.length));
  const coinT = new Uint32Array(Math.max(1, c.thresholds.length));
  // The source is generated from the derived circuit only (integers and fixed identifiers).
  return new Function("acceptClasses", "coinMask", "coinT", src)(
    acceptClasses,
    coinMask,
    coinT,
  ) as ClassUpdate;
}
