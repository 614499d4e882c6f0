// `physml integrability simulate|lax|scnn`: thin translation of flags into @physml/integrability
// calls; progress on stderr, results in a run directory, --json prints the result on stdout.
import {
  compareTwoBody,
  createRunDir,
  laxOptionsSchema,
  learnLax,
  perturbationOptionsSchema,
  perturbationTest,
  runSimulation,
  scnnOptionsSchema,
  simulateOptionsSchema,
} from "@physml/integrability";
import { barChart, renderSvg, xyChart } from "@physml/runs";
import type { Command, CommandIO, FlagSpec, RawFlags } from "../command.js";
import { boolFlag, emit, stringFlag } from "../flags.js";
import { configFlags, flagSpecs, optionsFromFlags } from "../schema-flags.js";

const SIMULATE_FLAGS = configFlags(simulateOptionsSchema);
const LAX_FLAGS = configFlags(laxOptionsSchema);
const SCNN_FLAGS = configFlags(scnnOptionsSchema);
const PERTURBATION_FLAGS = configFlags(perturbationOptionsSchema);

const outFlag = (kind: string): FlagSpec => ({
  type: "string",
  description: "run directory",
  default: `runs/integrability-${kind}-<time>`,
});
const QUIET: FlagSpec = { type: "boolean", description: "no progress on stderr" };

const defaultOut = (kind: string) =>
  `runs/integrability-${kind}-${new Date().toISOString().replace(/[:.]/g, "-")}`;
const fmt = (v: number) => v.toExponential(3);

const log = (io: CommandIO, flags: RawFlags) => (s: string) => {
  if (!boolFlag(flags, "quiet")) io.stderr(`${s}\n`);
};

const simulateCommand: Command = {
  path: ["integrability", "simulate"],
  summary: "integrate a Hamiltonian system or a 1+1D field theory and write the trajectories as .npy",
  options: simulateOptionsSchema,
  flags: { ...flagSpecs(SIMULATE_FLAGS), out: outFlag("simulate") },
  examples: [
    "physml integrability simulate --system toda --trajectories 8 --time 20",
    "physml integrability simulate --system kdv --time 3 --json",
  ],
  async run(flags, io) {
    const r = runSimulation(optionsFromFlags(simulateOptionsSchema, SIMULATE_FLAGS, flags));
    const dir = await createRunDir(stringFlag(flags, "out") ?? defaultOut("simulate"), "simulate", true);
    for (const a of r.arrays) await dir.npy(`${a.name}.npy`, a.data, a.shape);
    const result = {
      system: r.system,
      h: r.h,
      steps: r.steps,
      drift: r.drift,
      arrays: Object.fromEntries(r.arrays.map((a) => [a.name, a.shape])),
      out: dir.path,
    };
    await dir.json("result.json", result);
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        `${r.system}: ${r.steps} steps of h = ${r.h}; arrays in ${dir.path}`,
        ...r.arrays.map((a) => `  ${a.name}.npy  [${a.shape.join(", ")}]`),
        ...Object.entries(r.drift).map(([k, v]) => `  relative drift of ${k}: ${fmt(v)}`),
      ].join("\n"),
    );
  },
};

const laxCommand: Command = {
  path: ["integrability", "lax"],
  summary: "learn a Lax pair L(x), M(x) from the equations of motion (arXiv 2103.07475) and check it",
  options: laxOptionsSchema,
  flags: { ...flagSpecs(LAX_FLAGS), out: outFlag("lax"), quiet: QUIET },
  examples: [
    "physml integrability lax --system ho --json",
    "physml integrability lax --system ho2d --perturbation h1 --epsilon 0.1",
  ],
  async run(flags, io) {
    const config = optionsFromFlags(laxOptionsSchema, LAX_FLAGS, flags);
    const { system } = config;
    const say = log(io, flags);
    const dir = await createRunDir(stringFlag(flags, "out") ?? defaultOut("lax"), "lax", true);
    await dir.json("config.json", config);
    const r = learnLax({
      ...config,
      onMetrics: (m) => say(`step ${m.step}: loss ${fmt(m.total)} (𝓛_Lax ${fmt(m.lax)})`),
    });
    const conserved = r.conserved;
    if (!conserved || !r.formulas) throw new Error("learnLax returned no evaluation");
    const formulas = {
      L: r.formulas.L.map((row) => row.map((f) => ({ formula: f.formula, r2: f.r2 }))),
      M: r.formulas.M.map((row) => row.map((f) => ({ formula: f.formula, r2: f.r2 }))),
    };
    const result = {
      system,
      size: r.model.size,
      hidden: r.hidden,
      rungs: r.rungs.map((g) => ({ hidden: g.hidden, laxResidual: g.laxResidual })),
      loss: r.final,
      laxResidual: r.laxResidual,
      conservedVariation: conserved.variation,
      conservedVariationVsPhaseSpace: conserved.variationVsPhaseSpace,
      trL2VsH: conserved.trL2VsH,
      formulas,
      out: dir.path,
    };
    await dir.json("metrics.json", { history: r.history, ...result });
    await dir.checkpoint(r.state.params, { step: r.state.step, config });
    await dir.npy("conserved.npy", Float64Array.from(conserved.series.flat()), [
      conserved.series.length,
      conserved.times.length,
    ]);
    await dir.text("report.md", report(system, result, conserved.times.length));
    // the report's plots: the loss terms over training, tr Lᵏ along the first held-out trajectory
    await dir.text(
      "loss.svg",
      await renderSvg(
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
      ),
    );
    await dir.text(
      "conserved.svg",
      await renderSvg(
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
      ),
    );
    emit(io, boolFlag(flags, "json"), result, () => report(system, result, conserved.times.length));
  },
};

