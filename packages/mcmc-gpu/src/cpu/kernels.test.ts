// The CPU kernels against straightforward per-site / per-lane reference implementations of
// SPEC.md that share nothing with the kernels except Philox and the threshold rule.
import { deltaE, linkVariables, shapeFeatures, squareLattice, termSums } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { referenceIntSweep } from "../../test/cpu-reference.js";
import { ALWAYS, packedThresholds } from "../acceptance.js";
import { philox4x32, philoxKey } from "../rng/philox.js";
import { createCpuBackend } from "./backend.js";

describe("int kernel", () => {
  for (const [colours, c] of [
    [2, { nn: 0.375, plaquette: 0, nnn: 0, field: 0.125 }],
    [4, { nn: 0.25, plaquette: -0.5, nnn: 0.125, field: 0.0625 }],
  ] as const) {
    test(`matches the per-site reference (${colours} colours)`, async () => {
      const lattice = squareLattice(6, 4);
      const chains = 3;
      const seed = 2 ** 40 + 17;
      const b = await createCpuBackend(
        { lattice, chains, seed, kernel: "int", colours, couplings: Array(chains).fill(c), init: "hot" },
        { threads: 1 },
      );
      const ref = await b.snapshot();
      await b.sweep(7);
      for (let ch = 0; ch < chains; ch++) {
        const s = ref.subarray(ch * 24, (ch + 1) * 24);
        for (let n = 0; n < 7; n++) referenceIntSweep(lattice, c, s, ch, n, colours, seed);
      }
      expect(Array.from(await b.snapshot())).toEqual(Array.from(ref));
      expect(b.sweepCount).toBe(7);
    });
  }
});

/** lowbias32 in BigInt arithmetic (shares no code with rng/packed-hash.ts). */
function lowbias32Big(v: bigint): bigint {
  const M = 0xffffffffn;
  let x = v ^ (v >> 16n);
  x = (x * 0x7feb352dn) & M;
  x ^= x >> 15n;
  x = (x * 0x846ca68bn) & M;
  return x ^ (x >> 16n);
}

describe("packed kernel", () => {
  test("matches a per-lane reference that draws all 32 bits of every uniform", async () => {
    const lattice = squareLattice(6, 6); // 18 sites per class: blocks run across rows, last one partial
    const chains = 40; // a full group and a partial one
    const seed = 5;
    for (const J of [0.44, -0.3125]) {
      const b = await createCpuBackend(
        {
          lattice,
          chains,
          seed,
          kernel: "packed",
          colours: 2,
          couplings: Array(chains).fill({ nn: J, plaquette: 0, nnn: 0, field: 0 }),
          init: "hot",
        },
        { threads: 1 },
      );
      const ref = await b.snapshot();
      await b.sweep(5);
      const [k0, k1] = philoxKey(seed);
      const { t4, t8 } = packedThresholds(J);
      const w = new Uint32Array(4);
      const N = lattice.nSites;
      for (let n = 0; n < 5; n++) {
        lattice.colourClasses(2).forEach((cls, k) => {
          cls.forEach((i, j) => {
            for (let ch = 0; ch < chains; ch++) {
              const g = ch >> 5;
              // SPEC: block keys Philox(key, (g, n, k, j >> 2)); u_m = E(4(m − 1) + (j & 3)).
              philox4x32(k0, k1, g, n, k, j >> 2, w);
              const [r0, r1, r2] = Array.from(w.subarray(0, 3), BigInt);
              const lane = BigInt(ch & 31);
              let r = 0; // this lane's uniform, bit m of u_m MSB first
              for (let m = 1; m <= 32; m++) {
                const u = lowbias32Big(lowbias32Big(BigInt(4 * (m - 1) + (j & 3)) ^ r0) ^ r1) ^ r2;
                r = r * 2 + Number((u >> lane) & 1n);
              }
              const s = ref.subarray(ch * N, (ch + 1) * N);
              const dE = deltaE(lattice, { nn: J, plaquette: 0, nnn: 0, field: 0 }, s, i);
              const t = dE <= 0 ? ALWAYS : Math.abs(dE - 4 * Math.abs(J)) < 1e-12 ? t4 : t8;
              if (t === ALWAYS || r < t) s[i] = -s[i];
            }
          });
        });
      }
      expect(Array.from(await b.snapshot())).toEqual(Array.from(ref));
    }
  });
});

