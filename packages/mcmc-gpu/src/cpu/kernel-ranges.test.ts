// The CPU kernels and measurements called directly on this thread (the backend tests also run
// them in worker threads, which mutation testing cannot see). Truths: the per-site reference
// sweep of SPEC.md (lattice-core's ΔE, Philox, the threshold rule), which every split of a
// colour class into block or site ranges must reproduce bit for bit; and lattice-core's
// termSums / shapeFeatures of every lane of random spin words. The Philox calls are counted too:
// the int kernel draws blocks in pairs (one interleaved call) and the packed kernel calls Philox
// once per block that has a site needing a coin, as the kernels promise.
import { type Couplings, linkVariables, shapeFeatures, squareLattice, termSums } from "@physml/lattice-core";
import { afterEach, describe, expect, test, vi } from "vitest";
import { referenceIntSweep, referencePackedSweep } from "../../test/cpu-reference.js";
import { ALWAYS, packedThresholds, THRESHOLDS_PER_CHAIN, thresholdTables } from "../acceptance.js";
import { philox4x32, philoxKey } from "../rng/philox.js";
import { fastPhilox } from "../rng/philox-wasm.js";
import { type IntKernelState, intBlocks, intSweeps, intUpdateColour, toAcceptBelow } from "./int-kernel.js";
import { measureSpins, N_FEATURES } from "./measure.js";
import { measurePackedGroup } from "./measure-packed.js";
import {
  type PackedKernelState,
  packedSweeps,
  packedUpdateColour,
  packLane,
  unpackLane,
} from "./packed-kernel.js";
import { latticeTables } from "./tables.js";