function report(
  system: string,
  r: {
    size: number;
    hidden: number[];
    laxResidual: number;
    conservedVariation: number[];
    trL2VsH: number;
    formulas: { L: { formula: string; r2: number }[][]; M: { formula: string; r2: number }[][] };
    loss: { total: number; lax: number };
  },
  points: number,
): string {
  const mat = (A: { formula: string; r2: number }[][]) =>
    A.map((row, i) =>
      row.map((f, j) => `  [${i + 1},${j + 1}] ${f.formula}   (R² ${f.r2.toFixed(4)})`).join("\n"),
    ).join("\n");
  return [
    `Lax pair for ${system} (${r.size}×${r.size}, ${r.hidden.length === 0 ? "affine networks" : `tanh MLPs [${r.hidden.join(", ")}] with a linear path`}); final loss ${fmt(r.loss.total)}, 𝓛_Lax ${fmt(r.loss.lax)}`,
    `held-out |L̇ − [L, M]| / |L̇| = ${fmt(r.laxResidual)}`,
    `relative variation of tr Lᵏ along held-out trajectories (${points} points each): ${r.conservedVariation.map((v, k) => `k=${k + 1}: ${fmt(v)}`).join(", ")}`,
    `tr L² vs H: R² = ${r.trL2VsH.toFixed(6)}`,
    "L entries:",
    mat(r.formulas.L),
    "M entries:",
    mat(r.formulas.M),
  ].join("\n");
}

const scnnCommand: Command = {
  path: ["integrability", "scnn"],
  summary:
    "two-body trajectory prediction: baseline MLP vs HNN vs symmetry-control network (arXiv 2104.14444)",
  options: scnnOptionsSchema,
  flags: { ...flagSpecs(SCNN_FLAGS), out: outFlag("scnn"), quiet: QUIET },
  examples: ["physml integrability scnn --system two-body --json"],
  async run(flags, io) {
    const { system: _system, ...given } = optionsFromFlags(scnnOptionsSchema, SCNN_FLAGS, flags);
    const say = log(io, flags);
    // The rest of the comparison's budget is fixed: held-out orbits, their length, the networks.
    const config = { ...given, testOrbits: 8, time: 6, lr: 3e-3, hidden: [64, 64], poissonWeight: 1 };
    const dir = await createRunDir(stringFlag(flags, "out") ?? defaultOut("scnn"), "scnn", true);
    await dir.json("config.json", config);
    const r = compareTwoBody({
      ...config,
      onLoss: (m, s, l) => s % 100 === 0 && say(`${m} step ${s}: loss ${fmt(l)}`),
    });
    const models = { baseline: r.baseline, hnn: r.hnn, scnn: r.scnn };
    const result = {
      system: "two-body",
      energyMse: { baseline: r.baseline.energyMse, hnn: r.hnn.energyMse, scnn: r.scnn.energyMse },
      stateMse: { baseline: r.baseline.stateMse, hnn: r.hnn.stateMse, scnn: r.scnn.stateMse },
      loss: { baseline: r.baseline.finalLoss, hnn: r.hnn.finalLoss, scnn: r.scnn.finalLoss },
      poissonLoss: r.scnn.poissonLoss,
      momentumVariation: r.scnn.momentumVariation,
      formulas: r.scnn.momentumFormulas.map((f) => ({ formula: f.formula, r2: f.r2 })),
      out: dir.path,
    };
    await dir.json("metrics.json", result);
    await dir.checkpoint(r.scnnParams, { config });
    emit(io, boolFlag(flags, "json"), result, () =>
      [
        "two-body, held-out orbits: energy MSE / state MSE",
        ...Object.entries(models).map(
          ([k, v]) => `  ${k.padEnd(9)} ${fmt(v.energyMse)} / ${fmt(v.stateMse)}`,
        ),
        `SCNN Poisson-bracket loss ${fmt(r.scnn.poissonLoss)}; conserved momenta (cyclic P_i):`,
        ...r.scnn.momentumFormulas.map(
          (f, i) =>
            `  P${i + 1} ≈ ${f.formula}  (R² ${f.r2.toFixed(4)}, variation ${fmt(r.scnn.momentumVariation[i])})`,
        ),
      ].join("\n"),
    );
  },
};

