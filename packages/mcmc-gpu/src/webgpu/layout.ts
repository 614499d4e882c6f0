// CPU side of the GPU memory layout (shaders/layout.wgsl): spins are stored colour class by
// colour class, so a site's storage slot is `class·(N/C) + j` with j its position in the class.
// These helpers convert between that layout and the `[chain][site]` ±1 arrays of the API.
import type { SquareLattice } from "@physml/lattice-core";

/** `slots[i]`: the storage slot of site i within a chain's (or group's) block of N words. */
export function slotTable(lattice: SquareLattice, colours: 2 | 4): Int32Array {
  const classes = lattice.colourClasses(colours);
  const size = lattice.nSites / colours;
  const slots = new Int32Array(lattice.nSites);
  classes.forEach((cls, k) => {
    for (let j = 0; j < cls.length; j++) slots[cls[j]] = k * size + j;
  });
  return slots;
}

/** `[chain][site]` ±1 → i32 words in the int-kernel layout. */
export function toIntLayout(spins: Int8Array, chains: number, slots: Int32Array): Int32Array {
  const n = slots.length;
  const out = new Int32Array(chains * n);
  for (let c = 0; c < chains; c++) {
    const base = c * n;
    for (let i = 0; i < n; i++) out[base + slots[i]] = spins[base + i];
  }
  return out;
}

/**
 * Int-kernel words → ±1 spins: site i of chain c goes to `out[offset + c·chainStride + i]`
 * (defaults: a fresh `[chain][site]` array).
 */
export function fromIntLayout(
  words: Int32Array,
  chains: number,
  slots: Int32Array,
  out: Int8Array = new Int8Array(chains * slots.length),
  offset = 0,
  chainStride = slots.length,
): Int8Array {
  const n = slots.length;
  for (let c = 0; c < chains; c++) {
    const src = c * n;
    const dst = offset + c * chainStride;
    for (let i = 0; i < n; i++) out[dst + i] = words[src + slots[i]];
  }
  return out;
}

/** Number of 32-chain groups of the packed kernel. */
export function groupCount(chains: number): number {
  return Math.ceil(chains / 32);
}

/** `[chain][site]` ±1 → one u32 per (group, slot), bit b = chain 32g + b (set = +1); unused lanes 0. */
export function toPackedLayout(spins: Int8Array, chains: number, slots: Int32Array): Uint32Array {
  const n = slots.length;
  const out = new Uint32Array(groupCount(chains) * n);
  for (let c = 0; c < chains; c++) {
    const base = (c >> 5) * n;
    const bit = 1 << (c & 31);
    for (let i = 0; i < n; i++) if (spins[c * n + i] > 0) out[base + slots[i]] |= bit;
  }
  return out;
}

/** Packed words → ±1 spins of the first `chains` lanes, placed as in {@link fromIntLayout}. */
export function fromPackedLayout(
  words: Uint32Array,
  chains: number,
  slots: Int32Array,
  out: Int8Array = new Int8Array(chains * slots.length),
  offset = 0,
  chainStride = slots.length,
): Int8Array {
  const n = slots.length;
  for (let c = 0; c < chains; c++) {
    const src = (c >> 5) * n;
    const dst = offset + c * chainStride;
    const sh = c & 31;
    for (let i = 0; i < n; i++) out[dst + i] = ((words[src + slots[i]] >>> sh) & 1) * 2 - 1;
  }
  return out;
}
