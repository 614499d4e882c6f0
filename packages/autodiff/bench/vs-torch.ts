// `pnpm bench` (alone: `pnpm --filter @physml/autodiff bench:torch`, or
// `node --conditions=@physml/source --import tsx bench/vs-torch.ts [--quick] [--rounds n]`):
// issue 16's two CPU targets against PyTorch in the same run, on the same inputs and parameters:
//   MLP: 10→64→64→64→1 tanh, f64, batch 1024, loss mean((f(X) − Y)²) + gradient of every weight;
//   CY:  per-sample 10×10 input Hessians, mean log|det H|, and its gradient w.r.t. every weight;
//   CY structured: the same loss with H from the MLP's closed form (mlpInputHessian), against
//        PyTorch computing the same formula; also printed against PyTorch's double backward (CY).
// PyTorch (bench/torch/mlp.py, /usr/bin/python3) must agree with ours to 1e-10 before a time is
// printed. PyTorch runs as a worker beside us; each round alternates short blocks of ours and of
// PyTorch's on 1 and 2 threads, in an order rotated from block to block, so both sides see the
// same machine state; the ratio is ours over the better PyTorch (pooled medians of the round's
// blocks; each block's own ratio is printed as a range). Also prints a SHA-256 of our results, to
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
import { PY, TorchWorker, torchBlas, torchWhyNot, writeSpec } from "./torch/runner.js";

const quick = process.argv.includes("--quick");
const ri = process.argv.indexOf("--rounds");
const rounds = ri > 0 ? Number(process.argv[ri + 1]) : quick ? 1 : 3;
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
/** Wall ms of each of `n` calls and mean process CPU ms (all threads) per call, after `warm` calls. */
function time(fn: () => unknown, n: number, warm: number): { ms: number[]; cpu: number } {
  for (let i = 0; i < warm; i++) fn();
  const ts: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    ts.push(performance.now() - t);
  }
  const c = process.cpuUsage(c0);
  return { ms: ts, cpu: (c.user + c.system) / 1e3 / n };
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

