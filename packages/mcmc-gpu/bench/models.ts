// `node --conditions=@physml/source --import tsx bench/models.ts`: the generic model samplers
// next to baselines measured in the same run (ratios), not a test. Rates are site updates per ns.
// - XY, L = 256 square, K = 1: the CPU XY rule (Metropolis only) on 1 thread and on all threads
//   vs a plain single-threaded JavaScript XY Metropolis on angles (plainXy below). The headline
//   ratio compares Metropolis updates with Metropolis updates; the over-relaxation sweeps of a
//   default sampler are a separate row (each reflection counted as one site update).
// - Heisenberg 128² generic O(n) rule and Ising descriptions, 1 thread vs all threads.
// - Ising: the generic rule vs the hand-written int kernel, 1 thread, standard square model with
//   nn + plaquette (4 colours), L = 64, 4 chains.
// - The replica-packed generic rule vs the generic int rule (32 chains, 1 thread) on nn + plaquette
//   64² and a 3-spin + nn chain; and vs the hand-written square packed kernel on nn 64².
// Baseline and samplers are measured alternately, twice, so load changes hit both.
import { availableParallelism, loadavg } from "node:os";
import { nearestNeighbourShapes, squareLattice, standardSquareModel } from "@physml/lattice-core";
import { createModelSampler, createSampler } from "../src/index.js";

const target = Number(process.env.BENCH_SECONDS ?? 1.5);
const threads = availableParallelism();

/**
 * Site updates per ns of wall-clock time, and per ns of CPU time of the whole process (all
 * threads): on a loaded machine the second shows what the work costs when a core is free.
 */
async function rate(
  run: (n: number) => Promise<void> | void,
  updatesPerSweep: number,
): Promise<[number, number]> {
  await run(2);
  let n = 2;
  for (;;) {
    const c = process.cpuUsage();
    const t = performance.now();
    await run(n);
    const s = (performance.now() - t) / 1000;
    const u = process.cpuUsage(c);
    const cpu = (u.user + u.system) / 1e6;
    if (s > target / 3 || n > 1 << 20)
      return [(n * updatesPerSweep) / (s * 1e9), (n * updatesPerSweep) / (cpu * 1e9)];
    n *= 2;
  }
}

/**
 * The baseline: a careful plain JavaScript XY Metropolis on one L×L chain of angles, as one
 * would write it without this package — checkerboard order, neighbour rows and columns from
 * precomputed index tables, an inline xorshift128 generator (no calls), a uniform step in
 * [−δ, δ], ΔE from 8 Math.cos calls, Math.exp only when ΔE > 0.
 */
function plainXy(L: number, K: number, sweeps: number, theta: Float64Array, rng: Int32Array): void {
  const delta = 1.5;
  const next = new Int32Array(L);
  const prev = new Int32Array(L);
  for (let i = 0; i < L; i++) {
    next[i] = (i + 1) % L;
    prev[i] = (i + L - 1) % L;
  }
  let x = rng[0];
  let y = rng[1];
  let z = rng[2];
  let w = rng[3];
  for (let s = 0; s < sweeps; s++)
    for (let colour = 0; colour < 2; colour++)
      for (let r = 0; r < L; r++) {
        const row = r * L;
        const up = next[r] * L;
        const down = prev[r] * L;
        for (let c = (r + colour) & 1; c < L; c += 2) {
          let t = x ^ (x << 11);
          x = y;
          y = z;
          z = w;
          w = w ^ (w >>> 19) ^ (t ^ (t >>> 8));
          const i = row + c;
          const old = theta[i];
          const th = old + delta * ((w >>> 0) * (2 / 4294967296) - 1);
          const a = theta[row + next[c]];
          const b = theta[row + prev[c]];
          const u = theta[up + c];
          const d = theta[down + c];
          const dE =
            K *
            (Math.cos(old - a) +
              Math.cos(old - b) +
              Math.cos(old - u) +
              Math.cos(old - d) -
              Math.cos(th - a) -
              Math.cos(th - b) -
              Math.cos(th - u) -
              Math.cos(th - d));
          if (dE > 0) {
            t = x ^ (x << 11);
            x = y;
            y = z;
            z = w;
            w = w ^ (w >>> 19) ^ (t ^ (t >>> 8));
            if ((w >>> 0) / 4294967296 >= Math.exp(-dE)) continue;
          }
          theta[i] = th;
        }
      }
  rng.set([x, y, z, w]);
}

const rows: [string, [number, number], string][] = [];
const load0 = loadavg();
const sq = (L: number, spin: "xy" | "heisenberg" | "ising", K: number) => ({
  spin,
  lattice: { square: [L, L] as [number, number] },
  terms: [{ name: "nn", coupling: K, shapes: nearestNeighbourShapes(2) }],
});
// Workers start on the first (warm-up) call, not inside a timed one.
const eager = { workerStartThresholdNs: 0 };

