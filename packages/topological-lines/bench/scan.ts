import { defineModel, dualCoupling, STANDARD_SQUARE_SHAPES } from "@physml/lattice-core";
import { sampleModel } from "@physml/inverse-ising";
import { pathHistograms, meanHistograms } from "../src/data/histograms.js";
import { DEFAULT_GROUPS, pathPairs } from "../src/paths/paths.js";
import { pathLoss, disorderAngle } from "../src/train/table.js";
const L = Number(process.argv[2] ?? 16), beta = Number(process.argv[3] ?? 0.3), kappa = Number(process.argv[4] ?? 0);
const K = process.argv[5] === "dual" ? dualCoupling(beta) : beta;
const m = defineModel({ spin: "ising", lattice: { square: [L, L] }, terms: [
  { name: "nn", coupling: K, shapes: STANDARD_SQUARE_SHAPES.nn },
  ...(kappa ? [{ name: "plaquette", coupling: kappa, shapes: STANDARD_SQUARE_SHAPES.plaquette }] : []) ] });
const t0 = performance.now();
const d = await sampleModel(m, { chains: 64, samplesPerChain: 32, seed: 1 });
console.log("sample s", d.seconds);
const { paths, pairs } = pathPairs(DEFAULT_GROUPS);
for (const g of ["links", "crossing"] as const) {
  const t1 = performance.now();
  const h = pathHistograms(d.spins, L, paths, g);
  console.log(g, "hist s", (performance.now() - t1) / 1000);
  const means = meanHistograms(h);
  const rows = [];
  for (let i = 0; i < 60; i++) { const phi = (i * Math.PI) / 60; rows.push(`${(phi * 180 / Math.PI).toFixed(0)}:${pathLoss(means, pairs, phi).loss.toExponential(1)}`); }
  console.log(rows.join(" "));
  console.log("disorder angle deg", disorderAngle(K) * 180 / Math.PI, "loss", pathLoss(means, pairs, disorderAngle(K)).loss);
}
