// Experiment: the neighbourhood chunk across links learned with a variance-weighted loss,
// Σ_pairs (D_ab / σ_ab)², σ_ab the jackknife error of D_ab on the training blocks at the current
// table (held fixed within a Levenberg–Marquardt step and refreshed every REFRESH steps, i.e.
// iteratively reweighted least squares), from the same starts as the relative loss. The learned
// table is validated on the fresh samples exactly as `physml duality lines --chunk neighbourhood`
// does. Run from the worktree root:
//   node --conditions=@physml/source --import tsx packages/topological-lines/bench/weighted-loss.ts \
//     --beta 0.3 [--dual] [--plaquette 0.1] [--samples 32] [--seed 1] [--L 16 --starts 64 --steps 100]
import { parseArgs } from "node:util";
import {
  type BlockedMeans,
  blockedMeans,
  disorderTable,
  EXTENDED_GROUPS,
  initNeighbourhoodLearner,
  LINK_TYPES,
  lineAngle,
  meanHistograms,
  monomialHistograms,
  normaliseTable,
  pairDifferences,
  pathPairs,
  resolveLinesConfig,
  sampleLineSets,
  tangentStep,
  trivialTables,
  validateNeighbourhood,
  Z2_TABLE,
} from "../src/index.ts";

const T = LINK_TYPES;
const REFRESH = 5;
const { values } = parseArgs({
  options: {
    beta: { type: "string", default: "0.3" },
    dual: { type: "boolean", default: false },
    plaquette: { type: "string", default: "0" },
    samples: { type: "string", default: "32" },
    seed: { type: "string", default: "1" },
    L: { type: "string", default: "16" },
    starts: { type: "string", default: "64" },
    steps: { type: "string", default: "100" },
  },
});
const c = resolveLinesConfig({
  L: Number(values.L),
  starts: Number(values.starts),
  steps: Number(values.steps),
  beta: Number(values.beta),
  sampleDual: values.dual,
  plaquette: Number(values.plaquette),
  samplesPerChain: Number(values.samples),
  seed: Number(values.seed),
  chunk: "neighbourhood",
});
const t0 = performance.now();
const { paths, pairs } = pathPairs(EXTENDED_GROUPS);
const { K, train, fresh } = await sampleLineSets(c);
const hTrain = monomialHistograms(train, c.L, paths, "crossing");
const monomials = hTrain.map((h) => h.monomials);
const blocks: BlockedMeans = blockedMeans(hTrain, c.blocks);
const full = { monomials, means: meanHistograms(hTrain) };
const trivial = trivialTables("crossing");
const exclusion = (c.exclusionDeg * Math.PI) / 180;

/** Jackknife error of every pair difference at table o on the training blocks. */
function sigmas(o: ArrayLike<number>): Float64Array {
  const vals = blocks.leaveOut.map((mm) => pairDifferences({ monomials, means: mm }, pairs, o).d);
  const B = vals.length;
  return Float64Array.from(pairs, (_, i) => {
    const m = vals.reduce((s, v) => s + v[i], 0) / B;
    return Math.sqrt(((B - 1) / B) * vals.reduce((s, v) => s + (v[i] - m) ** 2, 0));
  });
}

function weighted(o: ArrayLike<number>, sigma: Float64Array): number {
  const { d } = pairDifferences(full, pairs, o);
  return d.reduce((s, v, i) => s + (v / sigma[i]) ** 2, 0);
}

const init = initNeighbourhoodLearner({
  data: full,
  pairs,
  trivial,
  starts: c.starts,
  steps: c.steps,
  exclusion,
  seed: c.seed + 1,
});
const results = Array.from({ length: c.starts }, (_, s) => {
  let table: Float64Array = init.tables.slice(s * T, (s + 1) * T);
  let damping = 1e-3;
  let sigma = sigmas(table);
  let loss = weighted(table, sigma);
  for (let step = 0; step < c.steps && damping < 1e8; step++) {
    if (step % REFRESH === 0) {
      sigma = sigmas(table);
      loss = weighted(table, sigma);
    }
    const { d, jac } = pairDifferences(full, pairs, table, true);
    const J = jac as Float64Array;
    const r = Float64Array.from(d, (v, i) => v / sigma[i]);
    const Jw = Float64Array.from(J, (v, k) => v / sigma[Math.floor(k / T)]);
    const delta = tangentStep(r, Jw, table, damping);
    const trial = normaliseTable(table.map((v, t) => v + delta[t]));
    const inCone = trivial.some((z) => lineAngle(trial, z) < exclusion);
    const l = inCone ? Number.POSITIVE_INFINITY : weighted(trial, sigma);
    if (l < loss) {
      table = trial;
      loss = l;
      damping /= 3;
    } else damping *= 10;
  }
  const theta = Math.min(...trivial.map((z) => lineAngle(table, z)));
  return { table, loss: weighted(table, sigmas(table)), theta, trivial: theta < exclusion + 1e-3 };
});
const kept = results.filter((r) => !r.trivial).sort((a, b) => a.loss - b.loss);
const disorder = disorderTable(K);
const deg = (r: number) => (r * 180) / Math.PI;
console.log(
  `K = ${K.toFixed(5)}, κ = ${c.plaquette}, ${c.chains * c.samplesPerChain} + ${c.chains * c.samplesPerChain} configurations, ${c.starts} starts × ${c.steps} steps; ${results.length - kept.length} starts ended on a trivial cone`,
);
console.log(
  `weighted training loss at the disorder table: ${weighted(disorder, sigmas(disorder)).toFixed(2)}`,
);
for (const r of kept.slice(0, 5))
  console.log(
    `  start: weighted loss ${r.loss.toFixed(2)}, ${deg(lineAngle(r.table, disorder)).toFixed(2)}° from the disorder line, ${deg(r.theta).toFixed(1)}° from a trivial line`,
  );
const best = kept[0];
if (best) {
  const v = validateNeighbourhood(
    monomialHistograms(fresh, c.L, paths, "crossing"),
    pairs,
    best.table,
    [
      { name: "Z2", table: Z2_TABLE },
      { name: "disorder", table: disorder },
    ],
    { blocks: c.blocks, pullLimit: c.pullLimit, trainMeans: full.means },
  );
  const p = v.pairCovariance;
  console.log(
    `best: O = ${Array.from(best.table, (x) => x.toFixed(3)).join(" ")}; fresh χ² ${p.chi2.toFixed(2)} / ${p.dof}, p = ${p.pValue.toExponential(2)}; ${v.candidates.map((x) => `${x.name}: ${x.angleDeg.toFixed(2)}°, distance² ${x.distance2.toExponential(2)}`).join("; ")}; verdict: ${v.verdict}`,
  );
}
console.log(`${((performance.now() - t0) / 1000).toFixed(0)} s`);
