// The replica-packed kernel of SPEC.md on the CPU: bit b of the u32 at site i of group g is
// the spin of chain 32g + b (set = +1). One update of a site flips up to 32 chains at once:
// bitwise adders classify every lane by its ΔE, and Bernoulli masks for the two positive ΔE
// are drawn bit-serially, comparing random words against the binary expansion of the
// thresholds most-significant bit first, stopping once every lane is decided. The words come
// from one Philox call per block of 4 sites, keying a cheap hash per depth level (packed-hash.ts).
import { fastPhilox } from "../rng/philox-wasm.js";
import type { LatticeTables } from "./tables.js";

/** Everything the packed kernel reads and writes. Arrays may live in SharedArrayBuffers. */
export interface PackedKernelState {
  tables: LatticeTables;
  Lx: number;
  Ly: number;
  /** Number of 32-chain groups. */
  groups: number;
  /** Lanes in use in the last group (1…32). */
  lastLanes: number;
  /** Spin words: `[group][site]` (stride 1) or `[group / 4][site][group mod 4]` (stride 4). */
  spins: Int32Array;
  /**
   * Distance between the words of neighbouring sites of one group: 1, or 4 in the layout of the
   * WebAssembly SIMD kernel (4 groups side by side in one v128 per site; packed-simd.ts).
   */
  stride: 1 | 4;
  /**
   * `[mode, t4, t8]` as int32 bits: mode 1 for nn > 0 (count aligned neighbours), −1 for
   * nn < 0 (count anti-aligned ones), 0 for nn = 0 (every flip accepted).
   */
  params: Int32Array;
  k0: number;
  k1: number;
}

const rng = fastPhilox;

/** Index of the word of site 0 of group g (site i is at this + stride·i). */
export function groupBase(st: PackedKernelState, g: number): number {
  const n = st.tables.nSites;
  return st.stride === 1 ? g * n : (g >> 2) * 4 * n + (g & 3);
}
/** Spin-word index of each site of the current block still waiting for its coin (jj = j & 3). */
const pendingAt = new Int32Array(4);

/**
 * Draws the coins of the pending sites (bit jj of `pending`) of block `block` at once: the
 * block's Philox words key the level hash (4 sites in SIMD lanes), and each pending site's
 * accepted lanes are flipped. Clears the block's need masks.
 */
function flushBlock(
  sp: Int32Array,
  g: number,
  n: number,
  k: number,
  block: number,
  t4: number,
  t8: number,
  pending: number,
): void {
  rng.philox(g, n, k, block);
  const w = rng.iwords;
  rng.packedAccept4(w[0], w[1], w[2], t4, t8);
  const acc = rng.acc;
  for (let jj = 0; jj < 4; jj++) if ((pending >> jj) & 1) sp[pendingAt[jj]] ^= acc[jj];
  rng.need.fill(0);
}

/**
 * Updates sites j ∈ [from, to) of colour class `k` in group `g` at sweep `n`. The j-th site of
 * class k is in row y = ⌊j / (Lx/2)⌋ at x = 2·(j mod Lx/2) + ((y + k) mod 2) (2-colouring), so
 * the loop walks rows with computed neighbours. The random words of site j depend only on
 * (g, n, k, j), so any order or split of the class gives the same result.
 */
