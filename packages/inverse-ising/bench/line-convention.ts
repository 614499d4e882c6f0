// A convention test for the README's comparison with the talk's preliminary line matching:
// `node --conditions=@physml/source --import tsx bench/line-convention.ts L β λ factor
// [samples] [dualSamplesPerChain]` samples the nn + nnn original at couplings (factor·β,
// factor·λ) but weights the disorder line with (β, λ), then matches the dual nn + nnn and nn-only
// Hamiltonians. factor = 1 is `lineDuality` (periodic torus); factor = 2 is what a run gets when
// its sampler counts every bond twice (H = −β Σ_i Σ_{j∼i} s_i s_j) while the line carries
// exp(−2β s_i s_j) per crossed link. Prints JSON.
import { STANDARD_SQUARE_SHAPES } from "@physml/lattice-core";
import { disorderLineSeries, matchDualCouplings, sampleModel } from "../src/index.js";

const [L, beta, nnn, factor, samples, dual] = process.argv.slice(2).map(Number);
const chains = 64;
const t0 = performance.now();
const d = await sampleModel(
  {
    spin: "ising",
    lattice: { square: [L, L] },
    terms: [
      { name: "nn", coupling: factor * beta, shapes: STANDARD_SQUARE_SHAPES.nn },
      { name: "nnn", coupling: factor * nnn, shapes: STANDARD_SQUARE_SHAPES.nnn },
    ],
  },
  { chains, samplesPerChain: Math.ceil((samples || 16384) / chains), warmupSweeps: 500, every: 2, seed: 1 },
);
const s = disorderLineSeries(d.spins, L, { nn: beta, nnn });
// Means and covariance of (g1, g2) from whole-chain blocks (sampleModel keeps chains contiguous).
const blocks = [s.g1, s.g2].map((x) =>
  Array.from({ length: chains }, (_, b) => {
    const n = x.length / chains;
    let m = 0;
    for (let a = b * n; a < (b + 1) * n; a++) m += x[a];
    return m / n;
  }),
);
const mu = blocks.map((b) => b.reduce((p, q) => p + q, 0) / chains);
const cov = [0, 1].flatMap((i) =>
  [0, 1].map(
    (j) =>
      blocks[i].reduce((p, _, b) => p + (blocks[i][b] - mu[i]) * (blocks[j][b] - mu[j]), 0) /
      (chains - 1) /
      chains,
  ),
);
const target = { g1: mu[0], g2: mu[1], cov };
const opts = { seed: 0x40000001, samplesPerChain: dual || 128 };
const both = await matchDualCouplings(L, target, opts);
const nnOnly = await matchDualCouplings(L, target, { ...opts, nnn: false });
console.log(
  JSON.stringify({
    L,
    beta,
    nnn,
    factor,
    g1: { value: mu[0], error: Math.sqrt(cov[0]) },
    g2: { value: mu[1], error: Math.sqrt(cov[3]) },
    dual: {
      tNn: both.tNn,
      tNnError: both.tNnError,
      tNnn: both.tNnn,
      tNnnError: both.tNnnError,
      at: both.dual,
    },
    dualNnOnly: { tNn: nnOnly.tNn, tNnError: nnOnly.tNnError, at: nnOnly.dual },
    seconds: (performance.now() - t0) / 1000,
  }),
);
