// physml duality kw | sweep: learn the Kramers–Wannier dual from correlators (thin wrapper
// over @physml/duality-learner; progress on stderr, --json prints the result on stdout).

import { readFileSync } from "node:fs";
import {
  type DualityConfigInput,
  type DualityResult,
  dualityConfigSchema,
  gridPoints,
  MAX_SWEEP_POINTS,
  parseBetas,
  parseNnns,
  parsePlaquettes,
  resolveConfig,
  runDuality,
  runSweep,
  type SweepRow,
} from "@physml/duality-learner";
import { backendFromEnvIfSet } from "@physml/gpu-device";
import { plural } from "@physml/lattice-core";
import { workersOption } from "@physml/mcmc-gpu";
import { createProgress } from "@physml/runs";
import { z } from "zod";
import type { CommandBody, CommandIO, FlagSpec, RawFlags } from "../command.js";
import { failedCheck } from "../failed-check.js";
import { boolFlag, emit, FlagError, stringFlag } from "../flags.js";
import { defaultRunDir, runFlags } from "../run-flags.js";
import { configFlags, flagError, flagSpecs, inputFromFlags, optionsFromFlags } from "../schema-flags.js";

// Every learner flag (range, default, rule, help text) comes from the learner's zod schema.
const CONFIG_FLAGS = configFlags(dualityConfigSchema);

// The CPU threads are a setting of this process, not of the run's stored configuration: the
// results do not depend on them, and a resumed run may use others.
const PROCESS_OPTIONS = z.object({ workers: workersOption });
const PROCESS_FLAGS = configFlags(PROCESS_OPTIONS);
const workersOf = (flags: RawFlags) => optionsFromFlags(PROCESS_OPTIONS, PROCESS_FLAGS, flags).workers;

/** The run flags of a command whose default run directory is `runs/<kind>-<time>`. */
const runFlagsOf = (kind: string): Record<string, FlagSpec> => ({ out: runFlags(kind).out, ...RUN_FLAGS });

const RUN_FLAGS: Record<string, FlagSpec> = {
  resume: {
    type: "boolean",
    description:
      "continue the run in --out (flags given must match its config; a finished run reports its result)",
  },
  force: {
    type: "boolean",
    description: "archive the run already in --out (to <out>.archived-<time>) and start anew",
  },
  config: {
    type: "string",
    description: "JSON file with a full or partial configuration (flags given override it; defaults do not)",
  },
  quiet: { type: "boolean", description: "no progress bar and no log lines on stderr" },
};

/** The --config file: a JSON object, or a one-line error naming the flag. */
function readConfigFile(flags: RawFlags): Record<string, unknown> {
  const file = stringFlag(flags, "config");
  if (file === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new FlagError("config", "a readable JSON file", file, why);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new FlagError(
      "config",
      "a JSON object",
      file,
      v === null ? "null" : Array.isArray(v) ? "an array" : typeof v,
    );
  }
  return v as Record<string, unknown>;
}

/** The configuration the user gave: --config file, then the flags given (defaults only for a new run). */
function givenConfig(flags: RawFlags, omit: readonly string[] = []): Record<string, unknown> {
  const used = CONFIG_FLAGS.filter((f) => !omit.includes(f.name));
  return inputFromFlags(used, flags, readConfigFile(flags), !boolFlag(flags, "resume"));
}

/** Runs `f`, restating configuration errors for the flag (or --config file) that caused them. */
async function namingFlags<T>(
  flags: RawFlags,
  f: () => Promise<T>,
  rename?: Record<string, string>,
): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw flagError(e, CONFIG_FLAGS, flags, stringFlag(flags, "config"), rename);
  }
}

function hooks(io: CommandIO, flags: RawFlags, label?: () => string) {
  const bar = createProgress({ quiet: boolFlag(flags, "quiet"), write: io.stderr, label });
  return {
    bar,
    hooks: {
      log: (m: string) => bar.log(m),
      onStep: (m: { step: number; loss: number; t: number[] }, total: number) => {
        bar.update(m.step + 1, total, { loss: m.loss.toExponential(2), t0: m.t[0].toFixed(4) });
        if (m.step + 1 === total) bar.stop();
      },
    },
  };
}