const LXY = 256;
const N = LXY * LXY;
const theta = new Float64Array(N);
const state = Int32Array.from([123456789, 362436069, 521288629, 88675123]);
const xy1 = await createModelSampler({
  model: sq(LXY, "xy", 1),
  chains: 1,
  seed: 1,
  overrelaxation: 0,
  workers: 1,
});
const xyT = await createModelSampler({
  model: sq(LXY, "xy", 1),
  chains: threads,
  seed: 1,
  overrelaxation: 0,
  workers: threads,
  cpu: eager,
});
const xyOr = await createModelSampler({
  model: sq(LXY, "xy", 1),
  chains: threads,
  seed: 1,
  workers: threads,
  cpu: eager,
});
// Thermalise (the widths adapt), then time sweeps with frozen widths as in `measure`.
for (const s of [xy1, xyT, xyOr]) {
  await s.sweep(100);
  if (s.onRule) s.onRule.adapting = false;
}
for (let round = 1; round <= 2; round++) {
  const rPlain = await rate((n) => plainXy(LXY, 1, n, theta, state), N);
  const r1 = await rate((n) => xy1.sweep(n), N);
  const rT = await rate((n) => xyT.sweep(n), threads * N);
  const rOr = await rate((n) => xyOr.sweep(n), 2 * threads * N);
  rows.push([`xy 256² plain JS Metropolis on angles, 1 thread (round ${round})`, rPlain, "1"]);
  rows.push([
    `xy 256² XY rule, Metropolis only, 1 thread (round ${round})`,
    r1,
    (r1[0] / rPlain[0]).toFixed(2),
  ]);
  rows.push([
    `**xy 256² XY rule, Metropolis only, ${threads} threads, ${threads} chains (round ${round})**`,
    rT,
    `**${(rT[0] / rPlain[0]).toFixed(2)}**`,
  ]);
  rows.push([
    `xy 256² XY rule + 1 over-relaxation sweep, ${threads} threads (both counted; round ${round})`,
    rOr,
    "",
  ]);
}
for (const s of [xy1, xyT, xyOr]) await s.dispose();

const heis = async (workers: number) =>
  createModelSampler({
    model: sq(128, "heisenberg", 0.7),
    chains: threads,
    seed: 1,
    overrelaxation: 0,
    workers,
    cpu: eager,
  });
const h1 = await heis(1);
const hT = await heis(threads);
const rh1 = await rate((n) => h1.sweep(n), threads * 128 * 128);
const rhT = await rate((n) => hT.sweep(n), threads * 128 * 128);
rows.push(["heisenberg 128² generic O(n) Metropolis, 1 thread", rh1, "1"]);
rows.push([`heisenberg 128² generic O(n) Metropolis, ${threads} threads`, rhT, (rhT[0] / rh1[0]).toFixed(2)]);
await h1.dispose();
await hT.dispose();

const chain3 = async (workers: number) =>
  createModelSampler({
    model: {
      spin: "ising",
      lattice: { chain: 4096 },
      terms: [{ name: "s3", coupling: 0.4, sites: [[0], [1], [2]] }],
    },
    chains: 4,
    seed: 1,
    workers,
    cpu: eager,
  });
const c1 = await chain3(1);
const cT = await chain3(threads);
const rc1 = await rate((n) => c1.sweep(n), 4 * 4096);
const rcT = await rate((n) => cT.sweep(n), 4 * 4096);
rows.push(["ising 3-spin chain L = 4096, 4 chains, generic rule, 1 thread", rc1, "1"]);
rows.push([
  `ising 3-spin chain L = 4096, 4 chains, generic rule, ${threads} threads`,
  rcT,
  (rcT[0] / rc1[0]).toFixed(2),
]);
await c1.dispose();
await cT.dispose();

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
const generic = await createModelSampler({
  model: standardSquareModel(L, L, c),
  chains,
  seed: 1,
  workers: 1,
});
const rFast = await rate((n) => fast.sweep(n), chains * L * L);
const rGen = await rate((n) => generic.sweep(n), chains * L * L);
await fast.dispose();
await generic.dispose();
rows.push(["ising nn+plaquette 64² int kernel, 1 thread", rFast, "1"]);
rows.push([
  "ising nn+plaquette 64² generic rule, 1 thread (vs int kernel)",
  rGen,
  (rGen[0] / rFast[0]).toFixed(2),
]);

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
  const viaInt = await createModelSampler({
    model,
    chains: packedChains,
    seed: 1,
    kernel: "int",
    workers: 1,
  });
  const viaPacked = await createModelSampler({ model, chains: packedChains, seed: 1, kernel: "packed" });
  const rInt = await rate((n) => viaInt.sweep(n), perSweep);
  const rPacked = await rate((n) => viaPacked.sweep(n), perSweep);
  rows.push([
    `${name} packed generic rule, 32 chains (vs generic int rule)`,
    rPacked,
    (rPacked[0] / rInt[0]).toFixed(2),
  ]);
  rows.push([`${name} generic int rule, 32 chains, 1 thread`, rInt, "1"]);
  await viaInt.dispose();
  await viaPacked.dispose();
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
    (rPacked[0] / rSquare[0]).toFixed(2),
  ]);
  rows.push(["ising nn 64² square packed kernel, 32 chains, 1 thread", rSquare, "1"]);
  await viaPacked.dispose();
}

const fmt = (l: number[]) => l.map((v) => v.toFixed(2)).join(" ");
console.log(`load average at start ${fmt(load0)}, at end ${fmt(loadavg())}; ${threads} threads`);
console.log(
  "| workload | site updates / ns | ratio to its baseline | site updates / ns of CPU time |\n| --- | --- | --- | --- |",
);
for (const [name, [wall, cpu], ratio] of rows)
  console.log(`| ${name} | ${wall.toPrecision(3)} | ${ratio} | ${cpu.toPrecision(3)} |`);