/** The Philox calls the kernels make from here on, as "philox c,n,k,b" / "pair c,n,k,b". */
function recordPhilox(): string[] {
  const calls: string[] = [];
  const one = fastPhilox.philox;
  const two = fastPhilox.philoxNextBlock;
  vi.spyOn(fastPhilox, "philox").mockImplementation((...a) => {
    calls.push(`philox ${a}`);
    one(...a);
  });
  vi.spyOn(fastPhilox, "philoxNextBlock").mockImplementation((...a) => {
    calls.push(`pair ${a}`);
    two(...a);
  });
  return calls;
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** A seeded stream of u32 words (Philox of a counter), for spins and split points. */
function words(seed: number): () => number {
  const w = new Uint32Array(4);
  let t = 0;
  return () => {
    if ((t & 3) === 0) philox4x32(seed, 0x51ed, t >>> 2, 0, 0, 0, w);
    return w[t++ & 3];
  };
}

const hotSpins = (count: number, seed: number): Int8Array => {
  const next = words(seed);
  return Int8Array.from({ length: count }, () => (next() & 1 ? 1 : -1));
};

function intState(
  Lx: number,
  Ly: number,
  colours: 2 | 4,
  couplings: Couplings[],
  seed: number,
): IntKernelState {
  const acceptBelow = new Float64Array(couplings.length * THRESHOLDS_PER_CHAIN);
  toAcceptBelow(thresholdTables(couplings, squareLattice(Lx, Ly)), acceptBelow);
  const [k0, k1] = philoxKey(seed);
  return {
    tables: latticeTables(squareLattice(Lx, Ly), colours),
    Lx,
    Ly,
    colours,
    spins: hotSpins(couplings.length * Lx * Ly, seed),
    acceptBelow,
    k0,
    k1,
  };
}

describe("int kernel on block ranges", () => {
  // Per-chain couplings of both signs; 10×6 (2 colours: 30 sites, 8 blocks, the last one
  // partial, rows of 5 class positions) and 6×6 (4 colours: 9 sites, 3 blocks).
  const chains: Couplings[] = [
    { nn: 0.375, plaquette: 0, nnn: 0, field: 0.125 },
    { nn: -0.5, plaquette: 0, nnn: 0, field: -0.25 },
    { nn: 0.25, plaquette: 0.5, nnn: -0.125, field: 0.0625 },
  ];
  for (const [colours, Lx, Ly, cs] of [
    [2, 10, 6, chains.slice(0, 2)],
    [4, 6, 6, chains],
    [4, 8, 4, chains.slice(1)],
  ] as const) {
    test(`${colours} colours, ${Lx}×${Ly}: every split point of every colour gives the reference sweep`, () => {
      const st = intState(Lx, Ly, colours, [...cs], 97 + Lx);
      const lattice = squareLattice(Lx, Ly);
      const n = Lx * Ly;
      const start = st.spins.slice();
      // Sweeps 0, 1 and one past 2^31 (SPEC.md: the counter word is the sweep mod 2^32).
      const sweeps = [0, 1, 0x80000005];
      const ref = start.slice();
      for (const [c, cpl] of cs.entries()) {
        for (const s of sweeps)
          referenceIntSweep(lattice, cpl, ref.subarray(c * n, (c + 1) * n), c, s, colours, 97 + Lx);
      }
      const blocks = Array.from({ length: colours }, (_, k) => intBlocks(st, k));
      expect(blocks).toEqual(st.tables.classes.map((cls) => Math.ceil(cls.length / 4)));
      const most = Math.max(...blocks);
      for (let a = 0; a <= most; a++) {
        st.spins.set(start);
        for (const s of sweeps) {
          for (let k = 0; k < colours; k++) {
            const cut = Math.min(a, blocks[k]);
            // The later range first: blocks of one colour are independent.
            for (let c = 0; c < cs.length; c++) {
              intUpdateColour(st, c, s, k, cut, blocks[k]);
              intUpdateColour(st, c, s, k, 0, cut);
            }
          }
        }
        expect(Array.from(st.spins), `split at block ${a}`).toEqual(Array.from(ref));
      }
      // Three pieces, odd and even cuts, and intSweeps for the whole run.
      st.spins.set(start);
      for (const s of sweeps) {
        for (let k = 0; k < colours; k++) {
          for (let c = 0; c < cs.length; c++) {
            const b = blocks[k];
            const [p, q] = [Math.floor(b / 3), Math.floor((2 * b) / 3) + 1].map((x) => Math.min(x, b));
            intUpdateColour(st, c, s, k, q, b);
            intUpdateColour(st, c, s, k, 0, p);
            intUpdateColour(st, c, s, k, p, q);
          }
        }
      }
      expect(Array.from(st.spins)).toEqual(Array.from(ref));
      st.spins.set(start);
      intSweeps(st, 0, cs.length, 0, 2);
      intSweeps(st, 0, cs.length, 0x80000005, 1);
      expect(Array.from(st.spins)).toEqual(Array.from(ref));
    });
  }

  test("a chain range leaves the other chains alone", () => {
    const st = intState(6, 6, 4, [chains[0], chains[1], chains[2]], 5);
    const start = st.spins.slice();
    intSweeps(st, 1, 2, 0, 3);
    expect(Array.from(st.spins.subarray(0, 36))).toEqual(Array.from(start.subarray(0, 36)));
    expect(Array.from(st.spins.subarray(72))).toEqual(Array.from(start.subarray(72)));
    expect(Array.from(st.spins.subarray(36, 72))).not.toEqual(Array.from(start.subarray(36, 72)));
  });

  test("Philox calls: blocks in pairs from the start of the range (4 colours), or 8-site aligned (2 colours)", () => {
    for (const colours of [2, 4] as const) {
      const st = intState(10, 6, colours, [chains[0]], 3);
      const blocks = intBlocks(st, 1);
      for (let from = 0; from <= blocks; from++) {
        for (let to = from; to <= blocks; to++) {
          const calls = recordPhilox();
          intUpdateColour(st, 0, 9, 1, from, to);
          vi.restoreAllMocks();
          const want: string[] = [];
          if (colours === 4) {
            for (let b = from; b < to; b += 2) want.push(`${b + 1 < to ? "pair" : "philox"} 0,9,1,${b}`);
          } else {
            if (from & 1 && from < to) want.push(`philox 0,9,1,${from}`);
            for (let b = from + (from & 1); b < to; b += 2)
              want.push(`${b + 1 < to ? "pair" : "philox"} 0,9,1,${b}`);
          }
          expect(calls, `blocks [${from}, ${to}), ${colours} colours`).toEqual(want);
        }
      }
    }
  });

  test("toAcceptBelow maps ALWAYS to 2^32 and keeps every other threshold", () => {
    const t = Uint32Array.from([0, 1, 0x7fffffff, ALWAYS, 0xfffffffe]);
    const out = new Float64Array(5);
    toAcceptBelow(t, out);
    expect(ALWAYS).toBe(0xffffffff);
    expect(Array.from(out)).toEqual([0, 1, 0x7fffffff, 2 ** 32, 0xfffffffe]);
  });
});

function packedState(Lx: number, Ly: number, chains: number, J: number, seed: number): PackedKernelState {
  const groups = Math.ceil(chains / 32);
  const n = Lx * Ly;
  const { t4, t8 } = packedThresholds(J);
  const [k0, k1] = philoxKey(seed);
  const next = words(seed);
  return {
    tables: latticeTables(squareLattice(Lx, Ly), 2),
    Lx,
    Ly,
    groups,
    lastLanes: chains - 32 * (groups - 1),
    spins: Int32Array.from({ length: groups * n }, next),
    stride: 1,
    params: Int32Array.from([J > 0 ? 1 : J < 0 ? -1 : 0, t4 | 0, t8 | 0]),
    k0,
    k1,
  };
}

const lanesOf = (st: PackedKernelState, chains: number): Int8Array[] =>
  Array.from({ length: chains }, (_, ch) => {
    const out = new Int8Array(st.tables.nSites);
    unpackLane(st, ch >> 5, ch & 31, out, 0);
    return out;
  });

describe("packed kernel on site ranges", () => {
  // 10×6: 30 sites per colour, rows of 5 (blocks of 4 run across rows); 40 chains: a full and
  // a partial group; nn < 0 counts anti-aligned neighbours; nn = 0 flips every spin.
  for (const [J, chains] of [
    [0.44, 40],
    [-0.3125, 33],
    [1.5, 32],
    [0, 7],
  ] as const) {
    test(`nn = ${J}, ${chains} chains: every split point of the class gives the per-lane reference`, () => {
      const [Lx, Ly] = [10, 6];
      const seed = 31 + chains;
      const st = packedState(Lx, Ly, chains, J, seed);
      const lattice = squareLattice(Lx, Ly);
      const start = st.spins.slice();
      const conf = lanesOf(st, chains);
      // An odd number of sweeps: at nn = 0 two sweeps flip every spin back.
      const sweeps = [0, 1, 0xfffffffe];
      const coinBlocks = sweeps.flatMap((s) => referencePackedSweep(lattice, J, conf, s, seed));
      const len = st.tables.classes[0].length;
      for (let a = 0; a <= len; a += a < 9 ? 1 : 4) {
        st.spins.set(start);
        for (const s of sweeps) {
          for (let k = 0; k < 2; k++) {
            for (let g = 0; g < st.groups; g++) {
              packedUpdateColour(st, g, s, k, a, len);
              packedUpdateColour(st, g, s, k, 0, a);
            }
          }
        }
        expect(
          lanesOf(st, chains).map((x) => Array.from(x)),
          `split at site ${a}`,
        ).toEqual(conf.map((x) => Array.from(x)));
      }
      st.spins.set(start);
      const calls = recordPhilox();
      packedSweeps(st, 0, st.groups, 0, 2);
      packedSweeps(st, 0, st.groups, 0xfffffffe, 1);
      vi.restoreAllMocks();
      expect(lanesOf(st, chains).map((x) => Array.from(x))).toEqual(conf.map((x) => Array.from(x)));
      // One Philox call per block with a site needing a coin, none for the others.
      expect(calls.sort()).toEqual(coinBlocks.sort());
    });
  }

  test("packLane writes one lane and unpackLane reads it back", () => {
    const st = packedState(4, 4, 64, 0.5, 3);
    const start = st.spins.slice();
    const conf = hotSpins(16, 8);
    packLane(st, 0, 31, conf, 0);
    const back = new Int8Array(20);
    unpackLane(st, 0, 31, back, 4);
    expect(Array.from(back.subarray(4))).toEqual(Array.from(conf));
    expect(Array.from(back.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    // Only bit 31 of group 0's words (0…15) may change; group 1 (16…31) is left alone.
    for (let i = 0; i < st.spins.length; i++)
      expect((st.spins[i] ^ start[i]) & (i < 16 ? 0x7fffffff : -1)).toBe(0);
  });
});

describe("measurements against lattice-core", () => {
  test("measureSpins: term sums and features of random configurations", () => {
    for (const [Lx, Ly] of [
      [4, 4],
      [6, 4],
      [8, 6],
    ]) {
      const lattice = squareLattice(Lx, Ly);
      const tables = latticeTables(lattice, 4);
      const n = Lx * Ly;
      for (let r = 0; r < 6; r++) {
        const conf =
          r === 0 ? new Int8Array(n).fill(1) : r === 1 ? new Int8Array(n).fill(-1) : hotSpins(n, r + 10 * Lx);
        const spins = new Int8Array(3 * n);
        spins.set(conf, n);
        const terms = new Float64Array(8);
        const features = new Float64Array(2 * N_FEATURES);
        measureSpins(tables, spins, n, terms, 4, features, N_FEATURES);
        expect(Array.from(terms.subarray(0, 4))).toEqual([0, 0, 0, 0]);
        expect(Array.from(terms.subarray(4))).toEqual(Array.from(termSums(lattice, conf)));
        const f = shapeFeatures(lattice, linkVariables(lattice, conf));
        for (let a = 0; a < N_FEATURES; a++) {
          expect(features[a]).toBe(0);
          expect(features[N_FEATURES + a]).toBeCloseTo(f[a], 14);
        }
      }
    }
  });

  // n = 8 (one plane of weight-8 counts), 36 (a short final block of 8), 24·26 = 624 (7 planes);
  // all-up and all-down words carry through every plane.
  for (const [Lx, Ly] of [
    [4, 2],
    [6, 6],
    [24, 26],
  ]) {
    test(`measurePackedGroup on ${Lx}×${Ly}: every lane's term sums and features`, () => {
      const lattice = squareLattice(Lx, Ly);
      const tables = latticeTables(lattice, 2);
      const n = Lx * Ly;
      for (const [kind, stride, lanes] of [
        ["random", 1, 32],
        ["random", 4, 19],
        ["up", 1, 32],
        ["down", 1, 32],
      ] as const) {
        const next = words(n + stride + lanes);
        // Two groups' words side by side when stride = 4; measure the second (base 1).
        const spins = Int32Array.from({ length: stride * n }, () =>
          kind === "up" ? -1 : kind === "down" ? 0 : next() | 0,
        );
        const base = stride === 4 ? 1 : 0;
        const samples = 3;
        const t = 1;
        const firstChain = 32;
        const rows = (firstChain + 32) * samples;
        const terms = new Float64Array(rows * 4);
        const features = new Float64Array(rows * N_FEATURES);
        measurePackedGroup(tables, spins, base, stride, lanes, firstChain, t, samples, terms, features);
        for (let row = 0; row < rows; row++) {
          const lane = Math.floor(row / samples) - firstChain;
          const mine = lane >= 0 && lane < lanes && row % samples === t;
          if (!mine) {
            expect(terms.subarray(row * 4, row * 4 + 4).every((x) => x === 0)).toBe(true);
            continue;
          }
          const conf = Int8Array.from({ length: n }, (_, i) =>
            (spins[base + stride * i] >>> lane) & 1 ? 1 : -1,
          );
          expect(Array.from(terms.subarray(row * 4, row * 4 + 4)), `lane ${lane}`).toEqual(
            Array.from(termSums(lattice, conf)),
          );
          const f = shapeFeatures(lattice, linkVariables(lattice, conf));
          for (let a = 0; a < N_FEATURES; a++) expect(features[row * N_FEATURES + a]).toBeCloseTo(f[a], 14);
        }
      }
    });
  }
});