/** "± 0.00123", or "± n/a (1 training step) …" when the run could not compute an error bar. */
function plusMinus(error: number | undefined, unavailable: string | undefined, digits: number): string {
  return error !== undefined ? `± ${error.toFixed(digits)}` : `± ${unavailable ?? "n/a"}`;
}

/**
 * The warning for a result that failed its own validation (stderr, exit code 3): the number
 * printed is not a trustworthy dual coupling, why, and what to try.
 */
function failedValidation(io: CommandIO, r: DualityResult): 3 {
  return failedCheck(
    io,
    `the learned dual coupling t0 = ${r.t0.toFixed(5)} (β = ${r.beta}, L = ${r.L}, seed ${r.seed})`,
    [
      ...r.validation.failures,
      ...(r.failedAttempts.length > 0
        ? [
            `training was restarted from another exploration start ${plural(r.failedAttempts.length, "time")} and failed every time`,
          ]
        : []),
    ],
    "try more steps (--steps), more chains (--chains) or another --seed",
  );
}

/** The learner configuration from the flags, with PHYSML_BACKEND (checked) when --backend is absent. */
function withBackendFromEnvironment(flags: RawFlags, cfg: Record<string, unknown>): Record<string, unknown> {
  const fromEnv = backendFromEnvIfSet();
  return flags.backend === undefined && fromEnv !== undefined ? { ...cfg, backend: fromEnv } : cfg;
}

function human(r: DualityResult, out: string): string {
  const e = r.exact;
  const v = r.validation;
  const lines = [
    `β = ${r.beta}, L = ${r.L}: learned t0 = ${r.t0.toFixed(5)} ${plusMinus(r.t0Error, r.t0ErrorUnavailable, 5)} (${r.image} image)`,
    e
      ? `exact β̃ = ${e.dualBeta.toFixed(5)}  →  relative error ${(100 * (r.relativeError as number)).toFixed(2)} %`
      : (r.exactUnavailable ?? "no exact dual coupling"),
    ...r.dualTerms
      .filter((name) => name !== "nn")
      .map(
        (name) =>
          `also learned: ${name} coupling ${r.learned[name].toFixed(5)} ${plusMinus(r.learnedError[name], r.t0ErrorUnavailable, 5)}`,
      ),
    `head θ2 = ${r.theta2.toFixed(4)}, θ3 = ${r.theta3.toFixed(4)}${
      e
        ? `  (exact ${(r.image === "antiferro" ? 1 : -1) * Math.sinh(2 * e.dualBeta) > 0 ? "+" : ""}${((r.image === "antiferro" ? 1 : -1) * Math.sinh(2 * e.dualBeta)).toFixed(4)}, ${e.theta3.toFixed(4)})`
        : ""
    }`,
    `chosen link: ${r.attention.chosen.name} (${r.attention.chosen.kind}, weight ${r.attention.chosen.weight.toFixed(3)}, entropy ${r.attention.entropy.toFixed(3)} nats)`,
    `validation: ${v.passed ? "passed" : "FAILED"} — fresh samples of the learned model give χ²/dof = ${v.chi2PerDof.toPrecision(3)} over ${v.dof} correlators (limit ${v.targets.maxChi2PerDof}), worst pull ${v.maxPull.toPrecision(3)}σ (limit ${v.targets.maxPull}σ)`,
    `${plural(r.steps, "step")} in ${r.seconds.toFixed(1)} s on ${r.backend}; run directory ${out} (report.html)`,
  ];
  return lines.join("\n");
}

