// The packed measurement (shaders/measure_packed.wgsl) counts only distinct corner products of
// the plaquette anchored at each site; this file chooses them and assembles the 4 term sums
// and 13 shape sums from them. On a torus a sum over all translations does not change when
// the product is translated, so e.g. Σ top-link = Σ bottom-link, and the 13 shapes and 4 terms
// need only Σa, Σab, Σad, Σac, Σbd, Σabcd (plus the empty product, Σ1 = N).
import { N_TERMS, PhysmlInputError } from "@physml/lattice-core";

// Corners of the plaquette at (0,0): bit 1 a (0,0), 2 b (1,0), 4 cc (1,1), 8 d (0,1).
const CORNERS: readonly [number, number][] = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
];
// Plaquette sides (SHAPE_MASKS bits 1 bottom, 2 right, 4 top, 8 left) as corner sets.
const SIDE_CORNERS = [1 | 2, 2 | 4, 8 | 4, 1 | 8];

/** Translates a corner set so its lowest x and y are 0 (a canonical representative). */
function canonical(set: number): number {
  if (set === 0) return 0;
  const pts = CORNERS.filter((_, k) => set & (1 << k));
  const mx = Math.min(...pts.map((p) => p[0]));
  const my = Math.min(...pts.map((p) => p[1]));
  return pts.reduce(
    (m, [x, y]) => m | (1 << CORNERS.findIndex((c) => c[0] === x - mx && c[1] === y - my)),
    0,
  );
}

/** What the packed measurement counts and how to turn its counts into terms and features. */
export interface PackedMeasurePlan {
  /** Corner masks of the counted quantities (uploaded to the GPU). */
  masks: Uint32Array;
  /** Turns `[chain][sample][masks.length]` sums into terms `[..][N_TERMS]` and features `[..][13]` (÷ N). */
  assemble(raw: Int32Array, rows: number, nSites: number, terms: Float64Array, features: Float64Array): void;
}

/** The plan for the given shapes (SHAPE_MASKS: which plaquette sides each shape uses). */
export function packedMeasurePlan(shapeMasks: ArrayLike<number>): PackedMeasurePlan {
  const A = 1;
  const AB = 1 | 2;
  const AD = 1 | 8;
  const AC = 1 | 4;
  const BD = 2 | 8;
  const ABCD = 15;
  const list = [A, AB, AD, AC, BD, ABCD];
  const shapeSets = Array.from({ length: shapeMasks.length }, (_, s) => {
    let set = 0;
    for (let side = 0; side < 4; side++) if (shapeMasks[s] & (1 << side)) set ^= SIDE_CORNERS[side];
    const c = canonical(set);
    if (c !== 0 && !list.includes(c)) list.push(c);
    return c;
  });
  if (list.length > 16) throw new PhysmlInputError("shapes", "products of plaquette corners", list.length);
  const at = (set: number) => list.indexOf(set);
  const k = list.length;
  return {
    masks: Uint32Array.from(list),
    assemble(raw, rows, nSites, terms, features) {
      const nf = shapeSets.length;
      for (let r = 0; r < rows; r++) {
        const q = (set: number) => raw[r * k + at(set)];
        terms[N_TERMS * r] = q(AB) + q(AD);
        terms[N_TERMS * r + 1] = q(ABCD);
        terms[N_TERMS * r + 2] = q(AC) + q(BD);
        terms[N_TERMS * r + 3] = q(A);
        for (let s = 0; s < nf; s++)
          features[nf * r + s] = (shapeSets[s] === 0 ? nSites : q(shapeSets[s])) / nSites;
      }
    },
  };
}
