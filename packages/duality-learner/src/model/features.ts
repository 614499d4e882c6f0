// Link variables and shape features on plain arrays, for the target data and for diagnostics.
// (Inside training the candidate-side features are computed with autodiff tensors instead.)
import { type LinkShape, PhysmlInputError, type SquareLattice, shapeLinkTable } from "@physml/lattice-core";

/** Precomputed translation tables of a shape set on one lattice. */
export interface ShapeTables {
  shapes: readonly LinkShape[];
  /** `tables[a][i * k_a + j]`: link j of shape a translated to site i. */
  tables: Int32Array[];
}

/** Builds the translation tables of `shapes` on `lattice`. */
export function shapeTables(lattice: SquareLattice, shapes: readonly LinkShape[]): ShapeTables {
  return { shapes, tables: shapes.map((s) => shapeLinkTable(lattice, s)) };
}

/**
 * Link variables x_l = s_i s_j of `count` configurations stored `[sample][site]` in `spins`
 * (±1), returned `[sample][link]` as Float64. On a torus twisted along x (`twist[0]`) the links
 * crossing the seam x = Lx−1 → 0 carry the sign of the antiperiodic boundary (x = −s_i s_j),
 * likewise along y: the link field is then the one the twisted Hamiltonian sums.
 */
export function linkVariablesBatch(
  lattice: SquareLattice,
  spins: Int8Array,
  count: number,
  twist: readonly boolean[] = [],
): Float64Array {
  const N = lattice.nSites;
  if (spins.length !== count * N) {
    throw new PhysmlInputError("spins.length", `count·N = ${count * N}`, spins.length);
  }
  const nl = lattice.nLinks;
  const ls = lattice.linkSites;
  const out = new Float64Array(count * nl);
  for (let b = 0; b < count; b++) {
    const o = b * N;
    const q = b * nl;
    for (let l = 0; l < nl; l++) out[q + l] = spins[o + ls[2 * l]] * spins[o + ls[2 * l + 1]];
    // Link l = 2·site + dir (dir 0 to the right, 1 up).
    if (twist[0]) for (let y = 0; y < lattice.Ly; y++) out[q + 2 * (y * lattice.Lx + lattice.Lx - 1)] *= -1;
    if (twist[1])
      for (let x = 0; x < lattice.Lx; x++) out[q + 2 * ((lattice.Ly - 1) * lattice.Lx + x) + 1] *= -1;
  }
  return out;
}

/**
 * ψ_a(f) of every sample: `f` holds `count` link fields `[sample][link]`; the result is
 * `[sample][a]`.
 */
export function featuresBatch(
  lattice: SquareLattice,
  t: ShapeTables,
  f: Float64Array,
  count: number,
): Float64Array {
  const nl = lattice.nLinks;
  const N = lattice.nSites;
  if (f.length !== count * nl)
    throw new PhysmlInputError("linkFields.length", `count·2N = ${count * nl}`, f.length);
  const A = t.shapes.length;
  const out = new Float64Array(count * A);
  for (let b = 0; b < count; b++) {
    const q = b * nl;
    for (let a = 0; a < A; a++) {
      const tab = t.tables[a];
      const k = t.shapes[a].links.length;
      let sum = 0;
      for (let i = 0; i < N; i++) {
        let p = 1;
        for (let j = 0; j < k; j++) p *= f[q + tab[i * k + j]];
        sum += p;
      }
      out[b * A + a] = sum / N;
    }
  }
  return out;
}
