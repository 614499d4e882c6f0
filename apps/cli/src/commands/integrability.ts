// `physml integrability simulate|lax|scnn`: thin translation of flags into @physml/integrability
// calls; progress on stderr, results in a run directory, --json prints the result on stdout.
import {
  compareTwoBody,
  createRunDir,
  INTEGRATORS,
  type IntegratorName,
  LAX_SYSTEMS,
  type LaxSystemName,
  learnLax,
  runSimulation,
  SIMULATE_SYSTEMS,
  type SimulateSystemName,
} from "@physml/integrability";
import type { Command, CommandIO, RawFlags } from "../command.js";
import { boolFlag, choiceFlag, emit, FlagError, intFlag, numberFlag, stringFlag } from "../flags.js";

const defaultOut = (kind: string) =>
  `runs/integrability-${kind}-${new Date().toISOString().replace(/[:.]/g, "-")}`;
const fmt = (v: number) => v.toExponential(3);

function perturbation(flags: RawFlags, system: string) {
  const kind = stringFlag(flags, "perturbation");
  if (kind === undefined) return undefined;
  if (system !== "ho2d") throw new FlagError("perturbation", "only with --system ho2d", kind);
  const k = choiceFlag(flags, "perturbation", "h1", ["h1", "h2"] as const);
  return { kind: k, epsilon: numberFlag(flags, "epsilon", 0.1, -0.99, 0.99) };
}

const log = (io: CommandIO, flags: RawFlags) => (s: string) => {
  if (!boolFlag(flags, "quiet")) io.stderr(`${s}\n`);
};

