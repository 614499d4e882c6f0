// The WebAssembly SIMD packed kernel against the JavaScript packed kernel (packed-kernel.ts), bit
// for bit: every spin word of every group, partial groups and lattices whose colour classes do
// not split into whole Philox blocks per row included; and its 4-lane Philox against philox.ts.
import { squareLattice } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { packedThresholds } from "../acceptance.js";
import { philox4x32 } from "../rng/philox.js";
import { createCpuBackend } from "./backend.js";
import { groupBase, type PackedKernelState, packedSweeps } from "./packed-kernel.js";
import { createPackedSimdMemory, PackedSimd, packedSimdWords, SPINS_OFFSET } from "./packed-simd.js";
import { latticeTables } from "./tables.js";

/**
 * A packed state with pseudo-random spin words (every lane, used or not): `[group][site]` for
 * the JavaScript kernel, or in the SIMD kernel's memory and layout (stride 4) with its kernel.
 */
function state(
  Lx: number,
  Ly: number,
  chains: number,
  nn: number,
  seed: number,
  simd: boolean,
): { st: PackedKernelState; simd: PackedSimd | null } {
  const tables = latticeTables(squareLattice(Lx, Ly), 2);
  const n = tables.nSites;
  const groups = Math.ceil(chains / 32);
  const { t4, t8 } = packedThresholds(nn);
  const mem = simd ? createPackedSimdMemory(n, groups) : null;
  if (simd && !mem) throw new Error("no WebAssembly SIMD in this engine");
  const st: PackedKernelState = {
    tables,
    Lx,
    Ly,
    groups,
    lastLanes: chains - 32 * (groups - 1),
    spins: mem
      ? new Int32Array(mem.buffer, SPINS_OFFSET, packedSimdWords(n, groups))
      : new Int32Array(groups * n),
    stride: mem ? 4 : 1,
    params: Int32Array.from([nn > 0 ? 1 : nn < 0 ? -1 : 0, t4 | 0, t8 | 0]),
    k0: seed,
    k1: 7,
  };
  const w = new Uint32Array(4);
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < n; i++) {
      if ((i & 3) === 0) philox4x32(seed, 99, g, i, 0, 0, w);
      st.spins[groupBase(st, g) + st.stride * i] = w[i & 3];
    }
  }
  const kernel = mem ? PackedSimd.create(st, mem) : null;
  kernel?.writeHeader();
  return { st, simd: kernel };
}

/** All spin words `[group][site]`, whatever the layout. */
function words(st: PackedKernelState): number[] {
  const n = st.tables.nSites;
  const out: number[] = [];
  for (let g = 0; g < st.groups; g++)
    for (let i = 0; i < n; i++) out.push(st.spins[groupBase(st, g) + st.stride * i]);
  return out;
}

