// The options of the quintic commands (`physml cy sample|donaldson`) as zod schemas: every range,
// default and rule in one place; the command line builds its flags and help from them.
import { maxMemoryOption, parseOptions, seedOption } from "@physml/lattice-core";
import { renameFields } from "@physml/runs";
import { z } from "zod";
import type { Complex } from "./complex.js";

/** Largest |ψ| of the Dwork family the commands accept. */
export const MAX_DWORK_PSI = 1e6;

const U = String.raw`(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`;
const PAIR = new RegExp(`^([+-]?${U}),([+-]?${U})$`);
const REAL = new RegExp(`^([+-]?${U})$`);
const BOTH = new RegExp(`^([+-]?${U})([+-])(${U})?i$`);
const IMAG = new RegExp(`^([+-]?)(${U})?i$`);

/** A complex number from "a", "a,b", "a+bi", "a−bi" or "bi" (blanks ignored); null if it is none of them. */
export function parseComplex(text: string): Complex | null {
  const t = text.replace(/\s+/g, "");
  let m: RegExpExecArray | null;
  let z: Complex | null = null;
  if ((m = PAIR.exec(t))) z = { re: Number(m[1]), im: Number(m[2]) };
  else if ((m = REAL.exec(t))) z = { re: Number(m[1]), im: 0 };
  else if ((m = BOTH.exec(t))) z = { re: Number(m[1]), im: (m[2] === "-" ? -1 : 1) * Number(m[3] ?? 1) };
  else if ((m = IMAG.exec(t))) z = { re: 0, im: (m[1] === "-" ? -1 : 1) * Number(m[2] ?? 1) };
  return z !== null && Number.isFinite(z.re) && Number.isFinite(z.im) ? z : null;
}

const PSI_ALLOWED = `a complex number with |ψ| ≤ ${MAX_DWORK_PSI.toExponential().replace("e+", "e")}, like 0, 10+3i or 10,3`;

/** ψ of p = Σ z_i⁵ − 5ψ Π z_i, written as text ("0", "10+3i", "10,3"). */
const psi = z
  .string()
  .transform((text, ctx): Complex => {
    const v = parseComplex(text);
    if (v === null || Math.hypot(v.re, v.im) > MAX_DWORK_PSI) {
      ctx.addIssue({ code: "custom", message: PSI_ALLOWED, input: text });
      return z.NEVER;
    }
    return v;
  })
  .default({ re: 0, im: 0 })
  .meta({
    flag: "psi",
    description: "Dwork parameter ψ of p = Σ z_i⁵ − 5ψ Π z_i (cyjax's convention)",
    allowed: PSI_ALLOWED,
    defaultText: "0",
  });

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** Options of `physml cy sample`: points on a Dwork quintic, Vol_CY and κ. */
export const cySampleOptionsSchema = z
  .object({
    psi,
    points: int(10, 10_000_000).default(100_000).meta({
      flag: "points",
      description: "number of points",
      rule: "rounded up to whole lines of 5; ≥ 2 lines for an error bar",
    }),
    seed: seedOption(1, "random seed (same seed, same points)"),
    maxMemory: maxMemoryOption,
  })
  .strict();

/** Largest degree k of the sections the commands accept. */
export const MAX_K = 8;

const K_ALLOWED = `an integer 1–${MAX_K}, or a range a..b with 1 ≤ a < b ≤ ${MAX_K} (every k from a to b)`;

