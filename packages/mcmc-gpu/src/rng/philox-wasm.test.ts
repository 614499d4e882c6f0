import { seededUint32 } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { packedThresholds } from "../acceptance.js";
import { packedAcceptMask } from "./packed-hash.js";
import { philox4x32 } from "./philox.js";
import { createJsPhilox, createWasmPhilox, fastPhilox, type WasmPhilox } from "./philox-wasm.js";

const makers = [
  ["wasm", () => createWasmPhilox() as WasmPhilox],
  ["js fallback", createJsPhilox],
] as const;

describe("WebAssembly Philox", () => {
  test("is available on Node, and is the kernels' fastPhilox", () => {
    expect(createWasmPhilox()).not.toBeNull();
    // The WebAssembly instance keeps words, need and acc in its one memory; the JavaScript
    // fallback has an array of its own for each.
    expect(fastPhilox.need.buffer).toBe(fastPhilox.words.buffer);
    expect(fastPhilox.acc.buffer).toBe(fastPhilox.words.buffer);
  });

  for (const [name, make] of makers) {
    test(`${name}: known answers and equality with philox.ts on random counters`, () => {
      const p = make();
      p.setKey(0, 0);
      p.philox(0, 0, 0, 0);
      expect(Array.from(p.words.subarray(0, 4))).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
      const f = 0xffffffff;
      p.setKey(f, f);
      p.philoxNextBlock(f, f, f, f - 1);
      expect(Array.from(p.words.subarray(4, 8))).toEqual([0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
      const next = seededUint32(7);
      const ref = new Uint32Array(4);
      const same = (from: number, c: number[]) => {
        philox4x32(c[0], c[1], c[2], c[3], c[4], c[5], ref);
        expect(Array.from(p.words.subarray(from, from + 4))).toEqual(Array.from(ref));
      };
      for (let t = 0; t < 300; t++) {
        const v = Array.from({ length: 6 }, next);
        p.setKey(v[0], v[1]);
        p.philoxNextBlock(v[2], v[3], v[4], v[5]);
        same(0, v);
        same(4, [v[0], v[1], v[2], v[3], v[4], (v[5] + 1) >>> 0]);
        p.philox(v[5], v[4], v[3], v[2]);
        philox4x32(v[0], v[1], v[5], v[4], v[3], v[2], ref);
        expect(Array.from(p.iwords.subarray(0, 4))).toEqual(Array.from(new Int32Array(ref.buffer)));
      }
    });
  }

  for (const [name, make] of makers) {
    test(`${name}: packedAccept4 equals packedAcceptMask for each of the 4 sites`, () => {
      const p = make();
      // signed words, as the kernel's i32 arguments may arrive
      const word = seededUint32(99);
      const next = () => word() | 0;
      for (const beta of [0.1, 0.44, 2.5]) {
        const { t4, t8 } = packedThresholds(beta);
        for (let t = 0; t < 400; t++) {
          const [r0, r1, r2] = [next(), next(), next()];
          for (let jj = 0; jj < 4; jj++) {
            // Sparse, dense and empty need masks, disjoint between T4 and T8 as in the kernel.
            const a = t % 3 === 0 ? next() & next() : t % 3 === 1 ? next() | next() : 0;
            p.need[jj] = a & ~next();
            p.need[4 + jj] = a & ~p.need[jj];
          }
          p.packedAccept4(r0, r1, r2, t4, t8);
          for (let jj = 0; jj < 4; jj++) {
            expect(p.acc[jj]).toBe(packedAcceptMask(r0, r1, r2, jj, p.need[jj], p.need[4 + jj], t4, t8));
          }
        }
      }
    });
  }
});
