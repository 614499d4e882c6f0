// The options of the integrability commands as zod schemas: every range, default and rule in one
// place. The library validates with them (lattice-core's parseOptions) and the command line
// (`physml integrability simulate|lax|perturbation|scnn|kdv|connection`) builds its flags and help from them.

import { seedOption } from "@physml/lattice-core";
import { z } from "zod";
import { INTEGRATORS } from "./data/integrators.js";
import { SIMULATE_SYSTEMS } from "./data/simulation-names.js";
import { FIELD_GRID_POINTS } from "./fields/field-system.js";
import {
  FIELD_CONNECTION_SYSTEMS,
  type FieldConnectionSystemName,
  fieldConnectionSetup,
} from "./lax/field-connection-systems.js";
import { MAX_LM_PARAMS } from "./lax/levenberg.js";
import { liftedInputs } from "./lax/quadratic-lift.js";
import {
  FIXED_START_SYSTEMS,
  SPECTRAL_CONNECTION_BUDGET,
  SPECTRAL_FROM_FIXED_BUDGET,
  SPECTRAL_STARTS,
  type SpectralStart,
} from "./lax/spectral-connection-learn.js";
import { SPECTRAL_RANGE_RULES, spectralFamily } from "./lax/spectral-families.js";
import { LAX_SYSTEMS, laxSetup } from "./lax/systems.js";
import {
  CONNECTION_LIFTS,
  CONNECTION_SAMPLES,
  type ConnectionLift,
  defaultConnectionRestarts,
  FIXED_CONNECTION_BUDGET,
  KDV_LOSS_TERMS,
  type KdvLossTerms,
  NETWORK_CLASS_RESTARTS,
} from "./lax/zero-curvature-learn.js";
import { MAX_INVERSE_SQUARE } from "./scnn/kepler.js";
import {
  GENERAL_STARTS,
  INDEPENDENCE_FORMS,
  MAX_POINT_START_SPREAD,
  POINT_STARTS,
  type PointStart,
  SCNN_HAMILTONIANS,
  SCNN_TRANSFORMS,
} from "./scnn/models.js";
import { SCNN_RESTART_WITHIN } from "./scnn/restarts.js";

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** A grid size of {@link FIELD_GRID_POINTS}, the `--grid-points` of `kdv` and `connection`. */
const gridPoints = () => z.union(FIELD_GRID_POINTS.map((n) => z.literal(n)));

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
      message: `a step with time / h ≤ 10^7 steps (h ≥ ${(o.time / MAX_SIMULATION_STEPS).toPrecision(3)} for --trajectory-time ${o.time})`,
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
    time: z
      .number()
      .min(1e-9)
      .max(1e4)
      .default(10)
      .meta({ flag: "trajectory-time", description: "length of each trajectory (total time)" }),
    h: z.number().min(1e-9).max(1).optional().meta({
      flag: "h",
      description: "time step",
      defaultText: "per system",
      rule: "trajectory-time / h ≤ 10^7 steps",
    }),
    seed: seedOption(0),
  })
  .strict()
  .superRefine(perturbedHo2dOnly)
  .superRefine(stepsWithinLimit);

/** Training budgets of `lax` when not the system's own (see `LaxSetup.model`). */
const LAX_BUDGETS = { adamSteps: 800, lbfgsIter: 300, polish: "lbfgs" } as const;

/** A budget's default as the help says it: the systems whose own model differs, then the rest. */
const perSystem = (k: keyof typeof LAX_BUDGETS): string => {
  const own = LAX_SYSTEMS.flatMap((name) => {
    const m = laxSetup(name).model;
    return m && m[k] !== LAX_BUDGETS[k] ? [`${name} ${m[k]}`] : [];
  });
  return `per system: ${[...own, `others ${LAX_BUDGETS[k]}`].join(", ")}`;
};

/** Options of `learnLax` (`physml integrability lax`) that the command line sets. */
export const laxOptionsSchema = z
  .object({
    system: z.enum(LAX_SYSTEMS).meta({
      flag: "system",
      description: "the system whose Lax pair is learned",
      // the issue's interface names the field theories here too: the command line hands them to
      // `physml integrability connection` (apps/cli's command registry), the library does not
      allowed: `one of ${LAX_SYSTEMS.join(" | ")} (on the command line also ${FIELD_CONNECTION_SYSTEMS.join(" | ")}, whose Lax connections physml integrability connection learns)`,
    }),
    perturbation,
    size: int(2, 8)
      .optional()
      .meta({ flag: "size", description: "matrix size n of L and M", defaultText: "per system" }),
    adamSteps: int(0, 100_000)
      .optional()
      .meta({ flag: "steps", description: "Adam steps", defaultText: perSystem("adamSteps") }),
    lbfgsIter: int(0, 10_000)
      .optional()
      .meta({
        flag: "lbfgs",
        description: "polish iterations after Adam (L-BFGS or Levenberg–Marquardt)",
        defaultText: perSystem("lbfgsIter"),
      }),
    polish: z
      .enum(["lbfgs", "lm"])
      .optional()
      .meta({
        flag: "polish",
        description: "polish after Adam: lbfgs, or lm (Levenberg–Marquardt, small models)",
        defaultText: perSystem("polish"),
      }),
    samples: int(16, 65_536).default(256).meta({ flag: "samples", description: "training states" }),
    seed: seedOption(0),
  })
  .strict()
  .superRefine(perturbedHo2dOnly);

