// The configuration of one topological-lines run (`physml duality lines`): one zod schema whose
// fields marked `.meta({ flag, … })` become the CLI's flags, ranges and help.
import { maxMemoryOption, parseOptions, seedOption } from "@physml/lattice-core";
import { renameFields } from "@physml/runs";
import { z } from "zod";

const num = (min: number, max: number) => z.number().finite().min(min).max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);

const schema = z
  .object({
    L: int(4, 128).default(16).meta({ flag: "L", description: "side of the square torus" }),
    beta: num(0.05, 3)
      .default(0.3)
      .meta({ flag: "beta", description: "nn coupling β of the original model" }),
    plaquette: num(-1, 1)
      .default(0)
      .meta({ flag: "plaquette", description: "plaquette coupling κ (sampled together with β)" }),
    sampleDual: z.boolean().default(false).meta({
      flag: "dual",
      description: "sample the Kramers–Wannier dual model at β̃ (lattice-core dualCoupling) instead of β",
    }),
    geometry: z.enum(["links", "crossing", "both"]).default("both").meta({
      flag: "geometry",
      description:
        "paths along links (Z2 line candidates), across links on the dual lattice (disorder line), or both",
    }),
    chains: int(2, 4096)
      .default(64)
      .meta({ flag: "chains", description: "Metropolis chains per sample set" }),
    samplesPerChain: int(2, 1 << 16)
      .default(32)
      .meta({
        flag: "samples",
        description: "configurations per chain, for the training set and again for the fresh set",
      }),
    warmupSweeps: int(0, 1e6)
      .default(500)
      .meta({ flag: "warmup", description: "thermalisation sweeps from a cold start" }),
    every: int(1, 1e4).default(4).meta({ flag: "every", description: "sweeps between kept configurations" }),
    chunk: z.enum(["table", "neighbourhood"]).default("table").meta({
      flag: "chunk",
      description:
        "the chunk learned: a table over s_i s_j (2 entries, one angle) or over s_i s_j and the number of frustrated plaquettes beside the link (6 entries)",
    }),
    starts: int(1, 1024).optional().meta({
      flag: "starts",
      description: "learner starts (default 4 for --chunk table, 64 for neighbourhood)",
    }),
    steps: int(1, 1e5).optional().meta({
      flag: "steps",
      description:
        "Adam steps for --chunk table (default 400), Levenberg–Marquardt steps for neighbourhood (default 100)",
    }),
    lr: num(1e-5, 1)
      .default(0.05)
      .meta({ flag: "lr", description: "Adam learning rate (radians per step; --chunk table)" }),
    exclusionDeg: num(0.1, 40).default(5).meta({
      flag: "exclusion",
      description:
        "half-angle (degrees) of the cones excluded around the trivial lines (O = const; across links with --chunk neighbourhood also the plaquette parity)",
    }),
    // At least 4: the covariance test of the pair differences uses at most B − 3 of them.
    blocks: int(4, 4096).default(32).meta({ flag: "blocks", description: "jackknife blocks (whole chains)" }),
    pullLimit: num(0.5, 10).default(3).meta({
      flag: "pull-limit",
      description: "a known line matches when the learned angle is within this many σ",
    }),
    landscapePoints: int(8, 3600).default(180).meta({
      flag: "landscape-points",
      description: "tables scanned over the half-circle for the landscape",
    }),
    maxMemory: maxMemoryOption,
    seed: seedOption(1, "random seed"),
  })
  .strict();

/** The topological-lines run configuration schema (zod), with CLI flag metadata. */
export const linesConfigSchema = schema;
export type LinesConfigInput = z.input<typeof schema>;
/** A resolved configuration: the chunk's defaults filled in for `starts` and `steps`. */
export type LinesConfig = Omit<z.output<typeof schema>, "starts" | "steps"> & {
  starts: number;
  steps: number;
};

/** Learner starts and steps when not given, per chunk (the 6-entry table has many local minima). */
export const CHUNK_DEFAULTS = {
  table: { starts: 4, steps: 400 },
  neighbourhood: { starts: 64, steps: 100 },
} as const;

/**
 * Fields renamed since runs were first written (old name → current name): config.json and
 * result.json of older run directories still carry the old names. `kappa` was the plaquette
 * coupling, a name the CLI keeps for Calabi–Yau's κ = Vol_K/Vol_CY; `dual` was the switch to
 * sample the dual model, a name the CLI keeps for a fitted or learned dual's results.
 */
export const LINES_RENAMED_FIELDS: Readonly<Record<string, string>> = {
  kappa: "plaquette",
  dual: "sampleDual",
};

/** The configuration of `input` (old field names read as their current ones), defaults filled in. */
export function resolveLinesConfig(input: unknown): LinesConfig {
  const c = parseOptions(schema, renameFields(input ?? {}, LINES_RENAMED_FIELDS), "config");
  const d = CHUNK_DEFAULTS[c.chunk];
  return { ...c, starts: c.starts ?? d.starts, steps: c.steps ?? d.steps };
}