/** The degrees "k" or "a..b" (a < b) as a list; null unless every k is in 1…MAX_K. */
export function parseKRange(text: string): number[] | null {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text.replace(/\s+/g, ""));
  if (m === null) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (a < 1 || b > MAX_K || (m[2] !== undefined && !(a < b))) return null;
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** Options of `physml cy donaldson`: the balanced metric of degree k (or several k) and its σ on held-out points. */
export const cyDonaldsonOptionsSchema = z
  .object({
    k: z
      .union([int(1, MAX_K), z.string()])
      .transform((v, ctx): number[] => {
        const ks = typeof v === "number" ? [v] : parseKRange(v);
        if (ks === null) {
          ctx.addIssue({ code: "custom", message: K_ALLOWED, input: v });
          return z.NEVER;
        }
        return ks;
      })
      .default([4])
      .meta({
        flag: "k",
        description:
          "degree of the sections; a range a..b runs every k and writes report.html with σ_k against cyjax's values",
        allowed: K_ALLOWED,
        defaultText: "4",
      }),
    psi,
    points: int(100, 10_000_000)
      .default(50_000)
      .meta({ flag: "points", description: "integration points of the T-operator" }),
    evalPoints: int(100, 10_000_000)
      .default(20_000)
      .meta({ flag: "eval", description: "held-out points for σ" }),
    iterations: int(0, 1000).default(10).meta({ flag: "iterations", description: "T-operator iterations" }),
    seed: seedOption(1, "random seed; held-out points use seed + 1"),
    maxMemory: maxMemoryOption,
  })
  .strict();

/** Resolved options of `physml cy donaldson` (`k` is the list of degrees to run). */
export type CyDonaldsonOptions = z.output<typeof cyDonaldsonOptionsSchema>;

/** The real ψ a ψ family may be trained on: [0, PSI_RANGE_MAX], away from the conifold ψ = 1. */
export const PSI_RANGE_MAX = 0.6;

/** A range of real ψ for a ψ-dependent model, from `from` to `to`. */
export interface PsiInterval {
  from: number;
  to: number;
}

const PSI_RANGE_ALLOWED = `a:b with 0 ≤ a < b ≤ ${PSI_RANGE_MAX} (real ψ, away from the conifold ψ = 1), like 0:0.6`;
const RANGE = new RegExp(`^(${U}):(${U})$`);

/** A range "a:b" of real ψ; null unless 0 ≤ a < b ≤ PSI_RANGE_MAX. */
export function parsePsiRange(text: string): PsiInterval | null {
  const m = RANGE.exec(text.replace(/\s+/g, ""));
  if (m === null) return null;
  const from = Number(m[1]);
  const to = Number(m[2]);
  return from >= 0 && from < to && to <= PSI_RANGE_MAX ? { from, to } : null;
}

/**
 * What `--psi-range` changes when the flags are not given: bench/psi-family.ts's measured
 * settings (k = 5, 10 000 points and 5000 held-out points per ψ, 6 epochs of batch 1000, 8
 * balancing iterations, σ target 0.02 at every held-out ψ).
 */
export const PSI_RANGE_DEFAULTS = {
  k: 5,
  points: 10_000,
  evalPoints: 5000,
  epochs: 6,
  batch: 1000,
  iterations: 8,
  target: 0.02,
} as const;

/** `input` with {@link PSI_RANGE_DEFAULTS} under it when it asks for a ψ range. */
export function withPsiRangeDefaults(input: unknown): unknown {
  const i = input as { psiRange?: unknown } | null;
  return typeof i === "object" && i !== null && i.psiRange !== undefined
    ? { ...PSI_RANGE_DEFAULTS, ...i }
    : input;
}

/** The trainable metric models of `physml cy train`. */
export const CY_MODELS = ["algebraic", "phi", "mult", "add"] as const;
/**
 * A trainable metric model: the learned-H algebraic metric, the φ-model on top of an algebraic
 * metric, or cymetric's multiplicative (g_FS ∘ (1 + NN)) and additive (g_FS + NN) metric models.
 */
export type CyModel = (typeof CY_MODELS)[number];

/**
 * Whether a metric model is built on the sections of degree k (algebraic, phi); the network
 * models (mult, add) ignore --k, so their results and reports name no degree.
 */
export const usesDegreeK = (model: CyModel): boolean => model === "algebraic" || model === "phi";

