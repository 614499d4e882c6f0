// Deterministic helpers shared by the lattice-core tests.
import type { SquareLattice } from "../src/index.js";

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