interface TorchCheck {
  torch: string;
  mlp: { loss: number; grads: number[][] };
  cy: { loss: number; grads: number[][] };
  cys: { loss: number; grads: number[][] };
}
/** One block of PyTorch steps: each step's wall ms and the process CPU ms per step. */
interface TorchBlock {
  ms: number[];
  cpu: number;
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
let torchVersion = "";
const torch = spec === null ? null : await TorchWorker.start<TorchCheck>("mlp.py", [spec.file]);
if (torch !== null) {
  torchVersion = torch.first.torch;
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
  for (const k of ["mlp", "cy", "cys"] as const) {
    const [v, g] = all[k];
    let err = rel(v.item(), torch.first[k].loss);
    (g as P).forEach((l, i) => {
      const ours_ = l.w.toFloat64Array();
      torch.first[k].grads[i].forEach((x, j) => {
        err = Math.max(err, rel(ours_[j], x));
      });
    });
    if (!(err < 1e-10)) throw new Error(`PyTorch disagrees with ours on ${k} (relative error ${err})`);
  }
}

/** Wall ms of each step and CPU ms per step, pooled over a round's blocks. */
interface Side {
  ms: number[];
  cpu: number[];
}
const STEP: Record<Workload, () => unknown> = { mlp: mlpStep, cy: cyStep, cys: cysStep };
/** Steps a block warms up before it is timed, on either side: ours and PyTorch's idle between blocks. */
const BLOCK_WARM: Record<Workload, number> = { mlp: 4, cy: 1, cys: 1 };
const blocks: Record<Workload, number> = quick ? { mlp: 1, cy: 1, cys: 1 } : { mlp: 5, cy: 3, cys: 3 };
const SIDES = ["ours", "1", "2"] as const;

/**
 * One round of workload `k`: `blocks[k]` blocks, each timing ours and PyTorch on 1 and 2 threads
 * back to back, in an order rotated from block to block, so a slow phase of the machine falls on
 * every side alike. Also each block's ratio, ours over the better PyTorch.
 */
async function round(
  k: Workload,
  first: boolean,
): Promise<{ sides: Record<string, Side>; blockRatios: number[] }> {
  const sides: Record<string, Side> = {
    ours: { ms: [], cpu: [] },
    "1": { ms: [], cpu: [] },
    "2": { ms: [], cpu: [] },
  };
  const n = Math.max(1, Math.round(reps[k] / blocks[k]));
  const blockRatios: number[] = [];
  for (let b = 0; b < blocks[k]; b++) {
    const block: Record<string, number> = {};
    for (let i = 0; i < SIDES.length; i++) {
      const side = SIDES[(i + b) % SIDES.length];
      if (side !== "ours" && torch === null) continue;
      // the very first block of a workload warms up as long as the one-shot scripts used to
      const warm = first && b === 0 ? (k === "mlp" ? 20 : 3) : BLOCK_WARM[k];
      const t =
        side === "ours"
          ? time(STEP[k], n, warm)
          : await torch!.worker.request<TorchBlock>({ name: k, threads: Number(side), warm, reps: n });
      sides[side].ms.push(...t.ms);
      sides[side].cpu.push(t.cpu);
      block[side] = median(t.ms);
    }
    if (torch !== null) blockRatios.push(block.ours / Math.min(block["1"], block["2"]));
  }
  return { sides, blockRatios };
}

const mean_ = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
for (let r = 0; r < rounds; r++) {
  const res = {} as Record<Workload, Awaited<ReturnType<typeof round>>>;
  for (const k of ["mlp", "cy", "cys"] as const) res[k] = await round(k, r === 0);
  const d = (k: Workload) => (k === "mlp" ? 2 : 1);
  const wall = (k: Workload, side: string) => median(res[k].sides[side].ms);
  const cpu = (k: Workload, side: string) => mean_(res[k].sides[side].cpu);
  const pair = (k: Workload, side: string) =>
    `${wall(k, side).toFixed(d(k))} / ${cpu(k, side).toFixed(d(k))}`;
  for (const k of ["mlp", "cy", "cys"] as const) {
    if (torch === null) {
      lines.push(`| ${r + 1} | ${NAME[k]} | ${pair(k, "ours")} | – | – | – | – | – |`);
      continue;
    }
    const best = Math.min(wall(k, "1"), wall(k, "2"));
    const bestCpu = Math.min(cpu(k, "1"), cpu(k, "2"));
    lines.push(
      `| ${r + 1} | ${NAME[k]} | ${pair(k, "ours")} | ${pair(k, "1")} | ${pair(k, "2")} | **${(wall(k, "ours") / best).toFixed(2)}×** | ${range(res[k].blockRatios)} | ${(cpu(k, "ours") / bestCpu).toFixed(2)}× |`,
    );
  }
  if (torch !== null) {
    const bestCy = Math.min(wall("cy", "1"), wall("cy", "2"));
    const bestCyCpu = Math.min(cpu("cy", "1"), cpu("cy", "2"));
    vsDouble.push(
      `| ${r + 1} | ${pair("cys", "ours")} | ${bestCy.toFixed(1)} / ${bestCyCpu.toFixed(1)} | **${(wall("cys", "ours") / bestCy).toFixed(2)}×** | ${(cpu("cys", "ours") / bestCyCpu).toFixed(2)}× |`,
    );
  }
}
torch?.worker.close();
spec?.done();

const load = os.loadavg();
console.log(
  "\nagainst PyTorch: MLP = 10→64→64→64→1 tanh loss + gradient; CY = per-sample 10×10 input Hessians + mean log|det| + weight gradient; CY structured = the same from the MLP's closed form on both sides; f64, batch 1024" +
    `\nmachine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load ${load.map((x) => x.toFixed(2)).join(" ")}, our matrix products on ${matmulThreads()} thread(s)\n`,
);
console.log(
  "| round | workload | ours ms, wall / CPU | PyTorch 1 thread, wall / CPU | PyTorch 2 threads, wall / CPU | ours / best PyTorch (wall) | the round's blocks (wall) | (CPU) |",
);
console.log("|---|---|---:|---:|---:|---:|---:|---:|");
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
    ? `\nwall: medians, CPU: means (process, all threads) of ${reps.mlp} (MLP), ${reps.cy} (CY) and ${reps.cys} (CY structured) steps a round, in ${blocks.mlp}, ${blocks.cy} and ${blocks.cys} alternating blocks; PyTorch ${torchVersion} (${PY}); values and gradients agree to 1e-10 (relative).`
    : `\nPyTorch not measured: ${why}.`,
);
if (why === null) {
  const blas = torchBlas();
  console.log(`PyTorch's BLAS: ${blas.library}`);
  if (blas.warning !== null) console.log(`warning: ${blas.warning}.`);
}
console.log(`fingerprint of our results (SHA-256 of values and gradients): ${fingerprint}`);
console.log(`fingerprint of CY structured: ${cysFingerprint}`);
if (load[0] >= 1.5)
  console.log(
    `warning: load average ${load[0].toFixed(2)} ≥ 1.5 — other processes share the cores; numbers are noisy.`,
  );
