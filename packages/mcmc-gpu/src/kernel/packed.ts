// The replica-packed kernel's rules: 32 chains share one word per site, so they share one nn
// coupling and nothing else; it runs the 2-colouring only, no tempering, and (since it always
// takes zero-cost flips, which leaves Metropolis reducible on a side of 2, lattice-core's
// zeroCostFlipsAtHalf) lattice sides of at least 4.
import { type Couplings, PhysmlInputError, zeroCostFlipsAtHalf } from "@physml/lattice-core";
import type { KernelRules } from "./rules.js";

/** True when the replica-packed kernel can run these couplings (nn only, all chains equal). */
export function packedApplies(cs: readonly Couplings[]): boolean {
  const nn = cs[0].nn;
  return cs.every((c) => c.plaquette === 0 && c.nnn === 0 && c.field === 0 && c.nn === nn);
}

/** The packed kernel: nn-only couplings equal in all chains, 2 colours. */
export const PACKED_RULES: KernelRules = {
  kind: "packed",
  colours: 2,
  refusal({ couplings, tempering, colouring, lattice }) {
    const sidesOk = !zeroCostFlipsAtHalf({ kind: "square", Lx: lattice.Lx, Ly: lattice.Ly });
    return packedApplies(couplings) && !tempering && colouring !== 4 && sidesOk
      ? null
      : "'packed' only with nn-only couplings equal for every chain, no tempering, colouring 2 and lattice sides of at least 4";
  },
  checkFit(cs, field) {
    if (!packedApplies(cs)) {
      throw new PhysmlInputError(
        field,
        "nn-only couplings, equal for every chain (the sampler runs the packed kernel; create it with kernel: 'int')",
        "other couplings",
      );
    }
  },
  checkChain(cs, k) {
    const c = cs[k];
    if (c.plaquette !== 0 || c.nnn !== 0 || c.field !== 0) {
      throw new PhysmlInputError(
        `couplings[${k}]`,
        "nn only (plaquette = nnn = field = 0) for the packed kernel",
        JSON.stringify(c),
      );
    }
    if (c.nn !== cs[0].nn)
      throw new PhysmlInputError(
        `couplings[${k}].nn`,
        `${cs[0].nn} (equal in all chains for the packed kernel)`,
        c.nn,
      );
  },
};
