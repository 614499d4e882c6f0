import { squareLattice } from "@physml/lattice-core";
import { latticeTables } from "/work/main/packages/mcmc-gpu/src/cpu/tables.ts";
import { packedSweeps } from "/work/main/packages/mcmc-gpu/src/cpu/packed-kernel.ts";
import { intSweeps } from "/work/main/packages/mcmc-gpu/src/cpu/int-kernel.ts";
import { packedThresholds, thresholdTables } from "/work/main/packages/mcmc-gpu/src/acceptance.ts";
const L = 256, lat = squareLattice(L), tables = latticeTables(lat, 2);
const J = 0.44; const { t4, t8 } = packedThresholds(J);
const st = { tables, groups: 2, lastLanes: 32, spins: new Int32Array(2 * L * L).fill(-1), params: Int32Array.of(1, t4, t8), k0: 1, k1: 0 };
for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now(); const sw = 40;
  packedSweeps(st, 0, 2, rep * sw, sw);
  const dt = performance.now() - t0;
  console.log("packed", (64 * L * L * sw / (dt * 1e6)).toFixed(3), "flips/ns");
}
const chains = 4;
const ist = { tables, colours: 2 as const, spins: new Int8Array(chains * L * L).fill(1), thresholds: thresholdTables(Array.from({ length: chains }, () => ({ nn: J, plaquette: 0, nnn: 0, field: 0 }))), k0: 1, k1: 0 };
for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now(); const sw = 20;
  intSweeps(ist, 0, chains, rep * sw, sw);
  const dt = performance.now() - t0;
  console.log("int", (chains * L * L * sw / (dt * 1e6)).toFixed(3), "flips/ns");
}
