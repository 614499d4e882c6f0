// Deterministic helpers shared by the lattice-core tests.
import type { SquareLattice } from "../src/index.js";

/** SplitMix64-style 32-bit generator (seeded; same seed → same stream), uniform in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
}

/** Standard normal deviates (Box–Muller) from a uniform generator. */
export function gaussian(u: () => number): () => number {
  return () => {
    const a = 1 - u();
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };
}

/** Random ±1 configuration. */
export function randomSpins(lattice: SquareLattice, u: () => number): Int8Array {
  return Int8Array.from({ length: lattice.nSites }, () => (u() < 0.5 ? -1 : 1));
}

/** Configuration number c of 2^N: bit i set → spin i = −1. */
export function spinsOf(c: number, n: number): Int8Array {
  return Int8Array.from({ length: n }, (_, i) => ((c >> i) & 1 ? -1 : 1));
}