/**
 * The `lax` options with every budget the command line left out filled in: the system's own
 * (its setup's `model`, e.g. Toda's) or else
 * {@link LAX_BUDGETS}.
 */
export function laxBudgets(o: z.output<typeof laxOptionsSchema>): z.output<typeof laxOptionsSchema> & {
  adamSteps: number;
  lbfgsIter: number;
  polish: "lbfgs" | "lm";
} {
  const own = laxSetup(o.system, o.perturbation).model ?? LAX_BUDGETS;
  return {
    ...o,
    adamSteps: o.adamSteps ?? own.adamSteps,
    lbfgsIter: o.lbfgsIter ?? own.lbfgsIter,
    polish: o.polish ?? own.polish,
  };
}

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

/**
 * Options of `compareTwoBody` (`physml integrability scnn`) that the command line sets. The
 * defaults are the setting that passes the held-out check (seeds 0–2) and predicts held-out orbits
 * better than the HNN: T a point transformation from the polar start and a mechanical H_θ, on
 * eccentric orbits of both senses in the relative frame (the README's Example and "Not met").
 * The paper's general T from its near-identity start is `--transform general`; the comparison's
 * earlier defaults are spelled out in the README.
 */
export const scnnOptionsSchema = z
  .object({
    system: z
      .enum(["two-body"])
      .default("two-body")
      .meta({ flag: "system", description: "the system (the Kepler two-body problem)" }),
    steps: int(1, 100_000).default(4000).meta({ flag: "steps", description: "Adam steps per model" }),
    trainOrbits: int(1, 1024).default(32).meta({ flag: "orbits", description: "training orbits" }),
    testOrbits: int(1, 256)
      .default(8)
      .meta({ flag: "test-orbits", description: "held-out orbits the models are rolled out from" }),
    time: z.number().min(0.5).max(50).default(6).meta({
      flag: "orbit-time",
      description: "length of every orbit (training, rollout, readout) in time units",
    }),
    batch: int(1, 65_536).default(128).meta({
      flag: "batch",
      description: "minibatch size of every model's Adam steps (at least the training set: full batch)",
    }),
    lr: z
      .number()
      .min(1e-6)
      .max(1)
      .default(3e-3)
      .meta({ flag: "lr", description: "Adam's initial learning rate (cosine-decayed to 5%)" }),
    warmup: int(0, 100_000).default(200).meta({
      flag: "warmup",
      description:
        "Adam steps over which every model's learning rate rises linearly to --lr before its cosine decay (0: none)",
      rule: "less than --steps",
    }),
    boost: z
      .object({
        offset: z.number().min(0).max(10).default(0.5).meta({
          flag: "boost-offset",
          description: "each orbit's centre of mass shifted by up to this per axis",
        }),
        velocity: z.number().min(0).max(2).default(0.1).meta({
          flag: "boost-velocity",
          description: "each orbit boosted by up to this per axis (0: total momentum 0 everywhere)",
        }),
      })
      .default({ offset: 0.5, velocity: 0.1 }),
    speedSpread: z.number().min(0).max(0.3).default(0.1).meta({
      flag: "speed-spread",
      description: "orbit speeds within this fraction of circular (0.3: eccentric orbits, L less tied to H)",
    }),
    tilt: z.number().min(0).max(0.6).default(0.5).meta({
      flag: "tilt",
      description:
        "initial velocities turned off the tangent by up to this angle (radians): L changes, H does not",
    }),
    retrograde: z.number().min(0).max(1).default(0.5).meta({
      flag: "retrograde",
      description: "fraction of orbits turning clockwise (L < 0), so that H does not fix L's sign",
    }),
    inverseSquare: z.number().min(0).max(MAX_INVERSE_SQUARE).default(0).meta({
      flag: "inverse-square",
      description:
        "ε of an ε/r² term in the potential: precessing orbits, the Runge–Lenz vector no longer conserved (only H, L, P)",
    }),
    cyclic: int(0, 4)
      .default(3)
      .meta({ flag: "cyclic", description: "cyclic coordinates of the SCNN (4: H_θ of the momenta alone)" }),
    cyclicQ: z.enum(["outputs", "gradients"]).default("gradients").meta({
      flag: "cyclic-q",
      description:
        "the SCNN's cyclic Q in the Poisson-bracket loss: T's outputs, or gradients from their own network",
    }),
    transform: z.enum(SCNN_TRANSFORMS).default("point").meta({
      flag: "transform",
      description:
        "the SCNN's T: general, the paper's near-identity canonical map; point, the cotangent lift of a map of the positions (momenta linear in p: Noether momenta of point symmetries, never H or the Runge–Lenz vector)",
      rule: "point needs --cyclic 3 or less",
    }),
    // no zod default: scnnStartResolved fills it in from --transform and the frame
    pointStart: z.enum(POINT_STARTS).optional().meta({
      flag: "point-start",
      description:
        "where a point T starts: identity; or polar, the polar frame of the relative plane (the identity's frame cannot turn into polar coordinates' without a singular Jacobian)",
      rule: "polar needs --transform point --frame relative --cyclic 3 --cyclic-q gradients",
      defaultText: "polar for a point T where polar is allowed, else identity",
    }),
    pointStartSpread: z.number().min(0).max(MAX_POINT_START_SPREAD).default(0).meta({
      flag: "point-start-spread",
      description:
        "with --point-start polar or --general-start polar: start from the polar frame of u = A(q − c), the centre c within this distance of the collision point and A stretched by up to e^± this, drawn from the seed (0: the polar frame about the collision point)",
      rule: "needs --point-start polar or --general-start polar when above 0",
    }),
    generalStart: z.enum(GENERAL_STARTS).default("identity").meta({
      flag: "general-start",
      description:
        "where a general T starts: identity, the paper's near-identity map; or polar, the cotangent lift of polar coordinates of the relative plane plus an MLP whose last layer starts at zero (T stays the paper's general network, canonical only through the Poisson loss)",
      rule: "polar needs --transform general --frame relative --cyclic 3 --cyclic-q gradients",
    }),
    hamiltonian: z.enum(SCNN_HAMILTONIANS).default("mechanical").meta({
      flag: "hamiltonian",
      description:
        "the SCNN's H_θ: general, an MLP of the non-cyclic coordinates and the momenta (the paper's); mechanical, ½ Pᵀ M(Q) P + V(Q) with M positive semidefinite, both from the non-cyclic coordinates (kinetic energy quadratic in the momenta)",
      rule: "mechanical needs --cyclic 3 or less",
    }),
    frame: z.enum(["bodies", "centre-of-mass", "relative"]).default("relative").meta({
      flag: "frame",
      description:
        "coordinates the SCNN's T is fed: the bodies'; centre of mass and relative motion (a fixed canonical map); relative: that map with T on the relative motion alone",
    }),
    poissonWeight: z
      .number()
      .min(0)
      .max(1000)
      .default(1)
      .meta({ flag: "poisson-weight", description: "weight of the SCNN's Poisson-bracket loss" }),
    conservationWeight: z.number().min(0).max(1e5).default(10).meta({
      flag: "conservation-weight",
      description: "weight of the SCNN's 𝓛_conserved (rates of its cyclic momenta along the data)",
    }),
    conservation: z.enum(["rate", "cosine"]).default("cosine").meta({
      flag: "conservation",
      description: "𝓛_conserved on the rates dP_i/dt, or on their cosines with the flow (scale-blind)",
    }),
    commutationWeight: z.number().min(0).max(1e5).default(0).meta({
      flag: "commutation-weight",
      description:
        "weight of the SCNN's 𝓛_commute, the squared cosines of the brackets {P_i, P_j} of its cyclic momenta (scale-blind)",
    }),
    independenceWeight: z.number().min(0).max(1e5).default(0).meta({
      flag: "independence-weight",
      description:
        "weight of the SCNN's 𝓛_independent, on the Gram matrix G of its cyclic momenta's normalised gradients (scale-blind)",
    }),
    independence: z.enum(INDEPENDENCE_FORMS).default("determinant").meta({
      flag: "independence",
      description:
        "𝓛_independent per state as 1 − det G, or −log(det G + 1e-6) (a collapse far dearer than nearly dependent momenta); or values: 1 − det C, C the correlation matrix of the momenta's values across the batch",
    }),
    restarts: int(0, 20).default(2).meta({
      flag: "restarts",
      description:
        "train the SCNN again from another draw, up to this many times, while none of the momenta T moves is conserved along the training orbits (--frame relative, --cyclic ≥ 3)",
      rule: "with --frame relative and --cyclic 3 or 4",
    }),
    restartWithin: z.number().gt(0).max(1).default(SCNN_RESTART_WITHIN).meta({
      flag: "restart-within",
      description:
        "a draw passes when one of those momenta keeps at most this share of its variance along the training orbits",
    }),
    seed: seedOption(0),
  })
  .strict()
  .overwrite(scnnStartResolved)
  .superRefine(restartsJudged)
  .superRefine(pointTransformFits)
  .superRefine(warmupWithinSteps);

