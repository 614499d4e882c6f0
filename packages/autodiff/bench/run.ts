// `pnpm bench`: CPU timings of the workloads named in issue 4, each against a naive baseline run
// in the same process. Not a test. Run from packages/autodiff:
//   node --conditions=@physml/source --import tsx bench/run.ts [--quick]
// Prints a Markdown table (ms per step as the median of timed repetitions, GFLOP/s from the
// matrix-product multiply-adds actually executed) and the tape memory of the Calabi–Yau workload.
import os from "node:os";
import v8 from "node:v8";
import vm from "node:vm";
import { clearPool } from "../src/core/pool.js";
import {
  grad,
  hessian,
  jacobian,
  logdet,
  matmulThreads,
  mean,
  mul,
  perSampleHessian,
  random,
  reshape,
  setMatmulThreads,
  sub,
  sum,
  type Tensor,
  tensor,
  valueAndGrad,
  vjp,
} from "../src/index.js";
import { matmulStats } from "../src/kernels/matmul.js";
import { MLP } from "../src/nn/index.js";
import { naiveFromParams, naiveStep } from "./naive.js";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const quick = process.argv.includes("--quick");

interface Row {
  name: string;
  ms: number;
  gflops: number | null;
  note: string;
}
const rows: Row[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ms of `reps` runs after `warm` warm-up runs, and the matmul GFLOP/s of one run. */
function time(fn: () => void, reps: number, warm = 2): { ms: number; gflops: number } {
  for (let i = 0; i < warm; i++) fn();
  const f0 = matmulStats.flops;
  fn();
  const flops = matmulStats.flops - f0;
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  const ms = median(ts);
  return { ms, gflops: flops / (ms * 1e6) };
}

/** Runs `f` with matrix products kept on this thread (workers off), then restores the default. */
function oneThread<T>(f: () => T): T {
  setMatmulThreads(1);
  try {
    return f();
  } finally {
    setMatmulThreads(threads);
  }
}
const threads = matmulThreads();

const B = 1024;
const net = new MLP([10, 64, 64, 64, 1], { key: random.key(0), activation: "tanh" });
const X = random.normal(random.key(1), [B, 10]);
const Y = random.normal(random.key(2), [B, 1]);

// ---- 1. MLP forward + backward
const loss = (p: typeof net.params) => {
  const d = sub(net.apply(p, X), Y);
  return mean(mul(d, d));
};
// 40 warm-up steps (~0.2 s): V8 compiles the JavaScript and tiers the WebAssembly kernels up from
// their baseline code in the background, and until it has, steps take 1.5× as long
const step = time(() => valueAndGrad(loss)(net.params), quick ? 5 : 30, quick ? 2 : 40);
rows.push({
  name: "MLP 10→64→64→64→1 tanh, B=1024: loss + gradient",
  ms: step.ms,
  gflops: step.gflops,
  note: `valueAndGrad, ${threads} threads`,
});
const step1 = oneThread(() => time(() => valueAndGrad(loss)(net.params), quick ? 5 : 30, quick ? 2 : 20));
rows.push({
  name: "  the same on 1 thread",
  ms: step1.ms,
  gflops: step1.gflops,
  note: "setMatmulThreads(1)",
});

const naive = naiveFromParams(net.params);
const Xa = X.toArray() as number[][];
const Ya = (Y.toArray() as number[][]).map((r) => r[0]);
// naive flops: forward 2·B·Σ in·out, backward 2× that minus the first layer's input gradient
const layerFlops = [10 * 64, 64 * 64, 64 * 64, 64].reduce((a, b) => a + b, 0) * 2 * B;
const naiveFlops = 3 * layerFlops - 2 * B * 10 * 64;
const naiveT = time(() => naiveStep(naive, Xa, Ya), quick ? 3 : 10, 1);
{
  // the baseline must agree with the library before its time means anything
  const lib = valueAndGrad(loss)(net.params);
  const nv = naiveStep(naive, Xa, Ya);
  const gl = (lib[1] as typeof net.params)[1].w.toArray() as number[][];
  const err = Math.max(...gl.flatMap((r, i) => r.map((v, j) => Math.abs(v - nv.gW[1][i][j]))));
  if (Math.abs(lib[0].item() - nv.loss) > 1e-10 || err > 1e-10)
    throw new Error(`baseline disagrees (${err})`);
}
rows.push({
  name: "  baseline: naive loops, manual backprop",
  ms: naiveT.ms,
  gflops: naiveFlops / (naiveT.ms * 1e6),
  note: "bench/naive.ts",
});

// ---- 2. per-sample input Hessian, and 3. gradient of mean log det w.r.t. the weights
const fx = (p: typeof net.params) => (x: Tensor) => reshape(net.apply(p, x), [x.shape[0]]);
const hess = time(() => perSampleHessian(fx(net.params))(X), quick ? 3 : 10);
rows.push({
  name: "per-sample input Hessian 10×10, B=1024",
  ms: hess.ms,
  gflops: hess.gflops,
  note: "perSampleHessian (fwd-over-rev, 10 tangents batched)",
});
const cyLoss = (p: typeof net.params) => mean(logdet(perSampleHessian(fx(p))(X)));
const cy = time(() => grad(cyLoss)(net.params), quick ? 2 : 7, 1);
rows.push({
  name: "∂/∂W mean log\\|det H\\| (Hessians + weight gradient)",
  ms: cy.ms,
  gflops: cy.gflops,
  note: `grad ∘ logdet ∘ perSampleHessian, ${threads} threads`,
});
const cy1 = oneThread(() => time(() => grad(cyLoss)(net.params), quick ? 2 : 7, 1));
rows.push({ name: "  the same on 1 thread", ms: cy1.ms, gflops: cy1.gflops, note: "setMatmulThreads(1)" });

// naive Hessians: one reverse-over-reverse graph per sample, timed on a subset and scaled
const sub_ = quick ? 16 : 64;
const Xs = (X.toArray() as number[][]).slice(0, sub_);
const f1 = (z: Tensor) => sum(net.apply(net.params, reshape(z, [1, 10])));
const naiveH = time(
  () => {
    for (const row of Xs) jacobian(grad(f1), "rev")(tensor(row));
  },
  quick ? 1 : 3,
  1,
);
rows.push({
  name: "  baseline: per-sample graphs (rev-over-rev), Hessians only",
  ms: (naiveH.ms * B) / sub_,
  gflops: naiveH.gflops,
  note: `measured on ${sub_} samples, scaled ×${B / sub_}`,
});
{
  // check the batched Hessians against the per-sample ones on the subset
  const Hb = perSampleHessian(fx(net.params))(X).toArray() as number[][][];
  let err = 0;
  Xs.slice(0, 4).forEach((row, b) => {
    const h = hessian(f1)(tensor(row)).toArray() as number[][];
    h.forEach((r, i) => {
      r.forEach((v, j) => {
        err = Math.max(err, Math.abs(v - Hb[b][i][j]));
      });
    });
  });
  if (err > 1e-12) throw new Error(`per-sample Hessian mismatch ${err}`);
}

// ---- tape memory of the Calabi–Yau workload: everything the pullback keeps alive. The array pool
// (core/pool.ts) is emptied first: the forward pass would otherwise draw on arrays already counted
// in `before`, and the difference would understate the tape.
// V8 frees array buffers in a background sweep after a collection, so collect and wait until the
// count stops falling (otherwise garbage from the timed runs inflates `before`).
const mem = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
async function settled(): Promise<number> {
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
    const m = mem();
    if (m >= last - 2 ** 16) return m;
    last = m;
  }
  return last;
}
clearPool();
const before = await settled();
const [, pull] = vjp((p: typeof net.params) => cyLoss(p), net.params);
const tapeMB = ((await settled()) - before) / 2 ** 20;
pull(tensor(1, []));
const peakRss = process.memoryUsage().rss / 2 ** 20;

// ---- report
const load = os.loadavg()[0];
console.log(
  `\nmachine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load(1 min) ${load.toFixed(2)}, matrix products on ${threads} thread(s)\n`,
);
console.log("| workload | ms/step | GFLOP/s | how |");
console.log("|---|---:|---:|---|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.ms.toFixed(1)} | ${r.gflops === null ? "–" : r.gflops.toFixed(2)} | ${r.note} |`,
  );
}
console.log(
  `\ntape of the log-det workload: ${tapeMB.toFixed(0)} MB (heap + array buffers retained by the pullback); RSS ${peakRss.toFixed(0)} MB`,
);
console.log("GFLOP/s counts the matrix-product multiply-adds executed (elementwise work not counted).");
if (load >= 1.5)
  console.log(
    `warning: load average ${load.toFixed(2)} ≥ 1.5 — other processes share the cores; numbers are pessimistic.`,
  );