/** Options of `physml cy train`: a metric model trained on the Monge–Ampère loss, validated on held-out points. */
export const cyTrainOptionsSchema = z
  .object({
    metricModel: z.enum(CY_MODELS).default("algebraic").meta({
      flag: "model",
      description:
        "algebraic: K = (1/πk) log sᵀGs̄ with G learned; phi: K = K_alg + NN(z, z̄) with the algebraic metric of degree k as its base; mult: g = g_FS ∘ (1 + NN) and add: g = g_FS + NN, NN a Hermitian 3 × 3 of (Re z, Im z), trained on the --alpha weighted losses (--k, --iterations unused)",
    }),
    k: int(1, 8)
      .default(6)
      .meta({ flag: "k", description: "degree of the sections of the algebraic metric" }),
    psi,
    points: int(100, 10_000_000).default(20_000).meta({ flag: "points", description: "training points" }),
    evalPoints: int(100, 10_000_000).default(10_000).meta({
      flag: "eval",
      description: "held-out points (seed + 1, never trained on) for σ per epoch and the final check",
    }),
    epochs: int(1, 100_000)
      .default(5)
      .meta({ flag: "epochs", description: "passes over the training points" }),
    batch: int(10, 1_000_000).default(2000).meta({
      flag: "batch",
      description: "points per Adam step",
      rule: "at most --points",
    }),
    lr: z.number().gt(0).max(1).default(0.01).meta({
      flag: "lr",
      description: "Adam learning rate at the start (cosine decay to 5% over the run)",
    }),
    loss: z.enum(["l2", "l1"]).default("l2").meta({
      flag: "loss",
      description: "Monge–Ampère loss: l2 = Σw(rη−1)²/Σw (smooth), l1 = σ itself on the batch",
    }),
    iterations: int(0, 1000).default(10).meta({
      flag: "iterations",
      description: "T-operator iterations for the starting (balanced) metric; 0 starts from Fubini–Study",
    }),
    hidden: z.array(int(1, 1024)).min(1).max(8).default([64, 64]).meta({
      flag: "hidden",
      description: "hidden widths of the network of the phi, mult and add models (tanh)",
    }),
    alpha: z.array(z.number().min(0).max(1e6)).length(4).default([1, 1, 1, 1]).meta({
      flag: "alpha",
      description:
        "loss weights of 𝓛_MA, 𝓛_dJ (Kähler), 𝓛_T (transition) and 𝓛_vol (Vol_K) for the mult and add models (cymetric's α without Ricci)",
    }),
    target: z.number().gt(0).max(1).default(0.01).meta({
      flag: "target",
      description: "σ the final model must reach on the held-out points (else exit code 3)",
    }),
    seed: seedOption(1, "random seed; held-out points use seed + 1"),
    psiRange: z
      .string()
      .transform((text, ctx): PsiInterval => {
        const v = parsePsiRange(text);
        if (v === null) {
          ctx.addIssue({ code: "custom", message: PSI_RANGE_ALLOWED, input: text });
          return z.NEVER;
        }
        return v;
      })
      .optional()
      .meta({
        flag: "psi-range",
        description:
          "train one learned-H model G(ψ) on 5 real ψ spread over a:b and check σ at the 4 midpoints (held out); --points/--eval count per ψ, σ is reported at --psi; unless given, --k 5 --points 10000 --eval 5000 --epochs 6 --batch 1000 --iterations 8 --target 0.02",
        allowed: PSI_RANGE_ALLOWED,
      }),
    maxMemory: maxMemoryOption,
  })
  .strict()
  .refine((o) => o.batch <= o.points, { path: ["batch"], message: "at most --points" })
  .refine((o) => o.psiRange === undefined || o.metricModel === "algebraic", {
    path: ["psiRange"],
    message: "only with --model algebraic (the ψ family is a learned-H model)",
  })
  .refine(
    (o) =>
      o.psiRange === undefined ||
      (o.psi.im === 0 && o.psi.re >= o.psiRange.from && o.psi.re <= o.psiRange.to),
    { path: ["psi"], message: "a real ψ inside --psi-range (σ is reported at this ψ)" },
  );

