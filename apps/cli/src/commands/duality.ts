// physml duality kw | sweep: learn the Kramers–Wannier dual from correlators (thin wrapper
// over @physml/duality-learner; progress on stderr, --json prints the result on stdout).
import { readFileSync } from "node:fs";
import {
  type DualityConfigInput,
  type DualityResult,
  parseBetas,
  progressBar,
  resolveConfig,
  runDuality,
  runSweep,
} from "@physml/duality-learner";
import type { Command, CommandIO, FlagSpec, RawFlags } from "../command.js";
import { backendFromEnvironment } from "../env.js";
import { boolFlag, choiceFlag, emit, FlagError, intFlag, numberFlag, stringFlag } from "../flags.js";

// Help defaults come from the learner's own configuration, so the two cannot drift apart.
const D = resolveConfig({ beta: 0.3 });

const SHARED: Record<string, FlagSpec> = {
  L: { type: "string", description: "lattice side (even)", default: String(D.L) },
  seed: { type: "string", description: "random seed", default: String(D.seed) },
  out: { type: "string", description: "run directory", default: "runs/duality-<time>" },
  resume: { type: "boolean", description: "continue the run in --out from its checkpoint" },
  backend: { type: "string", description: "auto | cpu | webgpu (default PHYSML_BACKEND, else auto)" },
  steps: {
    type: "string",
    description: "training steps after exploration",
    default: String(D.optimizer.steps),
  },
  "explore-steps": {
    type: "string",
    description: "exploration steps (0: start from t0 = 0.5 only)",
    default: String(D.explore.steps),
  },
  chains: { type: "string", description: "persistent candidate chains", default: String(D.candidate.chains) },
  observable: { type: "string", description: "attention | mlp", default: D.observable.kind },
  mode: {
    type: "string",
    description: "exact | gumbel: attention training (gumbel = the published scheme)",
    default: D.observable.mode,
  },
  window: {
    type: "string",
    description: "1 (7 candidate links) | 2 (23)",
    default: String(D.observable.window),
  },
  shapes: {
    type: "string",
    description: "extended | standard | comma-separated shape names",
    default: String(D.shapes),
  },
  sign: {
    type: "string",
    description: "any | ferro | antiferro: which symmetric image to find",
    default: D.sign,
  },
  precondition: {
    type: "string",
    description: "none (Adam) | natural | gauss-newton",
    default: D.optimizer.precondition,
  },
  hard: { type: "boolean", description: "straight-through hard attention" },
  config: {
    type: "string",
    description: "JSON file with a full or partial configuration (flags override it)",
  },
  quiet: { type: "boolean", description: "no progress bar" },
};

function baseConfig(flags: RawFlags): Omit<DualityConfigInput, "beta"> {
  const file = stringFlag(flags, "config");
  const fromFile = file ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
  const c = { ...fromFile } as Record<string, unknown> & {
    candidate?: Record<string, unknown>;
    observable?: Record<string, unknown>;
    optimizer?: Record<string, unknown>;
  };
  const set = (obj: "candidate" | "observable" | "optimizer", key: string, v: unknown) => {
    c[obj] = { ...(c[obj] ?? {}), [key]: v };
  };
  if (flags.L !== undefined) c.L = intFlag(flags, "L", D.L, 4, 512);
  if (flags.seed !== undefined) c.seed = intFlag(flags, "seed", D.seed, 0);
  const fromEnv = backendFromEnvironment();
  if (flags.backend !== undefined)
    c.backend = choiceFlag(flags, "backend", "auto", ["auto", "cpu", "webgpu"]);
  else if (fromEnv !== undefined) c.backend = fromEnv;
  if (flags.steps !== undefined) set("optimizer", "steps", intFlag(flags, "steps", D.optimizer.steps, 1));
  if (flags.chains !== undefined) set("candidate", "chains", intFlag(flags, "chains", D.candidate.chains, 4));
  if (flags.observable !== undefined)
    set("observable", "kind", choiceFlag(flags, "observable", D.observable.kind, ["attention", "mlp"]));
  if (flags.mode !== undefined)
    set("observable", "mode", choiceFlag(flags, "mode", D.observable.mode, ["exact", "gumbel"]));
  if (flags["explore-steps"] !== undefined) {
    c.explore = {
      ...((c.explore as object) ?? {}),
      steps: intFlag(flags, "explore-steps", D.explore.steps, 0),
    };
  }
  if (flags.window !== undefined)
    set(
      "observable",
      "window",
      Number(choiceFlag(flags, "window", String(D.observable.window) as "1" | "2", ["1", "2"])),
    );
  if (flags.hard) set("observable", "hard", true);
  if (flags.shapes !== undefined) {
    const s = stringFlag(flags, "shapes") as string;
    c.shapes = s === "extended" || s === "standard" ? s : s.split(",").map((x) => x.trim());
  }
  if (flags.sign !== undefined) c.sign = choiceFlag(flags, "sign", D.sign, ["any", "ferro", "antiferro"]);
  if (flags.precondition !== undefined) {
    set(
      "optimizer",
      "precondition",
      choiceFlag(flags, "precondition", D.optimizer.precondition, ["none", "natural", "gauss-newton"]),
    );
  }
  return c as Omit<DualityConfigInput, "beta">;
}