describe("WebAssembly SIMD packed kernel", () => {
  test("its 4-lane Philox equals philox4x32 lane by lane", () => {
    const simd = state(4, 4, 128, 0.44, 0xdeadbeef, true).simd as PackedSimd;
    const w = new Uint32Array(4);
    for (const [g0, n, k, b] of [
      [0, 0, 0, 0],
      [8, 12345, 1, 77],
      [0x7ffffffc, 0xffffffff, 1, 0xfffffff],
    ]) {
      const out = simd.philox4(g0, n, k, b);
      for (let q = 0; q < 4; q++) {
        philox4x32(0xdeadbeef, 7, g0 + q, n, k, b, w);
        expect(Array.from(out.subarray(4 * q, 4 * q + 4))).toEqual(Array.from(w));
      }
    }
  });

  // Lx/2 = 3, 5, 9: blocks of 4 class positions run across rows; 33, 129, 200 chains: a partial
  // last group, and vector groups with missing groups; nn < 0 counts anti-aligned neighbours;
  // β = 1.2 makes T8 tiny (long runs of zero threshold bits).
  for (const [Lx, Ly, chains, nn] of [
    [6, 6, 40, 0.44],
    [10, 4, 33, -0.3125],
    [18, 8, 129, 1.2],
    [16, 16, 200, 0.44],
    [8, 10, 256, -0.9],
  ] as const) {
    test(`equals the JavaScript kernel word for word: ${Lx}×${Ly}, ${chains} chains, nn = ${nn}`, () => {
      const js = state(Lx, Ly, chains, nn, Lx * 1000 + chains, false).st;
      const { st: wa, simd } = state(Lx, Ly, chains, nn, Lx * 1000 + chains, true);
      if (!simd) throw new Error("no SIMD kernel");
      expect(words(wa)).toEqual(words(js));
      let n0 = 0;
      for (const count of [1, 4, 3]) {
        packedSweeps(js, 0, js.groups, n0, count);
        simd.sweeps(0, wa.groups, n0, count);
        n0 += count;
        expect(words(wa)).toEqual(words(js));
      }
      // A sweep counter past 2^31 (SPEC.md: taken mod 2^32).
      packedSweeps(js, 0, js.groups, 0xfffffffe, 3);
      simd.sweeps(0, wa.groups, 0xfffffffe, 3);
      expect(words(wa)).toEqual(words(js));
    });
  }

  test("a group range that splits vector groups leaves the other groups alone (JavaScript on stride 4)", () => {
    const js = state(8, 6, 160, 0.44, 3, false).st;
    const { st: wa, simd } = state(8, 6, 160, 0.44, 3, true);
    if (!simd) throw new Error("no SIMD kernel");
    packedSweeps(js, 1, 3, 5, 2);
    simd.sweeps(1, 3, 5, 2);
    expect(words(wa)).toEqual(words(js));
    packedSweeps(js, 2, 5, 7, 2); // groups 2, 3 by JavaScript, group 4 (a whole last vector) in WebAssembly
    simd.sweeps(2, 5, 7, 2);
    expect(words(wa)).toEqual(words(js));
  });
});

describe("CPU backend with the SIMD kernel", () => {
  const run = async (
    chains: number,
    nn: number,
    opts: Parameters<typeof createCpuBackend>[1],
    L = 12,
  ): Promise<{ snap: Int8Array; terms: number[]; adapter: string }> => {
    const b = await createCpuBackend(
      {
        lattice: squareLattice(L, L - 2),
        chains,
        seed: 21,
        kernel: "packed",
        colours: 2,
        couplings: Array(chains).fill({ nn, plaquette: 0, nnn: 0, field: 0 }),
        init: "hot",
      },
      opts,
    );
    try {
      await b.sweep(5);
      const m = await b.measure(6, 2, false);
      return { snap: await b.snapshot(), terms: Array.from(m.terms), adapter: b.adapter };
    } finally {
      await b.dispose();
    }
  };

  test("the adapter says which packed kernel runs", async () => {
    expect((await run(40, 0.44, { threads: 1 })).adapter).toMatch(/WebAssembly SIMD/);
    expect((await run(40, 0.44, { threads: 1, simd: false })).adapter).toMatch(/JavaScript/);
  });

  // One thread, worker threads over vector groups (9 groups: ranges [0, 4) and [4, 9)), and
  // the sites of each colour split across threads (one vector group), all equal to the
  // single-threaded JavaScript kernel; nn = 0 runs the JavaScript kernel inside the SIMD backend.
  for (const [chains, nn, opts] of [
    [70, 0.44, { threads: 1 }],
    [33, 0, { threads: 1 }],
    [260, -0.44, { threads: 2, parallelThresholdNs: 0 }],
    [100, 0.44, { threads: 2, parallelThresholdNs: 0, siteSplitMinSites: 0 }],
  ] as const) {
    test(`${chains} chains, nn = ${nn}, ${JSON.stringify(opts)}: equals the JavaScript kernel`, async () => {
      const ref = await run(chains, nn, { threads: 1, simd: false });
      const got = await run(chains, nn, opts);
      expect(got.adapter).toMatch(/WebAssembly SIMD/);
      expect(got.snap).toEqual(ref.snap);
      expect(got.terms).toEqual(ref.terms);
    });
  }
});
