// `pnpm bench` (alone: `pnpm --filter @physml/autodiff bench:torch`, or
// `node --conditions=@physml/source --import tsx bench/vs-torch.ts [--quick] [--rounds n]`):
// issue 16's two CPU targets against PyTorch in the same run, on the same inputs and parameters:
//   MLP: 10→64→64→64→1 tanh, f64, batch 1024, loss mean((f(X) − Y)²) + gradient of every weight;
//   CY:  per-sample 10×10 input Hessians, mean log|det H|, and its gradient w.r.t. every weight;
//   CY structured: the same loss with H from the MLP's closed form (mlpInputHessian), against
//        PyTorch computing the same formula; also printed against PyTorch's double backward (CY).
// PyTorch (bench/torch/mlp.py, /usr/bin/python3) must agree with ours to 1e-10 before a time is
// printed. Each round times ours, then PyTorch on 1 and 2 threads, so both see the same machine
// state; the ratio is ours over the better PyTorch. Also prints a SHA-256 of our results, to
// check that a speed change left every bit as it was (MLP and CY; CY structured has its own).
import { createHash } from "node:crypto";
import os from "node:os";
import {
  logdet,
  matmulThreads,
  mean,
  mul,
  perSampleHessian,
  random,
  reshape,
  sub,
  type Tensor,
  treeLeaves,
  valueAndGrad,
} from "../src/index.js";
import { MLP, mlpInputHessian } from "../src/nn/index.js";
import { ratioLine, summarizeRatios } from "./ratio-summary.js";
import { PY, runTorch, torchBlas, torchWhyNot, writeSpec } from "./torch/runner.js";

const quick = process.argv.includes("--quick");
const ri = process.argv.indexOf("--rounds");
// 9 rounds by default: the fewest for which the median round's 95% interval is narrower than the
// whole range (ratio-summary.ts)
const rounds = ri > 0 ? Number(process.argv[ri + 1]) : quick ? 1 : 9;
const reps = { mlp: quick ? 10 : 50, cy: quick ? 3 : 9, cys: quick ? 3 : 9 };

const B = 1024;
const net = new MLP([10, 64, 64, 64, 1], { key: random.key(0), activation: "tanh" });
const X = random.normal(random.key(1), [B, 10]);
const Y = random.normal(random.key(2), [B, 1]);
type P = typeof net.params;
const loss = (p: P) => {
  const d = sub(net.apply(p, X), Y);
  return mean(mul(d, d));
};
const fx = (p: P) => (x: Tensor) => reshape(net.apply(p, x), [x.shape[0]]);
const cyLoss = (p: P) => mean(logdet(perSampleHessian(fx(p))(X)));
const mlpStep = () => valueAndGrad(loss)(net.params);
const cyStep = () => valueAndGrad(cyLoss)(net.params);
const cysLoss = (p: P) => mean(logdet(mlpInputHessian(p, X)));
const cysStep = () => valueAndGrad(cysLoss)(net.params);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
/** Median wall ms and mean process CPU ms (all threads) per call, after `warm` calls. */
function time(fn: () => unknown, n: number, warm: number): { ms: number; cpu: number } {
  for (let i = 0; i < warm; i++) fn();
  const ts: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  const c = process.cpuUsage(c0);
  return { ms: median(ts), cpu: (c.user + c.system) / 1e3 / n };
}

// ---- our results, and their fingerprint
const probe = 4;
const results = { mlp: mlpStep(), cy: cyStep() };
const hash = createHash("sha256");
for (const [v, g] of Object.values(results)) {
  hash.update(v.toFloat64Array());
  for (const t of treeLeaves(g)) hash.update((t as Tensor).toFloat64Array());
}
const fingerprint = hash.digest("hex").slice(0, 16);
const cysResult = cysStep();
const cysHash = createHash("sha256").update(cysResult[0].toFloat64Array());
for (const t of treeLeaves(cysResult[1])) cysHash.update((t as Tensor).toFloat64Array());
const cysFingerprint = cysHash.digest("hex").slice(0, 16);
const all = { ...results, cys: cysResult };
type Workload = keyof typeof all;
const NAME: Record<Workload, string> = { mlp: "MLP", cy: "CY", cys: "CY structured" };

interface TorchOut {
  torch: string;
  mlp: { loss: number; grads: number[][] };
  cy: { loss: number; grads: number[][] };
  cys: { loss: number; grads: number[][] };
  ms: Record<Workload, Record<string, number>>;
  cpu: Record<Workload, Record<string, number>>;
}
const why = torchWhyNot();
const spec =
  why === null
    ? writeSpec({
        B,
        d: 10,
        probe,
        X: Array.from(X.toFloat64Array()),
        Y: Array.from(Y.toFloat64Array()),
        layers: net.params.map((l) => ({
          shape: l.w.shape,
          w: Array.from(l.w.toFloat64Array()),
          b: Array.from(l.b!.toFloat64Array()),
        })),
      })
    : null;