function warmupWithinSteps(o: { warmup: number; steps: number }, ctx: z.core.$RefinementCtx) {
  if (o.warmup >= o.steps) {
    ctx.addIssue({
      code: "custom",
      path: ["warmup"],
      message: `an integer in [0, ${o.steps - 1}] (less than --steps)`,
      input: o.warmup,
    });
  }
}

/** Where the polar start of a point T applies: the relative plane, its angle the one moved cyclic coordinate. */
const polarStartFits = (o: { frame: string; cyclic: number; cyclicQ: string }) =>
  o.frame === "relative" && o.cyclic === 3 && o.cyclicQ === "gradients";

/**
 * `pointStart` when not given: the polar frame for a point T where it applies (from the identity
 * a point T cannot reach L: its frame would have to turn once around the collision point), else
 * the identity; a general T starts per `generalStart`, so `--transform general` alone gives the
 * paper's near-identity T.
 */
function scnnStartResolved<
  O extends { transform: string; pointStart?: PointStart; frame: string; cyclic: number; cyclicQ: string },
>(o: O): O {
  if (o.pointStart !== undefined) return o;
  return { ...o, pointStart: o.transform === "point" && polarStartFits(o) ? "polar" : "identity" };
}

/**
 * A point T's momenta are linear in p: an H_θ of them alone (every coordinate cyclic) would be a
 * free motion, so it keeps at least one coordinate. Its polar start, and the general T's, is the
 * frame of the relative plane with the angle as the one moved cyclic coordinate.
 */
