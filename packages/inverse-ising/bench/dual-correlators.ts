// The nn and diagonal correlators of a dual candidate H* = −t_nn Σ s*s* − t_nnn Σ_diag s*s* on
// the L × L torus, to set a proposed dual (e.g. the talk's) against measured disorder-line
// chunks: `node --conditions=@physml/source --import tsx bench/dual-correlators.ts L t_nn t_nnn`
// prints JSON [mean, error] for g1 (nn) and g2 (diagonal); errors from 64 whole-chain blocks.
import { standardSquareModel } from "@physml/lattice-core";
import { sampleModel } from "../src/index.js";

const [L, tNn, tNnn] = process.argv.slice(2).map(Number);
const chains = 64;
const d = await sampleModel(standardSquareModel(L, L, { nn: tNn, plaquette: 0, nnn: tNnn, field: 0 }), {
  chains,
  samplesPerChain: 256,
  warmupSweeps: 1000,
  every: 2,
  seed: 3,
});
const N = L * L;
const perChain = d.spins.length / N / chains;
const s = (o: number, x: number, y: number) => d.spins[o + ((x + L) % L) + L * ((y + L) % L)];
const blockEstimate = (f: (o: number, x: number, y: number) => number): [number, number] => {
  const b = new Float64Array(chains);
  for (let a = 0; a < chains * perChain; a++) {
    let t = 0;
    for (let y = 0; y < L; y++) for (let x = 0; x < L; x++) t += f(a * N, x, y);
    b[Math.floor(a / perChain)] += t / N / perChain;
  }
  const m = b.reduce((p, q) => p + q, 0) / chains;
  return [m, Math.sqrt(b.reduce((p, q) => p + (q - m) ** 2, 0) / (chains - 1) / chains)];
};
const g1 = blockEstimate((o, x, y) => (s(o, x, y) * s(o, x + 1, y) + s(o, x, y) * s(o, x, y + 1)) / 2);
const g2 = blockEstimate(
  (o, x, y) => (s(o, x, y) * s(o, x + 1, y + 1) + s(o, x + 1, y) * s(o, x, y + 1)) / 2,
);
console.log(JSON.stringify({ L, tNn, tNnn, g1, g2 }));
