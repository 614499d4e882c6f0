// Couplings and the square Ising operator against hand-built matrices: the nn and nnn bonds of a
// torus as symmetric matrices J (sᵀJs = Σ_bonds s_a s_b), the plaquettes as corner lists, all from
// (x, y) coordinates; every configuration of small tori, every site flip, every error message.
import { describe, expect, it } from "vitest";
import { spinsOf } from "../../test/helpers.js";
import { squareLattice } from "../lattice/square.js";
import { refusalMessage } from "../testing/refusal.js";
import {
  couplings,
  couplingsDot,
  couplingsFromVector,
  couplingsVector,
  N_TERMS,
  TERM_NAMES,
} from "./couplings.js";
import { checkSpins, deltaE, isingEnergy, termSums } from "./ising.js";

describe("couplings", () => {
  it("fill missing terms with 0, keep the term order nn, plaquette, nnn, field and name a bad one", () => {
    expect(TERM_NAMES).toEqual(["nn", "plaquette", "nnn", "field"]);
    expect(N_TERMS).toBe(4);
    expect(Object.entries(couplings())).toEqual([
      ["nn", 0],
      ["plaquette", 0],
      ["nnn", 0],
      ["field", 0],
    ]);
    expect(couplings({ nnn: -0.5, field: 1e300 })).toEqual({ nn: 0, plaquette: 0, nnn: -0.5, field: 1e300 });
    expect(refusalMessage(() => couplings({ plaquette: Number.NaN }))).toBe(
      "couplings.plaquette: expected a finite number, got NaN",
    );
    expect(refusalMessage(() => couplings({ nn: 1, nnn: Number.NEGATIVE_INFINITY }, "theory"))).toBe(
      "theory.nnn: expected a finite number, got -Infinity",
    );
  });

  it("as vectors in term order, and their dot product with term sums at an offset", () => {
    const c = couplings({ nn: 1, plaquette: -2, nnn: 0.5, field: 3 });
    const v = couplingsVector(c);
    expect(v).toBeInstanceOf(Float64Array);
    expect(Array.from(v)).toEqual([1, -2, 0.5, 3]);
    expect(couplingsFromVector([4, 3, 2, 1])).toEqual({ nn: 4, plaquette: 3, nnn: 2, field: 1 });
    expect(Object.keys(couplingsFromVector(v))).toEqual(["nn", "plaquette", "nnn", "field"]);
    // 1·2 − 2·3 + 0.5·4 + 3·5 = 13.
    expect(couplingsDot(c, [2, 3, 4, 5])).toBe(13);
    expect(couplingsDot(c, [9, 9, 2, 3, 4, 5, 9], 2)).toBe(13);
    expect(couplingsDot(c, [2, 3, 4, 5, 1, 1, 1, 1], 4)).toBe(2.5);
  });
});

/** The terms of an Lx × Ly torus written out from coordinates. */
function handBuilt(Lx: number, Ly: number) {
  const n = Lx * Ly;
  const site = (x: number, y: number) => (((y % Ly) + Ly) % Ly) * Lx + (((x % Lx) + Lx) % Lx);
  const matrix = () => Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const bond = (J: number[][], a: number, b: number) => {
    J[a][b] += 0.5;
    J[b][a] += 0.5;
  };
  const Jnn = matrix();
  const Jnnn = matrix();
  const plaquettes: number[][] = [];
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      bond(Jnn, site(x, y), site(x + 1, y));
      bond(Jnn, site(x, y), site(x, y + 1));
      bond(Jnnn, site(x, y), site(x + 1, y + 1));
      bond(Jnnn, site(x, y), site(x + 1, y - 1));
      plaquettes.push([site(x, y), site(x + 1, y), site(x + 1, y + 1), site(x, y + 1)]);
    }
  }
  const quad = (J: number[][], s: ArrayLike<number>) => {
    let q = 0;
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) q += s[a] * J[a][b] * s[b];
    return q;
  };
  const sums = (s: Int8Array) => [
    quad(Jnn, s),
    plaquettes.reduce((acc, p) => acc + s[p[0]] * s[p[1]] * s[p[2]] * s[p[3]], 0),
    quad(Jnnn, s),
    s.reduce((acc, v) => acc + v, 0),
  ];
  return { n, sums };
}

