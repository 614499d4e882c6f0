// `physml integrability simulate|lax|perturbation|scnn|kdv|connection`: thin translation of flags into
// @physml/integrability calls; progress on stderr, --json prints the result on stdout. Each command
// runs in an @physml/runs run directory (config with provenance, lock, metrics.jsonl,
// arrays/*.npy, checkpoint/ with the learned state, report.html, result.json; --force, --resume).
// `simulate` checkpoints during the integration, `lax`, `perturbation`, `scnn`, `kdv` and
// `connection` during training, and --resume continues an unfinished run from its last checkpoint.

import {
  INDEPENDENCE_FLOOR,
  type LaxCheckpoint,
  type LearnLaxResult,
  laxBudgets,
  laxCheckpointStep,
  laxOptionsSchema,
  learnLax,
  type PerturbationCheckpoint,
  perturbationOptionsSchema,
  perturbationTest,
  polishDone,
  SIMULATION_CHECKPOINT_SECONDS,
  simulateInRun,
  simulateOptionsSchema,
  type TraceIndependence,
} from "@physml/integrability";
import { plural } from "@physml/lattice-core";
import { barChart, type Run, reportHtml, xyChart } from "@physml/runs";
import type { CommandBody } from "../command.js";
import { failedCheck, verdictLine } from "../failed-check.js";
import { boolFlag, emit } from "../flags.js";
import { configFlags, flagSpecs } from "../schema-flags.js";
import { type Fit, fitsOf, formulaRows } from "./integrability-formulas.js";
import {
  checkpointedRunFlags,
  fmt,
  inCommandRun,
  lossValues,
  progress,
  resumedCheckpoint,
} from "./integrability-run.js";

const SIMULATE_FLAGS = configFlags(simulateOptionsSchema);

/** How often a long simulation says how far it got (the first line after this long, too). */
const PROGRESS_EVERY_MS = 2000;

/** A progress line `simulate: 40% (4000/10000 steps)` at most every PROGRESS_EVERY_MS. */
function stepsProgress(line: (s: string) => void): (done: number, total: number) => void {
  let last = performance.now();
  return (done, total) => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    line(`simulate: ${Math.floor((100 * done) / total)}% (${done}/${total} steps)`);
  };
}
const LAX_FLAGS = configFlags(laxOptionsSchema);
const PERTURBATION_FLAGS = configFlags(perturbationOptionsSchema);

export const simulateCommand: CommandBody = {
  options: simulateOptionsSchema,
  flags: {
    ...flagSpecs(SIMULATE_FLAGS),
    ...checkpointedRunFlags("simulate", `every ${SIMULATION_CHECKPOINT_SECONDS} s of integration`),
  },
  examples: [
    "physml integrability simulate --system toda --trajectories 8 --trajectory-time 20",
    "physml integrability simulate --system kdv --trajectory-time 3 --json",
  ],
  async run(flags, io) {
    const say = progress(io, flags);
    const result = await inCommandRun(
      "simulate",
      simulateOptionsSchema,
      SIMULATE_FLAGS,
      flags,
      io,
      (o, run) => simulateInRun(o, run, { progress: stepsProgress(say), log: say }),
    );
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `${result.system}: ${plural(result.steps, "step")} of h = ${result.h}; arrays in ${result.out}/arrays`,
        ...Object.entries(result.arrays).map(([k, s]) => `  ${k}.npy  [${s.join(", ")}]`),
        ...Object.entries(result.drift).map(([k, v]) => `  relative drift of ${k}: ${fmt(v)}`),
      ].join("\n"),
    );
  },
};

