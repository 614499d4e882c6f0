// The options of the integrability commands as zod schemas: every range, default and rule in one
// place. The library validates with them (lattice-core's parseOptions) and the command line
// (`physml integrability simulate|lax|scnn`) builds its flags and help from them.
import { z } from "zod";
import { SIMULATE_SYSTEMS } from "./data/catalogue.js";
import { INTEGRATORS } from "./data/integrators.js";
import { LAX_SYSTEMS } from "./lax/systems.js";

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const seed = (dflt: number) =>
  int(0, 2 ** 53 - 1)
    .default(dflt)
    .meta({ flag: "seed", description: "random seed (same seed, same result)" });

/** H₁ = ε q_x² q_y² or H₂ = ε q_x q_y added to the 2D oscillator (ho2d only). */
const perturbation = z
  .object({
    kind: z
      .enum(["h1", "h2"])
      .meta({ flag: "perturbation", description: "perturbation of ho2d: h1 = ε q_x² q_y², h2 = ε q_x q_y" }),
    epsilon: z
      .number()
      .min(-0.99)
      .max(0.99)
      .default(0.1)
      .meta({ flag: "epsilon", description: "perturbation strength ε", rule: "with --perturbation" }),
  })
  .optional();

/** Perturbations apply to the 2D oscillator only. */
function perturbedHo2dOnly(o: { system: string; perturbation?: unknown }, ctx: z.core.$RefinementCtx) {
  if (o.perturbation !== undefined && o.perturbation !== null && o.system !== "ho2d") {
    ctx.addIssue({
      code: "custom",
      path: ["perturbation", "kind"],
      message: "only with --system ho2d",
      input: o.perturbation,
    });
  }
}

/** The most steps (time / h) one simulation takes: 10⁷ steps already run for minutes per trajectory batch. */
export const MAX_SIMULATION_STEPS = 10_000_000;

/** time / h within {@link MAX_SIMULATION_STEPS}: a tiny step over a long time would run for days, silently. */
function stepsWithinLimit(o: { time: number; h?: number }, ctx: z.core.$RefinementCtx) {
  if (o.h !== undefined && o.time / o.h > MAX_SIMULATION_STEPS) {
    ctx.addIssue({
      code: "custom",
      path: ["h"],
      message: `a step with time / h ≤ 10^7 steps (h ≥ ${(o.time / MAX_SIMULATION_STEPS).toPrecision(3)} for --time ${o.time})`,
      input: o.h,
    });
  }
}

/** Options of `runSimulation` (`physml integrability simulate`). */
export const simulateOptionsSchema = z
  .object({
    system: z.enum(SIMULATE_SYSTEMS).meta({ flag: "system", description: "the system to integrate" }),
    perturbation,
    integrator: z
      .enum(INTEGRATORS)
      .optional()
      .meta({ flag: "integrator", description: "ODE integrator", defaultText: "yoshida4" }),
    trajectories: int(1, 4096)
      .default(16)
      .meta({ flag: "trajectories", description: "ODE systems: trajectories" }),
    time: z.number().min(1e-9).max(1e4).default(10).meta({ flag: "time", description: "total time" }),
    h: z.number().min(1e-9).max(1).optional().meta({
      flag: "h",
      description: "time step",
      defaultText: "per system",
      rule: "time / h ≤ 10^7 steps",
    }),
    seed: seed(0),
  })
  .strict()
  .superRefine(perturbedHo2dOnly)
  .superRefine(stepsWithinLimit);

/** Options of `learnLax` (`physml integrability lax`) that the command line sets. */
export const laxOptionsSchema = z
  .object({
    system: z.enum(LAX_SYSTEMS).meta({ flag: "system", description: "the system whose Lax pair is learned" }),
    perturbation,
    size: int(2, 8)
      .optional()
      .meta({ flag: "size", description: "matrix size n of L and M", defaultText: "per system" }),
    adamSteps: int(0, 100_000).default(800).meta({ flag: "steps", description: "Adam steps" }),
    lbfgsIter: int(0, 10_000)
      .default(300)
      .meta({ flag: "lbfgs", description: "polish iterations after Adam (L-BFGS or Levenberg–Marquardt)" }),
    polish: z.enum(["lbfgs", "lm"]).default("lbfgs").meta({
      flag: "polish",
      description: "polish after Adam: lbfgs, or lm (Levenberg–Marquardt, small models)",
    }),
    samples: int(16, 65_536).default(256).meta({ flag: "samples", description: "training states" }),
    seed: seed(0),
  })
  .strict()
  .superRefine(perturbedHo2dOnly);

/** Options of `perturbationTest` (`physml integrability perturbation`) that the command line sets. */
export const perturbationOptionsSchema = z
  .object({
    seeds: int(1, 20).default(3).meta({ flag: "seeds", description: "seeds 0 … n−1, one base pair each" }),
    baseAdam: int(0, 100_000)
      .default(300)
      .meta({ flag: "base-steps", description: "Adam steps of the base run" }),
    baseLbfgs: int(0, 10_000)
      .default(30)
      .meta({ flag: "base-polish", description: "polish iterations of the base run" }),
    fineAdam: int(0, 100_000)
      .default(200)
      .meta({ flag: "steps", description: "Adam steps on each perturbed system" }),
    fineLbfgs: int(0, 10_000)
      .default(30)
      .meta({ flag: "polish-iter", description: "polish iterations on each perturbed system" }),
    polish: z
      .enum(["lbfgs", "lm"])
      .default("lm")
      .meta({ flag: "polish", description: "polish after Adam: lbfgs, or lm (Levenberg–Marquardt)" }),
  })
  .strict();

/** Options of `compareTwoBody` (`physml integrability scnn`) that the command line sets. */
export const scnnOptionsSchema = z
  .object({
    system: z
      .enum(["two-body"])
      .default("two-body")
      .meta({ flag: "system", description: "the system (the Kepler two-body problem)" }),
    steps: int(1, 100_000).default(600).meta({ flag: "steps", description: "Adam steps per model" }),
    trainOrbits: int(1, 1024).default(32).meta({ flag: "orbits", description: "training orbits" }),
    cyclic: int(0, 3).default(3).meta({ flag: "cyclic", description: "cyclic coordinates of the SCNN" }),
    seed: seed(0),
  })
  .strict();

/** Validated simulate options. */
export type SimulateOptionsInput = z.output<typeof simulateOptionsSchema>;
/** Validated Lax options. */
export type LaxOptionsInput = z.output<typeof laxOptionsSchema>;
/** Validated perturbation-test options. */
export type PerturbationOptionsInput = z.output<typeof perturbationOptionsSchema>;
/** Validated SCNN options. */
export type ScnnOptionsInput = z.output<typeof scnnOptionsSchema>;
