// The update kernels of the square-lattice sampler and the one place that chooses among them.
import { PhysmlInputError } from "@physml/lattice-core";
import type { KernelKind } from "../backend.js";
import { INT_RULES } from "./int.js";
import { PACKED_RULES } from "./packed.js";
import type { KernelChoice, KernelRules } from "./rules.js";

const RULES: Readonly<Record<KernelKind, KernelRules>> = { int: INT_RULES, packed: PACKED_RULES };

/** Every kernel's name, in the order error messages list them. */
export const KERNEL_KINDS = Object.keys(RULES) as readonly KernelKind[];

/** The kernels `auto` tries, fastest first; the last one runs every sampler. */
const AUTO_ORDER: readonly KernelKind[] = ["packed", "int"];

/** The rules of kernel `kind`; a PhysmlInputError naming `kernel` for an unknown name. */
export function kernelRules(kind: unknown): KernelRules {
  if (typeof kind !== "string" || !Object.hasOwn(RULES, kind))
    throw new PhysmlInputError("kernel", KERNEL_KINDS.join(" or "), kind);
  return RULES[kind as KernelKind];
}

/**
 * The kernel a sampler runs: the one asked for (a PhysmlInputError naming `kernel` says why it
 * cannot run), or for `auto` the first of {@link AUTO_ORDER} that can.
 */
export function chooseKernel(wanted: "auto" | KernelKind, choice: KernelChoice): KernelKind {
  if (wanted !== "auto") {
    const why = kernelRules(wanted).refusal(choice);
    if (why !== null) throw new PhysmlInputError("kernel", why, wanted);
    return wanted;
  }
  const kind = AUTO_ORDER.find((k) => RULES[k].refusal(choice) === null);
  if (kind === undefined) throw new PhysmlInputError("kernel", "a kernel that runs these options", wanted);
  return kind;
}

/** The colouring of a sampler on `kind` when the caller leaves it to `auto`. */
export function autoColours(kind: KernelKind, twoColourFits: boolean): 2 | 4 {
  return RULES[kind].colours ?? (twoColourFits ? 2 : 4);
}
