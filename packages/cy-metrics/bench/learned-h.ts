// The learned-H algebraic model on the Fermat quintic: balanced start at degree k on the training
// points, then Adam on the Monge–Ampère loss; σ on held-out points (seed 12) after every epoch,
// with the time since the start. Usage:
//   node --conditions=@physml/source --import tsx bench/learned-h.ts [--k 5] [--train 20000]
//     [--eval 10000] [--epochs 8] [--batch 2000] [--lr 0.01] [--iters 10] [--l1] [--full]
// (--full: every entry of G free, no phase-symmetry constraint).
import { tensor } from "@physml/autodiff";
import { adam, cosineDecay } from "@physml/autodiff/optim";
import {
  algebraicLossGrad,
  donaldson,
  dworkQuintic,
  entryCount,
  fubiniStudySigma,
  learnedH,
  learnedHGradient,
  learnedHMetric,
  samplePoints,
  sigma,
} from "../src/index.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const kind = process.argv.includes("--l1") ? "l1" : "l2";
const t0 = performance.now();
const sec = () => ((performance.now() - t0) / 1000).toFixed(1);
const q = dworkQuintic();
const k = arg("k", 5);
const train = samplePoints(q, arg("train", 20000), 11);
const held = samplePoints(q, arg("eval", 10000), 12);
console.log(`sampled ${sec()} s; σ_FS ${fubiniStudySigma(held).mean.toFixed(4)}`);
const bal = donaldson(q, { k, iterations: arg("iters", 10), integrationPoints: train });
const sb = sigma(bal.metric, held);
console.log(`balanced k=${k}: σ ${sb.mean.toFixed(4)} ± ${sb.error.toFixed(4)} at ${sec()} s`);
const model = learnedH(q, bal.metric, !process.argv.includes("--full"));
const P = entryCount(model);
console.log(`params ${2 * P} (pairs ${P}, N ${model.basis.size})`);
const batch = arg("batch", 2000);
const epochs = arg("epochs", 10);
const stepsPer = Math.ceil(train.n / batch);
const opt = adam({ lr: cosineDecay(arg("lr", 1e-3), epochs * stepsPer, 0.05) });
let params = [tensor(model.y, [2 * P])];
let state = opt.init(params);
const grad = new Float64Array(2 * P);
for (let ep = 1; ep <= epochs; ep++) {
  let lsum = 0;
  for (let from = 0; from < train.n; from += batch) {
    const to = Math.min(train.n, from + batch);
    model.y = params[0].toFloat64Array();
    const r = algebraicLossGrad(learnedHMetric(model), train, from, to, kind);
    learnedHGradient(model, r.Z, grad);
    lsum += r.loss * (to - from);
    const s = opt.step(params, [tensor(grad.slice(), [2 * P])], state);
    params = s.params;
    state = s.state;
  }
  model.y = params[0].toFloat64Array();
  const s = sigma(learnedHMetric(model), held);
  console.log(
    `epoch ${ep}: train ${kind} ${(lsum / train.n).toFixed(5)}, held σ ${s.mean.toFixed(4)} ± ${s.error.toFixed(4)} at ${sec()} s`,
  );
}
