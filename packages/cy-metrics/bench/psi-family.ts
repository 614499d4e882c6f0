// The ψ-dependent learned-H model on the Dwork family: trained on real ψ in [0, 0.6] (5 values),
// σ measured at 3 ψ not trained on, against the starting metric (balanced at the centre ψ).
// Usage: node --conditions=@physml/source --import tsx bench/psi-family.ts [--k 5] [--train 10000]
//   [--eval 5000] [--epochs 6] [--batch 2000] [--lr 0.01]
import {
  donaldson,
  dworkQuintic,
  psiFamily,
  psiFamilyMetric,
  samplePoints,
  sigma,
  trainPsiFamily,
} from "../src/index.js";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
const t0 = performance.now();
const sec = () => ((performance.now() - t0) / 1000).toFixed(1);
const k = arg("k", 5);
const trainPsi = [0, 0.15, 0.3, 0.45, 0.6].map((re) => ({ re, im: 0 }));
const heldPsi = [0.075, 0.375, 0.525].map((re) => ({ re, im: 0 }));
const train = trainPsi.map((psi, i) => ({
  psi,
  points: samplePoints(dworkQuintic(psi), arg("train", 10000), 100 + i),
}));
const held = heldPsi.map((psi, i) => ({
  psi,
  points: samplePoints(dworkQuintic(psi), arg("eval", 5000), 200 + i),
}));
const centre = train[2];
const start = donaldson(dworkQuintic(centre.psi), {
  k,
  iterations: 8,
  integrationPoints: centre.points,
}).metric;
let family = psiFamily(start, { centre: centre.psi, radius: 0.3 });
console.log(
  `k = ${k}, ${family.model.y.length} parameters per feature; balanced at ψ = ${centre.psi.re} after ${sec()} s`,
);
const report = (label: string) => {
  for (const h of held) {
    const s = sigma(psiFamilyMetric(family, h.psi), h.points);
    console.log(`  ${label} ψ = ${h.psi.re}: σ ${s.mean.toFixed(4)} ± ${s.error.toFixed(4)}`);
  }
};
report("start");
family = trainPsiFamily(family, train, {
  epochs: arg("epochs", 6),
  batch: arg("batch", 2000),
  lr: arg("lr", 0.01),
  onEpoch: (e, l) => console.log(`epoch ${e}: mean l2 ${l.toExponential(3)} at ${sec()} s`),
});
report("trained");
console.log(`total ${sec()} s`);
