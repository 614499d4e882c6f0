// A/B timing of single elementwise passes at the Hessian workload's shapes, two source trees in
// one process (not part of `pnpm bench`):
//   node --conditions=@physml/source --import tsx bench/ab-elementwise.ts OLD_SRC NEW_SRC [rounds]
// A tangent batch is [10, 1024, 64] (655 360 doubles, 5 MB); a primal factor [1024, 64] is
// broadcast over its 10 directions. Each round times 10 passes of the old tree's kernel, then 10
// of the new one's, so both see the same machine state; prints per pass the median ms of each
// and the median of the rounds' new/old ratios, a plain copy of the same size for scale, and
// whether the two trees' outputs agree bit for bit.
import os from "node:os";
import path from "node:path";
import { seededUniform } from "@physml/lattice-core/testing";

type Kernels = typeof import("../src/kernels/elementwise.js");
const [oldDir, newDir, r] = process.argv.slice(2);
const rounds = Number(r ?? 30);
const trees = (await Promise.all(
  [oldDir, newDir].map((d) => import(path.resolve(d, "kernels/elementwise.ts"))),
)) as Kernels[];

const P = 1024 * 64;
const n = 10 * P;
const rnd = seededUniform(1, -0.5, 0.5);
const [t1, t2] = [0, 1].map(() => Float64Array.from({ length: n }, rnd));
const [y, g] = [0, 1].map(() => Float64Array.from({ length: P }, rnd));
const outs = trees.map(() => new Float64Array(n));
const rows = [
  [P, 1],
  [0, 1],
];
const shape = [10, P];
const passes: Record<string, (k: Kernels, o: Float64Array) => void> = {
  copy: (_k, o) => o.set(t1),
  "mul, two tangents": (k, o) => k.naryKernel("mul", "a0 * a1", [t1, t2], [[1], [1]], [n], o),
  "mul, tangent × primal": (k, o) => k.naryKernel("mul", "a0 * a1", [t1, y], rows, shape, o),
  "tanhGrad(primal, tangent)": (k, o) =>
    k.naryKernel("tanhGrad", "a1 * (1 - a0 * a0)", [y, t1], [rows[1], rows[0]], shape, o),
  "fma2(tangent, primal, tangent, primal)": (k, o) =>
    k.naryKernel("fma2", "a0 * a1 + a2 * a3", [t1, y, t2, g], [...rows, ...rows], shape, o),
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const result: Record<string, { old: number; new: number; ratio: number; sameBits: boolean }> = {};
for (const [name, f] of Object.entries(passes)) {
  const ms: number[][] = [[], []];
  for (let i = 0; i < 10; i++) {
    trees.forEach((k, j) => {
      f(k, outs[j]);
    });
  }
  for (let round = 0; round < rounds; round++) {
    trees.forEach((k, j) => {
      const t = performance.now();
      for (let i = 0; i < 10; i++) f(k, outs[j]);
      ms[j].push((performance.now() - t) / 10);
    });
  }
  result[name] = {
    old: +median(ms[0]).toFixed(3),
    new: +median(ms[1]).toFixed(3),
    ratio: +median(ms[1].map((x, i) => x / ms[0][i])).toFixed(3),
    sameBits: outs[0].every((x, i) => Object.is(x, outs[1][i])),
  };
}
console.log(JSON.stringify({ rounds, load: +os.loadavg()[0].toFixed(2), passes: result }, null, 1));
