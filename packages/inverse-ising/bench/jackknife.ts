// The README's resampling check of the dual couplings' propagated covariance:
// `node --conditions=@physml/source --import tsx bench/jackknife.ts β [seeds] [samples]` runs the
// 4 × 4 twist-summed line duality with exact dual moments for seeds 1…K and prints, per seed and
// pooled, the jackknife (one original chain left out, dual refitted) against the propagated
// covariance, and both against the exact Kramers–Wannier couplings (β̃, 0) as χ².
import { dualCoupling } from "@physml/lattice-core";
import { lineDuality } from "../src/index.js";

const [beta, K = 16, samples = 1024] = process.argv.slice(2).map(Number);
const truth = [dualCoupling(beta), 0];
const chi2 = (M: number[][], d: number[]) =>
  (M[1][1] * d[0] ** 2 - 2 * M[0][1] * d[0] * d[1] + M[0][0] * d[1] ** 2) /
  (M[0][0] * M[1][1] - M[0][1] * M[1][0]);
const rows: number[][] = [];
const t0 = performance.now();
for (let seed = 1; seed <= K; seed++) {
  const r = await lineDuality({
    L: 4,
    beta,
    seed,
    samplesCount: samples,
    dualMoments: "exact",
    jackknife: true,
  });
  const P = r.dual.covariance?.matrix ?? [[Number.NaN]];
  const J = r.jackknife?.dual?.matrix ?? [[Number.NaN]];
  const p1 = r.dualNnOnly.covariance?.matrix[0][0] ?? Number.NaN;
  const j1 = r.jackknife?.dualNnOnly?.matrix[0][0] ?? Number.NaN;
  const d = [r.dual.tNn - truth[0], r.dual.tNnn - truth[1]];
  const d1 = r.dualNnOnly.tNn - truth[0];
  rows.push([
    J[0][0] / P[0][0],
    J[1][1] / P[1][1],
    r.dual.covariance?.correlation ?? Number.NaN,
    r.jackknife?.dual?.correlation ?? Number.NaN,
    j1 / p1,
    chi2(P, d),
    chi2(J, d),
    d1 ** 2 / p1,
    d1 ** 2 / j1,
  ]);
  console.log(
    JSON.stringify({
      seed,
      tNn: r.dual.tNn,
      tNnn: r.dual.tNnn,
      propagated: P,
      jackknife: J,
      nnOnly: [r.dualNnOnly.tNn, p1, j1],
    }),
  );
}
const mean = (j: number) => rows.reduce((p, r) => p + r[j], 0) / K;
const sem = (j: number) => Math.sqrt(rows.reduce((p, r) => p + (r[j] - mean(j)) ** 2, 0) / (K - 1) / K);
const sum = (j: number) => rows.reduce((p, r) => p + r[j], 0);
const f = (j: number) => `${mean(j).toFixed(4)} ± ${sem(j).toFixed(4)}`;
console.log(
  `β = ${beta}, β̃ = ${truth[0].toFixed(5)}, ${K} seeds × ${samples} samples per sector, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
console.log(`var ratio jackknife/propagated: t_nn ${f(0)}, t_nnn ${f(1)}, nn-only ${f(4)}`);
console.log(`correlation: propagated ${f(2)}, jackknife ${f(3)}`);
console.log(
  `χ² against (β̃, 0): propagated ${sum(5).toFixed(1)}, jackknife ${sum(6).toFixed(1)} (${2 * K} dof); nn-only ${sum(7).toFixed(1)}, ${sum(8).toFixed(1)} (${K} dof)`,
);
