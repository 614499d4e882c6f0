import { squareLattice } from "@physml/lattice-core";
import { thresholdTables } from "../src/acceptance.ts";
import { intSweeps, toAcceptBelow } from "../src/cpu/int-kernel.ts";
import { latticeTables } from "../src/cpu/tables.ts";
import { baselineSweeps } from "./baseline.ts";

const L = 256,
  chains = 2,
  J = 0.44;
const colours = (process.argv[2] === "4" ? 4 : 2) as 2 | 4;
const tables = latticeTables(squareLattice(L), colours);
const acceptBelow = new Float64Array(chains * 250);
toAcceptBelow(
  thresholdTables(Array.from({ length: chains }, () => ({ nn: J, plaquette: 0, nnn: 0, field: 0 }))),
  acceptBelow,
);
const st = {
  tables,
  Lx: L,
  Ly: L,
  colours,
  spins: new Int8Array(chains * L * L).fill(1),
  acceptBelow,
  k0: 1,
  k1: 0,
};
for (let rep = 0; rep < 4; rep++) {
  let t0 = performance.now();
  const sw = 10;
  intSweeps(st, 0, chains, rep * sw, sw);
  const a = ((performance.now() - t0) * 1e6) / (chains * L * L * sw);
  t0 = performance.now();
  baselineSweeps(L, J, sw * chains, 1);
  const b = ((performance.now() - t0) * 1e6) / (chains * L * L * sw);
  console.log(`int ${a.toFixed(1)} ns/site   baseline ${b.toFixed(1)} ns/site`);
}
