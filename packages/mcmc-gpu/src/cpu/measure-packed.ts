// Measurements of the replica-packed kernel without unpacking: every per-site quantity is a
// parity of spin words (bit set ⇔ the ±1 product is −1), so each of the 32 lanes needs only a
// count of set bits over the sites. Counting is bit-sliced: a Harley–Seal carry-save tree
// folds 8 sites into ones/twos/fours words plus one weight-8 word, which is rippled into a
// vertical counter (plane p holds bit p of all 32 lane counts). ~5 bit operations per counted
// word per site, for all 32 chains at once.
import { N_TERMS } from "@physml/lattice-core";
import { N_FEATURES, NN_SIDES, PLAQUETTE_SIDES, SHAPE_MASKS } from "./measure.js";
import { DR, type LatticeTables, R, U, UR } from "./tables.js";

// Plaquette-side subsets to count: every standard shape, plus the sides of S_nn and S_plaq.
const MASKS = [...new Set([...SHAPE_MASKS, ...NN_SIDES, PLAQUETTE_SIDES])];
const SLOT = new Int32Array(16).fill(-1);
MASKS.forEach((m, k) => {
  SLOT[m] = k;
});
const K_NNN0 = MASKS.length;
const K_NNN1 = K_NNN0 + 1;
const K_MINUS = K_NNN0 + 2; // spins equal to −1 (bit clear)
const K = K_NNN0 + 3;

/**
 * Term sums and features of the used lanes of one group, whose word of site i is
 * `spins[base + stride·i]`, written to rows `(firstChain + lane) · samples + t` (SPEC.md layout).
 */
export function measurePackedGroup(
  tables: LatticeTables,
  spins: Int32Array,
  base: number,
  stride: number,
  lanes: number,
  firstChain: number,
  t: number,
  samples: number,
  terms: Float64Array,
  features: Float64Array,
): void {
  const n = tables.nSites;
  const nb = tables.nb8;
  const planes = Math.max(1, 32 - Math.clz32(n >>> 3)); // counts of weight-8 words
  const counter = new Int32Array(K * planes);
  const ones = new Int32Array(K);
  const twos = new Int32Array(K);
  const fours = new Int32Array(K);
  const buf = new Int32Array(K * 8);
  const sub = new Int32Array(16);
  for (let i0 = 0; i0 < n; i0 += 8) {
    // Words of 8 sites (a short final block is padded with zeros, which count nothing).
    for (let j = 0; j < 8; j++) {
      const i = i0 + j;
      if (i >= n) {
        for (let k = 0; k < K; k++) buf[k * 8 + j] = 0;
        continue;
      }
      const o = 8 * i;
      const s = spins[base + stride * i];
      const sR = spins[base + stride * nb[o + R]];
      const sU = spins[base + stride * nb[o + U]];
      const sUR = spins[base + stride * nb[o + UR]];
      const b = s ^ sR;
      const r = sR ^ sUR;
      const tp = sU ^ sUR;
      const l = s ^ sU;
      sub[1] = b;
      sub[2] = r;
      sub[3] = b ^ r;
      sub[4] = tp;
      sub[5] = b ^ tp;
      sub[6] = r ^ tp;
      sub[7] = b ^ r ^ tp;
      sub[8] = l;
      for (let m = 9; m < 16; m++) sub[m] = sub[m - 8] ^ l;
      for (let k = 0; k < MASKS.length; k++) buf[k * 8 + j] = sub[MASKS[k]];
      buf[K_NNN0 * 8 + j] = s ^ sUR;
      buf[K_NNN1 * 8 + j] = s ^ spins[base + stride * nb[o + DR]];
      buf[K_MINUS * 8 + j] = ~s;
    }
    for (let k = 0; k < K; k++) {
      const w = k * 8;
      let o = ones[k];
      let tw = twos[k];
      let f = fours[k];
      // Carry-save adders: (sum, carry) of three words, sum = a^b^c, carry = majority.
      let u = o ^ buf[w];
      let tA = (o & buf[w]) | (u & buf[w + 1]);
      o = u ^ buf[w + 1];
      u = o ^ buf[w + 2];
      let tB = (o & buf[w + 2]) | (u & buf[w + 3]);
      o = u ^ buf[w + 3];
      u = tw ^ tA;
      const fA = (tw & tA) | (u & tB);
      tw = u ^ tB;
      u = o ^ buf[w + 4];
      tA = (o & buf[w + 4]) | (u & buf[w + 5]);
      o = u ^ buf[w + 5];
      u = o ^ buf[w + 6];
      tB = (o & buf[w + 6]) | (u & buf[w + 7]);
      o = u ^ buf[w + 7];
      u = tw ^ tA;
      const fB = (tw & tA) | (u & tB);
      tw = u ^ tB;
      u = f ^ fA;
      let carry = (f & fA) | (u & fB);
      f = u ^ fB;
      ones[k] = o;
      twos[k] = tw;
      fours[k] = f;
      let p = k * planes;
      while (carry !== 0) {
        const next = counter[p] & carry;
        counter[p] ^= carry;
        carry = next;
        p++;
      }
    }
  }
  // Per-lane totals: Σ over sites of the ±1 product = n − 2·(number of set bits).
  const sums = new Float64Array(K * 32);
  for (let k = 0; k < K; k++) {
    const row = k * 32;
    addBits(sums, row, ones[k], 1);
    addBits(sums, row, twos[k], 2);
    addBits(sums, row, fours[k], 4);
    for (let p = 0; p < planes; p++) addBits(sums, row, counter[k * planes + p], 8 * 2 ** p);
    for (let lane = 0; lane < 32; lane++) sums[row + lane] = n - 2 * sums[row + lane];
  }
  const nn0 = SLOT[NN_SIDES[0]] * 32;
  const nn1 = SLOT[NN_SIDES[1]] * 32;
  const pl = SLOT[PLAQUETTE_SIDES] * 32;
  for (let lane = 0; lane < lanes; lane++) {
    const row = (firstChain + lane) * samples + t;
    terms[row * N_TERMS] = sums[nn0 + lane] + sums[nn1 + lane];
    terms[row * N_TERMS + 1] = sums[pl + lane];
    terms[row * N_TERMS + 2] = sums[K_NNN0 * 32 + lane] + sums[K_NNN1 * 32 + lane];
    terms[row * N_TERMS + 3] = sums[K_MINUS * 32 + lane];
    for (let a = 0; a < N_FEATURES; a++)
      features[row * N_FEATURES + a] = sums[SLOT[SHAPE_MASKS[a]] * 32 + lane] / n;
  }
}

/** Adds `weight` to `out[row + lane]` for every set bit (lane) of `word`. */
function addBits(out: Float64Array, row: number, word: number, weight: number): void {
  let w = word;
  while (w !== 0) {
    const low = w & -w;
    out[row + 31 - Math.clz32(low)] += weight;
    w ^= low;
  }
}
