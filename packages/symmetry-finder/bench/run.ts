// pnpm bench: the targets, end to end (data, classifier, embedding, generators), each
// timed against its wall-clock budget (the printed ratio is time / budget; < 1 meets it).
// SymSuite's published 39 minutes for SO(3) is quoted, not measured here.
import { doubleWell, type Potential, so2xso2 } from "../src/data/potentials.js";
import type { GeneratorMethod } from "../src/pipeline/method.js";
import { embedPotential, generatorsOf } from "../src/pipeline/potential.js";

interface Case {
  name: string;
  pot: Potential;
  perClass: number;
  method: GeneratorMethod;
  budget: number;
  expect: number;
}

const CASES: Case[] = [
  {
    name: "SO(3), double well in R³",
    pot: doubleWell(3),
    perClass: 1000,
    method: { kind: "planes" },
    budget: 120,
    expect: 3,
  },
  {
    name: "SO(4), double well in R⁴",
    pot: doubleWell(4),
    perClass: 2000,
    method: { kind: "planes", options: { delta: 0.15, epsilon: 0.2 } },
    budget: 600,
    expect: 6,
  },
  {
    name: "SO(2)×SO(2), u² + 2v² in R⁴",
    pot: so2xso2(),
    perClass: 1500,
    method: { kind: "tangent" },
    budget: 600,
    expect: 2,
  },
];

const only = process.argv[2];
for (const c of CASES.filter((_, i) => only === undefined || String(i) === only)) {
  const t0 = performance.now();
  const stage = embedPotential(c.pot, { perClass: c.perClass, seed: 1 });
  const gen = generatorsOf(stage, c.method, 2, c.pot);
  const total = (performance.now() - t0) / 1000;
  const ev = gen.report.explainedVariance;
  const d = c.expect;
  const top = ev.slice(0, d).reduce((a, b) => a + b, 0);
  console.log(`\n${c.name}  (${c.method.kind})`);
  console.log(
    `  points ${stage.data.n}  accuracy ${stage.trained.accuracy.toFixed(4)} after ${stage.trained.history.length} epochs  neighbour score ${stage.neighbours.meanScore.toFixed(4)}`,
  );
  console.log(
    `  time: sample ${stage.seconds.sample.toFixed(1)} s, train ${stage.seconds.train.toFixed(1)} s, neighbours ${stage.seconds.neighbours.toFixed(1)} s, generators ${gen.seconds.toFixed(1)} s; total ${total.toFixed(1)} s = ${(total / c.budget).toFixed(3)} × budget ${c.budget} s`,
  );
  console.log(
    `  generators found ${gen.report.generators.length} (expected ${d}); angle to the true algebra ${gen.angleToTrue?.toFixed(4)} rad`,
  );
  if (ev.length > 0) {
    console.log(
      `  explained variance: ${ev
        .slice(0, d + 2)
        .map((v) => v.toFixed(4))
        .join(" ")}  (top ${d}: ${top.toFixed(4)}, next ${ev[d]?.toFixed(4)})`,
    );
  }
  if (gen.report.spectrum)
    console.log(
      `  constraint spectrum: ${gen.report.spectrum
        .slice(0, d + 3)
        .map((v) => v.toExponential(2))
        .join(" ")}`,
    );
  console.log(
    `  closure residual ${gen.report.closureResidual.toExponential(2)}  antisymmetry ${gen.report.antisymmetry.toExponential(2)}`,
  );
}