export const kwCommand: CommandBody = {
  options: dualityConfigSchema,
  flags: { ...flagSpecs(CONFIG_FLAGS), ...flagSpecs(PROCESS_FLAGS), ...runFlagsOf("duality") },
  examples: [
    "physml duality kw --beta 0.3 --L 16",
    "physml duality kw --beta 0.7 --L 32 --out runs/kw-ordered --json",
    "physml duality kw --out runs/kw-ordered --resume",
  ],
  check(flags) {
    workersOf(flags);
    try {
      resolveConfig(withBackendFromEnvironment(flags, givenConfig(flags)) as DualityConfigInput);
    } catch (e) {
      throw flagError(e, CONFIG_FLAGS, flags, stringFlag(flags, "config"));
    }
  },
  async run(flags, io) {
    const out = stringFlag(flags, "out") ?? defaultRunDir("duality");
    const { hooks: h } = hooks(io, flags);
    const r = await namingFlags(flags, () => {
      const cfg = withBackendFromEnvironment(flags, givenConfig(flags)) as DualityConfigInput;
      return runDuality(cfg, {
        out,
        resume: boolFlag(flags, "resume"),
        force: boolFlag(flags, "force"),
        hooks: h,
        workers: workersOf(flags),
      });
    });
    emit(io, boolFlag(flags, "json"), r, () => human(r, out));
    if (r.validation.passed) return 0;
    return failedValidation(io, r);
  },
};

export const sweepCommand: CommandBody = {
  options: dualityConfigSchema,
  flags: {
    betas: {
      type: "string",
      description: "the β values",
      rule: `lo:hi:step (inclusive) or a comma-separated list of distinct β; at most ${MAX_SWEEP_POINTS} points, each β ${CONFIG_FLAGS.find((f) => f.name === "beta")?.allowed}`,
      default: "0.1:0.8:0.05",
    },
    plaquettes: {
      type: "string",
      description: "the original model's plaquette couplings κ (every β at every κ)",
      rule: `lo:hi:step (inclusive) or a comma-separated list of distinct κ, each κ ${CONFIG_FLAGS.find((f) => f.name === "plaquette")?.allowed}`,
      default: "0",
    },
    nnns: {
      type: "string",
      description: "the original model's next-nearest-neighbour couplings (every β at every κ and every nnn)",
      rule: `lo:hi:step (inclusive) or a comma-separated list of distinct values, each ${CONFIG_FLAGS.find((f) => f.name === "nnn")?.allowed}`,
      default: "0",
    },
    "skip-nn-only": {
      type: "boolean",
      description:
        "with --dual-terms beyond nn, do not also learn the nn-only dual at each point (the report then has no loss comparison)",
    },
    ...flagSpecs(CONFIG_FLAGS, ["beta", "plaquette", "nnn"]),
    ...runFlagsOf("sweep"),
  },
  examples: [
    "physml duality sweep --betas 0.1:0.8:0.05 --L 16 --out runs/sweep",
    "physml duality sweep --betas 0.2,0.3 --nnns 0,0.05 --dual-terms nn,nnn --L 8",
    "physml duality sweep --betas 0.2,0.3,0.6 --plaquettes 0,0.05,0.1 --dual-terms nn,plaquette --L 8",
  ],
  async run(flags, io) {
    const betas = await namingFlags(
      flags,
      async () => parseBetas(stringFlag(flags, "betas") ?? "0.1:0.8:0.05"),
      {
        betas: "betas",
      },
    );
    const plaquettes = await namingFlags(
      flags,
      async () => parsePlaquettes(stringFlag(flags, "plaquettes") ?? "0"),
      { plaquettes: "plaquettes" },
    );
    const nnns = await namingFlags(flags, async () => parseNnns(stringFlag(flags, "nnns") ?? "0"), {
      nnns: "nnns",
    });
    const grid = { betas, plaquettes, nnns };
    const out = stringFlag(flags, "out") ?? defaultRunDir("sweep");
    const base = withBackendFromEnvironment(flags, givenConfig(flags, ["beta", "plaquette", "nnn"]));
    delete base.beta;
    delete base.plaquette;
    delete base.nnn;
    // Every point is validated before the first one runs.
    await namingFlags(
      flags,
      async () => {
        for (const point of gridPoints(grid)) resolveConfig({ ...base, ...point } as DualityConfigInput);
      },
      { beta: "betas", plaquette: "plaquettes", nnn: "nnns" },
    );
    let label = "";
    const { hooks: h } = hooks(io, flags, () => label);
    const r = await namingFlags(flags, () =>
      runSweep(grid, base as Omit<DualityConfigInput, "beta" | "plaquette" | "nnn">, {
        out,
        resume: boolFlag(flags, "resume"),
        force: boolFlag(flags, "force"),
        compareNnOnly: !boolFlag(flags, "skip-nn-only"),
        hooks: h,
        onRun: (text) => {
          label = text;
        },
      }),
    );
    emit(io, boolFlag(flags, "json"), r, () => sweepTable(r.rows, r.seconds, out));
    const failed = r.rows.filter((row) => !row.validated);
    if (failed.length === 0) return 0;
    return failedCheck(
      io,
      `the learned dual coupling at ${failed.length} of ${plural(r.rows.length, "point")}`,
      failed.map(
        (row) =>
          `β = ${row.beta}${row.plaquette ? `, κ = ${row.plaquette}` : ""}${row.nnn ? `, nnn = ${row.nnn}` : ""} (${row.validationFailures.join("; ")})`,
      ),
      "try more steps (--steps), more chains (--chains) or another --seed",
    );
  },
};

