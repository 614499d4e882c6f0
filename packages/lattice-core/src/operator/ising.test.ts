import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randomSpins } from "../../test/helpers.js";
import { PhysmlInputError } from "../errors.js";
import { squareLattice } from "../lattice/square.js";
import { translateSpins } from "../lattice/translate.js";
import { seededUniform } from "../testing/index.js";
import { couplings } from "./couplings.js";
import { checkSpins, deltaE, isingEnergy, termSums } from "./ising.js";

// Independent reference: term sums straight from coordinates, with explicit modular arithmetic.
function referenceTerms(Lx: number, Ly: number, s: Int8Array): number[] {
  const at = (x: number, y: number) => s[(((y % Ly) + Ly) % Ly) * Lx + (((x % Lx) + Lx) % Lx)];
  let nn = 0;
  let pl = 0;
  let nnn = 0;
  let m = 0;
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      const c = at(x, y);
      m += c;
      nn += c * at(x + 1, y) + c * at(x, y + 1);
      pl += c * at(x + 1, y) * at(x + 1, y + 1) * at(x, y + 1);
      nnn += c * at(x + 1, y + 1) + c * at(x + 1, y - 1);
    }
  }
  return [nn, pl, nnn, m];
}

describe("Ising Hamiltonian", () => {
  it("term sums match a coordinate-based reference on many sizes", () => {
    const u = seededUniform(1);
    for (const [Lx, Ly] of [
      [1, 1],
      [1, 4],
      [2, 2],
      [3, 5],
      [4, 4],
      [7, 3],
    ]) {
      const lat = squareLattice(Lx, Ly);
      for (let r = 0; r < 5; r++) {
        const s = randomSpins(lat, u);
        expect(Array.from(termSums(lat, s))).toEqual(referenceTerms(Lx, Ly, s));
      }
    }
  });

  it("all-up configuration: S = (2N, N, 2N, N)", () => {
    const lat = squareLattice(6, 4);
    const s = new Int8Array(24).fill(1);
    expect(Array.from(termSums(lat, s))).toEqual([48, 24, 48, 24]);
    expect(isingEnergy(lat, couplings({ nn: 1, plaquette: 0.5, nnn: -0.25, field: 2 }), s)).toBe(
      -(48 + 12 - 12 + 48),
    );
  });

  it("energy is −Σ c_k S_k, and ΔE equals the difference of two energies (any sign, any size)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer(),
        fc.record({
          nn: fc.double({ min: -2, max: 2, noNaN: true }),
          plaquette: fc.double({ min: -2, max: 2, noNaN: true }),
          nnn: fc.double({ min: -2, max: 2, noNaN: true }),
          field: fc.double({ min: -2, max: 2, noNaN: true }),
        }),
        (Lx, Ly, seed, c) => {
          const lat = squareLattice(Lx, Ly);
          const s = randomSpins(lat, seededUniform(seed));
          const t = referenceTerms(Lx, Ly, s);
          const e = isingEnergy(lat, c, s);
          expect(e).toBeCloseTo(-(c.nn * t[0] + c.plaquette * t[1] + c.nnn * t[2] + c.field * t[3]), 10);
          for (let i = 0; i < lat.nSites; i++) {
            const f = Int8Array.from(s);
            f[i] = -f[i];
            expect(deltaE(lat, c, s, i)).toBeCloseTo(isingEnergy(lat, c, f) - e, 10);
          }
        },
      ),
      { seed: 7, numRuns: 60 },
    );
  });

  it("translations preserve the energy", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer(),
        fc.integer({ min: -10, max: 10 }),
        fc.integer({ min: -10, max: 10 }),
        (Lx, Ly, seed, dx, dy) => {
          const lat = squareLattice(Lx, Ly);
          const s = randomSpins(lat, seededUniform(seed));
          const c = couplings({ nn: 0.7, plaquette: -0.3, nnn: 0.2, field: 0.1 });
          const t = translateSpins(lat, s, dx, dy);
          expect(isingEnergy(lat, c, t)).toBeCloseTo(isingEnergy(lat, c, s), 12);
          expect(Array.from(termSums(lat, t))).toEqual(Array.from(termSums(lat, s)));
        },
      ),
      { seed: 11, numRuns: 100 },
    );
  });

  it("bad spins raise a typed error naming the field", () => {
    const lat = squareLattice(3);
    expect(() => checkSpins(lat, new Int8Array(8).fill(1))).toThrow(/spins.length: expected 9/);
    const s = new Int8Array(9).fill(1);
    s[4] = 0;
    expect(() => termSums(lat, s)).toThrow(PhysmlInputError);
    expect(() => termSums(lat, s)).toThrow(/spins\[4\]: expected \+1 or -1/);
    expect(() => deltaE(lat, couplings({ nn: 1 }), new Int8Array(9).fill(1), 9)).toThrow(/^i: expected/);
    expect(() => couplings({ nn: Number.NaN })).toThrow(/couplings.nn: expected a finite number/);
    expect(() => couplings({ field: Number.POSITIVE_INFINITY })).toThrow(/couplings.field/);
  });
});
