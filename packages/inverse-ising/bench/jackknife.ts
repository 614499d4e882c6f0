// The README's resampling check of the dual couplings' propagated covariance:
// `node --conditions=@physml/source --import tsx bench/jackknife.ts β [seeds] [samples] [dualTerms]`
// runs the 4 × 4 twist-summed line duality with exact dual moments for seeds 1…K and prints, per
// seed and pooled, the jackknife (one original chain left out, dual refitted) against the
// propagated covariance, and both against the exact Kramers–Wannier couplings (β̃, 0[, 0]) as χ².
import { dualCoupling } from "@physml/lattice-core";
import { type DualTerms, lineDuality } from "../src/index.js";
import { mahalanobis2 } from "../test/mahalanobis.js";

const args = process.argv.slice(2);
const [beta, K = 16, samples = 1024] = args.slice(0, 3).map(Number);
const dualTerms = (args[3] || "nn+nnn") as DualTerms;
const k = dualTerms === "nn+nnn+d2" ? 3 : 2;
const truth = [dualCoupling(beta), 0, 0].slice(0, k);
const pairs =
  k === 3
    ? [
        [0, 1],
        [0, 2],
        [1, 2],
      ]
    : [[0, 1]];
const rho = (M: number[][], i: number, j: number) => M[i][j] / Math.sqrt(M[i][i] * M[j][j]);
// Per seed: k variance ratios, nn-only ratio, propagated and jackknife correlations per pair,
// then χ² propagated / jackknife, nn-only χ² propagated / jackknife.
const rows: number[][] = [];
const t0 = performance.now();
for (let seed = 1; seed <= K; seed++) {
  const r = await lineDuality({
    L: 4,
    beta,
    seed,
    samplesCount: samples,
    dualMoments: "exact",
    dualTerms,
    jackknife: true,
  });
  const P = r.dual.covariance?.matrix ?? [[Number.NaN]];
  const J = r.jackknife?.dual?.matrix ?? [[Number.NaN]];
  const p1 = r.dualNnOnly.covariance?.matrix[0][0] ?? Number.NaN;
  const j1 = r.jackknife?.dualNnOnly?.matrix[0][0] ?? Number.NaN;
  const t = [r.dual.tNn, r.dual.tNnn, r.dual.tD2 ?? Number.NaN].slice(0, k);
  const d = t.map((v, i) => v - truth[i]);
  const d1 = r.dualNnOnly.tNn - truth[0];
  rows.push([
    ...truth.map((_, i) => J[i][i] / P[i][i]),
    j1 / p1,
    ...pairs.map(([i, j]) => rho(P, i, j)),
    ...pairs.map(([i, j]) => rho(J, i, j)),
    mahalanobis2(P, d),
    mahalanobis2(J, d),
    d1 ** 2 / p1,
    d1 ** 2 / j1,
  ]);
  console.log(JSON.stringify({ seed, t, propagated: P, jackknife: J, nnOnly: [r.dualNnOnly.tNn, p1, j1] }));
}
const mean = (j: number) => rows.reduce((p, r) => p + r[j], 0) / K;
const sem = (j: number) => Math.sqrt(rows.reduce((p, r) => p + (r[j] - mean(j)) ** 2, 0) / (K - 1) / K);
const sum = (j: number) => rows.reduce((p, r) => p + r[j], 0);
const f = (j: number) => `${mean(j).toFixed(4)} ± ${sem(j).toFixed(4)}`;
const names = ["t_nn", "t_nnn", "t_d2"].slice(0, k);
const np = pairs.length;
const c = k + 1 + 2 * np;
console.log(
  `β = ${beta}, β̃ = ${truth[0].toFixed(5)}, dual ${dualTerms}, ${K} seeds × ${samples} samples per sector, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
console.log(
  `var ratio jackknife/propagated: ${names.map((n, i) => `${n} ${f(i)}`).join(", ")}, nn-only ${f(k)}`,
);
for (const [q, [i, j]] of pairs.entries())
  console.log(
    `correlation ${names[i]}–${names[j]}: propagated ${f(k + 1 + q)}, jackknife ${f(k + 1 + np + q)}`,
  );
console.log(
  `χ² against the KW point: propagated ${sum(c).toFixed(1)}, jackknife ${sum(c + 1).toFixed(1)} (${k * K} dof); nn-only ${sum(c + 2).toFixed(1)}, ${sum(c + 3).toFixed(1)} (${K} dof)`,
);