describe("measurements", () => {
  test("equal termSums and shapeFeatures of the recorded configurations", async () => {
    const lattice = squareLattice(6, 4);
    for (const [kernel, colours, c, chains] of [
      ["int", 4, { nn: 0.3, plaquette: 0.2, nnn: -0.1, field: 0.05 }, 3],
      ["packed", 2, { nn: 0.5, plaquette: 0, nnn: 0, field: 0 }, 35],
    ] as const) {
      const b = await createCpuBackend(
        { lattice, chains, seed: 3, kernel, colours, couplings: Array(chains).fill(c), init: "hot" },
        { threads: 1 },
      );
      const m = await b.measure(7, 2, true);
      expect(m.samples).toBe(3);
      expect(b.sweepCount).toBe(7);
      for (let row = 0; row < chains * 3; row++) {
        const conf = (m.configurations as Int8Array).subarray(row * 24, (row + 1) * 24);
        expect(Array.from(m.terms.subarray(row * 4, row * 4 + 4))).toEqual(
          Array.from(termSums(lattice, conf)),
        );
        const f = shapeFeatures(lattice, linkVariables(lattice, conf));
        const got = m.features.subarray(row * 13, row * 13 + 13);
        for (let a = 0; a < 13; a++) expect(got[a]).toBeCloseTo(f[a], 14);
      }
      // The last configuration of a run is the state the chains continue from... after the
      // trailing unmeasured sweep: so compare with a fresh backend run for 6 sweeps instead.
      const b2 = await createCpuBackend(
        { lattice, chains, seed: 3, kernel, colours, couplings: Array(chains).fill(c), init: "hot" },
        { threads: 1 },
      );
      await b2.sweep(6);
      const snap = await b2.snapshot();
      for (let ch = 0; ch < chains; ch++) {
        const row = ch * 3 + 2;
        expect(Array.from((m.configurations as Int8Array).subarray(row * 24, (row + 1) * 24))).toEqual(
          Array.from(snap.subarray(ch * 24, (ch + 1) * 24)),
        );
      }
    }
  });
});

describe("worker threads", () => {
  test("the worker path is bit-identical to the single-threaded path", async () => {
    const lattice = squareLattice(8);
    for (const [kernel, colours, chains] of [
      ["int", 4, 5],
      ["packed", 2, 70],
    ] as const) {
      const couplings = Array(chains).fill(
        kernel === "int"
          ? { nn: 0.4, plaquette: 0.1, nnn: 0, field: 0 }
          : { nn: 0.4, plaquette: 0, nnn: 0, field: 0 },
      );
      const init = { lattice, chains, seed: 11, kernel, colours, couplings, init: "hot" as const };
      const one = await createCpuBackend(init, { threads: 1 });
      const two = await createCpuBackend(init, { threads: 2, parallelThresholdNs: 0 });
      try {
        await one.sweep(9);
        await two.sweep(9);
        expect(Array.from(await two.snapshot())).toEqual(Array.from(await one.snapshot()));
        const m1 = await one.measure(6, 3, true);
        const m2 = await two.measure(6, 3, true);
        expect(Array.from(m2.terms)).toEqual(Array.from(m1.terms));
        expect(Array.from(m2.features)).toEqual(Array.from(m1.features));
        expect(Array.from(m2.configurations as Int8Array)).toEqual(
          Array.from(m1.configurations as Int8Array),
        );
        expect(two.sweepCount).toBe(15);
      } finally {
        await two.dispose();
      }
    }
  });

  test("splitting the sites of each colour across threads is bit-identical too", async () => {
    const lattice = squareLattice(10, 8); // 10 Philox blocks per 2-colour class: the split lands on an odd block
    for (const [kernel, colours, chains, c] of [
      ["int", 4, 1, { nn: 0.3, plaquette: 0.2, nnn: 0.1, field: 0 }],
      ["int", 2, 1, { nn: 0.5, plaquette: 0, nnn: 0, field: 0.1 }],
      ["packed", 2, 20, { nn: 0.44, plaquette: 0, nnn: 0, field: 0 }],
    ] as const) {
      const init = {
        lattice,
        chains,
        seed: 8,
        kernel,
        colours,
        couplings: Array(chains).fill(c),
        init: "hot" as const,
      };
      const one = await createCpuBackend(init, { threads: 1 });
      const two = await createCpuBackend(init, { threads: 2, parallelThresholdNs: 0, siteSplitMinSites: 0 });
      try {
        await one.sweep(7);
        await two.sweep(7);
        expect(Array.from(await two.snapshot())).toEqual(Array.from(await one.snapshot()));
        const m1 = await one.measure(5, 2, true);
        const m2 = await two.measure(5, 2, true);
        expect(Array.from(m2.terms)).toEqual(Array.from(m1.terms));
        expect(Array.from(m2.configurations as Int8Array)).toEqual(
          Array.from(m1.configurations as Int8Array),
        );
        expect(Array.from(await two.snapshot())).toEqual(Array.from(await one.snapshot()));
      } finally {
        await two.dispose();
      }
    }
  });
});
