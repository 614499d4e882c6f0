// A/B timing of the Hessian workload's large matrix products, two source trees in one process
// (not part of `pnpm bench`):
//   node --conditions=@physml/source --import tsx bench/ab-matmul.ts OLD_SRC NEW_SRC [rounds] [threads]
// The shapes are the 12 large products of one `cy` step (bench/ab-step.ts): a tangent batch
// [10·1024, 64] times a weight [64, 64] (forward and inner backward pass), the same against the
// weight's transpose (their input VJPs), and the weight gradients Xᵀ·G with K = 10240. Each round
// times 10 products of the old tree, then 10 of the new one (the order swapped every round), so
// both see the same machine state. Prints per shape the median wall ms and GFLOP/s of each tree,
// the median of the rounds' new/old ratios, the same for the process CPU ms (all threads) per
// product, and whether the two trees' results agree bit for bit. Then, for the new tree, what the
// parts of a product cost alone on this thread: the SIMD kernel on operands already in the module,
// packing B, and copying an operand in (a plain Float64Array.set).
import os from "node:os";
import path from "node:path";
import { seededUniform } from "@physml/lattice-core/testing";

type Mm = typeof import("../src/kernels/matmul.js");
type Th = typeof import("../src/kernels/matmul-threads.js");
type Wm = typeof import("../src/kernels/wasm-matmul.js");
const [oldDir, newDir, r, th] = process.argv.slice(2);
const rounds = Number(r ?? 20);
const threads = Number(th ?? 2);
const trees = await Promise.all(
  [oldDir, newDir].map(async (d) => ({
    mm: (await import(path.resolve(d, "kernels/matmul.ts"))) as Mm,
    th: (await import(path.resolve(d, "kernels/matmul-threads.ts"))) as Th,
    wm: (await import(path.resolve(d, "kernels/wasm-matmul.ts"))) as Wm,
  })),
);
for (const t of trees) t.th.setMatmulThreads(threads);

const rnd = seededUniform(1, -0.5, 0.5);
const BK = 10240;
const D = 64;
const tangent = Float64Array.from({ length: BK * D }, rnd);
const cot = Float64Array.from({ length: BK * D }, rnd);
const weight = Float64Array.from({ length: D * D }, rnd);
// [name, a, b, M, K, N, transA, transB]
const shapes: [string, Float64Array, Float64Array, number, number, number, boolean, boolean][] = [
  ["10240×64·64×64", tangent, weight, BK, D, D, false, false],
  ["10240×64·(64×64)ᵀ", tangent, weight, BK, D, D, false, true],
  ["(10240×64)ᵀ·10240×64", tangent, cot, D, BK, D, true, false],
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const result: Record<string, unknown> = {};
for (const [name, a, b, M, K, N, ta, tb] of shapes) {
  const outs = trees.map(() => new Float64Array(M * N));
  const run = (j: number) => trees[j].mm.matmulKernel(a, 0, b, 0, outs[j], 0, M, K, N, ta, tb);
  for (let i = 0; i < 20; i++) for (const j of [0, 1]) run(j);
  const ms: number[][] = [[], []];
  const cpu: number[][] = [[], []];
  for (let round = 0; round < rounds; round++) {
    for (const j of round % 2 ? [1, 0] : [0, 1]) {
      const c0 = process.cpuUsage();
      const t = performance.now();
      for (let i = 0; i < 10; i++) run(j);
      ms[j].push((performance.now() - t) / 10);
      const c = process.cpuUsage(c0);
      cpu[j].push((c.user + c.system) / 1e4);
    }
  }
  const gf = (t: number) => +((2 * M * K * N) / t / 1e6).toFixed(2);
  result[name] = {
    old: +median(ms[0]).toFixed(3),
    new: +median(ms[1]).toFixed(3),
    gflops: [gf(median(ms[0])), gf(median(ms[1]))],
    ratio: +median(ms[1].map((x, i) => x / ms[0][i])).toFixed(3),
    cpu: [+median(cpu[0]).toFixed(3), +median(cpu[1]).toFixed(3)],
    cpuRatio: +median(cpu[1].map((x, i) => x / cpu[0][i])).toFixed(3),
    sameBits: outs[0].every((x, i) => Object.is(x, outs[1][i])),
  };
}

// the parts alone, on the new tree's module: the kernel over operands in memory (A [10240, 64]
// row-major, B packed; for the transposed A, A read in place with strides) and the copies in
const w = trees[1].wm.instance();
const parts: Record<string, number> = {};
if (w !== null) {
  const base = trees[1].wm.BASE;
  const f = trees[1].wm.memory(w, base + 3 * BK * D + D * D + 8);
  if (f !== null) {
    const aOff = base;
    const bOff = aOff + BK * D + 8;
    const cOff = bOff + BK * D;
    f.set(tangent, aOff);
    f.set(cot, bOff);
    const time = (g: () => void) => {
      for (let i = 0; i < 5; i++) g();
      const ts: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const t = performance.now();
        for (let k = 0; k < 10; k++) g();
        ts.push((performance.now() - t) / 10);
      }
      return +median(ts).toFixed(3);
    };
    parts["kernel 10240×64·64×64, 1 thread"] = time(() =>
      w.mm(aOff * 8, bOff * 8, cOff * 8, BK, D, D, D * 8, 8, 0),
    );
    parts["kernel (10240×64)ᵀ·10240×64, one sweep, 1 thread"] = time(() =>
      w.mm(aOff * 8, bOff * 8, cOff * 8, D, BK, D, 8, D * 8, 0),
    );
    parts["kernel (10240×64)ᵀ·10240×64, K slabs of 256, 1 thread"] = time(() => {
      for (let k0 = 0; k0 < BK; k0 += 256)
        w.mm((aOff + k0 * D) * 8, (bOff + k0 * D) * 8, cOff * 8, D, 256, D, 8, D * 8, k0 > 0 ? 1 : 0);
    });
    parts["packB 10240×64"] = time(() => w.packB(aOff * 8, bOff * 8, BK, D, D * 8, 8));
    parts["copy in 10240×64 (Float64Array.set)"] = time(() => f.set(tangent, aOff));
  }
}
console.log(JSON.stringify({ rounds, threads, load: +os.loadavg()[0].toFixed(2), result, parts }, null, 1));
process.exit(0); // the two trees' matrix-product workers