function defaultOut(kind: string): string {
  return `runs/${kind}-${new Date().toISOString().replace(/[:.]/g, "-")}`;
}

function hooks(io: CommandIO, flags: RawFlags, label?: () => string) {
  const quiet = boolFlag(flags, "quiet");
  const tty = Boolean(process.stderr.isTTY);
  const bar = progressBar(io.stderr, tty);
  return {
    bar,
    hooks: {
      log: (m: string) => {
        if (!quiet) io.stderr(`${m}\n`);
      },
      onStep: (m: { step: number; loss: number; t: number[] }, total: number) => {
        if (quiet) return;
        bar.update({ step: m.step + 1, total, loss: m.loss, t0: m.t[0], label: label?.() });
        if (m.step + 1 === total) bar.done();
      },
    },
  };
}

/** "± 0.00123", or "± n/a (1 training step) …" when the run could not compute an error bar. */
function plusMinus(error: number | undefined, unavailable: string | undefined, digits: number): string {
  return error !== undefined ? `± ${error.toFixed(digits)}` : `± ${unavailable ?? "n/a"}`;
}

/**
 * The warning for a result that failed its own validation (stderr), in words: the number printed
 * is not a trustworthy dual coupling, and why.
 */
function validationWarning(r: DualityResult): string {
  return [
    `warning: β = ${r.beta}, L = ${r.L}, seed ${r.seed}: the learned dual coupling t0 = ${r.t0.toFixed(5)} FAILED the learner's own check and should not be trusted:`,
    ...r.validation.reasons.map((m) => `  - ${m}`),
    ...(r.failedAttempts.length > 0
      ? [
          `  (training was restarted from another exploration start ${r.failedAttempts.length} time(s); it failed every time)`,
        ]
      : []),
    "  Try more steps (--steps), more chains (--chains) or another --seed. Exit code 3.",
  ].join("\n");
}

function human(r: DualityResult, out: string): string {
  const e = r.exact;
  const v = r.validation;
  const lines = [
    `β = ${r.beta}, L = ${r.L}: learned t0 = ${r.t0.toFixed(5)} ${plusMinus(r.t0Error, r.t0ErrorUnavailable, 5)} (${r.image} image)`,
    e
      ? `exact β̃ = ${e.dualBeta.toFixed(5)}  →  relative error ${(100 * (r.relativeError as number)).toFixed(2)} %`
      : "no exact dual coupling (plaquette coupling ≠ 0)",
    `head θ2 = ${r.theta2.toFixed(4)}, θ3 = ${r.theta3.toFixed(4)}${
      e
        ? `  (exact ${(r.image === "antiferro" ? 1 : -1) * Math.sinh(2 * e.dualBeta) > 0 ? "+" : ""}${((r.image === "antiferro" ? 1 : -1) * Math.sinh(2 * e.dualBeta)).toFixed(4)}, ${e.theta3.toFixed(4)})`
        : ""
    }`,
    `chosen link: ${r.attention.chosen.name} (${r.attention.chosen.kind}, weight ${r.attention.chosen.weight.toFixed(3)}, entropy ${r.attention.entropy.toFixed(3)} nats)`,
    `validation: ${v.passed ? "passed" : "FAILED"} — fresh samples of the learned model give χ²/dof = ${v.chi2PerDof.toPrecision(3)} over ${v.dof} correlators (limit ${v.limits.maxChi2PerDof}), worst pull ${v.maxPull.toPrecision(3)}σ (limit ${v.limits.maxPull}σ)`,
    `${r.steps} steps in ${(r.wallTimeMs / 1000).toFixed(1)} s on ${r.backend}; run directory ${out} (report.html)`,
  ];
  return lines.join("\n");
}

