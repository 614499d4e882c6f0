// A/B timing of the batched small-matrix inverse and log|det|, two source trees in one process
// (not part of `pnpm bench`):
//   node --conditions=@physml/source --import tsx bench/ab-linalg.ts OLD_SRC NEW_SRC [rounds]
// Inputs are random.normal [B, n, n] + 10·I. The first three cases are the Hessian workload's
// (bench/ab-step.ts): `inverse` and `logdet` on [1024, 10, 10] and the gradient of mean(logdet),
// whose VJP calls `inverse`; then both ops over n = 1…16 at B = 1024 and tiny batches. Each round
// times a fixed number of calls of the old tree, then of the new one (the order swapped every
// round). Prints per case the median ms per call of each tree, the median of the rounds' new/old
// ratios, and whether the two trees' results agree bit for bit (Object.is per entry).
import os from "node:os";
import path from "node:path";

type Ad = typeof import("../src/index.js");
type T = import("../src/index.js").Tensor;
const [oldDir, newDir, r] = process.argv.slice(2);
const rounds = Number(r ?? 15);
const trees = (await Promise.all([oldDir, newDir].map((d) => import(path.resolve(d, "index.ts"))))) as Ad[];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function input(ad: Ad, B: number, n: number): T {
  return ad.add(ad.random.normal(ad.random.key(B * 100 + n), [B, n, n]), ad.mul(ad.eye(n), 10));
}

const ops: Record<string, (ad: Ad, x: T) => T[]> = {
  inverse: (ad, x) => [ad.inverse(x)],
  logdet: (ad, x) => [ad.logdet(x)],
  "grad mean logdet": (ad, x) => {
    const [v, g] = ad.valueAndGrad((y: T) => ad.mean(ad.logdet(y)))(x);
    return [v, g as T];
  },
};

function timeCase(op: string, B: number, n: number): Record<string, unknown> {
  const xs = trees.map((ad) => input(ad, B, n));
  const run = (j: number) => ops[op](trees[j], xs[j]);
  const outs = [run(0), run(1)].map((ts) => ts.flatMap((t) => Array.from(t.toFloat64Array())));
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) for (const j of [0, 1]) run(j);
  const reps = Math.max(5, Math.min(2000, Math.round(40 / ((performance.now() - t0) / 40))));
  const ms: number[][] = [[], []];
  for (let round = 0; round < rounds; round++) {
    for (const j of round % 2 ? [1, 0] : [0, 1]) {
      const t = performance.now();
      for (let i = 0; i < reps; i++) run(j);
      ms[j].push((performance.now() - t) / reps);
    }
  }
  return {
    case: `${op} [${B}, ${n}, ${n}]`,
    old: +median(ms[0]).toFixed(4),
    new: +median(ms[1]).toFixed(4),
    ratio: +median(ms[1].map((x, i) => x / ms[0][i])).toFixed(3),
    sameBits: outs[0].length === outs[1].length && outs[0].every((x, i) => Object.is(x, outs[1][i])),
  };
}

const cases: [string, number, number][] = [
  ["inverse", 1024, 10],
  ["logdet", 1024, 10],
  ["grad mean logdet", 1024, 10],
];
for (const n of [1, 2, 3, 4, 6, 8, 12, 13, 16])
  for (const op of ["inverse", "logdet"]) cases.push([op, 1024, n]);
for (const B of [1, 4])
  for (const n of [3, 10]) for (const op of ["inverse", "logdet"]) cases.push([op, B, n]);
for (const [op, B, n] of cases) console.log(JSON.stringify(timeCase(op, B, n)));
console.log(JSON.stringify({ rounds, load: +os.loadavg()[0].toFixed(2) }));
process.exit(0); // the trees' matrix-product workers
