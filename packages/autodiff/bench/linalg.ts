// `pnpm bench:linalg`: timings (wall clock and process CPU time) of the batched decompositions and
// their gradients, each as a ratio to the LU log-det (with its gradient) of a batch of the same
// size, measured in the same run. Not a test. Run from packages/autodiff:
//   node --conditions=@physml/source --import tsx bench/linalg.ts [--quick]
import os from "node:os";
import {
  add,
  eigh,
  expm,
  eye,
  grad,
  logdet,
  lstsq,
  matmul,
  mT,
  mul,
  pca,
  qr,
  random,
  sum,
  svd,
  type Tensor,
} from "../src/index.js";

const quick = process.argv.includes("--quick");
const reps = quick ? 3 : 9;
const warm = quick ? 3 : 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Medians of wall-clock ms and process CPU ms (all threads) over `reps` runs after `warm` warm-ups:
 * the kernels reach their optimised code only after 15–20 batched calls (expm's first calls were
 * 10–30× slower than its steady state).
 */
function time(fn: () => unknown): { wall: number; cpu: number } {
  for (let i = 0; i < warm; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    fn();
    const u = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((u.user + u.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const B = 1024;
const n = 10;
const R = random.normal(random.key(1), [B, n, n]);
const S = add(R, mT(R)); // symmetric
const P = add(matmul(R, mT(R)), eye(n)); // symmetric positive definite
const G = random.normal(random.key(3), [B, 3, 3]).mul(0.5);
const so3 = add(G, mul(mT(G), -1)); // antisymmetric generators
const design = random.normal(random.key(4), [10000, 6]);
const target = random.normal(random.key(5), [10000, 6]);
const data = random.normal(random.key(6), [10000, 16]);

const baseV = time(() => logdet(P));
const baseG = time(() => grad((x: Tensor) => sum(logdet(x)))(P));

const cases: [string, () => unknown, () => unknown][] = [
  [
    `eigh ${B}×${n}×${n}`,
    () => eigh(S),
    () =>
      grad((x: Tensor) => {
        const { values, vectors } = eigh(x);
        return sum(vectors.mul(values.reshape([B, 1, n])));
      })(S),
  ],
  [`qr ${B}×${n}×${n}`, () => qr(R), () => grad((x: Tensor) => sum(qr(x).q))(R)],
  [`svd ${B}×${n}×${n}`, () => svd(R), () => grad((x: Tensor) => sum(svd(x).u))(R)],
  [`expm ${B}×3×3 (so(3))`, () => expm(so3), () => grad((x: Tensor) => sum(expm(x)))(so3)],
  [
    "lstsq 10000×6, 6 rhs",
    () => lstsq(design, target),
    () => grad((a: Tensor) => sum(lstsq(a, target)))(design),
  ],
  [
    "pca 10000×16",
    () => pca(data),
    () =>
      grad((x: Tensor) => {
        const r = pca(x).explainedVarianceRatio;
        return sum(r.mul(r));
      })(data),
  ],
];

console.log(
  `\nmachine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load(1 min) ${os.loadavg()[0].toFixed(2)}; median of ${reps}\n`,
);
const ms = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(1)} / ${t.cpu.toFixed(1)}`;
console.log(
  `baseline: logdet of ${B} SPD ${n}×${n} (LU) ${ms(baseV)} ms; with its gradient ${ms(baseG)} ms (wall / CPU)\n`,
);
console.log(
  "| workload | value ms, wall / CPU | × logdet (CPU) | value + gradient ms, wall / CPU | × logdet + gradient (CPU) |",
);
console.log("|---|---:|---:|---:|---:|");
for (const [name, v, g] of cases) {
  const tv = time(v);
  const tg = time(g);
  console.log(
    `| ${name} | ${ms(tv)} | ${(tv.cpu / baseV.cpu).toFixed(1)} | ${ms(tg)} | ${(tg.cpu / baseG.cpu).toFixed(1)} |`,
  );
}
console.log("\nCPU time counts every thread of the process (large products run on worker threads).");
