// `node --conditions=@physml/source --import tsx bench/models.ts`: the generic model samplers
// next to baselines measured in the same run (ratios), not a test.
// - Ising: the generic rule (any description) vs the hand-written int kernel, 1 thread, on the
//   standard square model with nn + plaquette (4 colours), L = 64, 4 chains.
// - XY, L = 256 square: the generic O(n) Metropolis (+1 over-relaxation sweep, counted as a
//   second site update) vs a plain single-threaded JavaScript XY Metropolis on angles.
// - A 3-spin chain term and a cubic lattice, generic rule only (site updates per ns).
// - The replica-packed generic rule vs the generic int rule (32 chains, 1 thread) on nn + plaquette
//   64² and a 3-spin + nn chain; and vs the hand-written square packed kernel on nn 64².
import { loadavg } from "node:os";
import { nearestNeighbourShapes, squareLattice, standardSquareModel } from "@physml/lattice-core";
import { createModelSampler, createSampler } from "../src/index.js";

const target = Number(process.env.BENCH_SECONDS ?? 1.5);

async function rate(run: (n: number) => Promise<void>, updatesPerSweep: number): Promise<number> {
  await run(2);
  let n = 2;
  for (;;) {
    const t = performance.now();
    await run(n);
    const s = (performance.now() - t) / 1000;
    if (s > target / 3 || n > 1 << 20) return (n * updatesPerSweep) / (s * 1e9);
    n *= 4;
  }
}

/** Plain XY Metropolis on angles: uniform step in [−δ, δ], one Math.random per draw. */
function plainXy(L: number, K: number, sweeps: number, theta: Float64Array): void {
  const delta = 1.5;
  for (let s = 0; s < sweeps; s++)
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++) {
        const i = y * L + x;
        const nb = [
          y * L + ((x + 1) % L),
          y * L + ((x + L - 1) % L),
          ((y + 1) % L) * L + x,
          ((y + L - 1) % L) * L + x,
        ];
        const t = theta[i] + delta * (2 * Math.random() - 1);
        let dE = 0;
        for (const j of nb) dE -= K * (Math.cos(t - theta[j]) - Math.cos(theta[i] - theta[j]));
        if (dE <= 0 || Math.random() < Math.exp(-dE)) theta[i] = t;
      }
}

const L = 64;
const chains = 4;
const c = { nn: 0.3, plaquette: 0.1, nnn: 0, field: 0 };
const fast = await createSampler({
  lattice: squareLattice(L),
  couplings: c,
  chains,
  seed: 1,
  backend: "cpu",
  kernel: "int",
  workers: 1,
});
const generic = await createModelSampler({ model: standardSquareModel(L, L, c), chains, seed: 1 });
const rows: [string, number, number | null][] = [];
const rFast = await rate((n) => fast.sweep(n), chains * L * L);
const rGen = await rate((n) => generic.sweep(n), chains * L * L);
await fast.dispose();
rows.push(["ising nn+plaquette 64² generic rule (vs int kernel, 1 thread)", rGen, rGen / rFast]);
rows.push(["ising nn+plaquette 64² int kernel (1 thread)", rFast, 1]);

const LXY = 256;
const xy = await createModelSampler({
  model: {
    spin: "xy",
    lattice: { square: [LXY, LXY] },
    terms: [
      {
        name: "nn",
        coupling: 1,
        shapes: nearestNeighbourShapes(2),
      },
    ],
  },
  chains: 1,
  seed: 1,
});
const theta = new Float64Array(LXY * LXY);
const rPlain = await rate(async (n) => plainXy(LXY, 1, n, theta), LXY * LXY);
// A sweep is one Metropolis and one over-relaxation update per site: 2 site updates.
const rXy = await rate((n) => xy.sweep(n), 2 * LXY * LXY);
rows.push(["xy 256² generic Metropolis + over-relaxation, 1 thread (vs plain JS XY)", rXy, rXy / rPlain]);
rows.push(["xy 256² plain JS Metropolis on angles, 1 thread", rPlain, 1]);

const chain3 = await createModelSampler({
  model: {
    spin: "ising",
    lattice: { chain: 4096 },
    terms: [{ name: "s3", coupling: 0.4, sites: [[0], [1], [2]] }],
  },
  chains,
  seed: 1,
});
rows.push([
  "ising 3-spin chain L = 4096 generic rule",
  await rate((n) => chain3.sweep(n), chains * 4096),
  null,
]);
const cubic = await createModelSampler({
  model: {
    spin: "ising",
    lattice: { cubic: 16 },
    terms: [
      {
        name: "nn",
        coupling: 0.2,
        shapes: nearestNeighbourShapes(3),
      },
    ],
  },
  chains,
  seed: 1,
});
rows.push(["ising nn cubic 16³ generic rule", await rate((n) => cubic.sweep(n), chains * 4096), null]);

// The packed rule (32 chains per u32 word) vs the int rule, both generic over the description,
// 32 chains each (one full packed group), same run.
const packedChains = 32;
const packedCases: [string, Parameters<typeof createModelSampler>[0]["model"], number][] = [
  ["ising nn+plaquette 64²", standardSquareModel(L, L, c), L * L],
  [
    "ising 3-spin chain + nn L = 4096",
    {
      spin: "ising",
      lattice: { chain: 4096 },
      terms: [
        { name: "s3", coupling: 0.4, sites: [[0], [1], [2]] },
        { name: "nn", coupling: 0.1, sites: [[0], [1]] },
      ],
    },
    4096,
  ],
];
for (const [name, model, N] of packedCases) {
  const perSweep = packedChains * N;
  const viaInt = await createModelSampler({ model, chains: packedChains, seed: 1, kernel: "int" });
  const viaPacked = await createModelSampler({ model, chains: packedChains, seed: 1, kernel: "packed" });
  const rInt = await rate((n) => viaInt.sweep(n), perSweep);
  const rPacked = await rate((n) => viaPacked.sweep(n), perSweep);
  rows.push([`${name} packed generic rule, 32 chains (vs generic int rule)`, rPacked, rPacked / rInt]);
  rows.push([`${name} generic int rule, 32 chains`, rInt, 1]);
}

// The generic packed rule on the standard nn model vs the hand-written square packed kernel
// (same stream, bit-identical results): the cost of reading the circuit from the description.
{
  const nn = { nn: 0.4, plaquette: 0, nnn: 0, field: 0 };
  const square = await createSampler({
    lattice: squareLattice(L),
    couplings: nn,
    chains: packedChains,
    seed: 1,
    backend: "cpu",
    kernel: "packed",
    workers: 1,
  });
  const viaPacked = await createModelSampler({
    model: standardSquareModel(L, L, nn),
    chains: packedChains,
    seed: 1,
    kernel: "packed",
  });
  const rSquare = await rate((n) => square.sweep(n), packedChains * L * L);
  const rPacked = await rate((n) => viaPacked.sweep(n), packedChains * L * L);
  await square.dispose();
  rows.push([
    "ising nn 64² packed generic rule, 32 chains (vs square packed kernel, 1 thread)",
    rPacked,
    rPacked / rSquare,
  ]);
  rows.push(["ising nn 64² square packed kernel, 32 chains, 1 thread", rSquare, 1]);
}

console.log(
  `load average ${loadavg()
    .map((v) => v.toFixed(1))
    .join(" ")}`,
);
console.log("| workload | site updates / ns | ratio to its baseline |\n| --- | --- | --- |");
for (const [name, r, ratio] of rows)
  console.log(`| ${name} | ${r.toPrecision(3)} | ${ratio === null ? "" : ratio.toFixed(2)} |`);