/** The human sweep table: one line per point, κ and the extra couplings only when present. */
function sweepTable(rows: readonly SweepRow[], seconds: number, out: string): string {
  const withKappa = rows.some((row) => (row.plaquette ?? 0) !== 0);
  const withNnn = rows.some((row) => (row.nnn ?? 0) !== 0);
  const extras = [...new Set(rows.flatMap((row) => Object.keys(row.learned ?? {})))];
  const compared = rows.some((row) => row.nnOnly);
  const loss = (v: number | undefined, e: number | undefined) =>
    v === undefined ? "—" : `${v.toExponential(2)}${e === undefined ? "" : ` ± ${e.toExponential(1)}`}`;
  return [
    [
      "β     ",
      ...(withKappa ? ["κ     "] : []),
      ...(withNnn ? ["nnn   "] : []),
      "learned |t0|     ",
      "exact β̃ ",
      "error   ",
      ...extras.map((t) => `${t.padEnd(18)}`),
      ...(compared ? ["loss (these terms)    ", "loss (nn only)        "] : []),
      "validation",
    ].join(" "),
    ...rows.map((row) =>
      [
        row.beta.toFixed(3).padEnd(6),
        ...(withKappa ? [(row.plaquette ?? 0).toFixed(3).padEnd(6)] : []),
        ...(withNnn ? [(row.nnn ?? 0).toFixed(3).padEnd(6)] : []),
        `${Math.abs(row.t0).toFixed(4)} ${plusMinus(row.t0Error, undefined, 4)}`.padEnd(17),
        (row.exact === undefined ? "—" : row.exact.toFixed(4)).padEnd(8),
        (row.relativeError === undefined ? "—" : `${(100 * row.relativeError).toFixed(2)} %`).padEnd(8),
        ...extras.map((t) => {
          const v = row.learned?.[t];
          return (v === undefined ? "—" : `${v.value.toFixed(4)} ${plusMinus(v.error, undefined, 4)}`).padEnd(
            18,
          );
        }),
        ...(compared
          ? [
              loss(row.finalLoss, row.finalLossError).padEnd(22),
              (row.nnOnly ? loss(row.nnOnly.finalLoss, row.nnOnly.finalLossError) : "—").padEnd(22),
            ]
          : []),
        row.validated ? "passed" : "FAILED (not trustworthy)",
      ].join(" "),
    ),
    `${plural(rows.length, "point")} in ${seconds.toFixed(1)} s; report ${out}/report.html`,
  ].join("\n");
}
