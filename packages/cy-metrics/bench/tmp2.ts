import { donaldson, dworkQuintic, fubiniStudySigma, samplePoints, sigma } from "@physml/cy-metrics";

const q = dworkQuintic();
const test = samplePoints(q, 20000, 999);
console.log("FS sigma", fubiniStudySigma(test));
for (const k of [1, 2, 3, 4]) {
  const r = donaldson(q, {
    k,
    points: Number(process.argv[2] ?? 20000),
    onIteration: (i) =>
      process.stderr.write(`${i.iteration}:${i.change.toExponential(2)} ${i.seconds.toFixed(1)}s  `),
  });
  const t1 = performance.now();
  const s = sigma(r.metric, test);
  console.log(
    "\nk",
    k,
    "N",
    r.metric.basis.size,
    "sigma",
    s,
    "train s",
    r.seconds.toFixed(1),
    "eval s",
    ((performance.now() - t1) / 1000).toFixed(1),
  );
}