describe("the square Ising operator against hand-built bond matrices", () => {
  const c = couplings({ nn: 0.7, plaquette: -0.3, nnn: 0.2, field: 0.45 });
  const energy = (S: number[]) => -(0.7 * S[0] - 0.3 * S[1] + 0.2 * S[2] + 0.45 * S[3]);

  it("term sums and energies of every configuration of 2×2, 1×3 and 4×2 tori, every 5th of 3×3", () => {
    for (const [Lx, Ly, step] of [
      [3, 3, 5],
      [2, 2, 1],
      [1, 3, 1],
      [4, 2, 1],
    ]) {
      const lat = squareLattice(Lx, Ly);
      const { n, sums } = handBuilt(Lx, Ly);
      for (let k = 0; k < 2 ** n; k += step) {
        const s = spinsOf(k, n);
        const S = sums(s);
        expect(Array.from(termSums(lat, s))).toEqual(S);
        expect(isingEnergy(lat, c, s)).toBeCloseTo(energy(S), 12);
      }
    }
  });

  it("ΔE of every site flip equals the difference of two hand-built energies", () => {
    for (const [Lx, Ly] of [
      [3, 3],
      [2, 2],
      [1, 3],
      [3, 1],
    ]) {
      const lat = squareLattice(Lx, Ly);
      const { n, sums } = handBuilt(Lx, Ly);
      for (let k = 0; k < 2 ** n; k += 7) {
        const s = spinsOf(k, n);
        for (let i = 0; i < n; i++) {
          const f = Int8Array.from(s);
          f[i] = -f[i];
          expect(deltaE(lat, c, s, i)).toBeCloseTo(energy(sums(f)) - energy(sums(s)), 12);
        }
      }
    }
  });

  it("refuses wrong spin arrays and site indices with one-line messages", () => {
    const lat = squareLattice(3);
    expect(refusalMessage(() => checkSpins(lat, [1, 1] as unknown as Int8Array))).toBe(
      "spins: expected an Int8Array of ±1, got object",
    );
    expect(refusalMessage(() => termSums(lat, new Int16Array(9).fill(1) as unknown as Int8Array))).toBe(
      "spins: expected an Int8Array of ±1, got object",
    );
    expect(refusalMessage(() => checkSpins(lat, new Int8Array(3), "start"))).toBe(
      "start.length: expected 9 (= Lx·Ly), got 3",
    );
    const s = new Int8Array(9).fill(-1);
    expect(() => checkSpins(lat, s)).not.toThrow();
    s[8] = 2;
    expect(refusalMessage(() => checkSpins(lat, s, "start"))).toBe("start[8]: expected +1 or -1, got 2");
    s[8] = 1;
    s[0] = 0;
    expect(refusalMessage(() => checkSpins(lat, s))).toBe("spins[0]: expected +1 or -1, got 0");
    const up = new Int8Array(9).fill(1);
    expect(deltaE(lat, c, up, 0)).toBeCloseTo(2 * (0.7 * 4 - 0.3 * 4 + 0.2 * 4 + 0.45), 12);
    expect(deltaE(lat, c, up, 8)).toBeCloseTo(2 * (0.7 * 4 - 0.3 * 4 + 0.2 * 4 + 0.45), 12);
    for (const i of [-1, 9, 0.5]) {
      expect(refusalMessage(() => deltaE(lat, c, up, i))).toBe(`i: expected an integer in [0, 8], got ${i}`);
    }
    expect(refusalMessage(() => deltaE(lat, c, new Int8Array(8).fill(1), 0))).toBe(
      "spins.length: expected 9 (= Lx·Ly), got 8",
    );
  });
});
