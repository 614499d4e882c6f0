// What a configuration says about every chunk table at once. A table chunk O(x) on a link with
// spin product x = s_i s_j ∈ {±1} makes a path's line ψ_a = Π_ℓ O(x_ℓ) = O(+1)^{ℓ−k} O(−1)^k,
// where k counts the path's unsatisfied links (x = −1). So per configuration we keep, for each
// path, the fraction p_a[k] of its placements (all translations × the 8 square symmetries) with
// k unsatisfied links; ⟨ψ_a⟩ for any table is then a polynomial in the table's two entries.
import { PhysmlInputError } from "@physml/lattice-core";
import { type Geometry, placementLinks } from "../paths/paths.js";

/**
 * Per-configuration fractions of one path's placements in each bin: `p[c·bins + k]`. For the
 * two-entry table the bins are k = 0…ℓ unsatisfied links (bins = ℓ + 1); other chunk types bin
 * placements otherwise (see monomial-histograms.ts).
 */
export interface PathHistogram {
  path: string;
  length: number;
  bins: number;
  p: Float64Array;
}

/** The histograms of every path over `M` configurations of an L × L torus (site x + L·y). */
export function pathHistograms(
  spins: Int8Array,
  L: number,
  paths: readonly string[],
  geometry: Geometry,
): PathHistogram[] {
  const N = L * L;
  if (spins.length === 0 || spins.length % N)
    throw new PhysmlInputError("spins.length", `a positive multiple of L² = ${N}`, spins.length);
  const M = spins.length / N;
  const links = new Int8Array(2 * N);
  const tables = paths.map((p) => placementLinks(p, L, geometry));
  const out = paths.map((path) => ({
    path,
    length: path.length,
    bins: path.length + 1,
    p: new Float64Array(M * (path.length + 1)),
  }));
  for (let c = 0; c < M; c++) {
    const o = c * N;
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++) {
        const s = spins[o + x + L * y];
        links[x + L * y] = s * spins[o + ((x + 1) % L) + L * y];
        links[N + x + L * y] = s * spins[o + x + L * ((y + 1) % L)];
      }
    for (let a = 0; a < paths.length; a++) {
      const t = tables[a];
      const len = out[a].length;
      const h = out[a].p;
      const base = c * (len + 1);
      const placements = t.length / len;
      for (let q = 0; q < t.length; q += len) {
        let k = 0;
        for (let j = 0; j < len; j++) if (links[t[q + j]] < 0) k++;
        h[base + k] += 1;
      }
      for (let k = 0; k <= len; k++) h[base + k] /= placements;
    }
  }
  return out;
}

/** The count fractions averaged over the configurations whose weight is 1 in `use` (all if absent). */
export function meanHistograms(h: readonly PathHistogram[], use?: Uint8Array): Float64Array[] {
  return h.map(({ bins, p }) => {
    const m = new Float64Array(bins);
    const M = p.length / bins;
    let n = 0;
    for (let c = 0; c < M; c++) {
      if (use && !use[c]) continue;
      n++;
      for (let k = 0; k < bins; k++) m[k] += p[c * bins + k];
    }
    for (let k = 0; k < bins; k++) m[k] /= n;
    return m;
  });
}
