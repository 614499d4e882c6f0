// The multiplicative / additive metric models (cymetric's g_FS ∘ (1 + NN), g_FS + NN) through the
// `cy train` learners, with every loss term reported on held-out points after each epoch: σ, and
// 𝓛_MA, 𝓛_dJ, 𝓛_T, 𝓛_vol (unweighted) on the first 1000 held-out points. Usage:
//   node --conditions=@physml/source --import tsx bench/metric-nn.ts --model mult|add|phi
//     [--points 10000] [--eval 5000] [--batch 200] [--epochs 8] [--lr 0.003] [--hidden 64,64]
//     [--alpha 1,1,1,1] [--seed 1]
// Points as `cy train` draws them (training seed, held-out seed + 1). With --model phi the φ-model
// on a Fubini–Study base (k = 1, no balancing) is trained on the same points, σ only.
import {
  fubiniStudySigma,
  learnerOf,
  metricNnLossTerms,
  resolveCyTrainConfig,
  sigmaFromEta,
  trainingData,
} from "../src/index.js";
import { type MetricNnState, metricNnOf } from "../src/train/metric-nn-learner.js";

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}
const model = arg("model", "mult");
const config = resolveCyTrainConfig({
  metricModel: model,
  points: Number(arg("points", "10000")),
  evalPoints: Number(arg("eval", "5000")),
  batch: Number(arg("batch", "200")),
  epochs: Number(arg("epochs", "8")),
  lr: Number(arg("lr", "0.003")),
  hidden: arg("hidden", "64,64").split(",").map(Number),
  alpha: arg("alpha", "1,1,1,1").split(",").map(Number),
  seed: Number(arg("seed", "1")),
  ...(model === "phi" ? { k: 1, iterations: 0 } : {}),
});
const t0 = performance.now();
const sec = () => ((performance.now() - t0) / 1000).toFixed(1);
const data = trainingData(config);
const learner = learnerOf(config.metricModel);
console.log(
  `${model}: ${data.train.n} training, ${data.held.n} held-out points; σ_FS ${fubiniStudySigma(data.held).mean.toFixed(4)}; alpha ${config.alpha}, lr ${config.lr}, batch ${config.batch}, hidden ${config.hidden}`,
);
const terms = (state: unknown) => {
  if (model === "phi") return "";
  const s = state as MetricNnState<"mult" | "add">;
  const net = metricNnOf(s.kind, config, s.params);
  const n = Math.min(1000, data.held.n);
  const t = metricNnLossTerms(net, net.params, data.held, 0, n, config.loss, { ma: 1, dJ: 1, T: 1, vol: 1 });
  return `  MA ${t.ma.item().toExponential(3)}  dJ ${t.dJ.item().toExponential(3)}  T ${t.T.item().toExponential(3)}  vol ${t.vol.item().toExponential(3)}`;
};
let state = learner.init(config, data, () => {});
for (let e = 0; e <= config.epochs; e++) {
  if (e > 0) state = learner.epoch(config, data, state).state;
  const s = sigmaFromEta(learner.eta(config, data, state, data.held), data.held.weight);
  console.log(`epoch ${e}: σ ${s.mean.toFixed(4)} ± ${s.error.toFixed(4)}${terms(state)}  ${sec()} s`);
}