/** The lax result's text: the model, the held-out checks and every entry's readout. */
function laxText(r: {
  system: string;
  size: number;
  hidden: number[];
  activation: string;
  budgets: { adamSteps: number; polish: "lbfgs" | "lm"; polishIterations: number };
  laxResidual: number;
  conservedVariation: number[];
  trL2VsH: number;
  traceIndependence: TraceIndependence;
  formulas: { L: Fit[][]; M: Fit[][] };
  loss: { total: number; lax: number };
  validation?: { passed: boolean; failures: string[] };
}): string {
  const mat = (A: Fit[][]) =>
    A.map((row, i) =>
      row.map((f, j) => `  [${i + 1},${j + 1}] ${f.formula}   (R² ${f.r2.toFixed(4)})`).join("\n"),
    ).join("\n");
  return [
    `Lax pair for ${r.system} (${r.size}×${r.size}, ${r.hidden.length === 0 ? "affine networks" : `${r.activation} MLPs [${r.hidden.join(", ")}] with a linear path`}); final loss ${fmt(r.loss.total)}, 𝓛_Lax ${fmt(r.loss.lax)}`,
    `budgets: ${plural(r.budgets.adamSteps, "Adam step")}, then ${plural(r.budgets.polishIterations, `${r.budgets.polish === "lm" ? "Levenberg–Marquardt" : "L-BFGS"} iteration`)} per model`,
    `held-out |L̇ − [L, M]| / |L̇| = ${fmt(r.laxResidual)}`,
    `relative variation of tr Lᵏ along held-out trajectories: ${r.conservedVariation.map((v, k) => `k=${k + 1}: ${fmt(v)}`).join(", ")}`,
    `tr L² vs H: R² = ${r.trL2VsH.toFixed(6)}`,
    `independent traces along held-out states: ${r.traceIndependence.independent} of ${r.size} (σ_r/σ_1 of their gradients at the median state: ${r.traceIndependence.ratios.map(fmt).join(", ")}; one counts above ${INDEPENDENCE_FLOOR.toExponential()})`,
    ...(r.validation ? [verdictLine(r.validation)] : []),
    "L entries:",
    mat(r.formulas.L),
    "M entries:",
    mat(r.formulas.M),
  ].join("\n");
}

/** The lax run's report: loss over training and tr Lᵏ along the first held-out trajectory. */
function laxReport(system: string, r: LearnLaxResult, text: string): Promise<string> {
  const conserved = r.conserved as NonNullable<LearnLaxResult["conserved"]>;
  const formulas = r.formulas as NonNullable<LearnLaxResult["formulas"]>;
  return reportHtml({
    title: `integrability lax: ${system}`,
    notes: text.split("\n").slice(0, text.split("\n").indexOf("L entries:")),
    charts: [
      xyChart({
        title: `Lax loss, ${system}`,
        xTitle: "training step (Adam, then polish iterations)",
        yTitle: "loss (dimensionless)",
        logY: true,
        series: (["total", "lax"] as const).map((k) => ({
          name: k === "lax" ? "𝓛_Lax" : "total",
          x: r.history.map((m) => m.step),
          y: r.history.map((m) => m[k]),
          style: "line" as const,
        })),
      }),
      xyChart({
        title: `tr Lᵏ along a held-out trajectory, ${system}`,
        xTitle: "time t (units of the system)",
        yTitle: "tr Lᵏ minus its value at t = 0",
        series: conserved.series.map((f, k) => ({
          name: `k = ${k + 1}`,
          x: conserved.times,
          y: f.map((v) => v - f[0]),
          style: "line" as const,
        })),
      }),
    ],
    tables: [
      {
        head: ["entry", "formula", "R²"],
        rows: [...formulaRows("L", formulas.L), ...formulaRows("M", formulas.M)],
      },
    ],
  });
}

/** The newest checkpoint of a resumed lax run (see `resumedCheckpoint`), said on stderr. */
function resumeLax(run: Run<unknown>, say: (s: string) => void): LaxCheckpoint | null {
  const last = resumedCheckpoint<LaxCheckpoint>(
    run,
    (s) => typeof s.rung === "number" && Array.isArray(s.rungs) && Array.isArray(s.history),
    // each finished model's history, then the current one's
    (cp) => {
      cp.rungs.forEach((g, rung) => {
        for (const m of g.history) run.appendMetric({ ...m, rung });
      });
      if (cp.phase !== "polished") for (const m of cp.history) run.appendMetric({ ...m, rung: cp.rung });
    },
    say,
  );
  if (!last) return null;
  const cp = last.state;
  say(
    `resuming from ${last.file}: model ${cp.rung + 1} of the ladder (hidden [${cp.hidden.join(", ")}]), ${cp.phase === "polished" ? "polished" : trainingAt(cp)}`,
  );
  return cp;
}

/** Where a Lax checkpoint's model stands in its training (phase adam or polish). */
const trainingAt = (cp: LaxCheckpoint): string =>
  cp.phase === "polish" && cp.polish ? `polish iteration ${polishDone(cp.polish)}` : `Adam step ${cp.step}`;

