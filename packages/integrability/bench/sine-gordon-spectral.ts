// The sine-Gordon connection family A(k) for the seeds in SG_SEEDS (default 0): every attempt's
// training 𝓛_ZC, and per held-out k the learned k̂, its slope, the held-out residual, the worst
// checked monodromy variation beside the known connection's at k̂, and the verdict.
// `node --conditions=@physml/source --import tsx bench/sine-gordon-spectral.ts`

import { fieldConnectionSetup } from "../src/lax/field-connection-systems.js";
import { learnSpectralConnection } from "../src/lax/spectral-connection-learn.js";
import { spectralFamily } from "../src/lax/spectral-families.js";
import { CONNECTION_TRAINING_DEFAULTS } from "../src/options.js";

const seeds = (process.env.SG_SEEDS ?? "0").split(",").map(Number);
// the command's defaults with --spectral-range, each replaceable from the environment
const budget = CONNECTION_TRAINING_DEFAULTS.spectral;
const g = (v: number) => v.toPrecision(2);
const familyWeights = spectralFamily("sine-gordon").weights ?? fieldConnectionSetup("sine-gordon").weights;
const range = process.env.SG_RANGE?.split(",").map(Number) as [number, number] | undefined;
for (const seed of seeds) {
  const r = learnSpectralConnection("sine-gordon", {
    seed,
    ...(range ? { range } : {}),
    adamSteps: Number(process.env.SG_STEPS ?? budget.adamSteps),
    polishIter: Number(process.env.SG_POLISH ?? 60),
    restarts: Number(process.env.SG_RESTARTS ?? budget.restarts),
    ...(process.env.SG_LR ? { lr: Number(process.env.SG_LR) } : {}),
    ...(process.env.SG_ALPHA ? { spectralWeight: Number(process.env.SG_ALPHA) } : {}),
    // α_EQ of 𝓛_EQ instead of the family's 10
    ...(process.env.SG_EQ ? { weights: { ...familyWeights, equation: Number(process.env.SG_EQ) } } : {}),
    samples: Number(process.env.SG_SAMPLES ?? budget.samples),
    onMetrics: process.env.SG_VERBOSE ? (m) => console.log(JSON.stringify(m)) : undefined,
  });
  console.log(
    `seed ${seed}: attempts ${r.attemptLosses.map(g).join(", ")} (chosen ${r.attempt}; last step ${r.final.step}), training loss ${g(r.final.total)}, 𝓛_λ ${g(r.final.spectralSlope ?? Number.NaN)}, ${r.validation.passed ? "passed" : "FAILED"}, train ${r.seconds.train.toFixed(1)} s, evaluate ${r.seconds.evaluate.toFixed(1)} s`,
  );
  for (const h of r.heldOut) {
    const worst = (v: number[]) => Math.max(...h.validation.checked.map((i) => v[i]));
    console.log(
      `  k ${h.lambda.toFixed(4)}: k̂ ${h.lambdaHat.toFixed(4)} (slope ${h.slope.toFixed(3)}), residual ${g(h.residual)}, variation ${g(worst(h.monodromy.variation))} (known at k̂ ${g(worst(h.reference.variation))}), quadrature ≤ ${g(worst(h.monodromy.quadratureError))}, separation ${g(h.monodromy.variationVsAcross)}, trace vs known ${g(h.traceMismatch)}`,
    );
  }
  for (const f of r.validation.failures) console.log(`  ${f}`);
}