function pointTransformFits(
  o: {
    transform: string;
    pointStart?: string;
    pointStartSpread: number;
    generalStart: string;
    hamiltonian: string;
    frame: string;
    cyclic: number;
    cyclicQ: string;
  },
  ctx: z.core.$RefinementCtx,
) {
  if (o.pointStart === "polar" && (o.transform !== "point" || !polarStartFits(o))) {
    ctx.addIssue({
      code: "custom",
      path: ["pointStart"],
      message: "identity unless --transform point --frame relative --cyclic 3 --cyclic-q gradients",
      input: o.pointStart,
    });
  }
  if (o.generalStart === "polar" && (o.transform !== "general" || !polarStartFits(o))) {
    ctx.addIssue({
      code: "custom",
      path: ["generalStart"],
      message: "identity unless --transform general --frame relative --cyclic 3 --cyclic-q gradients",
      input: o.generalStart,
    });
  }
  if (o.pointStartSpread > 0 && o.pointStart !== "polar" && o.generalStart !== "polar") {
    ctx.addIssue({
      code: "custom",
      path: ["pointStartSpread"],
      message: "0 unless --point-start polar or --general-start polar",
      input: o.pointStartSpread,
    });
  }
  if (o.hamiltonian === "mechanical" && o.cyclic > 3) {
    ctx.addIssue({
      code: "custom",
      path: ["hamiltonian"],
      message: "general with --cyclic 4 (mechanical needs --cyclic 3 or less)",
      input: o.hamiltonian,
    });
  }
  if (o.transform === "point" && o.cyclic > 3) {
    ctx.addIssue({
      code: "custom",
      path: ["transform"],
      message: "general with --cyclic 4 (point needs --cyclic 3 or less)",
      input: o.transform,
    });
  }
}

/**
 * The SCNN's draws are judged on the momenta T moves; only in the relative frame are they
 * functions of the relative motion alone (elsewhere total momentum would pass).
 */
function restartsJudged(o: { restarts: number; frame: string; cyclic: number }, ctx: z.core.$RefinementCtx) {
  if (o.restarts > 0 && (o.frame !== "relative" || o.cyclic < 3)) {
    ctx.addIssue({
      code: "custom",
      path: ["restarts"],
      message: "0 unless --frame relative and --cyclic 3 or 4",
      input: o.restarts,
    });
  }
}

/**
 * Parameters of the connection's two networks (each an MLP with a linear path when hidden) on
 * `inputs` inputs (default order + 1, KdV's φ … ∂ₓ^order φ).
 */
