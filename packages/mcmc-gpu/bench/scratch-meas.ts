import { squareLattice } from "@physml/lattice-core";
import { latticeTables } from "../src/cpu/tables.ts";
import { measurePackedGroup } from "../src/cpu/measure-packed.ts";
const L = 64, t = latticeTables(squareLattice(L), 2);
const spins = new Int32Array(L * L).map(() => (Math.random() * 2 ** 32) | 0);
const terms = new Float64Array(32 * 4 * 10), feats = new Float64Array(32 * 13 * 10);
for (let rep = 0; rep < 5; rep++) {
  const t0 = performance.now();
  for (let k = 0; k < 200; k++) measurePackedGroup(t, spins, 0, 32, 0, k % 10, 10, terms, feats);
  console.log(((performance.now() - t0) * 1e6 / (200 * L * L)).toFixed(1), "ns/site");
}
