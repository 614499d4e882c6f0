// The local field of O(n) spins in flat arrays, shared by the O(n) rules: lattice-core's
// stencil (one neighbour per 2-site position, its term's coupling) and the constant field
// vector Σ_t c_t·(1-site shapes of t)·e_axis. Same sums as lattice-core's `onLocalField`.
import { type Model, modelTables } from "@physml/lattice-core";

export interface FlatField {
  nb: Int32Array;
  nNb: number;
  /** Neighbour-offset index of each 2-site position. */
  bonds: Int32Array;
  /** Coupling of each position's term. */
  coupling: Float64Array;
  hConst: Float64Array;
}

export function flatField(model: Model): FlatField {
  const tb = modelTables(model);
  const n = (model.spin as { n: number }).n;
  const bonds: number[] = [];
  const coupling: number[] = [];
  const hConst = new Float64Array(n);
  tb.terms.forEach((t, ti) => {
    const c = model.terms[ti].coupling;
    for (const p of t.positions) {
      bonds.push(p.others[0]);
      coupling.push(c);
    }
    hConst[model.terms[ti].axis] += c * t.fieldCount;
  });
  return {
    nb: tb.neighbours,
    nNb: tb.neighbourOffsets.length,
    bonds: Int32Array.from(bonds),
    coupling: Float64Array.from(coupling),
    hConst,
  };
}

/** Writes the local field of site i (spins of its chain start at `base`) into `h`. */
export function localField(
  sp: Float64Array,
  base: number,
  dim: number,
  i: number,
  nb: Int32Array,
  nNb: number,
  bonds: Int32Array,
  coupling: Float64Array,
  hConst: Float64Array,
  h: Float64Array,
): void {
  for (let a = 0; a < dim; a++) h[a] = hConst[a];
  for (let p = 0; p < bonds.length; p++) {
    const jo = base + dim * nb[i * nNb + bonds[p]];
    const c = coupling[p];
    for (let a = 0; a < dim; a++) h[a] += c * sp[jo + a];
  }
}
