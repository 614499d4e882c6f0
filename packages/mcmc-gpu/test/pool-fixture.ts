// A tiny int-kernel engine on shared memory for the worker-pool tests (pool.test.ts and the
// child process it starts), with the per-site reference of SPEC.md to check it against.
import { type Couplings, squareLattice } from "@physml/lattice-core";
import { thresholdTables } from "../src/acceptance.js";
import { Engine, type EngineDescriptor } from "../src/cpu/engine.js";
import { toAcceptBelow } from "../src/cpu/int-kernel.js";
import { philoxKey } from "../src/rng/philox.js";
import { referenceInitialChain, referenceIntSweep } from "./cpu-reference.js";

export const SEED = 0x5eed;

/**
 * Per-chain couplings of both signs (chain 2 antiferromagnetic, chain 1 with a field); with 2
 * colours only nn and the field (a 2-colouring needs no plaquette or nnn term).
 */
export function couplings(colours: 2 | 4): Couplings[] {
  const four = colours === 4 ? 1 : 0;
  return [
    { nn: 0.44, plaquette: 0, nnn: 0, field: 0 },
    { nn: 0.3, plaquette: 0.1 * four, nnn: -0.2 * four, field: 0.25 },
    { nn: -0.6, plaquette: 0, nnn: 0.15 * four, field: 0 },
  ];
}

/** Chains of every engine here. */
export const CHAINS = 3;

/** Int engine of `COUPLINGS.length` chains on an Lx×Ly torus, hot SPEC.md start, shared buffers. */
export function intEngine(Lx: number, Ly: number, colours: 2 | 4): Engine {
  const lattice = squareLattice(Lx, Ly);
  const chains = CHAINS;
  const n = lattice.nSites;
  const [k0, k1] = philoxKey(SEED);
  const desc: EngineDescriptor = {
    kind: "int",
    Lx,
    Ly,
    colours,
    chains,
    k0,
    k1,
    spins: new SharedArrayBuffer(chains * n),
    params: new SharedArrayBuffer(chains * 250 * 8),
  };
  const engine = new Engine(desc);
  toAcceptBelow(thresholdTables(couplings(colours), lattice), new Float64Array(desc.params));
  const spins = new Int8Array(desc.spins);
  for (let c = 0; c < chains; c++) spins.set(referenceInitialChain(SEED, c, n, true), c * n);
  return engine;
}

/** The configurations of SPEC.md after sweeps n0 … n0 + count − 1 from `start` (chain-major). */
export function referenceSpins(
  Lx: number,
  Ly: number,
  colours: 2 | 4,
  start: Int8Array,
  n0: number,
  count: number,
): Int8Array {
  const lattice = squareLattice(Lx, Ly);
  const n = lattice.nSites;
  const out = start.slice();
  const cs = couplings(colours);
  for (let c = 0; c < CHAINS; c++) {
    const conf = out.subarray(c * n, (c + 1) * n);
    for (let s = 0; s < count; s++) referenceIntSweep(lattice, cs[c], conf, c, n0 + s, colours, SEED);
  }
  return out;
}
