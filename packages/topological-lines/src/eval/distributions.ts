// Tail probabilities of the χ² and F distributions, for the p-value of the pair-difference test,
// through stdlib's regularised incomplete gamma and beta functions evaluated as upper tails (so a
// small p-value keeps its digits instead of being 1 − cdf).
// The two stdlib functions are loaded on first use, not with the package: with their few hundred
// small modules they added ~0.2 s to the start of every `physml` command.
import { createRequire } from "node:module";
import type betaincFn from "@stdlib/math-base-special-betainc";
import type gammaincFn from "@stdlib/math-base-special-gammainc";

const require = createRequire(import.meta.url);
let special: { betainc: typeof betaincFn; gammainc: typeof gammaincFn } | undefined;
function stdlib() {
  special ??= {
    betainc: require("@stdlib/math-base-special-betainc"),
    gammainc: require("@stdlib/math-base-special-gammainc"),
  };
  return special;
}

/** P(χ²_k ≥ x). */
export function chiSquareSurvival(x: number, k: number): number {
  if (x <= 0) return 1;
  return stdlib().gammainc(x / 2, k / 2, true, true);
}

/** P(F(d1, d2) ≥ x): I_{d2/(d2 + d1·x)}(d2/2, d1/2). */
export function fSurvival(x: number, d1: number, d2: number): number {
  if (x <= 0) return 1;
  return stdlib().betainc(d2 / (d2 + d1 * x), d2 / 2, d1 / 2, true, false);
}
