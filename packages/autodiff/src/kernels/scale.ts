// The power-of-two scale of a block, for kernels that square or multiply entries: dividing by it
// is exact (so results do not change for ordinary inputs) and brings the entries into [1, 2) at
// the top, so sums of squares and products of two entries neither overflow nor underflow.
import type { Data } from "./types.js";

/**
 * 2^⌊log₂ max|x|⌋ over `len` entries of `a` from `ao` (1 when all are zero), or 0 when an entry is
 * not finite.
 */
export function pow2Scale(a: Data, ao: number, len: number): number {
  let amax = 0;
  for (let i = 0; i < len; i++) {
    const x = a[ao + i];
    if (!Number.isFinite(x)) return 0;
    amax = Math.max(amax, Math.abs(x));
  }
  return amax > 0 ? 2 ** Math.floor(Math.log2(amax)) : 1;
}