export function connectionParameters(o: {
  order?: number;
  inputs?: number;
  size: number;
  hidden: readonly number[];
}): number {
  const widths = [o.inputs ?? (o.order ?? 0) + 1, ...o.hidden, o.size * o.size];
  let p = o.hidden.length > 0 ? widths[0] * widths[widths.length - 1] : 0;
  for (let i = 0; i + 1 < widths.length; i++) p += (widths[i] + 1) * widths[i + 1];
  return 2 * p;
}

/** Levenberg–Marquardt builds the dense Jacobian: the same limit as the package's `levenbergMarquardt`. */
function lmFits(
  o: { order: number; size: number; hidden?: number[]; lift: ConnectionLift; polish: string },
  ctx: z.core.$RefinementCtx,
) {
  const p = connectionParameters({ ...kdvModel(o), size: o.size });
  if (o.polish === "lm" && p > MAX_LM_PARAMS) {
    ctx.addIssue({
      code: "custom",
      path: ["hidden"],
      message: `at most ${MAX_LM_PARAMS} parameters with --polish lm (these widths give ${p}; use --polish lbfgs or smaller widths)`,
      input: (o.hidden ?? []).join(","),
    });
  }
}

/**
 * The `kdv` command's model from its options: the networks' inputs (φ … ∂ₓ^order φ, lifted or not)
 * and hidden widths (none given: affine maps).
 */
export function kdvModel(o: { order: number; hidden?: number[]; lift: ConnectionLift }): {
  inputs: number;
  hidden: number[];
} {
  return { inputs: liftedInputs(o.order + 1, o.lift), hidden: o.hidden ?? [] };
}

const HIDDEN_RULE = "1 to 4 widths, each an integer in [1, 256]";

/** Hidden widths: checked here, not by the array's own schema, so a bad width is told the rule. */
function hiddenWidths(o: { hidden: number[] }, ctx: z.core.$RefinementCtx) {
  const w = o.hidden;
  if (w.length < 1 || w.length > 4 || !w.every((h) => Number.isInteger(h) && h >= 1 && h <= 256))
    ctx.addIssue({ code: "custom", path: ["hidden"], message: HIDDEN_RULE, input: w.join(",") });
}

/**
 * Restarts after a stall, resolved by {@link defaultConnectionRestarts} when not given: an
 * affine class's attempt reaches its connection about 40% of the time for KdV (seconds each), a
 * network class's never gets below the stall bar.
 */
const RESTARTS = int(0, 20)
  .optional()
  .meta({
    flag: "restarts",
    description:
      "train again from another initialisation, up to this many times, while the training 𝓛_ZC stalls at ≥ 1e-10",
    defaultText: `${FIXED_CONNECTION_BUDGET.restarts}, ${NETWORK_CLASS_RESTARTS} with --hidden`,
  });

/** `restarts` when not given: by the class (see {@link defaultConnectionRestarts}). */
function kdvRestartsResolved<O extends { hidden?: number[]; restarts?: number }>(o: O): O {
  return o.restarts !== undefined ? o : { ...o, restarts: defaultConnectionRestarts(o.hidden ?? []) };
}

/** Options of `learnKdvConnection` (`physml integrability kdv`) that the command line sets. */
export const kdvOptionsSchema = z
  .object({
    order: int(1, 4)
      .default(2)
      .meta({ flag: "order", description: "feature order: the networks see φ, φ_x, …, ∂ₓ^order φ" }),
    size: int(2, 4).default(2).meta({ flag: "size", description: "matrix size n of A_x and A_t" }),
    // affine on the quadratic lift contains the AKNS connection (A_t has φ²): it passes for seeds
    // 0-2 where tanh MLPs [8, 8] on the features failed the monodromy check (measured)
    hidden: z.array(z.number()).optional().meta({
      flag: "hidden",
      description: "hidden widths of both tanh networks (comma-separated)",
      defaultText: "none: affine maps",
      rule: HIDDEN_RULE,
    }),
    lift: z.enum(CONNECTION_LIFTS).default("quadratic").meta({
      flag: "lift",
      description: "network inputs: the features (none) or with their pairwise products (quadratic)",
    }),
    lossTerms: z
      .enum(Object.keys(KDV_LOSS_TERMS) as [KdvLossTerms, ...KdvLossTerms[]])
      .default("field")
      .meta({
        flag: "loss-terms",
        description:
          "the paper's total loss α₁𝓛_ZC + α₂𝓛_L + α₃𝓛_LM + α₄𝓛_MC (paper), or with the hinges 𝓛_NA and 𝓛_K against abelian and solvable flat connections (field)",
      }),
    samples: int(64, 65_536)
      .default(CONNECTION_SAMPLES)
      .meta({ flag: "samples", description: "training points (x, t)" }),
    adamSteps: int(0, 100_000).default(200).meta({ flag: "steps", description: "Adam steps" }),
    polishIter: int(0, 10_000)
      .default(60)
      .meta({ flag: "polish-iter", description: "polish iterations after Adam" }),
    restarts: RESTARTS,
    polish: z.enum(["lm", "lbfgs"]).default("lm").meta({
      flag: "polish",
      description: "polish after Adam: lm (Levenberg–Marquardt, small models) or lbfgs",
    }),
    lr: z.number().min(1e-6).max(1).default(3e-3).meta({ flag: "lr", description: "Adam's learning rate" }),
    data: z
      .object({
        trajectories: int(2, 24).default(6).meta({
          flag: "trajectories",
          description:
            "training trajectories (as many held out); they cycle soliton, two solitons, smooth wave",
        }),
        n: gridPoints()
          .default(256)
          .meta({ flag: "grid-points", description: "grid points over the period 40" }),
        time: z
          .number()
          .min(0.01)
          .max(10)
          .default(2)
          .meta({ flag: "trajectory-time", description: "length of each trajectory" }),
        snapshots: int(2, 101)
          .default(11)
          .meta({ flag: "snapshots", description: "snapshots per trajectory, t = 0 included" }),
      })
      .default({ trajectories: 6, n: 256, time: 2, snapshots: 11 }),
    seed: seedOption(0),
  })
  .strict()
  .overwrite(kdvRestartsResolved)
  .superRefine(optionalHiddenWidths)
  .superRefine(lmFits);

