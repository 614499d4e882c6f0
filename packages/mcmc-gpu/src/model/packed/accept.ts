// Bernoulli masks for any number of threshold classes, bit-serially (SPEC.md "Replica-packed
// kernel"): lane ℓ of class q accepts iff the 32-bit number formed by its bits of the level
// words u_1 … u_32 is below T_q. Level m compares every lane with bit (32 − m) of its own
// class's threshold, so the classes share the level words (packedWord of rng/packed-hash.ts);
// with up to two classes this is `packedAcceptMask`, which it calls then.
import { packedAcceptMask, packedWordBits } from "../../rng/packed-hash.js";

/**
 * Accepted lanes of site `jj` (0…3) of the block with keys (r0, r1, r2): `masks[q]` are the lanes
 * of class q (disjoint), `thresholds[q]` its u32 threshold, for q < `count`. Levels stop once
 * no lane is undecided; lanes undecided after level 32 reject. Returns int32 bits.
 */
export function acceptClasses(
  r0: number,
  r1: number,
  r2: number,
  jj: number,
  masks: Int32Array,
  thresholds: Uint32Array,
  count: number,
): number {
  if (count === 1) return packedAcceptMask(r0, r1, r2, jj, masks[0], 0, thresholds[0], 0);
  if (count === 2) return packedAcceptMask(r0, r1, r2, jj, masks[0], masks[1], thresholds[0], thresholds[1]);
  let und = 0;
  for (let q = 0; q < count; q++) und |= masks[q];
  let acc = 0;
  for (let m = 0; m < 32 && und !== 0; m++) {
    const u = packedWordBits(r0, r1, r2, 4 * m + jj);
    let tm = 0;
    for (let q = 0; q < count; q++) tm |= masks[q] & ((thresholds[q] << m) >> 31);
    acc |= und & tm & ~u;
    und &= ~(u ^ tm);
  }
  return acc;
}
