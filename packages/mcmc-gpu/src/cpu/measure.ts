// On-the-fly measurements (SPEC.md, "Measurements"): term sums [S_nn, S_plaq, S_nnn, M] and the
// 13 standard link-shape sums of one configuration, as exact integers.
//
// Every standard shape is a subset of the 4 sides of the plaquette anchored at a site
// (bottom, right, top, left). So one pass over the sites builds a 16-bin histogram of the
// sign pattern of those 4 link variables; each shape sum is then a signed sum over the bins.
import { PhysmlInputError, STANDARD_SHAPES } from "@physml/lattice-core";
import { DR, type LatticeTables, R, U, UR } from "./tables.js";

/** Number of standard link-shape features. */
export const N_FEATURES = STANDARD_SHAPES.length;

// Side → bit: bottom h(0,0) 1, right v(1,0) 2, top h(0,1) 4, left v(0,0) 8.
function sideBit(dx: number, dy: number, dir: number): number {
  if (dx === 0 && dy === 0 && dir === 0) return 1;
  if (dx === 1 && dy === 0 && dir === 1) return 2;
  if (dx === 0 && dy === 1 && dir === 0) return 4;
  if (dx === 0 && dy === 0 && dir === 1) return 8;
  throw new PhysmlInputError(
    "STANDARD_SHAPES",
    "shapes made of the sides of one plaquette",
    `${dx},${dy},${dir}`,
  );
}

/** `SHAPE_MASKS[a]`: the plaquette sides shape a uses. */
export const SHAPE_MASKS = Int32Array.from(STANDARD_SHAPES, (s) =>
  s.links.reduce((m, o) => m | sideBit(o.dx, o.dy, o.dir), 0),
);

/** Sides whose link products sum to S_nn over all sites: bottom and left (each link once). */
export const NN_SIDES = [1, 8] as const;
/** Sides whose link product is the plaquette term: s_p s_{p+x} s_{p+x+y} s_{p+y} = x_bottom · x_top. */
export const PLAQUETTE_SIDES = 1 | 4;

// PARITY_SIGN[mask * 16 + code] = (−1)^{popcount(mask & code)}: the product of the link
// variables of the shape when `code` marks the sides whose link variable is −1.
const PARITY_SIGN = new Int8Array(256);
for (let m = 0; m < 16; m++) {
  for (let c = 0; c < 16; c++) {
    let p = m & c;
    let bits = 0;
    while (p) {
      bits += p & 1;
      p >>= 1;
    }
    PARITY_SIGN[m * 16 + c] = bits & 1 ? -1 : 1;
  }
}

/** Turns a 16-bin histogram (of side codes) plus S_nnn and M into terms and feature sums / N. */
export function finishMeasurement(
  hist: Float64Array,
  sNnn: number,
  mag: number,
  nSites: number,
  terms: Float64Array,
  tOff: number,
  features: Float64Array,
  fOff: number,
): void {
  let sNn = 0;
  let sPlaq = 0;
  for (let code = 0; code < 16; code++) {
    const h = hist[code];
    if (h === 0) continue;
    sNn += h * (PARITY_SIGN[NN_SIDES[0] * 16 + code] + PARITY_SIGN[NN_SIDES[1] * 16 + code]);
    sPlaq += h * PARITY_SIGN[PLAQUETTE_SIDES * 16 + code];
  }
  terms[tOff] = sNn;
  terms[tOff + 1] = sPlaq;
  terms[tOff + 2] = sNnn;
  terms[tOff + 3] = mag;
  for (let a = 0; a < N_FEATURES; a++) {
    const m16 = SHAPE_MASKS[a] * 16;
    let sum = 0;
    for (let code = 0; code < 16; code++) sum += hist[code] * PARITY_SIGN[m16 + code];
    features[fOff + a] = sum / nSites;
  }
}

const hist = new Float64Array(16);

/** Measures the configuration `spins[offset … offset+N)` into `terms[tOff…+4)`, `features[fOff…+13)`. */
export function measureSpins(
  tables: LatticeTables,
  spins: Int8Array,
  offset: number,
  terms: Float64Array,
  tOff: number,
  features: Float64Array,
  fOff: number,
): void {
  const n = tables.nSites;
  const nb = tables.nb8;
  hist.fill(0);
  let sNnn = 0;
  let mag = 0;
  for (let i = 0; i < n; i++) {
    const o = 8 * i;
    const s = spins[offset + i];
    const sR = spins[offset + nb[o + R]];
    const sU = spins[offset + nb[o + U]];
    const sUR = spins[offset + nb[o + UR]];
    // Bit set ⇔ link variable −1 ⇔ the two spins differ.
    const code = (((s ^ sR) & 2) >> 1) | ((sR ^ sUR) & 2) | (((sU ^ sUR) & 2) << 1) | (((s ^ sU) & 2) << 2);
    hist[code]++;
    sNnn += s * (sUR + spins[offset + nb[o + DR]]);
    mag += s;
  }
  finishMeasurement(hist, sNnn, mag, n, terms, tOff, features, fOff);
}