const lines: string[] = [];
const vsDouble: string[] = [];
/** Per-round wall ratios, ours over PyTorch's better of 1 and 2 threads. */
const ratios = { mlp: [] as number[], cy: [] as number[], cys: [] as number[], cysVsDouble: [] as number[] };
let torchVersion = "";
for (let r = 0; r < rounds; r++) {
  const ours = {
    // every round warms up at least as long as bench/torch/mlp.py does (20 MLP, 3 CY steps per
    // thread count): ours has idled through PyTorch's run, long enough for the array pool to empty
    mlp: time(mlpStep, reps.mlp, r === 0 ? 40 : 20),
    cy: time(cyStep, reps.cy, 3),
    cys: time(cysStep, reps.cys, 3),
  };
  if (spec === null) {
    lines.push(`| ${r + 1} | MLP | ${ours.mlp.ms.toFixed(2)} / ${ours.mlp.cpu.toFixed(2)} | – | – | – | – |`);
    lines.push(`| ${r + 1} | CY | ${ours.cy.ms.toFixed(1)} / ${ours.cy.cpu.toFixed(1)} | – | – | – | – |`);
    lines.push(
      `| ${r + 1} | CY structured | ${ours.cys.ms.toFixed(1)} / ${ours.cys.cpu.toFixed(1)} | – | – | – | – |`,
    );
    continue;
  }
  const t = runTorch<TorchOut>("mlp.py", [spec.file, String(reps.mlp), String(reps.cy), String(reps.cys)]);
  torchVersion = t.torch;
  if (r === 0) {
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
    for (const k of ["mlp", "cy", "cys"] as const) {
      const [v, g] = all[k];
      let err = rel(v.item(), t[k].loss);
      (g as P).forEach((l, i) => {
        const ours_ = l.w.toFloat64Array();
        t[k].grads[i].forEach((x, j) => {
          err = Math.max(err, rel(ours_[j], x));
        });
      });
      if (!(err < 1e-10)) throw new Error(`PyTorch disagrees with ours on ${k} (relative error ${err})`);
    }
  }
  for (const k of ["mlp", "cy", "cys"] as const) {
    const best = Math.min(t.ms[k]["1"], t.ms[k]["2"]);
    const bestCpu = Math.min(t.cpu[k]["1"], t.cpu[k]["2"]);
    const d = k === "mlp" ? 2 : 1;
    ratios[k].push(ours[k].ms / best);
    const pair = (w: number, c: number) => `${w.toFixed(d)} / ${c.toFixed(d)}`;
    lines.push(
      `| ${r + 1} | ${NAME[k]} | ${pair(ours[k].ms, ours[k].cpu)} | ${pair(t.ms[k]["1"], t.cpu[k]["1"])} | ${pair(t.ms[k]["2"], t.cpu[k]["2"])} | **${(ours[k].ms / best).toFixed(2)}×** | ${(ours[k].cpu / bestCpu).toFixed(2)}× |`,
    );
  }
  const bestCy = Math.min(t.ms.cy["1"], t.ms.cy["2"]);
  const bestCyCpu = Math.min(t.cpu.cy["1"], t.cpu.cy["2"]);
  ratios.cysVsDouble.push(ours.cys.ms / bestCy);
  vsDouble.push(
    `| ${r + 1} | ${ours.cys.ms.toFixed(1)} / ${ours.cys.cpu.toFixed(1)} | ${bestCy.toFixed(1)} / ${bestCyCpu.toFixed(1)} | **${(ours.cys.ms / bestCy).toFixed(2)}×** | ${(ours.cys.cpu / bestCyCpu).toFixed(2)}× |`,
  );
}
spec?.done();

const load = os.loadavg();
console.log(
  "\nagainst PyTorch: MLP = 10→64→64→64→1 tanh loss + gradient; CY = per-sample 10×10 input Hessians + mean log|det| + weight gradient; CY structured = the same from the MLP's closed form on both sides; f64, batch 1024" +
    `\nmachine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load ${load.map((x) => x.toFixed(2)).join(" ")}, our matrix products on ${matmulThreads()} thread(s)\n`,
);
console.log(
  "| round | workload | ours ms, wall / CPU | PyTorch 1 thread, wall / CPU | PyTorch 2 threads, wall / CPU | ours / best PyTorch (wall) | (CPU) |",
);
console.log("|---|---|---:|---:|---:|---:|---:|");
for (const l of lines) console.log(l);
if (vsDouble.length > 0) {
  console.log(
    "\nCY structured (ours) against PyTorch's double backward (the CY row's PyTorch, better of 1 and 2 threads):\n",
  );
  console.log(
    "| round | ours structured, wall / CPU | PyTorch double backward, wall / CPU | ratio (wall) | (CPU) |",
  );
  console.log("|---|---:|---:|---:|---:|");
  for (const l of vsDouble) console.log(l);
}
console.log(
  why === null
    ? `\nwall: medians, CPU: means (process, all threads) of ${reps.mlp} (MLP), ${reps.cy} (CY) and ${reps.cys} (CY structured) steps; PyTorch ${torchVersion} (${PY}); values and gradients agree to 1e-10 (relative).`
    : `\nPyTorch not measured: ${why}.`,
);
if (why === null) {
  const blas = torchBlas();
  console.log(`PyTorch's BLAS: ${blas.library}`);
  if (blas.warning !== null) console.log(`warning: ${blas.warning}.`);
}
if (ratios.mlp.length > 0) {
  console.log("\nThe targets (issue 16: ≤ 1.0× PyTorch), from the rounds above (bench/ratio-summary.ts):");
  console.log(`- ${ratioLine("MLP step", summarizeRatios(ratios.mlp))}`);
  console.log(
    `- ${ratioLine("Hessian workload, mlpInputHessian against PyTorch's double backward", summarizeRatios(ratios.cysVsDouble))}`,
  );
  console.log(
    `- ${ratioLine("the same against PyTorch running the closed form", summarizeRatios(ratios.cys))}`,
  );
  console.log(
    `- ${ratioLine("Hessian workload, generic perSampleHessian against PyTorch's double backward", summarizeRatios(ratios.cy))}`,
  );
}
console.log(`fingerprint of our results (SHA-256 of values and gradients): ${fingerprint}`);
console.log(`fingerprint of CY structured: ${cysFingerprint}`);
if (load[0] >= 1.5)
  console.log(
    `warning: load average ${load[0].toFixed(2)} ≥ 1.5 — other processes share the cores; numbers are noisy.`,
  );
