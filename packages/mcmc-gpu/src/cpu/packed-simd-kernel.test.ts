// The WebAssembly SIMD packed kernel on tiny lattices, group by group: against SPEC.md's per-lane
// reference (test/cpu-reference.ts) and against the JavaScript packed kernel run over a copy of
// the whole memory, so that a write to a lane of a missing group or past the spins shows too.
// Also the header layout packed-simd-module.ts documents, colour slices of every vector group,
// group ranges that cut a vector group, and the cases where the kernel must refuse.
import { squareLattice } from "@physml/lattice-core";
import type { WasmMemory } from "@physml/wasm-encode";
import { describe, expect, test } from "vitest";
import { referencePackedSweep } from "../../test/cpu-reference.js";
import { packedThresholds } from "../acceptance.js";
import { philox4x32, philoxKey } from "../rng/philox.js";
import { type PackedKernelState, packedSweeps, packedUpdateColour, unpackLane } from "./packed-kernel.js";
import { createPackedSimdMemory, PackedSimd, packedSimdWords, SPINS_OFFSET } from "./packed-simd.js";
import {
  H_INVERT,
  H_K0,
  H_K1,
  H_LEVELS,
  H_LX,
  H_LY,
  HEADER_BYTES,
  LEVEL_BYTES,
} from "./packed-simd-module.js";
import { latticeTables } from "./tables.js";

const SEED = 77;

/** A packed state over `words` (stride 4 at SPINS_OFFSET) for `chains` chains at coupling nn. */
function stateOver(
  buffer: ArrayBufferLike,
  Lx: number,
  Ly: number,
  chains: number,
  nn: number,
): PackedKernelState {
  const tables = latticeTables(squareLattice(Lx, Ly), 2);
  const groups = Math.ceil(chains / 32);
  const { t4, t8 } = packedThresholds(nn);
  const [k0, k1] = philoxKey(SEED);
  return {
    tables,
    Lx,
    Ly,
    groups,
    lastLanes: chains - 32 * (groups - 1),
    spins: new Int32Array(buffer, SPINS_OFFSET, packedSimdWords(tables.nSites, groups)),
    stride: 4,
    params: Int32Array.from([nn > 0 ? 1 : nn < 0 ? -1 : 0, t4 | 0, t8 | 0]),
    k0,
    k1,
  };
}

/**
 * The SIMD kernel over a fresh memory whose every word after the header (all lanes of all vector
 * groups, and the rest of the last page) holds pseudo-random bits.
 */
function simdState(Lx: number, Ly: number, chains: number, nn: number) {
  const mem = createPackedSimdMemory(Lx * Ly, Math.ceil(chains / 32)) as WasmMemory;
  expect(mem).not.toBeNull();
  const all = new Int32Array(mem.buffer);
  const w = new Uint32Array(4);
  for (let i = SPINS_OFFSET >> 2; i < all.length; i++) {
    if ((i & 3) === 0) philox4x32(1, 2, i, chains, 0, 0, w);
    all[i] = w[i & 3];
  }
  const st = stateOver(mem.buffer, Lx, Ly, chains, nn);
  const simd = PackedSimd.create(st, mem) as PackedSimd;
  expect(simd).not.toBeNull();
  simd.writeHeader();
  return { mem, st, simd, all };
}

/** A plain copy of the memory with the JavaScript kernel over it (stride 4, same offsets). */
function jsCopy(mem: WasmMemory, st: PackedKernelState): { st: PackedKernelState; all: Int32Array } {
  const copy = new ArrayBuffer(mem.buffer.byteLength);
  const all = new Int32Array(copy);
  all.set(new Int32Array(mem.buffer));
  return { st: { ...st, spins: new Int32Array(copy, SPINS_OFFSET, st.spins.length) }, all };
}

/**
 * Every word after the header but those of missing groups (the 4 lanes of a vector group's
 * v128 that have no group: the kernel may flip them, nothing reads them).
 */
function body(all: Int32Array, st: PackedKernelState): number[] {
  const at = SPINS_OFFSET >> 2;
  return Array.from(all.subarray(at)).filter(
    (_, i) => i >= st.spins.length || (i & 3) + 4 * Math.floor(i / (4 * st.tables.nSites)) < st.groups,
  );
}

/** The chains' ±1 configurations. */
function lanes(st: PackedKernelState, chains: number): Int8Array[] {
  const n = st.tables.nSites;
  return Array.from({ length: chains }, (_, c) => {
    const out = new Int8Array(n);
    unpackLane(st, c >> 5, c & 31, out, 0);
    return out;
  });
}