const simulateCommand: Command = {
  path: ["integrability", "simulate"],
  summary: "integrate a Hamiltonian system or a 1+1D field theory and write the trajectories as .npy",
  flags: {
    system: { type: "string", description: SIMULATE_SYSTEMS.join("|") },
    perturbation: { type: "string", description: "h1|h2 (ho2d only): ε q_x² q_y² or ε q_x q_y" },
    epsilon: { type: "string", description: "perturbation strength in [-0.99, 0.99]", default: "0.1" },
    integrator: { type: "string", description: INTEGRATORS.join("|"), default: "yoshida4" },
    trajectories: {
      type: "string",
      description: "ODE systems: trajectories, integer in [1, 4096]",
      default: "16",
    },
    time: { type: "string", description: "total time in (0, 1e4]", default: "10" },
    h: { type: "string", description: "time step in (0, 1] (default per system)" },
    seed: { type: "string", description: "seed of the initial states", default: "0" },
    out: { type: "string", description: "run directory", default: "runs/integrability-simulate-<time>" },
  },
  examples: [
    "physml integrability simulate --system toda --trajectories 8 --time 20",
    "physml integrability simulate --system kdv --time 3 --json",
  ],
  async run(flags, io) {
    if (flags.system === undefined) throw new FlagError("system", SIMULATE_SYSTEMS.join("|"), undefined);
    const system = choiceFlag<SimulateSystemName>(flags, "system", "ho", SIMULATE_SYSTEMS);
    const hRaw = flags.h === undefined ? undefined : numberFlag(flags, "h", 0, 1e-9, 1);
    const r = runSimulation({
      system,
      perturbation: perturbation(flags, system),
      trajectories: intFlag(flags, "trajectories", 16, 1, 4096),
      time: numberFlag(flags, "time", 10, 1e-9, 1e4),
      h: hRaw,
      integrator:
        flags.integrator === undefined
          ? undefined
          : choiceFlag<IntegratorName>(flags, "integrator", "yoshida4", INTEGRATORS),
      seed: intFlag(flags, "seed", 0, 0),
    });
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
  flags: {
    system: { type: "string", description: LAX_SYSTEMS.join("|") },
    perturbation: { type: "string", description: "h1|h2 (ho2d only)" },
    epsilon: { type: "string", description: "perturbation strength in [-0.99, 0.99]", default: "0.1" },
    size: { type: "string", description: "matrix size n, integer in [2, 8] (default per system)" },
    steps: { type: "string", description: "Adam steps, integer in [0, 100000]", default: "800" },
    lbfgs: {
      type: "string",
      description: "L-BFGS iterations after Adam, integer in [0, 10000]",
      default: "300",
    },
    samples: { type: "string", description: "training states, integer in [16, 65536]", default: "256" },
    seed: { type: "string", description: "seed", default: "0" },
    out: { type: "string", description: "run directory", default: "runs/integrability-lax-<time>" },
    quiet: { type: "boolean", description: "no progress on stderr" },
  },
  examples: [
    "physml integrability lax --system ho --json",
    "physml integrability lax --system ho2d --perturbation h1 --epsilon 0.1",
  ],
  async run(flags, io) {
    if (flags.system === undefined) throw new FlagError("system", LAX_SYSTEMS.join("|"), undefined);
    const system = choiceFlag<LaxSystemName>(flags, "system", "ho", LAX_SYSTEMS);
    const config = {
      system,
      perturbation: perturbation(flags, system),
      size: flags.size === undefined ? undefined : intFlag(flags, "size", 2, 2, 8),
      adamSteps: intFlag(flags, "steps", 800, 0, 100000),
      lbfgsIter: intFlag(flags, "lbfgs", 300, 0, 10000),
      samples: intFlag(flags, "samples", 256, 16, 65536),
      seed: intFlag(flags, "seed", 0, 0),
    };
    const say = log(io, flags);
    const dir = await createRunDir(stringFlag(flags, "out") ?? defaultOut("lax"), "lax", true);
    await dir.json("config.json", config);
    const r = learnLax({
      ...config,
      onMetrics: (m) => say(`step ${m.step}: loss ${fmt(m.total)} (𝓛_Lax ${fmt(m.lax)})`),
    });
    const conserved = r.conserved;
    if (!conserved || r.laxResidual === undefined || !r.formulas)
      throw new Error("learnLax returned no evaluation");
    const formulas = {
      L: r.formulas.L.map((row) => row.map((f) => ({ formula: f.formula, r2: f.r2 }))),
      M: r.formulas.M.map((row) => row.map((f) => ({ formula: f.formula, r2: f.r2 }))),
    };
    const result = {
      system,
      size: r.model.size,
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
    emit(io, boolFlag(flags, "json"), result, () => report(system, result, conserved.times.length));
  },
};

function report(
  system: string,
  r: {
    size: number;
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
    `Lax pair for ${system} (${r.size}×${r.size}); final loss ${fmt(r.loss.total)}, 𝓛_Lax ${fmt(r.loss.lax)}`,
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
  flags: {
    system: { type: "string", description: "two-body", default: "two-body" },
    steps: { type: "string", description: "Adam steps per model, integer in [1, 100000]", default: "600" },
    orbits: { type: "string", description: "training orbits, integer in [1, 1024]", default: "32" },
    cyclic: {
      type: "string",
      description: "cyclic coordinates of the SCNN, integer in [0, 3]",
      default: "3",
    },
    seed: { type: "string", description: "seed", default: "0" },
    out: { type: "string", description: "run directory", default: "runs/integrability-scnn-<time>" },
    quiet: { type: "boolean", description: "no progress on stderr" },
  },
  examples: ["physml integrability scnn --system two-body --json"],
  async run(flags, io) {
    choiceFlag(flags, "system", "two-body", ["two-body"] as const);
    const say = log(io, flags);
    const config = {
      trainOrbits: intFlag(flags, "orbits", 32, 1, 1024),
      testOrbits: 8,
      time: 6,
      steps: intFlag(flags, "steps", 600, 1, 100000),
      lr: 3e-3,
      hidden: [64, 64],
      cyclic: intFlag(flags, "cyclic", 3, 0, 3),
      poissonWeight: 1,
      seed: intFlag(flags, "seed", 0, 0),
    };
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

/** The `integrability` subcommands. */
export const INTEGRABILITY_COMMANDS: Command[] = [simulateCommand, laxCommand, scnnCommand];
