// Initial configurations of SPEC.md ("Initial state"), built on the CPU and uploaded once.
import { philox4x32, philoxKey } from "../rng/philox.js";

/**
 * `[chain][site]` ±1 spins: all +1 for `cold`; for `hot`, site i of chain c is +1 iff word
 * (i mod 4) of Philox(key, (c, 0xFFFFFFFF, 0xFFFFFFFF, floor(i/4))) is below 2^31. Row r holds
 * chain `first + r` (a packed sampler builds 32 chains at a time).
 */
export function initialSpins(
  init: "cold" | "hot",
  chains: number,
  nSites: number,
  seed: number,
  first = 0,
): Int8Array {
  const out = new Int8Array(chains * nSites).fill(1);
  if (init === "cold") return out;
  const [k0, k1] = philoxKey(seed);
  const w = new Uint32Array(4);
  for (let c = 0; c < chains; c++) {
    for (let b = 0; 4 * b < nSites; b++) {
      philox4x32(k0, k1, first + c, 0xffffffff, 0xffffffff, b, w);
      for (let q = 0; q < 4 && 4 * b + q < nSites; q++)
        out[c * nSites + 4 * b + q] = w[q] < 0x80000000 ? 1 : -1;
    }
  }
  return out;
}
