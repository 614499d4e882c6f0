// The options of the symmetry commands (`physml symmetry potential|generators|cicy|noscale`) as
// zod schemas: every range, default and rule in one place; the command line builds its flags and
// help from them.
import { maxMemoryOption, seedOption } from "@physml/lattice-core";
import { z } from "zod";
import { POTENTIALS, type PotentialName } from "./data/potentials.js";
import { defaultGeneratorKind, generatorMethod, minPointsPerClass } from "./pipeline/method.js";

/** The built-in symmetry groups of `generators`: each a potential in a dimension. */
export const BUILTIN_GROUPS = {
  so3: ["double-well", 3],
  so4: ["double-well", 4],
  so2xso2: ["so2xso2", 4],
  so3in4: ["so3in4", 4],
} as const satisfies Record<string, readonly [PotentialName, number]>;
/** A built-in group name. */
export type BuiltinGroup = keyof typeof BUILTIN_GROUPS;

const POTENTIAL_NAMES = Object.keys(POTENTIALS) as [PotentialName, ...PotentialName[]];
const GROUP_NAMES = Object.keys(BUILTIN_GROUPS) as [BuiltinGroup, ...BuiltinGroup[]];

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const seed = seedOption(1);
const perClass = (rule?: string) =>
  int(10, 1_000_000)
    .default(1000)
    .meta({ flag: "per-class", description: "points per class", ...(rule ? { rule } : {}) });

/** Options of `physml symmetry potential`. */
export const potentialOptionsSchema = z
  .object({
    potential: z
      .enum(POTENTIAL_NAMES)
      .default("double-well")
      .meta({ flag: "potential", description: "the potential whose level sets label the points" }),
    dim: int(2, 6)
      .default(3)
      .meta({ flag: "dim", description: "dimension of the points", rule: "used by double-well and on" }),
    perClass: perClass(),
    seed,
    maxMemory: maxMemoryOption,
  })
  .strict();

/** Options of `physml symmetry generators`. */
export const generatorsOptionsSchema = z
  .object({
    group: z.union([z.enum(GROUP_NAMES), z.string().regex(/\.npy$/, "a .npy path")]).meta({
      flag: "group",
      description: "a built-in group, or your labelled points (with --labels)",
      allowed: `${GROUP_NAMES.join(" | ")} or a points .npy path`,
    }),
    labels: z
      .string()
      .regex(/\.npy$/)
      .optional()
      .meta({
        flag: "labels",
        description: "labels of the points",
        allowed: "a labels .npy path",
        rule: "required with --group <points.npy>",
      }),
    method: z.enum(["planes", "tangent"]).optional().meta({
      flag: "method",
      description: "planes (the paper) or tangent (invariance constraints)",
      defaultText: "planes for so3 and so4, tangent otherwise",
    }),
    perClass: perClass(
      `built-in groups; at least what the default method's generator search needs: ${GROUP_NAMES.map(
        (g) =>
          `${g} ${minPointsPerClass(generatorMethod(defaultGeneratorKind(g), BUILTIN_GROUPS[g][1]), BUILTIN_GROUPS[g][1])}`,
      ).join(", ")}`,
    ),
    seed,
    maxMemory: maxMemoryOption,
  })
  .strict()
  .superRefine((o, ctx) => {
    const builtIn = (GROUP_NAMES as string[]).includes(o.group);
    if (!builtIn && o.labels === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["labels"],
        message: "a labels .npy path with --group <points.npy>",
        input: o.labels,
      });
    }
    if (builtIn && o.labels !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["labels"],
        message: "only with --group <points.npy>",
        input: o.labels,
      });
    }
    if (builtIn) {
      // the generator search's need, checked before any point is drawn or network trained
      const dim = BUILTIN_GROUPS[o.group as BuiltinGroup][1];
      const kind = o.method ?? defaultGeneratorKind(o.group);
      const min = minPointsPerClass(generatorMethod(kind, dim), dim);
      if (o.perClass < min) {
        ctx.addIssue({
          code: "custom",
          path: ["perClass"],
          message: `at least ${min} for ${o.group} with the ${kind} method (the points per class its generator search needs${kind === "planes" ? ", estimated" : ""})`,
          input: o.perClass,
        });
      }
    }
  });

/**
 * Fields of `physml symmetry cicy` renamed since runs were first written (old name → current
 * name), read from older run directories' config.json and result.json under the current names.
 * `model` was the network architecture, a name the CLI keeps for the physical model description
 * (`exact model`, `mcmc`).
 */
export const CICY_RENAMED_FIELDS: Readonly<Record<string, string>> = { model: "architecture" };

