// The options of one sampling run (`physml mcmc`): the model (square Ising fast path, or a
// generic model by spin/lattice or file), the schedule, the backend and the memory limit. One zod
// schema holds every range, default and rule; the command line builds its flags from it.
import { BACKEND_CHOICES } from "@physml/gpu-device";
import {
  describeAllowed,
  MAX_LATTICE_SIDE,
  MAX_MODEL_SIDE,
  MAX_THREADS,
  MODEL_FILE_ALLOWED,
  maxMemoryOption,
  seedOption,
} from "@physml/lattice-core";
import { z } from "zod";
import { KERNEL_KINDS } from "./kernel/registry.js";
import { MAX_MODEL_CHAINS } from "./model/options.js";

/** Largest side of a generic model's lattice, per lattice kind. */
export const MAX_RUN_SIDE = { chain: MAX_MODEL_SIDE, square: MAX_LATTICE_SIDE, cubic: 256 } as const;
/** Most chains of one run on the square Ising fast path. */
export const MAX_RUN_CHAINS = 1 << 20;

/**
 * CPU threads, the main one included (default: `PHYSML_THREADS`, else all cores). Every stochastic result is the same
 * whatever it is, so it is a setting of the run, never part of a stored configuration.
 */
export const workersOption = z.number().int().min(1).max(MAX_THREADS).optional().meta({
  flag: "workers",
  description: "CPU threads (the results do not depend on it)",
  defaultText: "PHYSML_THREADS, else all cores",
});

const coupling = (flag: string, description: string) =>
  z.number().min(-100).max(100).optional().meta({ flag, description, defaultText: "0" });

const side = z.number().int().min(2).max(Math.max(MAX_RUN_SIDE.chain, MAX_RUN_SIDE.square));

const shape = z.object({
  model: z.enum(["ising", "xy", "heisenberg"]).optional().meta({
    flag: "model",
    description: "spin model of the generic sampler (absent: the square Ising fast path)",
  }),
  lattice: z.enum(["chain", "square", "cubic"]).optional().meta({
    flag: "lattice",
    description: "periodic lattice of the generic sampler",
    defaultText: "square",
  }),
  modelFile: z.string().min(1).optional().meta({
    flag: "model-file",
    description: "a model JSON file {spin, lattice, terms} (see @physml/lattice-core)",
    allowed: MODEL_FILE_ALLOWED,
  }),
  L: side.optional().meta({
    flag: "L",
    description: "lattice side",
    rule: `required unless --model-file; even on the square Ising fast path; ≤ ${MAX_RUN_SIDE.cubic} on --lattice cubic`,
  }),
  Ly: side.optional().meta({
    flag: "Ly",
    description: "lattice height (square lattices only)",
    defaultText: "L",
    rule: "as --L",
  }),
  beta: z.number().min(-100).max(100).optional().meta({
    flag: "beta",
    description: "nearest-neighbour coupling β (J = 1)",
    rule: "required unless --model-file",
  }),
  plaquette: coupling(
    "plaquette",
    "plaquette coupling (β absorbed, as in `exact enumerate`; Ising on square lattices)",
  ),
  nnn: coupling("nnn", "next-nearest-neighbour coupling (β absorbed; Ising on square lattices)"),
  field: coupling("field", "magnetic field coupling (β absorbed)"),
  chains: z
    .number()
    .int()
    .min(1)
    .max(MAX_RUN_CHAINS)
    .default(16)
    .meta({
      flag: "chains",
      description: "independent chains",
      rule: `at most ${MAX_MODEL_CHAINS} with the generic sampler`,
    }),
  sweeps: z
    .number()
    .int()
    .min(2)
    .max(2 ** 31)
    .default(10000)
    .meta({ flag: "sweeps", description: "measured sweeps per chain" }),
  thermalize: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1000)
    .meta({ flag: "thermalize", description: "sweeps discarded before measuring" }),
  every: z
    .number()
    .int()
    .min(1)
    .max(2 ** 30)
    .default(1)
    .meta({ flag: "every", description: "measure after every n-th sweep", rule: "at most half of --sweeps" }),
  backend: z
    .enum(BACKEND_CHOICES as ["auto", "cpu", "webgpu"])
    .optional()
    .meta({
      flag: "backend",
      description: "compute backend (auto: a real GPU if present)",
      defaultText: "PHYSML_BACKEND or auto; cpu with the generic sampler",
    }),
  kernel: z
    .enum(["auto", ...KERNEL_KINDS])
    .optional()
    .meta({
      flag: "kernel",
      description:
        "Ising update kernel (packed: 32 chains per word; auto: packed from 32 chains when the terms allow)",
      defaultText: "auto",
    }),
  init: z.enum(["cold", "hot"]).default("cold").meta({ flag: "init", description: "initial spins" }),
  seed: seedOption(1, "random seed (same seed, same chains on every backend)"),
  workers: workersOption,
  overrelaxation: z
    .number()
    .int()
    .min(0)
    .max(64)
    .default(1)
    .meta({ flag: "overrelaxation", description: "O(n): over-relaxation sweeps per Metropolis sweep" }),
  maxMemory: maxMemoryOption,
});