const kw: Command = {
  path: ["duality", "kw"],
  summary: "learn the Kramers–Wannier dual at one β from correlators",
  flags: {
    beta: { type: "string", description: "coupling β of the original model", default: "0.3" },
    plaquette: { type: "string", description: "plaquette coupling κ of the original model", default: "0" },
    ...SHARED,
  },
  examples: [
    "physml duality kw --beta 0.3 --L 16",
    "physml duality kw --beta 0.7 --L 32 --out runs/kw-ordered --json",
  ],
  async run(flags, io) {
    const beta = numberFlag(flags, "beta", 0.3, 0.01, 3);
    const plaquette = numberFlag(flags, "plaquette", 0, -2, 2);
    const out = stringFlag(flags, "out") ?? defaultOut("duality");
    const cfg = { ...baseConfig(flags), beta, plaquette } as DualityConfigInput;
    resolveConfig(cfg); // validate before any work
    const { hooks: h } = hooks(io, flags);
    const r = await runDuality(cfg, { out, resume: boolFlag(flags, "resume"), hooks: h });
    emit(io, boolFlag(flags, "json"), r, () => human(r, out));
    if (r.validation.passed) return 0;
    io.stderr(`${validationWarning(r)}\n`);
    return 3;
  },
};

const sweep: Command = {
  path: ["duality", "sweep"],
  summary: "learn the dual over a range of β and plot t0(β) against the exact curve",
  flags: {
    betas: { type: "string", description: "lo:hi:step or a comma-separated list", default: "0.1:0.8:0.05" },
    ...SHARED,
  },
  examples: ["physml duality sweep --betas 0.1:0.8:0.05 --L 16 --out runs/sweep"],
  async run(flags, io) {
    const spec = stringFlag(flags, "betas") ?? "0.1:0.8:0.05";
    let betas: number[];
    try {
      betas = parseBetas(spec);
    } catch {
      throw new FlagError("betas", "lo:hi:step with 0 < lo ≤ hi, step > 0, or a list of β > 0", spec);
    }
    const out = stringFlag(flags, "out") ?? defaultOut("sweep");
    const base = baseConfig(flags);
    for (const beta of betas) resolveConfig({ ...base, beta } as DualityConfigInput);
    let label = "";
    const { hooks: h } = hooks(io, flags, () => label);
    const r = await runSweep(betas, base, {
      out,
      resume: boolFlag(flags, "resume"),
      hooks: h,
      onRun: (beta, k, n) => {
        label = `β=${beta.toFixed(3)} (${k + 1}/${n})`;
      },
    });
    emit(io, boolFlag(flags, "json"), r, () =>
      [
        "β       learned |t0|   exact β̃    error     validation",
        ...r.rows.map(
          (row) =>
            `${row.beta.toFixed(3)}   ${Math.abs(row.t0).toFixed(4)} ${plusMinus(row.t0Error, undefined, 4)}   ${
              row.exact === null ? "—" : row.exact.toFixed(4)
            }   ${row.relativeError === null ? "—" : `${(100 * row.relativeError).toFixed(2)} %`}   ${
              row.validated ? "passed" : "FAILED (not trustworthy)"
            }`,
        ),
        `${betas.length} runs in ${(r.wallTimeMs / 1000).toFixed(1)} s; report ${out}/report.html`,
      ].join("\n"),
    );
    const failed = r.rows.filter((row) => !row.validated);
    if (failed.length === 0) return 0;
    io.stderr(
      `warning: ${failed.length} of ${r.rows.length} points FAILED the learner's own check; their t0 should not be trusted:\n${failed
        .map((row) => `  β = ${row.beta}: ${row.validationReasons.join("; ")}`)
        .join("\n")}\nExit code 3.\n`,
    );
    return 3;
  },
};

/** The duality subcommands. */
export const DUALITY_COMMANDS: Command[] = [kw, sweep];
