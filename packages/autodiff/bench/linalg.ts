// `pnpm bench:linalg`: CPU timings of the batched decompositions and their gradients, each as a
// ratio to the LU log-det (with its gradient) of the same batch, measured in the same run. Not a
// test. Run from packages/autodiff:
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown): number {
  fn();
  fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
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
    () => grad((x: Tensor) => sum(eigh(x).vectors.mul(eigh(x).values.reshape([B, 1, n]))))(S),
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
    () => grad((x: Tensor) => sum(pca(x).explainedVarianceRatio.mul(pca(x).explainedVarianceRatio)))(data),
  ],
];

console.log(
  `\nmachine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load(1 min) ${os.loadavg()[0].toFixed(2)}; median of ${reps}\n`,
);
console.log(
  `baseline: logdet of ${B} SPD ${n}×${n} (LU) ${baseV.toFixed(2)} ms; with its gradient ${baseG.toFixed(2)} ms\n`,
);
console.log("| workload | value ms | × logdet | value + gradient ms | × logdet + gradient |");
console.log("|---|---:|---:|---:|---:|");
for (const [name, v, g] of cases) {
  const tv = time(v);
  const tg = time(g);
  console.log(
    `| ${name} | ${tv.toFixed(2)} | ${(tv / baseV).toFixed(1)} | ${tg.toFixed(2)} | ${(tg / baseG).toFixed(1)} |`,
  );
}