type RunShape = z.output<typeof shape>;
type Ctx = z.core.$RefinementCtx<RunShape>;

const GENERIC_ONLY = ["model", "lattice", "modelFile"] as const;
const MODEL_FLAGS = ["model", "lattice", "L", "Ly", "beta", "plaquette", "nnn", "field"] as const;

/** Whether the options select the generic model sampler (rather than the square Ising fast path). */
export function isGenericRun(o: Pick<RunShape, "model" | "lattice" | "modelFile">): boolean {
  return GENERIC_ONLY.some((k) => o[k] !== undefined);
}

function rules(o: RunShape, ctx: Ctx): void {
  const bad = (key: keyof RunShape, message: string) =>
    ctx.addIssue({ code: "custom", path: [key], message, input: o[key] });
  const generic = isGenericRun(o);
  if (o.modelFile !== undefined) {
    for (const k of MODEL_FLAGS) if (o[k] !== undefined) bad(k, "nothing together with --model-file");
  } else {
    if (o.L === undefined) bad("L", `${describeAllowed(side)} (required unless --model-file)`);
    if (o.beta === undefined)
      bad("beta", `${describeAllowed(shape.shape.beta)} (required unless --model-file)`);
  }
  if (!generic) {
    for (const k of ["L", "Ly"] as const) {
      const v = o[k];
      if (v !== undefined && (v % 2 !== 0 || v > MAX_RUN_SIDE.square)) {
        bad(
          k,
          `an even integer in [2, ${MAX_RUN_SIDE.square}] on the square Ising fast path (checkerboard updates)`,
        );
      }
    }
  } else if (o.modelFile === undefined) {
    const lattice = o.lattice ?? "square";
    const max = MAX_RUN_SIDE[lattice];
    for (const k of ["L", "Ly"] as const) {
      const v = o[k];
      if (v !== undefined && v > max) bad(k, `an integer in [2, ${max}] on --lattice ${lattice}`);
    }
    if (o.Ly !== undefined && lattice !== "square") bad("Ly", "only with --lattice square");
    for (const k of ["plaquette", "nnn"] as const) {
      if (o[k] !== undefined && ((o.model ?? "ising") !== "ising" || lattice !== "square")) {
        bad(k, "only with --model ising --lattice square");
      }
    }
  }
  if (generic) {
    if (o.kernel !== undefined && o.model !== undefined && o.model !== "ising")
      bad("kernel", "only with Ising spins (--model ising or an Ising --model-file)");
    if (o.chains > MAX_MODEL_CHAINS)
      bad("chains", `an integer in [1, ${MAX_MODEL_CHAINS}] with the generic sampler`);
  }
  const halfSweeps = Math.floor(o.sweeps / 2);
  if (o.every > halfSweeps) bad("every", `an integer in [1, ${halfSweeps}] (at most half of --sweeps)`);
}

/**
 * The options of one sampling run (`physml mcmc`), with every flag's range, default and rule.
 * Validate with lattice-core's `parseOptions(mcmcRunOptionsSchema, input)`.
 */
export const mcmcRunOptionsSchema = shape.strict().superRefine(rules);

/** Validated run options. */
export type McmcRunOptions = z.output<typeof mcmcRunOptionsSchema>;
