import { seededUint32 } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { philox, philox4x32, philoxKey } from "./philox.js";

const hex = (a: Uint32Array) => Array.from(a, (x) => x.toString(16).padStart(8, "0")).join(" ");

describe("Philox4x32-10", () => {
  // Known-answer vectors of Random123 (kat_vectors, philox4x32_10).
  test("zero key and counter", () => {
    expect(hex(philox([0, 0], [0, 0, 0, 0]))).toBe("6627e8d5 e169c58d bc57ac4c 9b00dbd8");
  });
  test("all-ones key and counter", () => {
    const f = 0xffffffff;
    expect(hex(philox([f, f], [f, f, f, f]))).toBe("408f276d 41c83b0e a20bc7c6 6d5451fd");
  });
  test("digits-of-pi key and counter", () => {
    expect(hex(philox([0xa4093822, 0x299f31d0], [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344]))).toBe(
      "d16cfe09 94fdcceb 5001e420 24126ea1",
    );
  });

  test("the Math.imul product matches a BigInt reference on random inputs", () => {
    // Independent reference: one Philox round schedule written with BigInt 64-bit products.
    const M0 = 0xd2511f53n;
    const M1 = 0xcd9e8d57n;
    const mask = 0xffffffffn;
    const ref = (k: bigint[], c: bigint[]): bigint[] => {
      let [x0, x1, x2, x3] = c;
      let [a, b] = k;
      for (let r = 0; r < 10; r++) {
        const p0 = M0 * x0;
        const p1 = M1 * x2;
        [x0, x1, x2, x3] = [
          ((p1 >> 32n) ^ x1 ^ a) & mask,
          p1 & mask,
          ((p0 >> 32n) ^ x3 ^ b) & mask,
          p0 & mask,
        ];
        a = (a + 0x9e3779b9n) & mask;
        b = (b + 0xbb67ae85n) & mask;
      }
      return [x0, x1, x2, x3];
    };
    const next = seededUint32(12345);
    const out = new Uint32Array(4);
    for (let t = 0; t < 200; t++) {
      const v = Array.from({ length: 6 }, next);
      philox4x32(v[0], v[1], v[2], v[3], v[4], v[5], out);
      expect(Array.from(out)).toEqual(ref(v.slice(0, 2).map(BigInt), v.slice(2).map(BigInt)).map(Number));
    }
  });

  test("the key of a seed splits it into low and high 32-bit words", () => {
    expect(philoxKey(0)).toEqual([0, 0]);
    expect(philoxKey(2 ** 32 + 5)).toEqual([5, 1]);
    expect(philoxKey(2 ** 53 - 1)).toEqual([0xffffffff, 2 ** 21 - 1]);
  });
});