/** The networks' inputs of a field system: its features, with their pairwise products when lifted. */
export function connectionInputs(system: FieldConnectionSystemName, lift?: ConnectionLift): number {
  const s = fieldConnectionSetup(system);
  return liftedInputs(s.system.featureNames.length, lift ?? s.lift);
}

/** Levenberg–Marquardt's parameter limit for the connection command's model. */
function connectionLmFits(
  o: {
    system: FieldConnectionSystemName;
    size?: number;
    hidden?: number[];
    lift?: ConnectionLift;
    polish: string;
  },
  ctx: z.core.$RefinementCtx,
) {
  const s = fieldConnectionSetup(o.system);
  const p = connectionParameters({
    inputs: connectionInputs(o.system, o.lift),
    size: o.size ?? s.size,
    hidden: o.hidden ?? s.hidden,
  });
  if (o.polish === "lm" && p > MAX_LM_PARAMS)
    ctx.addIssue({
      code: "custom",
      path: ["hidden"],
      message: `at most ${MAX_LM_PARAMS} parameters with --polish lm (this model has ${p}; use --polish lbfgs, smaller widths or --lift none)`,
      input: (o.hidden ?? s.hidden).join(","),
    });
}

/** The grid sizes the system takes (Heisenberg's stop at 512: its step, and so its work, grows with N). */
function connectionGridFits(
  o: { system: FieldConnectionSystemName; data: { n?: number } },
  ctx: z.core.$RefinementCtx,
) {
  const allowed: readonly number[] = fieldConnectionSetup(o.system).system.gridPoints ?? FIELD_GRID_POINTS;
  if (o.data.n !== undefined && !allowed.includes(o.data.n))
    ctx.addIssue({
      code: "custom",
      path: ["data", "n"],
      message: `one of ${allowed.join(" | ")} with --system ${o.system}`,
      input: o.data.n,
    });
}

/** Hidden widths when given: 1 to 4, each in [1, 256] (absent: the system's affine default). */
function optionalHiddenWidths(o: { hidden?: number[] }, ctx: z.core.$RefinementCtx) {
  if (o.hidden !== undefined) hiddenWidths({ hidden: o.hidden }, ctx);
}

const SPECTRAL_RANGE_RULE = `two numbers a,b: with --system kdv ${SPECTRAL_RANGE_RULES.kdv}; with --system sine-gordon ${SPECTRAL_RANGE_RULES["sine-gordon"]}; with --system heisenberg ${SPECTRAL_RANGE_RULES.heisenberg}; only with the system's default model (no --hidden, --lift or --size)`;

/**
 * `--spectral-range a,b`: KdV's affine-on-lift class, sine-Gordon's affine class and Heisenberg's
 * so(3) affine-on-lift class, each within its rule ({@link SPECTRAL_RANGE_RULES}); the message
 * names the system's rule.
 */