/** A resolved configuration of `physml cy train`. */
export type CyTrainConfig = z.output<typeof cyTrainOptionsSchema>;

/** Options of `physml cy eval`: σ (and the Ricci scalar) of a trained run on fresh points. */
export const cyEvalOptionsSchema = z
  .object({
    points: int(100, 10_000_000)
      .default(20_000)
      .meta({ flag: "points", description: "fresh evaluation points" }),
    seed: seedOption(1_000_003, "seed of the fresh points (differs from any training seed by default)"),
    ricciPoints: int(0, 100_000)
      .refine((v) => v === 0 || v >= 10, "a count of 0 (no Ricci scalar) or at least 10")
      .default(500)
      .meta({
        flag: "ricci-points",
        description:
          "points for the Ricci scalar (finite differences, 73 metric evaluations each; 0 skips it)",
      }),
    maxMemory: maxMemoryOption,
  })
  .strict();

/** Resolved options of `physml cy eval`. */
export type CyEvalOptions = z.output<typeof cyEvalOptionsSchema>;

/**
 * Fields of `cy train` renamed since runs were first written (old name → current name), read from
 * older run directories' config.json and result.json under the current names. `model` was the
 * metric model, a name the CLI keeps for the physical model description (`exact model`, `mcmc`).
 */
export const CY_TRAIN_RENAMED_FIELDS: Readonly<Record<string, string>> = { model: "metricModel" };

/** `input` with a stored ψ {re, im} given back as the text "re,im" the schemas read (exact: numbers print and parse back to the same double). */
function storedPsiAsText(input: unknown): unknown {
  const i = input as { psi?: unknown } | null;
  const psi = i?.psi as Complex | undefined;
  return typeof psi === "object" && psi !== null && typeof psi.re === "number" && typeof psi.im === "number"
    ? { ...i, psi: `${psi.re},${psi.im}` }
    : input;
}

/** Resolved options of `physml cy sample`. */
export type CySampleOptions = z.output<typeof cySampleOptionsSchema>;

/** A `cy sample` configuration from its input, which may be a stored (resolved) one (ψ stored as {re, im}). */
export function resolveCySampleConfig(input: unknown): CySampleOptions {
  return parseOptions(cySampleOptionsSchema, storedPsiAsText(input));
}

/**
 * A `cy donaldson` configuration from its input, which may be a stored (resolved) one: ψ stored as
 * {re, im}, the degrees as the list [k] or [a, …, b], given back to the schema as k or "a..b".
 */
export function resolveCyDonaldsonConfig(input: unknown): CyDonaldsonOptions {
  const i = storedPsiAsText(input) as { k?: unknown } | null;
  const k = i?.k;
  const given =
    Array.isArray(k) && k.length > 0 && k.every((x, j) => typeof x === "number" && x === k[0] + j)
      ? { ...i, k: k.length === 1 ? k[0] : `${k[0]}..${k[k.length - 1]}` }
      : i;
  return parseOptions(cyDonaldsonOptionsSchema, given);
}

/**
 * A `cy train` configuration from its input, which may be a stored (resolved) one: ψ is stored as
 * {re, im} and given back to the schema as the text "re,im", a ψ range {from, to} as "from:to"
 * (exact: numbers print and parse back to the same double).
 */
export function resolveCyTrainConfig(input: unknown): CyTrainConfig {
  const given = storedPsiAsText(renameFields(input, CY_TRAIN_RENAMED_FIELDS));
  const range = (given as { psiRange?: Partial<PsiInterval> } | null)?.psiRange;
  const stored =
    typeof range === "object" &&
    range !== null &&
    typeof range.from === "number" &&
    typeof range.to === "number"
      ? { ...(given as object), psiRange: `${range.from}:${range.to}` }
      : given;
  return parseOptions(cyTrainOptionsSchema, stored);
}
