// The inputs of the exact results as option schemas: the ranges their functions accept, with the
// flags and help the command line builds from them (`physml exact energy|enumerate`, `physml dual`).
import { z } from "zod";
import { DUAL_BETA_MAX, DUAL_BETA_MIN } from "../exact/duality.js";
import { MAX_ENUMERATION_COUPLING, MAX_ENUMERATION_SITES } from "../exact/enumerate-model.js";
import { KAUFMAN_MAX_BETA } from "../exact/kaufman.js";
import { MAX_TRANSFER_RANGE } from "../exact/transfer-matrix.js";
import { MAX_LATTICE_SIDE } from "../lattice/square.js";

/** What a `--model-file` option takes, in its help and its errors. */
export const MODEL_FILE_ALLOWED = "a path to a model JSON file";

const side = (max: number, min: number) => z.number().int().min(min).max(max);

/** Options of `physml exact energy`: Kaufman's finite torus and Onsager's infinite lattice. */
export const exactEnergyOptionsSchema = z
  .object({
    L: side(MAX_LATTICE_SIDE, 2).meta({ flag: "L", description: "lattice width Lx" }),
    Ly: side(MAX_LATTICE_SIDE, 2)
      .optional()
      .meta({ flag: "Ly", description: "lattice height", defaultText: "L" }),
    beta: z
      .number()
      .min(0)
      .max(KAUFMAN_MAX_BETA)
      .meta({ flag: "beta", description: "inverse temperature (nearest-neighbour coupling, J = 1)" }),
  })
  .strict();

const coupling = (what: string) =>
  z.number().min(-MAX_ENUMERATION_COUPLING).max(MAX_ENUMERATION_COUPLING).meta({ description: what });

/** Options of `physml exact enumerate`: full enumeration of a small torus. */
export const exactEnumerateOptionsSchema = z
  .object({
    L: side(MAX_ENUMERATION_SITES, 1).meta({ flag: "L", description: "lattice width Lx" }),
    Ly: side(MAX_ENUMERATION_SITES, 1)
      .optional()
      .meta({
        flag: "Ly",
        description: "lattice height",
        defaultText: "L",
        rule: `Lx·Ly ≤ ${MAX_ENUMERATION_SITES}`,
      }),
    beta: coupling("nearest-neighbour coupling").meta({ flag: "beta" }),
    plaquette: coupling("plaquette coupling").default(0).meta({ flag: "plaquette" }),
    nnn: coupling("next-nearest-neighbour (diagonal) coupling").default(0).meta({ flag: "nnn" }),
    field: coupling("magnetic field").default(0).meta({ flag: "field" }),
  })
  .strict()
  .superRefine((o, ctx) => {
    // the lattice's size, checked with the options (before any table is built), on the flag that set it
    const Ly = o.Ly ?? o.L;
    if (o.L * Ly <= MAX_ENUMERATION_SITES) return;
    const [path, other] = o.Ly === undefined ? ["L", "L × L"] : ["Ly", `${o.L} × Ly`];
    ctx.addIssue({
      code: "custom",
      path: [path],
      message: `at most ${Math.floor(o.Ly === undefined ? Math.sqrt(MAX_ENUMERATION_SITES) : MAX_ENUMERATION_SITES / o.L)} (${other} ≤ ${MAX_ENUMERATION_SITES} sites for exact enumeration)`,
      input: path === "L" ? o.L : o.Ly,
    });
  });

/** Options of `physml exact model`: the exact solution of any Ising model description in a file. */
export const exactModelOptionsSchema = z
  .object({
    modelFile: z
      .string()
      .min(1)
      .meta({
        flag: "model-file",
        description: "JSON model description (the shape of defineModel)",
        allowed: MODEL_FILE_ALLOWED,
        rule: `Ising spins; at most ${MAX_ENUMERATION_SITES} sites (enumeration) or a chain whose terms span at most ${MAX_TRANSFER_RANGE} sites (transfer matrix, any length)`,
      }),
  })
  .strict();

/** Options of `physml dual`: the Kramers–Wannier dual coupling. */
export const dualOptionsSchema = z
  .object({
    beta: z.number().min(DUAL_BETA_MIN).max(DUAL_BETA_MAX).meta({
      flag: "beta",
      description: "inverse temperature β (beyond the range β̃ or sinh 2β̃ leave the double range)",
    }),
  })
  .strict();
