import { estimateChains, kaufman, squareLattice, termSums, shapeFeatures, linkVariables } from "@physml/lattice-core";
import { createSampler } from "../src/index.ts";
const L = 16;
for (const kernel of ["int", "packed"] as const) {
  for (const beta of [0.3, 0.44, 0.6]) {
    const s = await createSampler({ lattice: squareLattice(L), couplings: { nn: beta }, chains: 64, seed: 7, backend: "cpu", kernel, workers: 1 });
    const t0 = performance.now();
    await s.sweep(300);
    const m = await s.measure({ sweeps: 2000 });
    const e = estimateChains(Array.from({ length: 64 }, (_, c) => m.nnEnergyPerSite(c)));
    const k = kaufman(L, L, beta);
    console.log(kernel, beta, e.mean.toFixed(5), e.error.toFixed(5), e.tauInt.toFixed(1), k.energyPerSite.toFixed(5), ((e.mean - k.energyPerSite) / e.error).toFixed(2), "σ", (performance.now() - t0).toFixed(0), "ms");
    await s.dispose();
  }
}
// measurement check
const lat = squareLattice(6, 4);
const s = await createSampler({ lattice: lat, couplings: { nn: 0.3, plaquette: 0.2 }, chains: 3, seed: 1, backend: "cpu" });
const m = await s.measure({ sweeps: 5, configurations: true });
let bad = 0;
for (let c = 0; c < 3; c++) for (let t = 0; t < 5; t++) {
  const conf = m.configuration(c, t);
  const ts = termSums(lat, conf); const fs = shapeFeatures(lat, linkVariables(lat, conf));
  for (let k = 0; k < 4; k++) if (ts[k] !== m.terms[(c * 5 + t) * 4 + k]) bad++;
  for (let a = 0; a < 13; a++) if (Math.abs(fs[a] - m.features[(c * 5 + t) * 13 + a]) > 1e-12) bad++;
}
console.log("measurement mismatches", bad);