describe("SIMD packed kernel, group by group", () => {
  // 40 chains: one vector group with two missing groups; 300: three vector groups, the last with
  // two groups (12 lanes in use); 129: a group of one lane; 256: whole vector groups.
  for (const [Lx, Ly, chains, nn] of [
    [4, 4, 40, 0.44],
    [6, 4, 300, -0.5],
    [4, 6, 129, 1.1],
    [4, 2, 256, -0.3125],
  ] as const) {
    test(`${Lx}×${Ly}, ${chains} chains, nn = ${nn}: SPEC.md per lane; nothing else in memory changes`, () => {
      const { mem, st, simd, all } = simdState(Lx, Ly, chains, nn);
      expect(simd.applies).toBe(true);
      const conf = lanes(st, chains);
      const js = jsCopy(mem, st);
      simd.sweeps(0, st.groups, 0xfffffffe, 3);
      packedSweeps(js.st, 0, st.groups, 0xfffffffe, 3);
      expect(body(all, st)).toEqual(body(js.all, st));
      const lattice = squareLattice(Lx, Ly);
      for (const n of [0xfffffffe, 0xffffffff, 0]) referencePackedSweep(lattice, nn, conf, n, SEED);
      const got = lanes(st, chains);
      for (let c = 0; c < chains; c++) expect(Array.from(got[c])).toEqual(Array.from(conf[c]));
    });
  }

  test("it applies for nn < 0 and nn > 0 only (at nn = 0 the engine runs the JavaScript kernel)", () => {
    for (const nn of [0.3, -0.3, 0]) expect(simdState(4, 4, 40, nn).simd.applies).toBe(nn !== 0);
  });

  test("a group range that ends inside a vector group leaves the groups after it alone", () => {
    const { mem, st, simd, all } = simdState(4, 4, 256, 0.44);
    const js = jsCopy(mem, st);
    for (const [from, to] of [
      [0, 2],
      [4, 7],
      [5, 8],
      [4, 8],
    ]) {
      simd.sweeps(from, to, 9, 2);
      packedSweeps(js.st, from, to, 9, 2);
      expect(body(all, st)).toEqual(body(js.all, st));
    }
  });

  test("colour slices of every vector group equal the JavaScript kernel's, group by group", () => {
    const { mem, st, simd, all } = simdState(6, 4, 300, 0.7);
    const js = jsCopy(mem, st);
    const len = st.tables.classes[0].length; // 12 sites per colour
    for (const n of [3, 4])
      for (let k = 0; k < 2; k++)
        for (const [from, to] of [
          [0, 5],
          [5, len],
        ]) {
          for (let v = 0; v < 3; v++) simd.colour(v, n, k, from, to);
          for (let g = 0; g < st.groups; g++) packedUpdateColour(js.st, g, n, k, from, to);
          expect(body(all, st)).toEqual(body(js.all, st));
        }
  });
});

describe("SIMD packed kernel set-up", () => {
  test("the header follows the documented layout (keys, sides, inversion word, 32 level rows)", () => {
    for (const nn of [0.44, -1.3, 0]) {
      const { st, simd, mem } = simdState(4, 6, 40, nn);
      simd.writeHeader();
      const h = new Int32Array(mem.buffer, 0, HEADER_BYTES >> 2);
      expect([h[H_K0 >> 2], h[H_K1 >> 2], h[H_LX >> 2], h[H_LY >> 2]]).toEqual([st.k0, st.k1, 4, 6]);
      expect(h[H_INVERT >> 2]).toBe(nn > 0 ? -1 : 0);
      const { t4, t8 } = packedThresholds(nn);
      for (let m = 1; m <= 32; m++) {
        const row = Array.from(
          h.subarray((H_LEVELS + LEVEL_BYTES * (m - 1)) >> 2, (H_LEVELS + LEVEL_BYTES * m) >> 2),
        );
        const b4 = Math.floor(t4 / 2 ** (32 - m)) % 2 ? -1 : 0;
        const b8 = Math.floor(t8 / 2 ** (32 - m)) % 2 ? -1 : 0;
        expect(row).toEqual([
          b4,
          b4,
          b4,
          b4,
          b8,
          b8,
          b8,
          b8,
          ...Array(4).fill(4 * (m - 1)),
          ...Array(4).fill(0),
        ]);
      }
    }
  });

  test("philox4 (a test entry point) writes its 4 output vectors and nothing after them", () => {
    const { st, simd, all } = simdState(4, 4, 40, 0.44);
    const before = body(all, st);
    const out = simd.philox4(4, 9, 1, 3);
    const w = new Uint32Array(4);
    for (let q = 0; q < 4; q++) {
      philox4x32(st.k0, st.k1, 4 + q, 9, 1, 3, w);
      expect(Array.from(out.subarray(4 * q, 4 * q + 4))).toEqual(Array.from(w));
    }
    expect(body(all, st)).toEqual(before);
  });

  test("memory: whole vector groups of words after the header, rounded up to 64 KiB pages", () => {
    expect(packedSimdWords(6, 5)).toBe(8 * 6);
    expect(packedSimdWords(6, 8)).toBe(8 * 6);
    for (const [sites, groups] of [
      [16, 1],
      [1024, 16],
      [1024, 17],
    ]) {
      const mem = createPackedSimdMemory(sites, groups) as WasmMemory;
      const bytes = HEADER_BYTES + 16 * Math.ceil(groups / 4) * sites;
      expect(mem.buffer.byteLength).toBe(Math.ceil(bytes / 65536) * 65536);
    }
  });

  test("refuses a memory that is too small (null) and spins outside its memory (error)", () => {
    const big = createPackedSimdMemory(1024, 16) as WasmMemory; // 2 pages
    const small = createPackedSimdMemory(1024, 1) as WasmMemory; // 1 page
    expect(big.buffer.byteLength).toBe(2 * 65536);
    expect(PackedSimd.create(stateOver(big.buffer, 32, 32, 16 * 32, 0.44), small)).toBeNull();
    expect(PackedSimd.create(stateOver(big.buffer, 32, 32, 16 * 32, 0.44), big)).not.toBeNull();
    const mem = createPackedSimdMemory(16, 2) as WasmMemory;
    const ok = stateOver(mem.buffer, 4, 4, 40, 0.44);
    const needs = /^mcmc-gpu: the SIMD kernel needs the spins in its memory$/;
    expect(() => PackedSimd.create({ ...ok, stride: 1 }, mem)).toThrow(needs);
    expect(() =>
      PackedSimd.create(stateOver(new ArrayBuffer(mem.buffer.byteLength), 4, 4, 40, 0.44), mem),
    ).toThrow(needs);
    expect(() =>
      PackedSimd.create({ ...ok, spins: new Int32Array(mem.buffer, SPINS_OFFSET + 16, 32) }, mem),
    ).toThrow(needs);
    expect(PackedSimd.create(ok, mem)).not.toBeNull();
  });
});
