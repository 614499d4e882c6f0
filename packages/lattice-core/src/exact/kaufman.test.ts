import { describe, expect, it } from "vitest";
import { spinsOf } from "../../test/helpers.js";
import { PhysmlInputError } from "../errors.js";
import { dualCoupling } from "./duality.js";
import { kaufman } from "./kaufman.js";
import { BETA_C, onsagerEnergyPerSite, onsagerReducedFreeEnergy } from "./onsager.js";

const bondCache = new Map<string, Int32Array>();

/** Σ⟨ij⟩ s_i s_j of every one of the 2^N states, with plain loops. */
function bondSums(Lx: number, Ly: number): Int32Array {
  const key = `${Lx}x${Ly}`;
  const hit = bondCache.get(key);
  if (hit) return hit;
  const N = Lx * Ly;
  const bonds = new Int32Array(2 ** N);
  for (let c = 0; c < 2 ** N; c++) {
    const s = spinsOf(c, N);
    let b = 0;
    for (let y = 0; y < Ly; y++) {
      for (let x = 0; x < Lx; x++) {
        const i = y * Lx + x;
        b += s[i] * s[y * Lx + ((x + 1) % Lx)] + s[i] * s[((y + 1) % Ly) * Lx + x];
      }
    }
    bonds[c] = b;
  }
  bondCache.set(key, bonds);
  return bonds;
}

/** Brute force over all 2^N states: ln Z, energy and specific heat per site. */
function brute(Lx: number, Ly: number, K: number) {
  const N = Lx * Ly;
  const bonds = bondSums(Lx, Ly);
  // Shift by the maximum so that the weights stay O(1); then centred moments.
  let max = -Infinity;
  for (const b of bonds) max = Math.max(max, K * b);
  let z = 0;
  let m1 = 0;
  for (const b of bonds) {
    const w = Math.exp(K * b - max);
    z += w;
    m1 += w * b;
  }
  m1 /= z;
  let v = 0;
  for (const b of bonds) v += Math.exp(K * b - max) * (b - m1) ** 2;
  v /= z;
  return { lnZ: max + Math.log(z), e: -m1 / N, c: (K * K * v) / N };
}

describe("Kaufman / Ferdinand–Fisher exact finite torus", () => {
  it("matches brute-force enumeration at L = 4 (lnZ, energy, specific heat; relative 1e-10)", () => {
    for (const K of [0.05, 0.2, 0.3, 0.4, BETA_C, 0.45, 0.6, 0.8]) {
      const k = kaufman(4, 4, K);
      const b = brute(4, 4, K);
      expect(Math.abs(k.lnZ / b.lnZ - 1)).toBeLessThan(1e-10);
      expect(Math.abs(k.reducedFreeEnergyPerSite + b.lnZ / 16)).toBeLessThan(1e-10);
      expect(Math.abs(k.energyPerSite / b.e - 1)).toBeLessThan(1e-10);
      expect(Math.abs(k.specificHeatPerSite / b.c - 1)).toBeLessThan(1e-9);
    }
  });

  it("matches brute force on rectangular and odd tori, in both orientations", () => {
    for (const [Lx, Ly] of [
      [2, 2],
      [3, 3],
      [3, 4],
      [2, 5],
      [5, 3],
    ]) {
      for (const K of [0.25, 0.5]) {
        const b = brute(Lx, Ly, K);
        for (const k of [kaufman(Lx, Ly, K), kaufman(Ly, Lx, K)]) {
          expect(Math.abs(k.lnZ / b.lnZ - 1)).toBeLessThan(1e-10);
          expect(Math.abs(k.energyPerSite / b.e - 1)).toBeLessThan(1e-10);
          expect(Math.abs(k.specificHeatPerSite / b.c - 1)).toBeLessThan(1e-9);
        }
      }
    }
  });

  it("approaches Onsager at L = 512 away from β_c (free energy 1e-12, energy 1e-10)", () => {
    const N = 512 * 512;
    for (const K of [0.2, 0.3, 0.38, 0.5, 0.6]) {
      const k = kaufman(512, 512, K);
      // Below T_c the finite torus has two ordered states: ln Z = −N f + ln 2 up to e^{−L/ξ}.
      const degeneracy = K > BETA_C ? Math.LN2 / N : 0;
      expect(Math.abs(k.reducedFreeEnergyPerSite + degeneracy - onsagerReducedFreeEnergy(K))).toBeLessThan(
        1e-12,
      );
      expect(Math.abs(k.energyPerSite - onsagerEnergyPerSite(K))).toBeLessThan(1e-10);
    }
  });

  it("Kramers–Wannier link identity fails on small tori by the published amounts and holds at L = 512", () => {
    // ⟨x⟩_β vs cosh 2β̃ − sinh 2β̃ ⟨x⟩_β̃ with ⟨x⟩ = −energy/2 (nearest-neighbour correlator).
    const pair = (L: number, K: number) => {
      const Kd = dualCoupling(K);
      const exact = -kaufman(L, L, K).energyPerSite / 2;
      return [exact, Math.cosh(2 * Kd) + (Math.sinh(2 * Kd) * kaufman(L, L, Kd).energyPerSite) / 2];
    };
    // Values quoted in the physics notes (3–4 digits).
    const quoted: [number, number, number, number][] = [
      [8, 0.3, 0.356, 0.352],
      [8, 0.35, 0.46, 0.44],
      [8, 0.5, 0.873, 0.833],
      [16, 0.35, 0.4405, 0.4399],
      [16, 0.5, 0.8728, 0.8678],
    ];
    for (const [L, K, a, b] of quoted) {
      const [exact, mapped] = pair(L, K);
      const digits = String(a).length - 2;
      expect(exact).toBeCloseTo(a, digits);
      expect(mapped).toBeCloseTo(b, digits);
    }
    for (const K of [0.3, 0.5]) {
      const [exact, mapped] = pair(512, K);
      expect(Math.abs(exact - mapped)).toBeLessThan(1e-10);
    }
  });

  it("is finite at L = 1024, including β_c where the specific heat grows like ln L", () => {
    for (const K of [0.1, BETA_C, 1.5]) {
      const k = kaufman(1024, 1024, K);
      for (const v of Object.values(k)) expect(Number.isFinite(v)).toBe(true);
    }
    // At β_c: c(L) ≈ (8/π) β_c² ln L + const, so c(1024) − c(512) ≈ (8/π) β_c² ln 2.
    const dc =
      kaufman(1024, 1024, BETA_C).specificHeatPerSite - kaufman(512, 512, BETA_C).specificHeatPerSite;
    expect(dc).toBeCloseTo((8 / Math.PI) * BETA_C ** 2 * Math.LN2, 3);
  });

  it("rejects bad sizes and couplings with typed errors", () => {
    expect(() => kaufman(1, 4, 0.3)).toThrow(PhysmlInputError);
    expect(() => kaufman(4, 0, 0.3)).toThrow(/Ly: expected an integer in \[2,/);
    expect(() => kaufman(4, 4, Number.NaN)).toThrow(/beta: expected a finite number/);
    expect(() => kaufman(4, 4, -0.1)).toThrow(/beta: expected a number in \[0, 50\]/);
    expect(kaufman(4, 4, 0).lnZ).toBeCloseTo(16 * Math.LN2, 14);
  });
});
