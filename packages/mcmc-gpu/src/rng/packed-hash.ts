// The cheap counter-based words of the replica-packed kernel (SPEC.md "Replica-packed kernel").
// One Philox4x32-10 call per block of 4 sites supplies three independent uniform round keys;
// every depth level of every site in the block is then one evaluation of a 2-round
// key-alternating cipher over the public bijection lowbias32 (4 multiplies instead of Philox's
// 20 full 32×32→64 products). Pure functions of their inputs: no state between sites.

/**
 * lowbias32 (C. Wellons, hash-prospector): a bijective multiply–xorshift mixer on u32.
 * Returns a u32 (as a non-negative number).
 */
export function lowbias32(v: number): number {
  return mix(v) >>> 0;
}

/** lowbias32 as an int32 (the same bits), for the int32 arithmetic of the loops below. */
function mix(v: number): number {
  let x = v ^ (v >>> 16);
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return x ^ (x >>> 16);
}

/**
 * The packed kernel's random word for code `c` of a block with Philox words (r0, r1, r2):
 * `lowbias32(lowbias32(c ^ r0) ^ r1) ^ r2`. Site `jj = j mod 4` of the block at depth level
 * m = 1…32 uses `c = 4·(m − 1) + jj`. Returns a u32.
 */
export function packedWord(r0: number, r1: number, r2: number, c: number): number {
  return packedWordBits(r0, r1, r2, c) >>> 0;
}

/**
 * {@link packedWord}'s bits as an int32, for the accept masks' innermost loops: int32 arithmetic
 * throughout, and small enough that V8 inlines it (and `mix`) there, so the loops run as fast as
 * with the hash written out in each (node --trace-turbo-inlining shows the inlining).
 */
export function packedWordBits(r0: number, r1: number, r2: number, c: number): number {
  return mix(mix(c ^ r0) ^ r1) ^ r2;
}

/**
 * The accepted-lane mask of one site of the packed kernel (SPEC.md): lanes in `need4` accept
 * with probability T4/2^32 and lanes in `need8` with T8/2^32 (given uniform independent
 * words), drawn bit-serially from the words of block keys (r0, r1, r2) for site `jj` of the
 * block; T4, T8 are u32 thresholds (as numbers). Levels stop once no lane is undecided; lanes
 * still undecided after level 32 reject. Returns int32 bits.
 */
export function packedAcceptMask(
  r0: number,
  r1: number,
  r2: number,
  jj: number,
  need4: number,
  need8: number,
  t4: number,
  t8: number,
): number {
  let und = need4 | need8;
  let acc = 0;
  // The sign bits of s4, s8 are the thresholds' bits of the current level (MSB first).
  let s4 = t4 | 0;
  let s8 = t8 | 0;
  for (let c = jj; c < 128 && und !== 0; c += 4) {
    const u = packedWordBits(r0, r1, r2, c);
    // Per lane: threshold bit 1 → accept if u's bit is 0, else undecided; bit 0 → reject if
    // u's bit is 1, else undecided.
    const tm = (need4 & (s4 >> 31)) | (need8 & (s8 >> 31));
    s4 <<= 1;
    s8 <<= 1;
    acc |= und & tm & ~u;
    und &= ~(u ^ tm);
  }
  return acc;
}
