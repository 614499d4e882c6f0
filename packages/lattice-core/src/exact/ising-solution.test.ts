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

describe("exactIsingSolution: the moments of e and m against a brute-force sum", () => {
  // A 3×4 torus with nn, plaquette, nnn and a field: every kind of term the CLI's flags make.
  const [Lx, Ly] = [3, 4];
  const c = { nn: 0.31, plaquette: -0.17, nnn: 0.09, field: 0.13 };
  const model = defineModel({
    spin: "ising",
    lattice: { square: [Lx, Ly] },
    terms: [
      {
        name: "nn",
        coupling: c.nn,
        shapes: [
          [
            [0, 0],
            [1, 0],
          ],
          [
            [0, 0],
            [0, 1],
          ],
        ],
      },
      {
        name: "plaquette",
        coupling: c.plaquette,
        sites: [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      },
      {
        name: "nnn",
        coupling: c.nnn,
        shapes: [
          [
            [0, 0],
            [1, 1],
          ],
          [
            [0, 0],
            [1, -1],
          ],
        ],
      },
      { name: "field", coupling: c.field, sites: [[0, 0]] },
    ],
  });

  /** ⟨H⟩, ⟨H²⟩, ⟨|M|⟩, ⟨M²⟩, ⟨M⁴⟩ summed over all 2^12 states, H written out term by term. */
  function bruteForce() {
    const N = Lx * Ly;
    const s = (k: number, x: number, y: number) =>
      (k >> (((x + Lx) % Lx) + Lx * ((y + Ly) % Ly))) & 1 ? -1 : 1;
    let [z, h1, h2, a1, m2, m4] = [0, 0, 0, 0, 0, 0];
    for (let k = 0; k < 2 ** N; k++) {
      let H = 0;
      let M = 0;
      for (let x = 0; x < Lx; x++)
        for (let y = 0; y < Ly; y++) {
          const si = s(k, x, y);
          M += si;
          H -= c.nn * si * (s(k, x + 1, y) + s(k, x, y + 1));
          H -= c.plaquette * si * s(k, x + 1, y) * s(k, x + 1, y + 1) * s(k, x, y + 1);
          H -= c.nnn * si * (s(k, x + 1, y + 1) + s(k, x + 1, y - 1));
          H -= c.field * si;
        }
      const w = Math.exp(-H);
      z += w;
      h1 += w * H;
      h2 += w * H * H;
      a1 += w * Math.abs(M);
      m2 += w * M * M;
      m4 += w * M ** 4;
    }
    return { N, H: h1 / z, H2: h2 / z, absM: a1 / z, M2: m2 / z, M4: m4 / z };
  }

  it("⟨H⟩/N, Var(H)/N, ⟨|m|⟩, ⟨m²⟩, ⟨m⁴⟩, χ and U₄ against the sums", () => {
    const b = bruteForce();
    const r = exactIsingSolution(model);
    if (r?.method !== "enumeration") throw new Error(`expected enumeration, got ${r?.method}`);
    rel(r.reducedEnergyPerSite, b.H / b.N, 1e-12);
    rel(r.specificHeatPerSite, (b.H2 - b.H * b.H) / b.N, 1e-12);
    rel(r.absMagnetization, b.absM / b.N, 1e-12);
    rel(r.m2, b.M2 / b.N ** 2, 1e-12);
    rel(r.m4, b.M4 / b.N ** 4, 1e-12);
    // χ is a difference of two close moments: its rounding is relative to ⟨m²⟩, not to χ
    rel(r.susceptibility, b.N * (b.M2 / b.N ** 2 - (b.absM / b.N) ** 2), 1e-10);
    rel(r.binderCumulant, 1 - b.M4 / (3 * b.M2 ** 2), 1e-12);
    // Not a vacuous match: the field makes the moments differ from those of a free spin.
    expect(r.specificHeatPerSite).toBeGreaterThan(0.05);
  });
});
