// pnpm bench:cicy-batch — training inputs per second of a CICY network at several batch sizes,
// timed in interleaved rounds (128, 512, 1024, 128, 512, …) so that a shared machine's changing
// load falls on every batch size alike; the ratio to the first batch size is the answer.
//   node --conditions=@physml/source --import tsx bench/cicy-batch.ts batches=128,512,1024 inputs=8192 rounds=5

import { adam } from "@physml/autodiff/optim";
import { readCicyList } from "../src/cicy/data.js";
import { type CicyConfig, cicyNetwork, cicyStep, fixedTrainingSet } from "../src/cicy/model.js";

const arg = Object.fromEntries(process.argv.slice(2).map((a) => a.split("=") as [string, string]));
const batches = (arg.batches ?? "128,512,1024").split(",").map(Number);
const inputs = Number(arg.inputs ?? 8192);
const rounds = Number(arg.rounds ?? 5);
const model = (arg.model ?? "mlp") as CicyConfig["model"];
const list = (await readCicyList(process.env.PHYSML_CICY_DATA)).cicys;
// the fixed set is cut to `inputs` inputs, so that one timed epoch is `inputs` training inputs
const cicys = list.filter((_, i) => i % 26 === 0);
const base: CicyConfig = { seed: 1, model, arrangements: Math.ceil(inputs / cicys.length) };
const full = fixedTrainingSet(cicys, base);
const D = full.x.length / full.index.length;
const fixed = { x: full.x.slice(0, inputs * D), index: full.index.slice(0, inputs) };
const rates = new Map<number, number[]>(batches.map((b) => [b, []]));
for (let r = 0; r < rounds; r++) {
  for (const batch of batches) {
    const cfg: CicyConfig = { ...base, batch };
    const net = cicyNetwork(cfg);
    const opt = adam({ lr: 1e-3 });
    const p = net.init();
    const t0 = performance.now();
    cicyStep(net, opt, { params: p, opt: opt.init(p), epoch: 0 }, cicys, cfg, undefined, fixed);
    rates.get(batch)?.push(inputs / ((performance.now() - t0) / 1000));
  }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const first = median(rates.get(batches[0]) ?? []);
for (const [b, v] of rates) {
  console.log(
    `batch ${b}: median ${median(v).toFixed(0)} inputs/s (${v.map((x) => x.toFixed(0)).join(" ")}), ×${(median(v) / first).toFixed(2)} of batch ${batches[0]}`,
  );
}
