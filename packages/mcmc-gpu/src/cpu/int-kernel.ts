// The int kernel of SPEC.md on the CPU: Int8Array spins [chain][site], per-chain u32 threshold
// tables, one Philox call per 4 sites of a colour class. Works for any couplings per chain.
import { THRESHOLDS_PER_CHAIN } from "../acceptance.js";
import { philox4x32 } from "../rng/philox.js";
import type { LatticeTables } from "./tables.js";

/** Everything the int kernel reads and writes. Arrays may live in SharedArrayBuffers. */
export interface IntKernelState {
  tables: LatticeTables;
  colours: 2 | 4;
  /** `[chain][site]`, ±1. */
  spins: Int8Array;
  /** `[chain][250]` thresholds (acceptance.ts). */
  thresholds: Uint32Array;
  k0: number;
  k1: number;
}

// Scratch for the 4 Philox words (u32 view so comparisons with thresholds are unsigned).
const words = new Uint32Array(4);

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
  const nSites = st.tables.nSites;
  const nb = st.tables.nb8;
  const cls = st.tables.classes[k];
  const len = cls.length;
  const sp = st.spins;
  const base = c * nSites;
  const th = st.thresholds;
  const tb = c * THRESHOLDS_PER_CHAIN + 62; // + 62: the offsets of a = b = q = 0 in the index
  const k0 = st.k0;
  const k1 = st.k1;
  const four = st.colours === 4;
  for (let blk = blockFrom; blk < blockTo; blk++) {
    philox4x32(k0, k1, c, n, k, blk, words);
    const j0 = blk << 2;
    const jEnd = j0 + 4 < len ? j0 + 4 : len;
    for (let j = j0; j < jEnd; j++) {
      const i = cls[j];
      const o = 8 * i;
      const s = sp[base + i];
      const sR = sp[base + nb[o]];
      const sU = sp[base + nb[o + 1]];
      const sL = sp[base + nb[o + 2]];
      const sD = sp[base + nb[o + 3]];
      // idx = (s>0)·125 + (a/2)·25 + (b/2)·5 + q/2 + 62 (SPEC index with (x+4)/2 = x/2 + 2).
      let idx = (s > 0 ? 125 : 0) + ((sR + sU + sL + sD) >> 1) * 25;
      if (four) {
        const sUR = sp[base + nb[o + 4]];
        const sUL = sp[base + nb[o + 5]];
        const sDL = sp[base + nb[o + 6]];
        const sDR = sp[base + nb[o + 7]];
        const b = sUR + sUL + sDL + sDR;
        const q = sR * sUR * sU + sL * sU * sUL + sDL * sD * sL + sD * sDR * sR;
        idx += (b >> 1) * 5 + (q >> 1);
      }
      const t = th[tb + idx];
      if (words[j - j0] < t || t === 0xffffffff) sp[base + i] = -s;
    }
  }
}

/** Number of Philox blocks in colour class k. */
export function intBlocks(st: IntKernelState, k: number): number {
  return (st.tables.classes[k].length + 3) >> 2;
}

/** Runs sweeps `n0 … n0+count−1` on chains `[chainFrom, chainTo)`, one chain at a time (cache friendly). */
export function intSweeps(st: IntKernelState, chainFrom: number, chainTo: number, n0: number, count: number): void {
  for (let c = chainFrom; c < chainTo; c++) {
    for (let n = n0; n < n0 + count; n++) {
      for (let k = 0; k < st.colours; k++) intUpdateColour(st, c, n >>> 0, k, 0, intBlocks(st, k));
    }
  }
}