function spectralRangeFits(
  o: {
    system: FieldConnectionSystemName;
    spectralRange?: number[];
    hidden?: number[];
    lift?: string;
    size?: number;
  },
  ctx: z.core.$RefinementCtx,
) {
  const r = o.spectralRange;
  if (r === undefined) return;
  const issue = (message: string) =>
    ctx.addIssue({ code: "custom", path: ["spectralRange"], message, input: r.join(",") });
  const defaults = o.hidden === undefined && o.lift === undefined && o.size === undefined;
  if (!spectralFamily(o.system).fits(r) || !defaults)
    issue(
      `two numbers a,b with ${SPECTRAL_RANGE_RULES[o.system]}, only with --system ${o.system}'s default model (no --hidden, --lift or --size)`,
    );
}

const hasFixedStart = (system: FieldConnectionSystemName) =>
  (FIXED_START_SYSTEMS as readonly string[]).includes(system);

const START_RULE = `random | fixed; fixed only with --spectral-range (--system ${FIXED_START_SYSTEMS.join(", ")})`;

/**
 * `start` when not given: with `--spectral-range` from the fixed-λ connection (every family has
 * that start: from it KdV's and sine-Gordon's families pass for seeds 0–11,
 * Heisenberg's for seeds 0–5; from their random draws KdV's for 5 of the 12 and the others for no measured seed;
 * MEASUREMENTS.md), else random (one connection, where it means nothing).
 */
function connectionStartResolved<
  O extends { system: FieldConnectionSystemName; spectralRange?: number[]; start?: SpectralStart },
>(o: O): O {
  if (o.start !== undefined) return o;
  const fixed = o.spectralRange !== undefined && hasFixedStart(o.system);
  return { ...o, start: fixed ? "fixed" : "random" };
}

function connectionStartFits(
  o: { system: FieldConnectionSystemName; spectralRange?: number[]; start?: SpectralStart },
  ctx: z.core.$RefinementCtx,
) {
  if (o.start === "fixed" && (o.spectralRange === undefined || !hasFixedStart(o.system)))
    ctx.addIssue({ code: "custom", path: ["start"], message: START_RULE, input: o.start });
}

/**
 * `physml integrability connection`'s training budget when its flags are not given: one connection,
 * the family A(λ) from a random start (`--spectral-range`), which needs more
 * ({@link SPECTRAL_CONNECTION_BUDGET}), and the family from the fixed-λ connection (`--start fixed`,
 * {@link SPECTRAL_FROM_FIXED_BUDGET}).
 */
export const CONNECTION_TRAINING_DEFAULTS = {
  fixed: {
    samples: FIXED_CONNECTION_BUDGET.samples,
    adamSteps: FIXED_CONNECTION_BUDGET.adamSteps,
    restarts: FIXED_CONNECTION_BUDGET.restarts,
  },
  spectral: SPECTRAL_CONNECTION_BUDGET,
  spectralFromFixed: SPECTRAL_FROM_FIXED_BUDGET,
} as const;

type TrainingBudget = keyof (typeof CONNECTION_TRAINING_DEFAULTS)["fixed"];

function trainingDefaultText(k: TrainingBudget): string {
  const d = CONNECTION_TRAINING_DEFAULTS;
  const fixed = k === "restarts" ? `${d.fixed[k]} (${NETWORK_CLASS_RESTARTS} with --hidden)` : d.fixed[k];
  return `${fixed}; ${d.spectral[k]} with --spectral-range, ${d.spectralFromFixed[k]} with it and --start fixed`;
}

/** The connection options with the training budget filled in from {@link CONNECTION_TRAINING_DEFAULTS}. */
export function withConnectionTraining(
  o: ConnectionOptionsInput,
): ConnectionOptionsInput & Record<TrainingBudget, number> {
  const d =
    CONNECTION_TRAINING_DEFAULTS[
      !o.spectralRange ? "fixed" : o.start === "fixed" ? "spectralFromFixed" : "spectral"
    ];
  // a family's class has no hidden layers; one connection's may
  const restarts = o.spectralRange
    ? d.restarts
    : defaultConnectionRestarts(o.hidden ?? fieldConnectionSetup(o.system).hidden);
  return {
    ...o,
    samples: o.samples ?? d.samples,
    adamSteps: o.adamSteps ?? d.adamSteps,
    restarts: o.restarts ?? restarts,
  };
}

