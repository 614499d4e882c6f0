// O(n) (unit-vector) quantities of a model description: a 2-site shape is the dot product
// s_x · s_{x+o}, a 1-site shape the component `axis` of s_x. Spins are stored [site][n] in
// Float64Array (or any array of numbers).
import { PhysmlInputError } from "../errors.js";
import { modelTables } from "./derive.js";
import type { Model } from "./types.js";

/** Throws unless the model has O(n) spins; returns n. */
export function checkOn(model: Model, field = "model.spin"): number {
  if (model.spin.kind !== "on") throw new PhysmlInputError(field, '"xy", "heisenberg" or { on: n }', "ising");
  return model.spin.n;
}

/** `S_t` for every term of the configuration `spins[offset + i·n + a]`. */
export function onTermSums(model: Model, spins: ArrayLike<number>, offset = 0): Float64Array {
  const n = checkOn(model);
  const tb = modelTables(model);
  if (spins.length < offset + n * tb.lattice.nSites) {
    throw new PhysmlInputError("spins.length", `at least ${offset + n * tb.lattice.nSites}`, spins.length);
  }
  const out = new Float64Array(tb.terms.length);
  tb.terms.forEach((t, ti) => {
    const axis = model.terms[ti].axis;
    let sum = 0;
    for (const { k, sites } of t.instances) {
      for (let x = 0; x < sites.length; x += k) {
        const a = offset + n * sites[x];
        if (k === 1) sum += spins[a + axis];
        else {
          const b = offset + n * sites[x + 1];
          for (let c = 0; c < n; c++) sum += spins[a + c] * spins[b + c];
        }
      }
    }
    out[ti] = sum;
  });
  return out;
}

/**
 * The local field h_i with `H = −s_i·h_i + (terms without i)`: Σ_t c_t (Σ over the bonds of
 * term t at i of the neighbour spin + field count · e_axis). Written into `out[0…n)`. The
 * model must not be degenerate on its lattice (no bond from a site to itself).
 */
export function onLocalField(
  model: Model,
  spins: ArrayLike<number>,
  i: number,
  out: Float64Array,
  offset = 0,
): void {
  const n = checkOn(model);
  const tb = modelTables(model);
  if (tb.degenerate)
    throw new PhysmlInputError(
      "model.lattice",
      "a lattice on which no bond joins a site to itself",
      tb.degenerate,
    );
  const nNb = tb.neighbourOffsets.length;
  out.fill(0, 0, n);
  tb.terms.forEach((t, ti) => {
    const c = model.terms[ti].coupling;
    for (const pos of t.positions) {
      const j = offset + n * tb.neighbours[i * nNb + pos.others[0]];
      for (let a = 0; a < n; a++) out[a] += c * spins[j + a];
    }
    out[model.terms[ti].axis] += c * t.fieldCount;
  });
}
