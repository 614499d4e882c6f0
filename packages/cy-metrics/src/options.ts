// The options of the quintic commands (`physml cy sample|donaldson`) as zod schemas: every range,
// default and rule in one place; the command line builds its flags and help from them.
import { maxMemoryOption } from "@physml/lattice-core";
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
    seed: int(0, 2 ** 53 - 1)
      .default(1)
      .meta({ flag: "seed", description: "random seed (same seed, same points)" }),
    maxMemory: maxMemoryOption,
  })
  .strict();

/** Options of `physml cy donaldson`: the balanced metric of degree k and its σ on held-out points. */
export const cyDonaldsonOptionsSchema = z
  .object({
    k: int(1, 8).default(4).meta({ flag: "k", description: "degree of the sections" }),
    psi,
    points: int(100, 10_000_000)
      .default(50_000)
      .meta({ flag: "points", description: "integration points of the T-operator" }),
    evalPoints: int(100, 10_000_000)
      .default(20_000)
      .meta({ flag: "eval", description: "held-out points for σ" }),
    iterations: int(0, 1000).default(10).meta({ flag: "iterations", description: "T-operator iterations" }),
    seed: int(0, 2 ** 53 - 2)
      .default(1)
      .meta({ flag: "seed", description: "random seed; held-out points use seed + 1" }),
    maxMemory: maxMemoryOption,
  })
  .strict();
