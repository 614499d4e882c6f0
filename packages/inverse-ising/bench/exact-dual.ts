// The exact 4 × 4 comparison of the README's "endpoint" section: `node --conditions=@physml/source
// --import tsx bench/exact-dual.ts β κ λ`. Prints the exact dual Hamiltonian's largest couplings
// (by translation class of the dual-site set), then for both endpoint rules the twist-summed
// line correlators g1, g2, g3 (enumeration, weights Z_twist/ΣZ) and the nn + nnn dual matched to
// g1, g2 with exact moments, with its g3.
import { defineModel, enumerateModel, isingStateProbabilities, isingStateTable } from "@physml/lattice-core";
import {
  deformedOriginal,
  disorderLineSeries,
  exactDualHamiltonian,
  matchDualCouplings,
} from "../src/index.js";

const [beta, kappa, lambda] = process.argv.slice(2, 5).map(Number);
const L = 4;
const N = L * L;
const c = { nn: beta, plaquette: kappa || 0, nnn: lambda || 0 };

const shift = (A: number, dx: number, dy: number) => {
  let m = 0;
  for (let a = 0; a < N; a++)
    if ((A >> a) & 1) m |= 1 << ((((a % L) + dx) % L) + L * ((Math.floor(a / L) + dy) % L));
  return m;
};
const canon = (A: number) => {
  let best = A;
  for (let dx = 0; dx < L; dx++) for (let dy = 0; dy < L; dy++) best = Math.min(best, shift(A, dx, dy));
  return best;
};
const draw = (A: number) =>
  Array.from({ length: L }, (_, y) =>
    Array.from({ length: L }, (_, x) => ((A >> (x + L * y)) & 1 ? "#" : ".")).join(""),
  ).join("/");

const t0 = performance.now();
const dual = exactDualHamiltonian(L, c);
const classes = new Map<number, { J: number; sets: number }>();
for (let A = 1; A < 1 << N; A++) {
  const k = canon(A);
  const e = classes.get(k) ?? { J: dual.couplings[A], sets: 0 };
  e.sets++;
  classes.set(k, e);
}
const top = [...classes.entries()].sort((a, b) => Math.abs(b[1].J) - Math.abs(a[1].J)).slice(0, 10);
console.log(
  `exact dual of (β, κ, λ) = (${beta}, ${c.plaquette}, ${c.nnn}), min/max weight ${dual.minWeightRatio.toExponential(2)}`,
);
for (const [k, e] of top) console.log(`  ${draw(k)}  ${e.sets} sets  J = ${e.J.toFixed(6)}`);

const states = isingStateTable(N);
const twists: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];
const models = twists.map((twist) => defineModel(deformedOriginal(L, c, twist)));
const lnZ = models.map((m) => enumerateModel(m).lnZ);
const w = lnZ.map((z) => Math.exp(z - Math.max(...lnZ)));
const probs = models.map((m) => isingStateProbabilities(m));
const mask = (x: number, y: number) => 1 << (x + L * y);
console.log(
  `  exact dual pair correlators: (1,0) ${dual.correlators[mask(0, 0) | mask(1, 0)].toFixed(6)}, (1,1) ${dual.correlators[mask(0, 0) | mask(1, 1)].toFixed(6)}, (2,0) ${dual.correlators[mask(0, 0) | mask(2, 0)].toFixed(6)}`,
);
for (const endpoints of ["half", "cut-link"] as const) {
  const g = { g1: 0, g2: 0, g3: 0 };
  twists.forEach((t, k) => {
    const s = disorderLineSeries(states, L, c, t, endpoints);
    for (const key of ["g1", "g2", "g3"] as const)
      g[key] += (w[k] / w.reduce((a, b) => a + b, 0)) * s[key].reduce((a, v, j) => a + v * probs[k][j], 0);
  });
  const fit = await matchDualCouplings(
    L,
    { g1: g.g1, g2: g.g2, cov: [0, 0, 0, 0] },
    { seed: 0, moments: "exact" },
  );
  console.log(
    `  ${endpoints}: g1 ${g.g1.toFixed(6)}, g2 ${g.g2.toFixed(6)}, g3 ${g.g3.toFixed(6)}; nn + nnn dual (${fit.tNn.toFixed(5)}, ${fit.tNnn.toFixed(5)}) predicts g3 ${fit.dual.g3.toFixed(6)} (${(fit.dual.g3 - g.g3).toExponential(2)})`,
  );
}
console.log(`  ${((performance.now() - t0) / 1000).toFixed(1)} s`);
