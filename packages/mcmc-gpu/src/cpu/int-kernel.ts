// The int kernel of SPEC.md on the CPU: Int8Array spins [chain][site], per-chain u32 threshold
// tables, one Philox call per 4 sites of a colour class. Works for any couplings per chain.
import { ALWAYS, THRESHOLD_CENTRE, THRESHOLDS_PER_CHAIN } from "../acceptance.js";
import { fastPhilox } from "../rng/philox-wasm.js";
import type { LatticeTables } from "./tables.js";

/** Everything the int kernel reads and writes. Arrays may live in SharedArrayBuffers. */
export interface IntKernelState {
  tables: LatticeTables;
  Lx: number;
  Ly: number;
  colours: 2 | 4;
  /** `[chain][site]`, ±1. */
  spins: Int8Array;
  /**
   * `[chain][250]` thresholds of acceptance.ts as Float64 with ALWAYS mapped to 2^32, so
   * "accept iff r < T or T = ALWAYS" is the single comparison r < T (r ≤ 2^32 − 1).
   */
  acceptBelow: Float64Array;
  k0: number;
  k1: number;
}

// Philox words land in rng.words (u32, so comparisons with thresholds are unsigned).
const rng = fastPhilox;
const words = rng.words;

/**
 * Offset from THRESHOLD_CENTRE of the table entry of spin s with neighbourhood sums a (nn),
 * q (plaquettes) and b (nnn): acceptance.ts's thresholdIndex with (x+4)/2 = x/2 + 2, the one map
 * from the stencil to a chain's table of both update loops. Its steps are literals because the
 * hot loops need them so (read from module constants, the 4-colour loop measured ~10% slower on
 * Node 20); int-kernel.test.ts checks them against thresholdIndex.
 */
export function tableOffset(s: number, a: number, q: number, b: number): number {
  return (s > 0 ? 125 : 0) + (a >> 1) * 25 + (q >> 1) * 5 + (b >> 1);
}

/**
 * Updates blocks `[blockFrom, blockTo)` (a block = 4 consecutive sites of the class, one Philox
 * call) of colour `k` in chain `c` at sweep `n`. Blocks of one colour are independent, so any
 * split of them across threads gives the same result.
 */
export function intUpdateColour(
  st: IntKernelState,
  c: number,
  n: number,
  k: number,
  blockFrom: number,
  blockTo: number,
): void {
  if (st.colours === 2) {
    intUpdateColour2(st, c, n, k, blockFrom, blockTo);
    return;
  }
  const nSites = st.tables.nSites;
  const nb = st.tables.nb8;
  const cls = st.tables.classes[k];
  const len = cls.length;
  const sp = st.spins;
  const base = c * nSites;
  const th = st.acceptBelow;
  const tb = c * THRESHOLDS_PER_CHAIN + THRESHOLD_CENTRE;
  rng.setKey(st.k0, st.k1);
  for (let blk = blockFrom; blk < blockTo; blk++) {
    // Blocks in pairs (one interleaved call) where possible; block blk reads words 4·(pair slot).
    let off = 0;
    if (blk + 1 < blockTo && (blk - blockFrom) % 2 === 0) rng.philoxNextBlock(c, n, k, blk);
    else if ((blk - blockFrom) % 2 === 1) off = 4;
    else rng.philox(c, n, k, blk);
    const j0 = blk << 2;
    const w0 = off - j0;
    const jEnd = Math.min(j0 + 4, len);
    for (let j = j0; j < jEnd; j++) {
      const i = cls[j];
      const o = 8 * i;
      const s = sp[base + i];
      const sR = sp[base + nb[o]];
      const sU = sp[base + nb[o + 1]];
      const sL = sp[base + nb[o + 2]];
      const sD = sp[base + nb[o + 3]];
      const sUR = sp[base + nb[o + 4]];
      const sUL = sp[base + nb[o + 5]];
      const sDL = sp[base + nb[o + 6]];
      const sDR = sp[base + nb[o + 7]];
      const b = sUR + sUL + sDL + sDR;
      const q = sR * sUR * sU + sL * sU * sUL + sDL * sD * sL + sD * sDR * sR;
      const idx = tableOffset(s, sR + sU + sL + sD, q, b);
      sp[base + i] = s ^ (words[w0 + j] < th[tb + idx] ? -2 : 0);
    }
  }
}

