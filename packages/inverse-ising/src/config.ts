// The configuration of one inverse-Ising run (read samples, or sample then recover): one zod
// schema whose fields marked `.meta({ flag, … })` become the CLI's flags, ranges and help.
import {
  describeAllowed,
  maxMemoryOption,
  PhysmlInputError,
  parseOptions,
  seedOption,
  TERM_NAMES,
} from "@physml/lattice-core";
import { z } from "zod";

const num = (min: number, max: number) => z.number().finite().min(min).max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);

const schema = z
  .object({
    samples: z.string().min(1).optional().meta({
      flag: "samples",
      description: ".npy file of ±1 configurations [M, L, L] (else: sample first)",
    }),
    model: z.string().min(1).optional().meta({
      flag: "model",
      description:
        "model JSON file (any Ising description; replaces --L/--terms, its couplings are the truth)",
    }),
    L: int(2, 1024).default(16).meta({ flag: "L", description: "side of the square torus" }),
    terms: z
      .union([z.enum(["all"]), z.array(z.enum(TERM_NAMES)).min(1)])
      .default(["nn", "nnn", "plaquette"])
      .meta({
        flag: "terms",
        description: `terms to fit: all (${TERM_NAMES.join(",")}) or a list`,
        allowed: `all or a comma-separated list of ${TERM_NAMES.join(", ")}`,
      }),
    beta: num(-3, 3)
      .optional()
      .meta({ flag: "beta", description: "true nn coupling β (sample, then recover)" }),
    nnn: num(-3, 3).default(0).meta({ flag: "nnn", description: "true next-nearest-neighbour coupling" }),
    plaquette: num(-3, 3).default(0).meta({ flag: "plaquette", description: "true plaquette coupling κ" }),
    samplesCount: int(2, 1 << 22)
      .default(2048)
      .meta({ flag: "samples-count", description: "configurations to sample (chains × per chain)" }),
    chains: int(2, 4096).default(64).meta({ flag: "chains", description: "independent Metropolis chains" }),
    warmupSweeps: int(0, 1_000_000)
      .default(500)
      .meta({ flag: "warmup", description: "thermalisation sweeps (cold start)" }),
    every: int(1, 10_000).default(4).meta({ flag: "every", description: "sweeps between kept samples" }),
    seed: seedOption(1, "random seed"),
    blocks: int(2, 1024).default(16).meta({ flag: "blocks", description: "jackknife blocks" }),
    backend: z
      .enum(["auto", "cpu", "webgpu"])
      .optional()
      .meta({ flag: "backend", description: "sampler backend (default cpu)" }),
    maxMemory: maxMemoryOption,
  })
  .strict();

/** The inverse-Ising run configuration schema (zod), with CLI flag metadata. */
export const inverseConfigSchema = schema;
export type InverseConfig = z.output<typeof schema>;
export type InverseConfigInput = z.input<typeof schema>;

/** Validates a configuration; throws a PhysmlInputError naming the first bad field. */
export function resolveInverseConfig(input: InverseConfigInput): InverseConfig {
  let c: InverseConfig;
  try {
    c = parseOptions(schema, input, "config");
  } catch (e) {
    // An unknown name inside the list is an error of the list (the flag is --terms).
    if (e instanceof PhysmlInputError && e.field.startsWith("terms.")) {
      throw new PhysmlInputError(
        "terms",
        describeAllowed(schema.shape.terms),
        (input as { terms?: unknown }).terms,
      );
    }
    throw e;
  }
  if (c.samples !== undefined && c.beta !== undefined) {
    throw new PhysmlInputError("beta", "absent when samples are read from a file", c.beta);
  }
  if (c.samples === undefined && c.beta === undefined && c.model === undefined) {
    throw new PhysmlInputError("samples", "a .npy file, or a true β (or a model file) to sample at", "none");
  }
  return c;
}