/** Options of `physml symmetry cicy`. */
export const cicyOptionsSchema = z
  .object({
    data: z.string().min(1).optional().meta({
      flag: "data",
      description: "the CICY list (cicy3o.json.gz) or the directory holding it",
      allowed: "a path",
      defaultText: "$PHYSML_CICY_DATA, else ../shared/data/cicy3/cicy3o.json.gz beside the repository",
    }),
    every: int(1, 10_000).default(1).meta({
      flag: "every",
      description: "use every k-th CICY of the list (26: the 303-CICY subset of the README's runs)",
    }),
    maxEpochs: int(1, 1_000_000).default(2).meta({ flag: "epochs", description: "training epochs at most" }),
    maxSeconds: z
      .number()
      .min(1)
      .max(1e7)
      .optional()
      .meta({ flag: "max-seconds", description: "stop training after this many seconds" }),
    copies: int(1, 1000)
      .default(4)
      .meta({ flag: "copies", description: "permuted copies per CICY per epoch" }),
    arrangements: int(1, 100_000).optional().meta({
      flag: "arrangements",
      description:
        "the paper's fixed augmented set: arrangements per CICY drawn once (the paper ≈ 87); stops on its training accuracy",
      defaultText: "fresh --copies draws every epoch, stopping on unseen arrangements",
      rule: "replaces --copies",
    }),
    neighbourCopies: int(2, 100).default(4).meta({
      flag: "neighbour-copies",
      description: "permuted copies per CICY embedded for the neighbour analysis (the first scored)",
      rule: "used without --arrangements (with it the analysis runs on the fixed set)",
    }),
    neighbourAnchors: int(1, 100_000).default(8).meta({
      flag: "neighbour-anchors",
      description:
        "arrangements per CICY whose neighbours are scored, when the analysis runs on the fixed set",
      rule: "used with --arrangements",
    }),
    architecture: z.enum(["mlp", "equivariant"]).default("mlp").meta({
      flag: "model",
      description: "mlp (the paper's 315-315-100-100) or equivariant (permutation-invariant by construction)",
    }),
    split: z.enum(["permutations", "cicys"]).default("permutations").meta({
      flag: "split",
      description: "test on held-out arrangements of every CICY, or on held-out CICYs",
    }),
    testFraction: z.number().min(0.01).max(0.99).default(0.2).meta({
      flag: "test-fraction",
      description: "share of CICYs held out",
      rule: "used with --split cicys",
    }),
    lr: z.number().min(1e-6).max(1).default(3e-3).meta({ flag: "lr", description: "Adam learning rate" }),
    lrDecay: z
      .number()
      .min(0.5)
      .max(1)
      .default(0.97)
      .meta({ flag: "lr-decay", description: "factor on the learning rate per epoch" }),
    batch: int(1, 65_536).default(256).meta({ flag: "batch", description: "mini-batch size" }),
    seed,
  })
  .strict();

const NAME = /^[A-Za-z_]\w*$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** "xi=0.01,a=2" → { xi: 0.01, a: 2 }; null when it is not such a list. */
export function parseParameters(text: string): Record<string, number> | null {
  const out: Record<string, number> = {};
  if (text.trim() === "") return out;
  for (const kv of text.split(",")) {
    const [k, v, ...rest] = kv.split("=").map((s) => s.trim());
    if (rest.length > 0 || !NAME.test(k ?? "") || v === undefined || !NUMBER.test(v)) return null;
    const x = Number(v);
    if (!Number.isFinite(x)) return null;
    out[k] = x;
  }
  return out;
}

/**
 * "lo:hi" with finite lo < hi; null otherwise. The points are drawn uniformly from [lo, hi), so
 * an empty range (lo = hi) has none to draw.
 */
export function parseInterval(text: string): [number, number] | null {
  const parts = text.split(":").map((s) => s.trim());
  if (parts.length !== 2 || !parts.every((p) => NUMBER.test(p))) return null;
  const [a, b] = parts.map(Number);
  return Number.isFinite(a) && Number.isFinite(b) && a < b ? [a, b] : null;
}

const INTERVAL = "lo:hi with finite lo < hi";
const interval = (flag: string, description: string, dflt: [number, number]) =>
  z
    .string()
    .transform((text, ctx): [number, number] => {
      const v = parseInterval(text);
      if (v === null) {
        ctx.addIssue({ code: "custom", message: INTERVAL, input: text });
        return z.NEVER;
      }
      return v;
    })
    .default(dflt)
    .meta({ flag, description, allowed: INTERVAL, defaultText: dflt.join(":") });

const PARAMS = "name=number[,name=number…]";

/** Options of `physml symmetry noscale`. */
export const noscaleOptionsSchema = z
  .object({
    kahler: z.string().min(1).meta({
      flag: "kahler",
      description: 'the Kähler potential, e.g. "-3*log(T + conj(T))"',
      allowed: "a Kähler potential expression",
    }),
    param: z
      .string()
      .transform((text, ctx): Record<string, number> => {
        const v = parseParameters(text);
        if (v === null) {
          ctx.addIssue({ code: "custom", message: PARAMS, input: text });
          return z.NEVER;
        }
        return v;
      })
      .default({})
      .meta({
        flag: "param",
        description: "numeric parameters of the potential, e.g. xi=0.01,a=2",
        allowed: PARAMS,
        defaultText: "none",
      }),
    points: int(1, 1_000_000).default(64).meta({ flag: "points", description: "sampled points" }),
    re: interval("re", "range of Re z", [0.5, 2]),
    im: interval("im", "range of Im z", [-1, 1]),
    seed,
  })
  .strict();