export const laxCommand: CommandBody = {
  options: laxOptionsSchema,
  flags: {
    ...flagSpecs(LAX_FLAGS),
    ...checkpointedRunFlags("lax", "every 50 Adam steps or polish iterations, and after each polish"),
  },
  examples: [
    "physml integrability lax --system ho --json",
    "physml integrability lax --system ho2d --perturbation h1 --epsilon 0.1",
    "physml integrability lax --system ho --out runs/ho --resume",
  ],
  async run(flags, io) {
    const say = progress(io, flags);
    const result = await inCommandRun("lax", laxOptionsSchema, LAX_FLAGS, flags, io, async (config, run) => {
      const { system } = config;
      const resume = resumeLax(run, say);
      // config.json keeps the flags as given (a resume compares against them); the result
      // records the budgets they resolved to, the system's own where a flag was left out
      const budgets = laxBudgets(config);
      const r = learnLax({
        ...budgets,
        ...(resume ? { resume } : {}),
        // a pair that misses its system's targets is still written, then reported with exit 3
        validate: false,
        // every model of the ladder starts its history at step 0
        onMetrics: (m, rung) => {
          run.appendMetric({ ...m, rung });
          say(`step ${m.step}: loss ${fmt(m.total)} (𝓛_Lax ${fmt(m.lax)})`);
        },
        // the last one, after the kept model's polish, is the learned state
        onCheckpoint: (cp) => run.saveCheckpoint(laxCheckpointStep(cp), cp),
      });
      const conserved = r.conserved;
      if (!conserved || !r.formulas || !r.traceIndependence)
        throw new Error("learnLax returned no evaluation");
      const result = {
        system,
        size: r.model.size,
        hidden: r.hidden,
        activation: r.model.activation,
        budgets: {
          adamSteps: budgets.adamSteps,
          polish: budgets.polish,
          polishIterations: budgets.lbfgsIter,
        },
        rungs: r.rungs.map((g) => ({
          hidden: g.hidden,
          laxResidual: g.laxResidual,
          ...(g.trainingResidual === undefined ? {} : { trainingResidual: g.trainingResidual }),
        })),
        loss: lossValues(r.final),
        laxResidual: r.laxResidual,
        conservedVariation: conserved.variation,
        conservedVariationVsPhaseSpace: conserved.variationVsPhaseSpace,
        trL2VsH: conserved.trL2VsH,
        traceIndependence: r.traceIndependence,
        formulas: { L: fitsOf(r.formulas.L), M: fitsOf(r.formulas.M) },
        ...(r.validation ? { validation: r.validation } : {}),
      };
      run.writeArray("conserved", Float64Array.from(conserved.series.flat()), [
        conserved.series.length,
        conserved.times.length,
      ]);
      return { result, report: await laxReport(system, r, laxText(result)) };
    });
    emit(io, boolFlag(flags, "json"), result, () => laxText(result));
    if (!result.validation || result.validation.passed) return 0;
    return failedCheck(io, `the learned Lax pair of ${result.system}`, result.validation.failures);
  },
};

/**
 * The newest checkpoint of a resumed perturbation run (see `resumedCheckpoint`), said on stderr:
 * its finished rows are written to metrics.jsonl again, one line each as `onRow` wrote them.
 */
function resumePerturbation(run: Run<unknown>, say: (s: string) => void): PerturbationCheckpoint | null {
  const last = resumedCheckpoint<PerturbationCheckpoint>(
    run,
    (s) => Array.isArray(s.rows) && Array.isArray(s.seeds) && "fine" in s,
    (cp) => {
      cp.rows.forEach((r, step) => {
        run.appendMetric({ step, ...r });
      });
    },
    say,
  );
  if (!last) return null;
  const cp = last.state;
  const under = cp.fine
    ? `the ${cp.fine.kind === "h2" ? "H₂" : "H₁"} run of row ${cp.rows.length + 1} at ${cp.fine.run.phase === "polished" ? "its end" : trainingAt(cp.fine.run)}`
    : cp.base && cp.base.phase !== "polished"
      ? `the base run at ${trainingAt(cp.base)}`
      : `row ${cp.rows.length + 1}`;
  const n = cp.rows.length;
  say(`resuming from ${last.file}: ${plural(n, "row")} done, continuing ${under}`);
  return cp;
}

