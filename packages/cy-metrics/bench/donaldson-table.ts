// The Donaldson σ_k table: balanced metrics for k in --ks with --points integration points
// (several values show the convergence in the number of points), σ on --eval held-out points,
// wall-clock seconds per k. Baseline in the same run: the Fubini–Study σ on the same held-out
// points (the ratio σ_k/σ_FS is printed). Usage:
//   pnpm --filter @physml/cy-metrics bench -- --ks 1,2,3,4,5,6 --points 20000,200000 --eval 50000 [--psi 10,3]
import {
  donaldson,
  dworkQuintic,
  fubiniStudySigma,
  type SplitMatrix,
  samplePoints,
  sigma,
  volumes,
} from "../src/index.js";

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

const ks = arg("ks", "1,2,3,4").split(",").map(Number);
const pointCounts = arg("points", "20000").split(",").map(Number);
const nEval = Number(arg("eval", "20000"));
const [psiRe, psiIm] = arg("psi", "0,0").split(",").map(Number);
const iterations = Number(arg("iterations", "10"));
// --warm n: for each k, every point count after the first starts from the previous balanced G
// and runs n iterations (the iteration converges geometrically; the last ΔG is reported)
const warm = Number(arg("warm", "0"));
const q = dworkQuintic({ re: psiRe, im: psiIm ?? 0 });
const held = samplePoints(q, nEval, 424242);
const fs = fubiniStudySigma(held);
const vol = volumes(held);
const log = (o: unknown) => process.stderr.write(`${JSON.stringify(o)}\n`);
log({ psi: [psiRe, psiIm ?? 0], nEval, volCY: vol.volCY, kappa: vol.kappa, sigmaFS: fs });
const rows: string[] = [];
const previous = new Map<number, SplitMatrix>();
for (const P of pointCounts) {
  const pts = samplePoints(q, P, 7);
  for (const k of ks) {
    const t0 = performance.now();
    const initial = warm > 0 ? previous.get(k) : undefined;
    const r = donaldson(q, { k, iterations: initial ? warm : iterations, integrationPoints: pts, initial });
    previous.set(k, r.metric.G);
    const t1 = performance.now();
    const s = sigma(r.metric, held);
    const t2 = performance.now();
    const row = {
      psi: [psiRe, psiIm ?? 0],
      k,
      N: r.metric.basis.size,
      points: pts.n,
      sigma: s,
      ratioToFS: s.mean / fs.mean,
      iterations: r.history.length,
      warmStart: initial !== undefined,
      lastChange: r.history.at(-1)?.change,
      balanceSeconds: (t1 - t0) / 1000,
      sigmaSeconds: (t2 - t1) / 1000,
    };
    log(row);
    rows.push(
      `| ${k} | ${row.N} | ${pts.n} | ${s.mean.toFixed(4)} ± ${s.error.toFixed(4)} | ${row.ratioToFS.toFixed(3)} | ${row.balanceSeconds.toFixed(1)} | ${row.sigmaSeconds.toFixed(1)} |`,
    );
  }
}
console.log(
  `ψ = ${psiRe} + ${psiIm ?? 0}i, σ on ${held.n} held-out points, σ_FS = ${fs.mean.toFixed(4)} ± ${fs.error.toFixed(4)}`,
);
console.log("| k | N_k | integration points | σ_k | σ_k/σ_FS | balance s | σ s |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) console.log(r);
