// The run configuration: one zod schema with defaults, so a bad value fails with a message that
// names the field and its allowed range (as a PhysmlInputError), and a run directory's
// config.json fully determines the run.
import {
  maxMemoryOption,
  PhysmlInputError,
  parseOptions,
  seedOption,
  TERM_NAMES,
} from "@physml/lattice-core";
import { z } from "zod";

const TERMS = TERM_NAMES;
/** A term of the candidate Hamiltonian H_t = −Σ_k t_k S_k. */
export type CandidateTerm = (typeof TERMS)[number];

const num = (min: number, max: number) => z.number().finite().min(min).max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);

const schema = z
  .object({
    /** Coupling β of the original model (nearest neighbour). */
    beta: num(0.01, 3).meta({
      flag: "beta",
      description: "coupling β of the original model",
      cliDefault: 0.3,
    }),
    /** Optional plaquette coupling κ of the original model. */
    plaquette: num(-2, 2)
      .default(0)
      .meta({ flag: "plaquette", description: "plaquette coupling κ of the original model" }),
    /** Optional next-nearest-neighbour (diagonal) coupling of the original model (2411.04838). */
    nnn: num(-2, 2)
      .default(0)
      .meta({ flag: "nnn", description: "next-nearest-neighbour (diagonal) coupling of the original model" }),
    /** Lattice side (both the original and the candidate lattice are L × Ly tori). */
    L: int(4, 512)
      .refine((v) => v % 2 === 0, "even")
      .default(16)
      .meta({ flag: "L", description: "lattice side (both the original and the candidate torus)" }),
    Ly: int(4, 512)
      .refine((v) => v % 2 === 0, "even")
      .optional(),
    seed: seedOption(1, "random seed (same seed, same result)"),
    backend: z
      .enum(["auto", "cpu", "webgpu"])
      .optional()
      .meta({ flag: "backend", description: "sampler backend (default PHYSML_BACKEND, else auto)" }),
    target: z
      .object({
        chains: int(1, 4096).default(64),
        warmupSweeps: int(0, 1_000_000).default(500),
        /** Measured samples per chain. */
        samples: int(2, 100_000).default(100),
        /** Sweeps between target samples. */
        every: int(1, 10_000).default(5),
        /** Replica-exchange interval in sweeps (0 = off). */
        temperingEvery: int(0, 100_000).default(0),
        /**
         * Boundary of the original torus. "twist-sum": the four Z2 boundary twists, each sampled
         * on its own chains and weighted by its exact (Kaufman) partition function, which makes
         * the Kramers–Wannier map to the periodic candidate exact on a finite torus; needs
         * plaquette = 0 and no tempering. "periodic": the plain torus (the map is then exact only
         * up to the winding sectors, ~2% in t0 on 8×8 at β = 0.6). "auto" (default): twist-sum
         * where it applies, else periodic.
         */
        boundary: z.enum(["auto", "periodic", "twist-sum"]).default("auto"),
      })
      .prefault({}),
    candidate: z
      .object({
        /** Which couplings t_k learn (the rest stay at their initial value). */
        learn: z
          .array(z.enum(TERMS))
          .min(1)
          .refine((l) => l.includes("nn") && new Set(l).size === l.length, "a list with nn, each term once")
          .default(["nn"])
          .meta({
            flag: "dual-terms",
            description: "dual couplings learned together (t0 = nn, then the others)",
            allowed: `a comma-separated list with nn of ${TERMS.join(", ")}`,
          }),
        /** Initial couplings (β-independent defaults: no knowledge of the answer). */
        init: z
          .object({
            nn: num(-5, 5).default(0.5),
            plaquette: num(-5, 5).default(0),
            nnn: num(-5, 5).default(0),
            field: num(-5, 5).default(0),
          })
          .prefault({}),
        chains: int(2, 4096).default(128).meta({
          flag: "chains",
          description: "persistent candidate chains",
          rule: "a multiple of 2 × the number of exploration starts (16 with the default 8 starts)",
        }),
        warmupSweeps: int(0, 100_000).default(100),
        /** Sweeps of the persistent chains per training step. */
        sweepsPerStep: int(1, 10_000).default(2),
        /** Measure every `every` sweeps inside a step (samples per step = chains·⌊sweepsPerStep/every⌋). */
        every: int(1, 10_000).default(1),
        /** Bound on |t_k| during training. */
        maxCoupling: num(0.1, 10).default(3),
      })
      .prefault({}),
    observable: z
      .object({
        kind: z
          .enum(["attention", "mlp"])
          .default("attention")
          .meta({ flag: "observable", description: "observable map over the candidate links" }),
        /**
         * Attention training: "exact" (hard attention with the expectation over the candidate
         * slots computed exactly and each slot's affine head solved exactly) or "gumbel" (the
         * published Gumbel-softmax scheme, all parameters by backpropagation).
         */
        mode: z
          .enum(["exact", "gumbel"])
          .default("exact")
          .meta({ flag: "mode", description: "attention training (gumbel = the published scheme)" }),
        /** Range |θ2|, θ3 ≤ headRange of the exact head search. */
        headRange: num(0.5, 50).default(6),
        /** 1: the 7 links at the ends of each link; 2: also the 16 second-order links (23). */
        window: z
          .union([z.literal(1), z.literal(2)])
          .default(1)
          .meta({ flag: "window", description: "candidate links: 1 (7 links) or 2 (23)" }),
        /** Gumbel-softmax temperature, annealed geometrically from `tauStart` to `tauEnd`. */
        tauStart: num(0.01, 10).default(1),
        tauEnd: num(0.01, 10).default(0.1),
        /** Fraction of the steps over which τ anneals. */
        tauAnnealFraction: num(0, 1).default(0.5),
        /** Straight-through hard attention (one-hot forward, soft gradient). */
        hard: z
          .boolean()
          .default(false)
          .meta({ flag: "hard", description: "straight-through hard attention" }),
        /** Add Gumbel noise to the logits (false: plain softmax attention). */
        gumbel: z.boolean().default(true),
        /**
         * Penalty λ·(softmax probability of the identity link and its pure translations), which
         * solve the problem trivially (t = β). The published value is 0.1.
         */
        identityPenalty: num(0, 100).default(1),
        logitInitStd: num(0, 10).default(0.1),
        /** Initial affine head θ2·(Σ w_k x_k) + θ3 (the published initialisation). */
        theta2Init: num(-10, 10).default(-0.25),
        theta3Init: num(-10, 10).default(0.75),
        /** Hidden widths of the MLP map (kind = "mlp"). */
        hidden: z.array(int(1, 256)).max(4).default([8]),
      })
      .prefault({}),
    /**
     * Features of the loss: "standard" (the 13 plaquette shapes of the paper), "extended" (those
     * plus the 7 star shapes — their Kramers–Wannier images — which pin t in the ordered phase),
     * or a list of shape names.
     */
    shapes: z
      .union([z.enum(["standard", "extended"]), z.array(z.string()).min(1)])
      .default("extended")
      .meta({
        flag: "shapes",
        description: "loss features: standard, extended, or comma-separated shape names",
      }),
    /**
     * Exploration: one group of chains per starting t_nn (β-independent values spanning both
     * phases), run in parallel for `steps` steps; the start with the lowest loss is refined.
     */
    explore: z
      .object({
        starts: z.array(num(-5, 5)).max(16).default([0.1, 0.2, 0.3, 0.4, 0.55, 0.7, 0.85, 1.0]),
        steps: int(0, 100_000)
          .default(150)
          .meta({ flag: "explore-steps", description: "exploration steps (0: start from t0 = 0.5 only)" }),
        /**
         * Keep each start's t fixed while its map fits (a coarse scan of the profile loss over t);
         * false lets every start descend on its own.
         */
        freezeCouplings: z.boolean().default(true),
      })
      .prefault({}),
    optimizer: z
      .object({
        /** Training steps after exploration. */
        steps: int(1, 1_000_000)
          .default(500)
          .meta({ flag: "steps", description: "training steps after exploration" }),
        /** Adam learning rate of the observable map. */
        lr: num(1e-6, 10).default(0.05),
        /**
         * Step size of the couplings: the fraction of the (Gauss–Newton or natural) step taken,
         * or Adam's learning rate with precondition "none" (use ~0.02 there).
         */
        tLr: num(1e-6, 10).default(0.3),
        /** Exact mode: steps of samples kept (reweighted to the current t) for the head fit and the t step. */
        memory: int(1, 1000).default(20),
        /**
         * Exact mode: samples of the coupling gradient — "memory" (all kept steps, reweighted) or
         * "fresh" (this step's only, with the head fitted on the earlier ones).
         */
        gradientSamples: z.enum(["memory", "fresh"]).default("memory"),
        /**
         * Exact mode with memory samples: the coupling gradient of the pooled loss
         * Σ_a (mean_a − T_a)² over the reweighted memory ("pooled", the loss the head is fitted
         * to), or the split-half product Σ_a l_a^A·l_a^B ("split-half"; unbiased per step, but on
         * reweighted memory an objective the steps can drive negative — t then runs off).
         */
        gradientEstimator: z.enum(["pooled", "split-half"]).default("pooled"),
        /** Largest change of any t_k in one preconditioned step. */
        maxStep: num(1e-4, 1).default(0.05),
        /** t stays frozen while O_θ first fits: this fraction of the exploration steps (or of the training steps without exploration). */
        freezeFraction: num(0, 0.9).default(0.1),
        /** Learning rates decay linearly from this fraction of the run to `finalLrFactor`. */
        decayStart: num(0, 1).default(0.5),
        finalLrFactor: num(0, 1).default(0.1),
        /** The reported t is the average over this final fraction of the steps. */
        averageFraction: num(0.01, 1).default(0.3),
        /**
         * Preconditioning of the t gradient: none, natural (Fisher metric Cov(S_k, S_l)) or
         * gauss-newton (JᵀJ with J_ak = Cov(ψ_a, S_k); in exact mode J with the head
         * directions projected out, i.e. Newton's step on the profile loss min_θ L).
         */
        precondition: z
          .enum(["none", "natural", "gauss-newton"])
          .default("gauss-newton")
          .meta({ flag: "precondition", description: "coupling step: none (Adam), natural or gauss-newton" }),
        /** Replace ψ_a by ψ_a − b_a (b_a the other half's mean) in the covariance: a control variate. */
        controlVariates: z.boolean().default(true),
      })
      .prefault({}),
    /**
     * The check of the learned answer (fresh samples of the learned model against the target)
     * and how often training restarts from the next exploration start when it fails.
     */
    validation: z
      .object({
        /** Largest diagonal χ² per degree of freedom of the mapped features. */
        maxChi2PerDof: num(1, 1e6).default(9),
        /** Largest pull of a single feature, in standard errors. */
        maxPull: num(1, 1e6).default(10),
        /** Trainings from the next-best exploration start after a failed validation. */
        retries: int(0, 15).default(1),
      })
      .prefault({}),
    /** Which image to converge to: any, ferro (t_nn ≥ 0) or antiferro (t_nn ≤ 0). */
    sign: z
      .enum(["any", "ferro", "antiferro"])
      .default("any")
      .meta({ flag: "sign", description: "which symmetric image to find" }),
    /** Write a checkpoint every this many steps (and at the end). */
    checkpointEvery: int(1, 1_000_000).default(10),
    /** Refuse a run estimated above this many bytes ("4G", "512M", a number); default 80% of the free memory. */
    maxMemory: maxMemoryOption,
  })
  .strict();

