// The int kernel's rules: single-site integer thresholds run any couplings per chain, with
// either colouring (the 2-colouring's own limits are checked with the colouring).
import type { KernelRules } from "./rules.js";

/** The int kernel: every sampler, every couplings. */
export const INT_RULES: KernelRules = {
  kind: "int",
  colours: null,
  refusal: () => null,
  checkFit: () => {},
  checkChain: () => {},
};
