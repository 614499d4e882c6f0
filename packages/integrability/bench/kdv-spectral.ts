// The KdV connection family A(λ) for the seeds in KDV_SEEDS (default 0): training 𝓛_ZC, and per
// held-out λ the learned λ̂, its slope, the held-out residual, the worst checked monodromy
// variation beside the AKNS connection's at λ̂, and the verdict. KDV_START=fixed starts from the
// fixed-λ connection's Galilean boosts (at the command's budget for that start; KDV_FIXED_STEPS
// replaces the fixed stage's Adam steps).
// `node --conditions=@physml/source --import tsx bench/kdv-spectral.ts`
import { fieldConnectionSetup } from "../src/lax/field-connection-systems.js";
import { learnKdvSpectralConnection } from "../src/lax/spectral-connection-learn.js";
import { CONNECTION_TRAINING_DEFAULTS } from "../src/options.js";

const seeds = (process.env.KDV_SEEDS ?? "0").split(",").map(Number);
const start = process.env.KDV_START === "fixed" ? "fixed" : "random";
// the command's defaults with --spectral-range (and --start), each replaceable from the environment
const budget = CONNECTION_TRAINING_DEFAULTS[start === "fixed" ? "spectralFromFixed" : "spectral"];
const g = (v: number) => v.toPrecision(2);
for (const seed of seeds) {
  const r = learnKdvSpectralConnection({
    seed,
    start,
    ...(process.env.KDV_FIXED_STEPS
      ? { fixedBudget: { adamSteps: Number(process.env.KDV_FIXED_STEPS) } }
      : {}),
    adamSteps: Number(process.env.KDV_STEPS ?? budget.adamSteps),
    polishIter: Number(process.env.KDV_POLISH ?? 60),
    restarts: Number(process.env.KDV_RESTARTS ?? budget.restarts),
    ...(process.env.KDV_LR ? { lr: Number(process.env.KDV_LR) } : {}),
    samples: Number(process.env.KDV_SAMPLES ?? budget.samples),
    ...(process.env.KDV_MC
      ? { weights: { ...fieldConnectionSetup("kdv").weights, mc: Number(process.env.KDV_MC) } }
      : {}),
  });
  console.log(
    `seed ${seed}: attempts ${r.attemptLosses.map(g).join(", ")} (chosen ${r.attempt}; last step ${r.final.step}), 𝓛_λ ${g(r.final.spectralSlope ?? Number.NaN)}, ${r.validation.passed ? "passed" : "FAILED"}, train ${r.seconds.train.toFixed(1)} s, evaluate ${r.seconds.evaluate.toFixed(1)} s`,
  );
  if (r.fixed)
    console.log(
      `  fixed start: attempts ${r.fixed.attemptLosses.map(g).join(", ")}, held-out residual ${g(r.fixed.residual)} (${r.fixed.passed ? "passed" : "FAILED"}), λ̂* ${r.fixed.scale.toFixed(4)}, Σr² at the start ${g(r.fixed.solve.value)}, ${r.fixed.seconds.toFixed(1)} s`,
    );
  if (process.env.KDV_VERBOSE) console.log(JSON.stringify(r.final), JSON.stringify(r.history.slice(0, 6)));
  for (const h of r.heldOut) {
    const worst = (v: number[]) => Math.max(...h.validation.checked.map((i) => v[i]));
    console.log(
      `  λ ${h.lambda.toFixed(2)}: λ̂ ${h.lambdaHat.toFixed(4)} (slope ${h.slope.toFixed(3)}), residual ${g(h.residual)}, variation ${g(worst(h.monodromy.variation))} (AKNS at λ̂ ${g(worst(h.reference.variation))}), quadrature ≤ ${g(worst(h.monodromy.quadratureError))}, separation ${g(h.monodromy.variationVsAcross)}, trace vs AKNS ${g(h.traceMismatch)}`,
    );
  }
  for (const f of r.validation.failures) console.log(`  ${f}`);
}
