// The configuration of one line-duality run (the CLI's `physml inverse line`): one zod schema
// whose fields marked `.meta({ flag, … })` become the flags, ranges and help.
import { PhysmlInputError, parseOptions, seedOption } from "@physml/lattice-core";
import { z } from "zod";
import { type LineDualityResult, lineDuality } from "./line-duality.js";

const num = (min: number, max: number) => z.number().finite().min(min).max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);

const schema = z
  .object({
    L: int(3, 256).default(12).meta({ flag: "L", description: "side of the square torus" }),
    beta: num(0.01, 3).meta({ flag: "beta", description: "nn coupling β of the original" }),
    plaquette: num(-3, 3)
      .default(0)
      .meta({ flag: "plaquette", description: "plaquette coupling κ of the original" }),
    nnn: num(-3, 3)
      .default(0)
      .meta({ flag: "nnn", description: "diagonal (next-to-nearest-neighbour) coupling λ of the original" }),
    samplesCount: int(64, 1 << 22)
      .default(4096)
      .meta({
        flag: "samples-count",
        description:
          "original configurations of the heaviest boundary sector (64 chains; twisted sectors: a share by weight)",
      }),
    dualSamplesPerChain: int(4, 1 << 16)
      .default(64)
      .meta({ flag: "dual-samples", description: "dual samples per chain (64 chains) per Newton step" }),
    boundary: z.enum(["twist-sum", "periodic"]).optional().meta({
      flag: "boundary",
      description: "twist-sum (exact KW on the torus, pure nn only) or periodic",
      defaultText: "twist-sum when κ = λ = 0, else periodic",
    }),
    endpoints: z.enum(["half", "cut-link"]).default("half").meta({
      flag: "endpoints",
      description:
        "what a line's endpoint plaquettes flip when κ or λ ≠ 0: half (their plaquette and diagonal terms half flipped: topological, exactly one dual's correlators) or cut-link (only the cut link: not topological when κ or λ ≠ 0)",
    }),
    dualTerms: z.enum(["nn+nnn", "nn+nnn+d2"]).default("nn+nnn").meta({
      flag: "dual-terms",
      description:
        "couplings of the fitted dual: nn + nnn (g3, the two-step line, is the unused check) or nn + nnn + d2 (also the straight distance-2 coupling, fitted to g3; g4, the knight's-move line, is the check)",
    }),
    kwTolerance: num(0, 1).default(0.02).meta({
      flag: "kw-tolerance",
      description: "at κ = λ = 0 the nn-only dual coupling must lie this close to β̃ (relative), else exit 3",
    }),
    seed: seedOption(1, "random seed"),
  })
  .strict();

/** The line-duality run configuration schema (zod), with CLI flag metadata. */
export const lineDualityConfigSchema = schema;
export type LineDualityConfig = z.output<typeof schema>;
export type LineDualityConfigInput = z.input<typeof schema>;

/** A line-duality result with its Kramers–Wannier check (κ = λ = 0 only). */
export interface LineDualityRunResult extends LineDualityResult {
  kwCheck?: { tolerance: number; passed: boolean };
}

/**
 * Validates, runs {@link lineDuality}, and at κ = λ = 0 checks the nn-only dual against β̃.
 * `onProgress` hears one line per finished stage (see {@link LineDualityOptions.onProgress}).
 */
export async function runLineDuality(
  input: LineDualityConfigInput,
  onProgress?: (message: string) => void,
): Promise<LineDualityRunResult> {
  const c = parseOptions(schema, input, "config");
  if (c.boundary === "twist-sum" && (c.plaquette !== 0 || c.nnn !== 0)) {
    throw new PhysmlInputError(
      "boundary",
      '"periodic" when the plaquette or nnn coupling is not 0',
      c.boundary,
    );
  }
  const r = await lineDuality({
    L: c.L,
    beta: c.beta,
    plaquette: c.plaquette,
    nnn: c.nnn,
    seed: c.seed,
    samplesCount: c.samplesCount,
    dualSamplesPerChain: c.dualSamplesPerChain,
    endpoints: c.endpoints,
    dualTerms: c.dualTerms,
    ...(c.boundary ? { boundary: c.boundary } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  return r.kw
    ? { ...r, kwCheck: { tolerance: c.kwTolerance, passed: r.kw.relativeErrorNnOnly <= c.kwTolerance } }
    : r;
}
