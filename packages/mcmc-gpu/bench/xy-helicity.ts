// `node --conditions=@physml/source --import tsx bench/xy-helicity.ts`: the 2D XY helicity
// modulus βΥ against 2/π for L = 8, 16, 32 around β_BKT ≈ 1.1199 (Hasenbusch 2005), as a table
// for the README. Not a test. BENCH_SWEEPS (default 2000) measured sweeps per point, 4 chains.
import { estimateChains, nearestNeighbourShapes } from "@physml/lattice-core";
import { createModelSampler } from "../src/index.js";

const sweeps = Number(process.env.BENCH_SWEEPS ?? 2000);
const betas = [0.9, 1.0, 1.1, 1.2, 1.3];
console.log(`| L | ${betas.map((b) => `β = ${b}`).join(" | ")} |`);
console.log(`| --- | ${betas.map(() => "---").join(" | ")} |`);
for (const L of [8, 16, 32]) {
  const cells: string[] = [];
  for (const beta of betas) {
    const s = await createModelSampler({
      model: {
        spin: "xy",
        lattice: { square: [L, L] },
        terms: [{ name: "nn", coupling: beta, shapes: nearestNeighbourShapes(2) }],
      },
      chains: 4,
      seed: L * 100 + Math.round(beta * 10),
      init: "hot",
    });
    await s.sweep(Math.max(500, sweeps / 4));
    const m = await s.measure({ sweeps, every: 2 });
    const e = estimateChains(Array.from({ length: 4 }, (_, c) => m.helicityModulus(c)));
    // βΥ − 2/π: positive means the (finite-L) stiffness is above the BKT jump.
    cells.push(`${(e.mean - 2 / Math.PI).toFixed(3)} ± ${e.error.toFixed(3)}`);
    await s.dispose();
  }
  console.log(`| ${L} | ${cells.join(" | ")} |`);
}
