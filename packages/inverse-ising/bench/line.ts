// The README's line-based duality runs: `node --conditions=@physml/source --import tsx
// bench/line.ts L β κ [samples] [dualSamplesPerChain] [nnn] [boundary] [endpoints] [dualTerms]`
// prints the result as JSON (κ: plaquette coupling, nnn: diagonal coupling of the original,
// boundary: twist-sum | periodic, endpoints: half | cut-link, dualTerms: nn+nnn | nn+nnn+d2).
import { type DualTerms, type LineEndpoints, lineDuality } from "../src/index.js";

const args = process.argv.slice(2);
const [L, beta, kappa, samples, dual, nnn] = args.slice(0, 6).map(Number);
const boundary = (args[6] || undefined) as "twist-sum" | "periodic" | undefined;
const endpoints = (args[7] || undefined) as LineEndpoints | undefined;
const dualTerms = (args[8] || undefined) as DualTerms | undefined;
const r = await lineDuality({
  L,
  beta,
  plaquette: kappa,
  nnn: nnn || 0,
  seed: 1,
  samplesCount: samples || 16384,
  dualSamplesPerChain: dual || 128,
  ...(boundary ? { boundary } : {}),
  ...(endpoints ? { endpoints } : {}),
  ...(dualTerms ? { dualTerms } : {}),
});
console.log(JSON.stringify(r));
