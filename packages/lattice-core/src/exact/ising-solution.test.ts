import { describe, expect, it } from "vitest";
import { defineModel } from "../model/define.js";
import { enumerateModel } from "./enumerate-model.js";
import { exactIsingSolution } from "./ising-solution.js";

const rel = (a: number, b: number, tol: number) =>
  expect(Math.abs(a - b)).toBeLessThan(tol * (1 + Math.abs(b)));

/** An nn + 3-spin chain of L sites, periodic or twisted (the twist needs even shapes: nn only). */
function chain(L: number, twist = false) {
  const terms = [
    { name: "nn", coupling: 0.4, sites: [[0], [1]] },
    ...(twist ? [] : [{ name: "tri", coupling: -0.2, sites: [[0], [1], [2]] }]),
  ];
  return defineModel({ spin: "ising", lattice: twist ? { chain: L, twist: [true] } : { chain: L }, terms });
}

describe("exactIsingSolution: the cheapest exact method that applies", () => {
  it("a periodic chain by the transfer matrix, at any length, equal to enumeration where both run", () => {
    const r = exactIsingSolution(chain(14));
    const e = enumerateModel(chain(14));
    expect(r?.method).toBe("transfer matrix");
    rel(r!.lnZ, e.lnZ, 1e-12);
    for (let k = 0; k < 2; k++) rel(r!.termMeans[k], e.termMeans[k], 1e-11);
    // far beyond enumeration
    expect(exactIsingSolution(chain(200))?.method).toBe("transfer matrix");
  });

  it("a twisted chain or a square lattice by enumeration, within the caller's site limit", () => {
    const twisted = chain(10, true);
    const r = exactIsingSolution(twisted);
    expect(r?.method).toBe("enumeration");
    expect(r!.lnZ).toBe(enumerateModel(twisted).lnZ);
    const square = defineModel({
      spin: "ising",
      lattice: { square: [4, 4] },
      terms: [
        {
          name: "nn",
          coupling: 0.3,
          sites: [
            [0, 0],
            [1, 0],
          ],
        },
      ],
    });
    expect(exactIsingSolution(square)?.method).toBe("enumeration");
    expect(exactIsingSolution(square, 15)).toBeNull();
    expect(exactIsingSolution(twisted, 9)).toBeNull();
  });

  it("a lattice too large to enumerate is refused from its sides, without tables of its size", () => {
    // 32768² sites: tables for it (a neighbour index per site and shape) would take gigabytes.
    const huge = defineModel({
      spin: "ising",
      lattice: { square: [32768, 32768] },
      terms: [
        {
          name: "nn",
          coupling: 0.3,
          sites: [
            [0, 0],
            [1, 0],
          ],
        },
      ],
    });
    const t0 = performance.now();
    expect(exactIsingSolution(huge)).toBeNull();
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