/**
 * The 2-colour case (plaquette = nnn = 0) without neighbour tables: the j-th site of colour k
 * is in row y = ⌊j / (Lx/2)⌋ at x = 2·(j mod Lx/2) + ((y + k) mod 2), so the loop walks rows.
 */
function intUpdateColour2(
  st: IntKernelState,
  c: number,
  n: number,
  k: number,
  blockFrom: number,
  blockTo: number,
): void {
  const Lx = st.Lx;
  const Ly = st.Ly;
  const half = Lx >> 1;
  const len = half * Ly;
  const sp = st.spins;
  const base = c * Lx * Ly;
  const th = st.acceptBelow;
  const tb = c * THRESHOLDS_PER_CHAIN + THRESHOLD_CENTRE;
  rng.setKey(st.k0, st.k1);
  let j = blockFrom << 2;
  const jEnd = Math.min(blockTo << 2, len);
  let y = Math.floor(j / half);
  let m = j - y * half;
  while (j < jEnd) {
    const row = base + y * Lx;
    const up = base + (y + 1 === Ly ? 0 : y + 1) * Lx;
    const down = base + (y === 0 ? Ly - 1 : y - 1) * Lx;
    const x0 = (y + k) & 1;
    const mEnd = Math.min(half, m + (jEnd - j));
    for (; m < mEnd; m++, j++) {
      // Two blocks (8 sites) per call when both are ours; word j mod 8 serves site j.
      if ((j & 7) === 0) {
        const blk = j >> 2;
        if (blk + 1 < blockTo) rng.philoxNextBlock(c, n, k, blk);
        else rng.philox(c, n, k, blk);
      } else if ((j & 7) === 4 && j === blockFrom << 2) {
        rng.philox(c, n, k, j >> 2);
        words[4] = words[0];
        words[5] = words[1];
        words[6] = words[2];
        words[7] = words[3];
      }
      const x = 2 * m + x0;
      const s = sp[row + x];
      const a =
        sp[row + (x + 1 === Lx ? 0 : x + 1)] +
        sp[row + (x === 0 ? Lx - 1 : x - 1)] +
        sp[up + x] +
        sp[down + x];
      // Branchless flip: −s = s ^ −2 for s = ±1.
      const accept = words[j & 7] < th[tb + tableOffset(s, a, 0, 0)] ? -2 : 0;
      sp[row + x] = s ^ accept;
    }
    m = 0;
    y++;
  }
}

/** Number of Philox blocks in colour class k. */
export function intBlocks(st: IntKernelState, k: number): number {
  return (st.tables.classes[k].length + 3) >> 2;
}

/** Writes the u32 thresholds of acceptance.ts in the `acceptBelow` form. */
export function toAcceptBelow(thresholds: Uint32Array, out: Float64Array): void {
  for (let i = 0; i < thresholds.length; i++) out[i] = thresholds[i] === ALWAYS ? 4294967296 : thresholds[i];
}

/** Runs sweeps `n0 … n0+count−1` on chains `[chainFrom, chainTo)`, one chain at a time (cache friendly). */
export function intSweeps(
  st: IntKernelState,
  chainFrom: number,
  chainTo: number,
  n0: number,
  count: number,
): void {
  for (let c = chainFrom; c < chainTo; c++) {
    for (let n = n0; n < n0 + count; n++) {
      for (let k = 0; k < st.colours; k++) intUpdateColour(st, c, n >>> 0, k, 0, intBlocks(st, k));
    }
  }
}
