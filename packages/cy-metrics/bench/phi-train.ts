// φ-model training on the Fermat quintic: σ on held-out points per epoch against the
// Fubini–Study σ on the same points (the baseline, measured in the same run). Usage:
//   node --conditions=@physml/source --import tsx bench/phi-train.ts [--train 5000] [--eval 2000] [--epochs 10] [--batch 500] [--lr 0.01]
import {
  dworkQuintic,
  fubiniStudySigma,
  phiModel,
  phiSigma,
  phiStep,
  phiTrainer,
  samplePoints,
} from "../src/index.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const q = dworkQuintic();
const train = samplePoints(q, arg("train", 5000), 11);
const held = samplePoints(q, arg("eval", 2000), 12);
const batch = arg("batch", 500);
const fs = fubiniStudySigma(held);
console.log(`σ_FS on ${held.n} held-out points: ${fs.mean.toFixed(4)} ± ${fs.error.toFixed(4)}`);
const trainer = phiTrainer(phiModel([64, 64], 1), train, arg("lr", 0.01));
const t0 = performance.now();
for (let epoch = 1; epoch <= arg("epochs", 10); epoch++) {
  let loss = 0;
  for (let from = 0; from < train.n; from += batch) {
    loss +=
      phiStep(trainer, train, from, Math.min(train.n, from + batch)) *
      (Math.min(train.n, from + batch) - from);
  }
  const s = phiSigma(trainer.model, held);
  const sec = (performance.now() - t0) / 1000;
  console.log(
    `epoch ${epoch}: train 𝓛_MA ${(loss / train.n).toFixed(4)}, held-out σ ${s.mean.toFixed(4)} ± ${s.error.toFixed(4)} (σ/σ_FS ${(s.mean / fs.mean).toFixed(3)}), ${sec.toFixed(0)} s`,
  );
}
