// Whether a model is symmetric under the global spin flip s → −s (H(−s) = H(s)).
import type { Model } from "./types.js";

/**
 * True when H(−s) = H(s): every term with a nonzero coupling has only shapes of an even number
 * of sites (Ising products, O(n) dot products). A field (a one-site shape) or any other odd
 * shape breaks the symmetry. Then the magnetisation, usually the slowest mode of a local
 * sampler, enters the energy, and its slow relaxation shows in the energy's autocorrelation.
 */
export function isSpinFlipSymmetric(model: Model): boolean {
  return model.terms.every((t) => t.coupling === 0 || t.shapes.every((s) => s.length % 2 === 0));
}
