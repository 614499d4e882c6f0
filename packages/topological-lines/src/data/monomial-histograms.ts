// What a configuration says about every neighbourhood chunk at once. A chunk table O_t over the
// six link types (link-types.ts) makes a path's line ψ_a = Π_ℓ O_{t(ℓ)} = Π_t O_t^{c_t}, a monomial
// fixed by the counts c_t of each type among the path's links. So per configuration we keep, for
// each path, the fraction of its placements (translations × the 8 square symmetries) with each
// count vector; ⟨ψ_a⟩ for any table is then a polynomial in the six entries. A path of length ℓ
// has C(ℓ + 5, 5) count vectors (126 for ℓ = 4, 252 for ℓ = 5).
import { PhysmlInputError } from "@physml/lattice-core";
import { type Geometry, placementLinks } from "../paths/paths.js";
import type { PathHistogram } from "./histograms.js";
import { LINK_TYPES, linkTypes } from "./link-types.js";

/** A path's histogram over count vectors. */
export interface MonomialHistogram extends PathHistogram {
  /** Exponents: `monomials[m·6 + t]` links of type t in count vector m (bins = count vectors). */
  monomials: Uint8Array;
}

/** The count vectors of length ℓ, and the lookup from the key Σ_t c_t (ℓ+1)^t to their index. */
export function countVectors(length: number): {
  monomials: Uint8Array;
  lookup: Int32Array;
  weight: Int32Array;
} {
  const base = length + 1;
  const weight = Int32Array.from({ length: LINK_TYPES }, (_, t) => base ** t);
  const lookup = new Int32Array(base ** LINK_TYPES).fill(-1);
  const list: number[] = [];
  const c = new Array<number>(LINK_TYPES).fill(0);
  const fill = (t: number, left: number) => {
    if (t === LINK_TYPES - 1) {
      c[t] = left;
      let key = 0;
      for (let u = 0; u < LINK_TYPES; u++) key += c[u] * weight[u];
      lookup[key] = list.length / LINK_TYPES;
      list.push(...c);
      return;
    }
    for (let k = left; k >= 0; k--) {
      c[t] = k;
      fill(t + 1, left - k);
    }
  };
  fill(0, length);
  return { monomials: Uint8Array.from(list), lookup, weight };
}

/** The count-vector histograms of every path over `M` configurations of an L × L torus. */
export function monomialHistograms(
  spins: Int8Array,
  L: number,
  paths: readonly string[],
  geometry: Geometry,
): MonomialHistogram[] {
  const N = L * L;
  if (spins.length === 0 || spins.length % N)
    throw new PhysmlInputError("spins.length", `a positive multiple of L² = ${N}`, spins.length);
  const M = spins.length / N;
  const types = new Uint8Array(2 * N);
  const plan = paths.map((path) => ({
    links: placementLinks(path, L, geometry),
    ...countVectors(path.length),
  }));
  const out = paths.map((path, a): MonomialHistogram => {
    const bins = plan[a].monomials.length / LINK_TYPES;
    return { path, length: path.length, bins, monomials: plan[a].monomials, p: new Float64Array(M * bins) };
  });
  for (let c = 0; c < M; c++) {
    linkTypes(spins, c, L, types);
    for (let a = 0; a < paths.length; a++) {
      const { links, lookup, weight } = plan[a];
      const { length: len, bins, p } = out[a];
      const base = c * bins;
      const placements = links.length / len;
      for (let q = 0; q < links.length; q += len) {
        let key = 0;
        for (let j = 0; j < len; j++) key += weight[types[links[q + j]]];
        p[base + lookup[key]] += 1;
      }
      for (let k = 0; k < bins; k++) p[base + k] /= placements;
    }
  }
  return out;
}
