// Which Ising rule a model sampler runs: the `kernel` option against the description.
import { type Model, PhysmlInputError } from "@physml/lattice-core";
import { checkPacked, packedRefusal } from "./circuit.js";

/** Fewest chains for which `auto` picks the packed rule (one full 32-lane word). */
export const PACKED_MIN_CHAINS = 32;

/**
 * `packed` or `int` for `kernel` (`auto` by default): `packed` is checked against the
 * description (a PhysmlInputError says why it cannot run); `auto` picks packed when the
 * description fits and there are at least {@link PACKED_MIN_CHAINS} chains. O(n) models: only
 * `auto` is allowed (their rules are not Ising rules); returns `int` then, unused.
 */
export function isingKernel(kernel: unknown, model: Model, chains: number): "int" | "packed" {
  const k = kernel ?? "auto";
  if (k !== "auto" && k !== "int" && k !== "packed")
    throw new PhysmlInputError("kernel", '"auto", "int" or "packed"', k);
  if (model.spin.kind !== "ising") {
    if (k !== "auto") throw new PhysmlInputError("kernel", '"auto" for O(n) models', k);
    return "int";
  }
  if (k === "packed") {
    checkPacked(model);
    return "packed";
  }
  if (k === "int") return "int";
  return chains >= PACKED_MIN_CHAINS && packedRefusal(model) === null ? "packed" : "int";
}
