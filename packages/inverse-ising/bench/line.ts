// The README's line-based duality runs: `node --conditions=@physml/source --import tsx
// bench/line.ts L β κ [samples] [dualSamplesPerChain] [nnn]` prints the result as JSON
// (κ: plaquette coupling, nnn: diagonal coupling of the original).
import { lineDuality } from "../src/index.js";

const [L, beta, kappa, samples, dual, nnn] = process.argv.slice(2).map(Number);
const r = await lineDuality({
  L,
  beta,
  kappa,
  nnn: nnn || 0,
  seed: 1,
  samplesCount: samples || 16384,
  dualSamplesPerChain: dual || 128,
});
console.log(JSON.stringify(r));
