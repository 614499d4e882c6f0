import { tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { kdvFieldSystem } from "../fields/kdv-samples.js";
import { PeriodicGrid } from "../fields/spectral.js";
import type { ConnectionFns } from "../lax/zero-curvature.js";
import { fieldMonodromy, fieldMonodromyReport, fieldMonodromyTrace } from "./monodromy.js";

/** The constant connection A_x = a (a 2×2 matrix, row-major) whatever the field. */
function constant(a: readonly number[]): ConnectionFns {
  const batch = (B: number) =>
    tensor(
      Float64Array.from({ length: 4 * B }, (_, i) => a[i % 4]),
      [B, 2, 2],
    );
  return { size: 2, Ax: (f) => batch(f.shape[0]), At: (f) => batch(f.shape[0]) };
}

/** tr exp(ℓa) = e^{ℓμ₁} + e^{ℓμ₂} from the eigenvalues of the 2×2 matrix a. */
function exactTrace(a: readonly number[], l: number): number {
  const tr = a[0] + a[3];
  const disc = tr * tr - 4 * (a[0] * a[3] - a[1] * a[2]);
  const re = Math.exp((l * tr) / 2);
  return disc >= 0
    ? re * 2 * Math.cosh((l * Math.sqrt(disc)) / 2)
    : re * 2 * Math.cos((l * Math.sqrt(-disc)) / 2);
}

const system = kdvFieldSystem(0);
const grid = new PeriodicGrid(64, 10);
const zero = [new Float64Array(64)];
// an oscillating one with a trace (eigenvalues 0.3 ± 5.2i) and a growing one (±4: tr Ψ = 2 cosh 40)
const CASES = [
  [0.9, 6, -4.5, -0.3],
  [0, 1, 16, 0],
];

describe("the adaptive monodromy", () => {
  it("of a constant A_x is tr exp(ℓA_x) within its reported error, where 4× refinement is not", () => {
    for (const a of CASES) {
      const exact = exactTrace(a, grid.length);
      const fixed = fieldMonodromyTrace(constant(a), system, grid, zero, 4);
      // RK4 with h·|μ| ≈ 0.3 over ℓ|μ| ≈ 50: far off the 1e-3 target
      expect(Math.abs(fixed - exact)).toBeGreaterThan(1e-3 * Math.abs(exact));
      const e = fieldMonodromy(constant(a), system, grid, zero);
      expect(e.factor).toBeGreaterThan(4);
      expect(e.error).toBeLessThan(1e-6 * Math.abs(e.trace));
      // the reported error bounds the actual one
      expect(Math.abs(e.trace - exact)).toBeLessThanOrEqual(e.error);
    }
  });

  it("says by how much it missed when the largest refinement is too coarse", () => {
    const a = CASES[0];
    const e = fieldMonodromy(constant(a), system, grid, zero, { maxFactor: 4 });
    expect(e.factor).toBe(4);
    expect(e.error).toBeGreaterThan(1e-6 * Math.abs(e.trace));
    expect(Math.abs(e.trace - exactTrace(a, grid.length))).toBeLessThanOrEqual(e.error);
  });

  it("reports the quadrature error on the variation's scale", () => {
    const a = CASES[1];
    const data = { grid, times: [0, 1], states: [[zero, zero]], kinds: ["flat"] };
    const r = fieldMonodromyReport(constant(a), system, data);
    expect(r.variation[0]).toBe(0);
    expect(r.quadratureError[0]).toBeGreaterThan(0);
    expect(r.quadratureError[0]).toBeLessThan(1e-6);
    expect(r.factor[0]).toBeGreaterThan(4);
  });

  it("refuses a tolerance or largest refinement out of range", () => {
    const c = constant(CASES[1]);
    expect(() => fieldMonodromy(c, system, grid, zero, { tolerance: 0 })).toThrow(PhysmlInputError);
    expect(() => fieldMonodromy(c, system, grid, zero, { maxFactor: 6 })).toThrow(/maxFactor/);
    expect(() => fieldMonodromy(c, system, grid, zero, { maxFactor: 2 })).toThrow(/maxFactor/);
  });
});
