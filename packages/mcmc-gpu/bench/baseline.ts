// The plain single-threaded JavaScript baseline of the benchmark: one Int8Array chain,
// checkerboard Metropolis, one PCG32 word per site update, branchless flip. This is what a
// careful but straightforward JS implementation does; the sampler's kernels are compared with it.

const MUL_HI = 0x5851f42d;
const MUL_LO = 0x4c957f2d;

/** High 32 bits of the 64-bit product of two u32 (16-bit halves, no BigInt). */
function mulhi(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const lh = Math.imul(al, bh);
  const hl = Math.imul(ah, bl);
  const mid = (Math.imul(al, bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (Math.imul(ah, bh) + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

/** Runs `sweeps` checkerboard sweeps of one L×L chain at coupling `beta`; returns the spins. */
export function baselineSweeps(L: number, beta: number, sweeps: number, seed: number): Int8Array {
  const n = L * L;
  const spins = new Int8Array(n).fill(1);
  // Acceptance thresholds indexed by s·(sum of neighbours) + 4 ∈ 0…8 (ΔE = 2β·s·sum).
  const thr = new Float64Array(9);
  for (let k = -4; k <= 4; k += 2) {
    const dE = 2 * beta * k;
    thr[k + 4] = dE <= 0 ? 4294967296 : Math.floor(4294967296 * Math.exp(-dE));
  }
  // PCG32 state as two u32 halves (XSH RR output).
  let hi = seed | 0;
  let lo = 0x853c49e6;
  const incHi = 0xda3e39cb;
  const incLo = 0x94b95bdb | 1;
  for (let sw = 0; sw < sweeps; sw++) {
    for (let colour = 0; colour < 2; colour++) {
      for (let y = 0; y < L; y++) {
        const up = ((y + 1) % L) * L;
        const down = ((y + L - 1) % L) * L;
        const row = y * L;
        for (let x = (y + colour) & 1; x < L; x += 2) {
          // Output of the old state.
          const tLo = (lo >>> 18) | (hi << 14);
          const xLo = tLo ^ lo;
          const xHi = (hi >>> 18) ^ hi;
          const xs = (xLo >>> 27) | (xHi << 5);
          const rot = hi >>> 27;
          const r = ((xs >>> rot) | (xs << (-rot & 31))) >>> 0;
          // state = state · MUL + INC (mod 2^64).
          const pLo = Math.imul(lo, MUL_LO);
          const pHi = (mulhi(lo, MUL_LO) + Math.imul(lo, MUL_HI) + Math.imul(hi, MUL_LO)) | 0;
          const sLo = (pLo >>> 0) + incLo;
          lo = sLo | 0;
          hi = (pHi + incHi + (sLo > 0xffffffff ? 1 : 0)) | 0;
          const i = row + x;
          const s = spins[i];
          const sum =
            spins[row + ((x + 1) % L)] + spins[row + ((x + L - 1) % L)] + spins[up + x] + spins[down + x];
          const accept = +(r < thr[s * sum + 4]);
          spins[i] = s * (1 - 2 * accept);
        }
      }
    }
  }
  return spins;
}
