// inverse-ising from its tarball: couplings of a 3×3 nn + nnn model recovered from exact samples.

import { exactSamples, inverseIsing } from "@physml/inverse-ising";
import { defineModel, STANDARD_SQUARE_SHAPES } from "@physml/lattice-core";

const model = defineModel({
  spin: "ising",
  lattice: { square: [3, 3] },
  terms: [
    { name: "nn", coupling: 0.3, shapes: STANDARD_SQUARE_SHAPES.nn },
    { name: "nnn", coupling: 0.1, shapes: STANDARD_SQUARE_SHAPES.nnn },
  ],
});
const r = inverseIsing(model, exactSamples(model, 5000, 1), { blocks: 10 });
for (const [k, t] of r.terms.entries()) {
  const truth = model.terms[k].coupling;
  if (!r.converged || !(Math.abs(t.value - truth) < 4 * t.error))
    throw new Error(`${t.name}: ${t.value} ± ${t.error} vs ${truth}`);
}
console.log(
  `inverse-ising: 3×3 nn ${r.terms[0].value.toFixed(4)} ± ${r.terms[0].error.toFixed(4)} (truth 0.3)`,
);