/** The issue's two strengths of the perturbation. */
const EPSILONS = [0.1, 0.3];

export const perturbationCommand: CommandBody = {
  options: perturbationOptionsSchema,
  flags: {
    ...flagSpecs(PERTURBATION_FLAGS),
    ...checkpointedRunFlags(
      "perturbation",
      "every 50 Adam steps or polish iterations of each run, and after each row",
    ),
  },
  examples: [
    "physml integrability perturbation --seeds 3 --json",
    "physml integrability perturbation --out runs/pert --resume",
  ],
  async run(flags, io) {
    const say = progress(io, flags);
    const result = await inCommandRun(
      "perturbation",
      perturbationOptionsSchema,
      PERTURBATION_FLAGS,
      flags,
      io,
      async (config, run) => {
        const resume = resumePerturbation(run, say);
        let row = resume?.rows.length ?? 0;
        const rows = perturbationTest({
          ...config,
          seeds: Array.from({ length: config.seeds }, (_, i) => i),
          epsilons: EPSILONS,
          ...(resume ? { resume } : {}),
          onCheckpoint: (cp) => run.saveCheckpoint(cp.step, cp),
          onRow: (r) => {
            run.appendMetric({ step: row++, ...r });
            say(`ε = ${r.epsilon}, seed ${r.seed}: ratio ${ratioText(r.ratio)}`);
          },
        });
        const minRatio = Math.min(...rows.map((r) => r.ratio));
        const result = { epsilons: EPSILONS, rows, minRatio, separated: minRatio >= 10 };
        const report = await reportHtml({
          title: "integrability perturbation: final 𝓛_Lax after fine-tuning from the oscillator's pair",
          notes: [perturbationVerdict(minRatio)],
          charts: [
            barChart({
              title: "final 𝓛_Lax after fine-tuning from the oscillator's pair",
              xTitle: "ε, seed",
              yTitle: "final 𝓛_Lax (log₁₀)",
              bars: rows.flatMap((r) => [
                { label: `ε=${r.epsilon} s${r.seed} H₂`, value: Math.log10(r.integrable), group: INTEGRABLE },
                { label: `ε=${r.epsilon} s${r.seed} H₁`, value: Math.log10(r.nonIntegrable), group: NOT },
              ]),
              groups: [
                { name: INTEGRABLE, color: "#4477aa" },
                { name: NOT, color: "#cc3311" },
              ],
            }),
          ],
          tables: [{ head: TABLE_HEAD, rows: rows.map(tableRow) }],
        });
        return { result, report };
      },
    );
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `| ${TABLE_HEAD.join(" | ")} |`,
        "|---|---|---|---|---|",
        ...result.rows.map((r) => `| ${tableRow(r).join(" | ")} |`),
        "",
        perturbationVerdict(result.minRatio),
      ].join("\n"),
    );
    return result.separated
      ? 0
      : failedCheck(io, "the perturbation test", [
          `the Lax loss does not separate H₀ + H₁ from the integrable H₀ + H₂ by 10× on every row (${perturbationVerdict(result.minRatio)})`,
        ]);
  },
};

const INTEGRABLE = "H₀ + H₂ (integrable)";
const NOT = "H₀ + H₁ (not integrable)";
const TABLE_HEAD = ["ε", "seed", `𝓛_Lax on ${INTEGRABLE}`, `𝓛_Lax on ${NOT}`, "ratio"];
const tableRow = (r: {
  epsilon: number;
  seed: number;
  integrable: number;
  nonIntegrable: number;
  ratio: number;
}) => [String(r.epsilon), String(r.seed), fmt(r.integrable), fmt(r.nonIntegrable), ratioText(r.ratio)];
// the integrable run often ends exact to rounding, and a ratio like 3.8e17 reads better so
const ratioText = (ratio: number) => (ratio < 1e4 ? ratio.toFixed(2) : ratio.toExponential(2));
const perturbationVerdict = (minRatio: number) =>
  `smallest ratio ${ratioText(minRatio)}: ${minRatio >= 10 ? "separated (≥ 10× on every row)" : "NOT separated by 10× on every row"}`;