/** Options of `learnLaxConnection` (`physml integrability connection`) that the command line sets. */
export const connectionOptionsSchema = z
  .object({
    system: z
      .enum(FIELD_CONNECTION_SYSTEMS)
      .meta({ flag: "system", description: "the field theory whose Lax connection is learned" }),
    size: int(2, 4).optional().meta({
      flag: "size",
      description: "matrix size n of A_x and A_t",
      defaultText: "2 sine-gordon and kdv, 3 heisenberg",
    }),
    hidden: z.array(z.number()).optional().meta({
      flag: "hidden",
      description: "hidden widths of both tanh networks (comma-separated)",
      defaultText: "none: affine maps",
      rule: HIDDEN_RULE,
    }),
    lift: z.enum(CONNECTION_LIFTS).optional().meta({
      flag: "lift",
      description: "network inputs: the features (none) or with their pairwise products (quadratic)",
      defaultText: "none sine-gordon, quadratic heisenberg and kdv",
    }),
    samples: int(64, 65_536)
      .optional()
      .meta({
        flag: "samples",
        description: "training points (x, t)",
        defaultText: trainingDefaultText("samples"),
      }),
    adamSteps: int(0, 100_000)
      .optional()
      .meta({ flag: "steps", description: "Adam steps", defaultText: trainingDefaultText("adamSteps") }),
    // Levenberg–Marquardt stops once converged; 20 cut off a run that converged at 51 (measured)
    polishIter: int(0, 10_000)
      .default(FIXED_CONNECTION_BUDGET.polishIter)
      .meta({ flag: "polish-iter", description: "polish iterations after Adam" }),
    polish: z.enum(["lm", "lbfgs"]).default("lm").meta({
      flag: "polish",
      description: "polish after Adam: lm (Levenberg–Marquardt, small models) or lbfgs",
    }),
    lr: z.number().min(1e-6).max(1).default(3e-3).meta({ flag: "lr", description: "Adam's learning rate" }),
    restarts: int(0, 20)
      .optional()
      .meta({ ...RESTARTS.meta(), defaultText: trainingDefaultText("restarts") }),
    spectralRange: z.array(z.number()).optional().meta({
      flag: "spectral-range",
      description:
        "learn the family A(λ), λ drawn from [a, b] per training point (kdv: A_x degree 1, A_t degree 2 in λ; sine-gordon: A(k) with powers k⁻¹ to k¹, k drawn uniformly in log |k|; heisenberg: so(3), A_x power λ¹, A_t powers λ¹ to λ², λ drawn uniformly in log |λ|), validated at five held-out λ (two outside [a, b])",
      defaultText: "none: one connection",
      rule: SPECTRAL_RANGE_RULE,
    }),
    // no zod default: connectionStartResolved fills it in from --system and --spectral-range
    start: z.enum(SPECTRAL_STARTS).optional().meta({
      flag: "start",
      description:
        "where the family's training starts (with --spectral-range): random, its seeded initialisation; fixed, the fixed-λ connection learned first (this command's budget without --spectral-range, same seed and data), kdv's whole family its Galilean boosts, sine-gordon's its Lorentz boosts, heisenberg's A_x family taken from it and A_t's solved with A_x held; then polished",
      defaultText: "fixed with --spectral-range",
      rule: START_RULE,
    }),
    data: z
      .object({
        trajectories: int(2, 24).default(6).meta({
          flag: "trajectories",
          description:
            "training trajectories (as many held out); sine-gordon cycles breather, kink-antikink, smooth; heisenberg spin wave, smooth, smooth; kdv soliton, two solitons, smooth",
        }),
        n: gridPoints().optional().meta({
          flag: "grid-points",
          description: "grid points over the period (heisenberg: at most 512; its step shrinks as 1/N²)",
          defaultText: "128; 256 kdv",
        }),
        time: z.number().min(0.01).max(10).optional().meta({
          flag: "trajectory-time",
          description: "length of each trajectory",
          defaultText: "4 sine-gordon, 1 heisenberg, 2 kdv",
        }),
        snapshots: int(2, 101)
          .default(11)
          .meta({ flag: "snapshots", description: "snapshots per trajectory, t = 0 included" }),
      })
      .default({ trajectories: 6, snapshots: 11 }),
    seed: seedOption(0),
  })
  .strict()
  .superRefine(optionalHiddenWidths)
  .superRefine(connectionGridFits)
  .superRefine(connectionLmFits)
  .superRefine(spectralRangeFits)
  .overwrite(connectionStartResolved)
  .superRefine(connectionStartFits);

/** Validated simulate options. */
export type SimulateOptionsInput = z.output<typeof simulateOptionsSchema>;
/** Validated Lax options. */
export type LaxOptionsInput = z.output<typeof laxOptionsSchema>;
/** Validated perturbation-test options. */
export type PerturbationOptionsInput = z.output<typeof perturbationOptionsSchema>;
/** Validated SCNN options. */
export type ScnnOptionsInput = z.output<typeof scnnOptionsSchema>;
/** Validated KdV-connection options. */
export type KdvOptionsInput = z.output<typeof kdvOptionsSchema>;
/** Validated field-connection options. */
export type ConnectionOptionsInput = z.output<typeof connectionOptionsSchema>;