export function packedUpdateColour(
  st: PackedKernelState,
  g: number,
  n: number,
  k: number,
  from: number,
  to: number,
): void {
  const Lx = st.Lx;
  const Ly = st.Ly;
  const half = Lx >> 1;
  const sp = st.spins;
  const S = st.stride;
  const base = groupBase(st, g);
  const mode = st.params[0];
  const t4 = st.params[1];
  const t8 = st.params[2];
  // Unused lanes of a partial last group never hold anyone back from the early exit.
  const lanes = g === st.groups - 1 && st.lastLanes < 32 ? (1 << st.lastLanes) - 1 : -1;
  const invert = mode > 0 ? -1 : 0; // aligned = ~(S ^ n) for nn > 0, anti-aligned = S ^ n for nn < 0
  rng.setKey(st.k0, st.k1);
  const need = rng.need;
  // Sites that need a coin are collected per block (j >> 2) and decided together when the walk
  // leaves the block: sites of one colour do not interact, so deferring their flips is exact.
  // Blocks without such a site make no Philox call.
  let block = -1;
  let pending = 0;
  let j = from;
  let y = Math.floor(j / half);
  let m = j - y * half;
  while (j < to) {
    const row = base + y * Lx * S;
    const up = base + (y + 1 === Ly ? 0 : y + 1) * Lx * S;
    const down = base + (y === 0 ? Ly - 1 : y - 1) * Lx * S;
    const x0 = (y + k) & 1;
    const mEnd = Math.min(half, m + (to - j));
    const jRow = j - m; // class position of column 0 of this row
    j += mEnd - m;
    for (; m < mEnd; m++) {
      const x = 2 * m + x0;
      const xs = x * S;
      const s = sp[row + xs];
      if (mode === 0) {
        sp[row + xs] = ~s; // nn = 0: ΔE = 0, every flip is accepted
        continue;
      }
      const x0b = s ^ sp[row + (x + 1 === Lx ? 0 : xs + S)] ^ invert;
      const x1b = s ^ sp[up + xs] ^ invert;
      const x2b = s ^ sp[row + (x === 0 ? (Lx - 1) * S : xs - S)] ^ invert;
      const x3b = s ^ sp[down + xs] ^ invert;
      // Count the 4 bits per lane: c = (2·a01 + o01) + (2·a23 + o23).
      const a01 = x0b & x1b;
      const o01 = x0b ^ x1b;
      const a23 = x2b & x3b;
      const o23 = x2b ^ x3b;
      const c4 = a01 & a23; // ΔE = 8|J|
      const c3 = (a01 & o23) | (o01 & a23); // ΔE = 4|J|
      sp[row + xs] = s ^ ~(c4 | c3); // lanes with ΔE ≤ 0 flip now
      const und4 = c3 & lanes;
      const und8 = c4 & lanes;
      if ((und4 | und8) !== 0) {
        // Bit-serial Bernoulli masks (SPEC.md): the block keys are Philox(key, (g, n, k, j >> 2)),
        // level m of site j uses packedWord(keys, 4·(m − 1) + (j & 3)).
        const jc = jRow + m;
        if (jc >> 2 !== block) {
          if (pending !== 0) flushBlock(sp, g, n, k, block, t4, t8, pending);
          block = jc >> 2;
          pending = 0;
        }
        const jj = jc & 3;
        need[jj] = und4;
        need[4 + jj] = und8;
        pendingAt[jj] = row + xs;
        pending |= 1 << jj;
      }
    }
    m = 0;
    y++;
  }
  if (pending !== 0) flushBlock(sp, g, n, k, block, t4, t8, pending);
}

/** Runs sweeps `n0 … n0+count−1` on groups `[groupFrom, groupTo)`, one group at a time. */
export function packedSweeps(
  st: PackedKernelState,
  groupFrom: number,
  groupTo: number,
  n0: number,
  count: number,
): void {
  for (let g = groupFrom; g < groupTo; g++) {
    for (let n = n0; n < n0 + count; n++) {
      for (let k = 0; k < 2; k++) packedUpdateColour(st, g, n >>> 0, k, 0, st.tables.classes[k].length);
    }
  }
}

/** Copies lane b of group g into an Int8Array configuration (±1). */
export function unpackLane(
  st: PackedKernelState,
  g: number,
  b: number,
  out: Int8Array,
  outOffset: number,
): void {
  const n = st.tables.nSites;
  const sp = st.spins;
  const base = groupBase(st, g);
  const S = st.stride;
  for (let i = 0; i < n; i++) out[outOffset + i] = ((sp[base + S * i] >>> b) & 1) * 2 - 1;
}

/** Writes a ±1 configuration into lane b of group g. */
export function packLane(
  st: PackedKernelState,
  g: number,
  b: number,
  src: Int8Array,
  srcOffset: number,
): void {
  const n = st.tables.nSites;
  const sp = st.spins;
  const base = groupBase(st, g);
  const S = st.stride;
  const bit = 1 << b;
  for (let i = 0; i < n; i++) {
    const w = base + S * i;
    sp[w] = src[srcOffset + i] > 0 ? sp[w] | bit : sp[w] & ~bit;
  }
}
