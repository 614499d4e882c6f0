// `pnpm bench` (and alone: `pnpm --filter @physml/autodiff bench:pixelcnn`, or
// `node --conditions=@physml/source --import tsx bench/pixelcnn.ts [--quick] [--rounds n]`):
// a PixelCNN forward + backward on a periodic lattice against PyTorch on the CPU, same run.
// Workload (issue 16): 16×16 lattice, batch 256, f64, masked 3×3 convolutions with circular
// padding 1→32 (type A), 32→32 (B), 32→1 (B), tanh between, Bernoulli log-likelihood of the ±1
// spins under the output logits, loss + gradient of every weight and bias.
// PyTorch runs in `/usr/bin/python3` (Debian's python3-torch) on the same spins and parameters
// (bench/torch/pixelcnn.py); its loss and gradients must agree with ours before any time is
// printed. Rounds alternate ours and PyTorch's, so both see the same machine state.
import os from "node:os";
import {
  conv2d,
  convMask,
  matmulThreads,
  neg,
  random,
  softplus,
  sum,
  type Tensor,
  valueAndGrad,
} from "../src/index.js";
import { ratioLine, summarizeRatios } from "./ratio-summary.js";
import { PY, runTorch as runScript, torchBlas, torchWhyNot as whyNot, writeSpec } from "./torch/runner.js";

const quick = process.argv.includes("--quick");
const ri = process.argv.indexOf("--rounds");
// 6 rounds by default: the fewest with a 95% interval of the median round (ratio-summary.ts)
const rounds = ri > 0 ? Number(process.argv[ri + 1]) : quick ? 1 : 6;
const reps = quick ? 3 : 7;

const L = 16;
const N = 256;
const arch = [
  { ci: 1, co: 32, mask: "A" as const },
  { ci: 32, co: 32, mask: "B" as const },
  { ci: 32, co: 1, mask: "B" as const },
];
const keys = random.split(random.key(7), arch.length + 1);
type P = { w: Tensor; b: Tensor }[];
const params: P = arch.map((l, i) => {
  const [kw, kb] = random.split(keys[i], 2);
  // He-like scale over the unmasked fan-in, so tanh stays out of saturation
  const fan =
    l.ci *
    convMask(3, 3, l.mask)
      .flat()
      .reduce((a, b) => a + b, 0);
  return {
    w: random.normal(kw, [l.co, l.ci, 3, 3]).mul(1 / Math.sqrt(fan)),
    b: random.normal(kb, [l.co]).mul(0.1),
  };
});
const spins = random.uniform(keys[arch.length], [N, 1, L, L]).greater(0.5).mul(2).sub(1);

function loss(p: P): Tensor {
  let h = spins;
  p.forEach((l, i) => {
    // tanh(conv + b) as one layer: the same values and derivatives as conv2d then tanh
    const activation = i < p.length - 1 ? "tanh" : "identity";
    h = conv2d(h, l.w, { padding: "circular", mask: arch[i].mask, bias: l.b, activation });
  });
  // −Σ log σ(s·h) per configuration, averaged over the batch
  return sum(softplus(neg(spins.mul(h)))).div(N);
}
const step = () => valueAndGrad(loss)(params);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function timeOurs(): number {
  step();
  step();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    step();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

// ---- PyTorch, if /usr/bin/python3 has it
const probe = 4;
interface TorchResult {
  torch: string;
  loss: number;
  grads: number[][];
  ms: Record<string, number>;
}
const torchWhyNot = whyNot();
const mask = (t: "A" | "B") => convMask(3, 3, t).flat();
const spec =
  torchWhyNot === null
    ? writeSpec({
        L,
        probe,
        spins: Array.from(spins.toFloat64Array()),
        layers: params.map((l, i) => ({
          shape: l.w.shape,
          w: Array.from(l.w.toFloat64Array()),
          b: Array.from(l.b.toFloat64Array()),
          mask: mask(arch[i].mask),
        })),
      })
    : null;
const runTorch = () => runScript<TorchResult>("pixelcnn.py", [spec!.file, String(reps)]);

// ---- check, then alternate
const [value, g] = step();
const ourGrads = (g as P).map((l) => Array.from(l.w.toFloat64Array().subarray(0, probe)));
const lines: string[] = [];
const ratios: number[] = [];
let torchVersion = "";
for (let r = 0; r < rounds; r++) {
  const ours = timeOurs();
  if (torchWhyNot !== null) {
    lines.push(`| ${r + 1} | ${ours.toFixed(0)} | – | – | – |`);
    continue;
  }
  const t = runTorch();
  torchVersion = t.torch;
  if (r === 0) {
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
    let err = rel(value.item(), t.loss);
    t.grads.forEach((row, i) => {
      row.forEach((v, j) => {
        err = Math.max(err, rel(ourGrads[i][j], v));
      });
    });
    if (!(err < 1e-10)) throw new Error(`PyTorch disagrees with ours (relative error ${err})`);
  }
  const best = Math.min(t.ms["1"], t.ms["2"]);
  ratios.push(ours / best);
  lines.push(
    `| ${r + 1} | ${ours.toFixed(0)} | ${t.ms["1"].toFixed(0)} | ${t.ms["2"].toFixed(0)} | **${(ours / best).toFixed(2)}×** |`,
  );
}
spec?.done();

const load = os.loadavg()[0];
console.log(
  `\nPixelCNN 16×16 periodic, batch 256, f64, 3 masked 3×3 conv layers (1→32 A, 32→32 B, 32→1 B), loss + gradient` +
    `\nmachine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, load(1 min) ${load.toFixed(2)}, matrix products on ${matmulThreads()} thread(s); loss ${value.item().toFixed(6)}\n`,
);
console.log("| round | ours ms | PyTorch 1 thread ms | PyTorch 2 threads ms | ours / best PyTorch |");
console.log("|---|---:|---:|---:|---:|");
for (const l of lines) console.log(l);
console.log(
  torchWhyNot === null
    ? `\nmedians of ${reps} steps each; PyTorch ${torchVersion} (${PY}), loss and gradients agree to 1e-10 (relative).`
    : `\nPyTorch not measured: ${torchWhyNot}.`,
);
if (ratios.length > 0) console.log(`${ratioLine("PixelCNN step", summarizeRatios(ratios))}`);
if (torchWhyNot === null) {
  const blas = torchBlas();
  console.log(`PyTorch's BLAS: ${blas.library}`);
  if (blas.warning !== null) console.log(`warning: ${blas.warning}.`);
}
if (load >= 1.5)
  console.log(
    `warning: load average ${load.toFixed(2)} ≥ 1.5 — other processes share the cores; numbers are noisy.`,
  );
