// The replica-packed kernel of SPEC.md on the CPU: bit b of the u32 at site i of group g is
// the spin of chain 32g + b (set = +1). One update of a site flips up to 32 chains at once:
// bitwise adders classify every lane by its ΔE, and exact Bernoulli masks for the two
// positive ΔE are drawn bit-serially, comparing the random words against the binary expansion
// of the thresholds most-significant bit first, stopping once every lane is decided.
import { philox4x32 } from "../rng/philox.js";
import type { LatticeTables } from "./tables.js";

/** Everything the packed kernel reads and writes. Arrays may live in SharedArrayBuffers. */
export interface PackedKernelState {
  tables: LatticeTables;
  /** Number of 32-chain groups. */
  groups: number;
  /** Lanes in use in the last group (1…32). */
  lastLanes: number;
  /** `[group][site]` spin words. */
  spins: Int32Array;
  /**
   * `[mode, t4, t8]` as int32 bits: mode 1 for nn > 0 (count aligned neighbours), −1 for
   * nn < 0 (count anti-aligned ones), 0 for nn = 0 (every flip accepted).
   */
  params: Int32Array;
  k0: number;
  k1: number;
}

const words = new Int32Array(4);

/** Updates the sites `cls[from … to)` of colour `k` in group `g` at sweep `n`. */
export function packedUpdateColour(
  st: PackedKernelState,
  g: number,
  n: number,
  k: number,
  from: number,
  to: number,
): void {
  const nSites = st.tables.nSites;
  const nb = st.tables.nb8;
  const cls = st.tables.classes[k];
  const sp = st.spins;
  const base = g * nSites;
  const mode = st.params[0];
  const t4 = st.params[1];
  const t8 = st.params[2];
  // Unused lanes of a partial last group never hold anyone back from the early exit.
  const lanes = g === st.groups - 1 && st.lastLanes < 32 ? (1 << st.lastLanes) - 1 : -1;
  const flipAll = mode === 0;
  const invert = mode > 0 ? -1 : 0; // aligned = ~(S ^ n) for nn > 0, anti-aligned = S ^ n for nn < 0
  const k0 = st.k0;
  const k1 = st.k1;
  for (let j = from; j < to; j++) {
    const i = cls[j];
    const o = 8 * i;
    const s = sp[base + i];
    if (flipAll) {
      sp[base + i] = ~s;
      continue;
    }
    const x0 = (s ^ sp[base + nb[o]]) ^ invert;
    const x1 = (s ^ sp[base + nb[o + 1]]) ^ invert;
    const x2 = (s ^ sp[base + nb[o + 2]]) ^ invert;
    const x3 = (s ^ sp[base + nb[o + 3]]) ^ invert;
    // Count the 4 bits per lane: c = (2·a01 + o01) + (2·a23 + o23).
    const a01 = x0 & x1;
    const o01 = x0 ^ x1;
    const a23 = x2 & x3;
    const o23 = x2 ^ x3;
    const c4 = a01 & a23; // ΔE = 8|J|
    const c3 = (a01 & o23) | (o01 & a23); // ΔE = 4|J|
    let flip = ~(c4 | c3); // ΔE ≤ 0
    let und4 = c3 & lanes;
    let und8 = c4 & lanes;
    let acc = 0;
    // Depth levels m = 1…32; word (m−1) mod 4 of Philox(key, (g, n, (d << 1) | k, i)), d = ⌊(m−1)/4⌋.
    for (let m = 1; m <= 32 && (und4 | und8) !== 0; m++) {
      const w = (m - 1) & 3;
      if (w === 0) philox4x32(k0, k1, g, n, (((m - 1) >> 2) << 1) | k, i, words);
      const u = words[w];
      const sh = 32 - m;
      if ((t4 >>> sh) & 1) {
        acc |= und4 & ~u;
        und4 &= u;
      } else {
        und4 &= ~u;
      }
      if ((t8 >>> sh) & 1) {
        acc |= und8 & ~u;
        und8 &= u;
      } else {
        und8 &= ~u;
      }
    }
    flip |= acc;
    sp[base + i] = s ^ flip;
  }
}

/** Runs sweeps `n0 … n0+count−1` on groups `[groupFrom, groupTo)`, one group at a time. */
export function packedSweeps(st: PackedKernelState, groupFrom: number, groupTo: number, n0: number, count: number): void {
  for (let g = groupFrom; g < groupTo; g++) {
    for (let n = n0; n < n0 + count; n++) {
      for (let k = 0; k < 2; k++) packedUpdateColour(st, g, n >>> 0, k, 0, st.tables.classes[k].length);
    }
  }
}

/** Copies lane b of group g into an Int8Array configuration (±1). */
export function unpackLane(st: PackedKernelState, g: number, b: number, out: Int8Array, outOffset: number): void {
  const n = st.tables.nSites;
  const sp = st.spins;
  const base = g * n;
  for (let i = 0; i < n; i++) out[outOffset + i] = ((sp[base + i] >>> b) & 1) * 2 - 1;
}

/** Writes a ±1 configuration into lane b of group g. */
export function packLane(st: PackedKernelState, g: number, b: number, src: Int8Array, srcOffset: number): void {
  const n = st.tables.nSites;
  const sp = st.spins;
  const base = g * n;
  const bit = 1 << b;
  for (let i = 0; i < n; i++) {
    sp[base + i] = src[srcOffset + i] > 0 ? sp[base + i] | bit : sp[base + i] & ~bit;
  }
}