/** The issue's two strengths of the perturbation. */
const EPSILONS = [0.1, 0.3];

const perturbationCommand: Command = {
  path: ["integrability", "perturbation"],
  summary:
    "integrability test by perturbation: from the 2D oscillator's learned pair, train on H₀ + ε q_x q_y (integrable) and H₀ + ε q_x² q_y² (not); table and plot of the final Lax losses",
  options: perturbationOptionsSchema,
  flags: { ...flagSpecs(PERTURBATION_FLAGS), out: outFlag("perturbation"), quiet: QUIET },
  examples: ["physml integrability perturbation --seeds 3 --json"],
  async run(flags, io) {
    const config = optionsFromFlags(perturbationOptionsSchema, PERTURBATION_FLAGS, flags);
    const say = log(io, flags);
    const dir = await createRunDir(
      stringFlag(flags, "out") ?? defaultOut("perturbation"),
      "perturbation",
      true,
    );
    await dir.json("config.json", { ...config, epsilons: EPSILONS });
    const rows = perturbationTest({
      ...config,
      seeds: Array.from({ length: config.seeds }, (_, i) => i),
      epsilons: EPSILONS,
      onRow: (r) => say(`ε = ${r.epsilon}, seed ${r.seed}: ratio ${r.ratio.toFixed(2)}`),
    });
    const minRatio = Math.min(...rows.map((r) => r.ratio));
    const result = { rows, minRatio, separated: minRatio >= 10, out: dir.path };
    await dir.json("metrics.json", result);
    const table = [
      "| ε | seed | 𝓛_Lax on H₀ + H₂ (integrable) | 𝓛_Lax on H₀ + H₁ (not integrable) | ratio |",
      "|---|---|---|---|---|",
      ...rows.map(
        (r) =>
          `| ${r.epsilon} | ${r.seed} | ${fmt(r.integrable)} | ${fmt(r.nonIntegrable)} | ${r.ratio.toFixed(2)} |`,
      ),
    ];
    const verdict = `smallest ratio ${minRatio.toFixed(2)}: ${minRatio >= 10 ? "separated (≥ 10× on every row)" : "NOT separated by 10× on every row"}`;
    await dir.text(
      "report.md",
      [...table, "", verdict, "", "![final Lax losses](losses.svg)", ""].join("\n"),
    );
    await dir.text(
      "losses.svg",
      await renderSvg(
        barChart({
          title: "final 𝓛_Lax after fine-tuning from the oscillator's pair",
          xTitle: "ε, seed",
          yTitle: "final 𝓛_Lax (log₁₀)",
          bars: rows.flatMap((r) => [
            {
              label: `ε=${r.epsilon} s${r.seed} H₂`,
              value: Math.log10(r.integrable),
              group: "H₀ + H₂ (integrable)",
            },
            {
              label: `ε=${r.epsilon} s${r.seed} H₁`,
              value: Math.log10(r.nonIntegrable),
              group: "H₀ + H₁ (not integrable)",
            },
          ]),
          groups: [
            { name: "H₀ + H₂ (integrable)", color: "#4477aa" },
            { name: "H₀ + H₁ (not integrable)", color: "#cc3311" },
          ],
        }),
      ),
    );
    emit(io, boolFlag(flags, "json"), result, () => [...table, verdict].join("\n"));
  },
};

/** The `integrability` subcommands. */
export const INTEGRABILITY_COMMANDS: Command[] = [
  simulateCommand,
  laxCommand,
  perturbationCommand,
  scnnCommand,
];