/**
 * The configuration schema (zod). Fields that the command line exposes carry
 * `.meta({ flag, description, rule?, cliDefault? })`; the CLI builds its flags, ranges, defaults
 * and help from them.
 */
export const dualityConfigSchema = schema;

/** A full, validated run configuration (every default filled in). */
export type DualityConfig = z.output<typeof schema>;
/** What a caller may pass: any subset, nested objects partial. */
export type DualityConfigInput = z.input<typeof schema>;

/**
 * Validates a configuration and fills in defaults. Throws `PhysmlInputError` naming the first
 * bad field (dotted path, e.g. `optimizer.steps`) and its allowed range.
 */
export function resolveConfig(input: DualityConfigInput): DualityConfig {
  const c = parseOptions(schema, input, "config");
  if (c.observable.window === 2 && Math.min(c.L, c.Ly ?? c.L) < 6) {
    throw new PhysmlInputError(
      "L",
      "an even integer >= 6 for the second-order window",
      Math.min(c.L, c.Ly ?? c.L),
    );
  }
  const starts = c.explore.starts.length > 0 && c.explore.steps > 0 ? c.explore.starts.length : 1;
  if (c.candidate.chains % (2 * starts) !== 0) {
    throw new PhysmlInputError(
      "candidate.chains",
      `a multiple of 2 × (number of exploration starts) = ${2 * starts}`,
      c.candidate.chains,
    );
  }
  if (c.sign !== "any" && (c.candidate.learn.includes("field") || c.candidate.init.field !== 0)) {
    throw new PhysmlInputError(
      "sign",
      '"any" when the candidate has a field term (x → −x is then no symmetry)',
      c.sign,
    );
  }
  return c;
}

/** The couplings learned, in term order, as indices into the term-sum vector [S_nn, S_plaq, S_nnn, M]. */
export function learnedTermIndices(config: DualityConfig): number[] {
  return TERMS.flatMap((t, k) => (config.candidate.learn.includes(t) ? [k] : []));
}

/** The update rule of a group's observable map (see train/group-state.ts). */
export type UpdateRule = "exact" | "gumbel" | "mlp";

/**
 * The update rule the configuration names: the attention map's mode ("exact": the slot-wise
 * rule; "gumbel": back-propagation), or "mlp" for the MLP map (back-propagation).
 */
export function updateRule(config: DualityConfig): UpdateRule {
  const o = config.observable;
  return o.kind === "mlp" ? "mlp" : o.mode;
}

/** Names of the four candidate terms, in term-sum order. */
export const CANDIDATE_TERMS = TERMS;
