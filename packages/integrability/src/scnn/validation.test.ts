// The SCNN's held-out check on constructed momentum columns: conserved, not conserved, exactly
// at the threshold, constant and not finite.
import { describe, expect, it } from "vitest";
import { angularMomentum, twoBodyEnergy } from "./kepler.js";
import { alongOrbitShare } from "./restarts.js";
import { twoBodyOrbits } from "./two-body-data.js";
import { SCNN_HELD_OUT_WITHIN, validateCyclicMomenta } from "./validation.js";

/** [orbits·length, m] row-major from per-column functions of (orbit, step). */
function columns(orbits: number, length: number, cols: ((b: number, t: number) => number)[]): Float64Array {
  const m = cols.length;
  const v = new Float64Array(orbits * length * m);
  for (let b = 0; b < orbits; b++)
    for (let t = 0; t < length; t++) for (let i = 0; i < m; i++) v[(b * length + t) * m + i] = cols[i](b, t);
  return v;
}

describe("validateCyclicMomenta", () => {
  it("passes L and H read along true Kepler orbits and fails the relative position's x", () => {
    const o = twoBodyOrbits(8, 7, 6, 20);
    const T = o.times.length;
    const n = o.batch * T;
    const v = new Float64Array(n * 3);
    for (let r = 0; r < n; r++) {
      const z = o.states.subarray(r * 8, r * 8 + 8);
      v[r * 3] = angularMomentum(z);
      v[r * 3 + 1] = twoBodyEnergy(z);
      v[r * 3 + 2] = z[0] - z[2]; // r_x goes round each orbit
    }
    const r = validateCyclicMomenta(v, o.batch, T, 3);
    expect(r.passed).toBe(false);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatch(
      /^P3 keeps \d+(\.\d+)?% of its variance along the held-out orbits \(threshold 0\.75%\): not conserved$/,
    );
    expect(r.targets).toEqual({ orbitShare: SCNN_HELD_OUT_WITHIN });
    // the integrator's drift of L and H is far below the threshold: their columns alone pass
    const conserved = Float64Array.from({ length: n * 2 }, (_, k) => v[Math.floor(k / 2) * 3 + (k % 2)]);
    expect(validateCyclicMomenta(conserved, o.batch, T, 2)).toEqual({
      passed: true,
      failures: [],
      targets: { orbitShare: SCNN_HELD_OUT_WITHIN },
    });
  });

  it("judges a share exactly at the threshold as passed and just above it as failed", () => {
    // two orbits of two states, a ± d and b ± d: share 4d² / (4d² + (a − b)²) = 1/(1 + 9) for d = 0.5, a − b = 3
    const v = columns(2, 2, [(b, t) => (b === 0 ? 1 : 4) + (t === 0 ? 0.5 : -0.5)]);
    const [share] = alongOrbitShare(v, 2, 2, 1);
    expect(share).toBeCloseTo(0.1, 15);
    expect(validateCyclicMomenta(v, 2, 2, 1, share).passed).toBe(true);
    const below = share * (1 - Number.EPSILON);
    const failed = validateCyclicMomenta(v, 2, 2, 1, below);
    expect(failed.passed).toBe(false);
    expect(failed.failures).toEqual([
      "P1 keeps 10% of its variance along the held-out orbits (threshold 10%): not conserved",
    ]);
  });

  it("passes a momentum constant on every state and fails a non-finite one, naming each failing P_i", () => {
    const v = columns(4, 10, [
      () => 0.25, // total momentum on unboosted orbits: share 0
      (b, t) => Math.sin(1 + 7.3 * (b * 10 + t)), // varies along the orbits as much as between them
      (b, t) => (b === 2 && t === 5 ? Number.NaN : b), // conserved but for one state
      (b) => b + 1, // conserved
    ]);
    const r = validateCyclicMomenta(v, 4, 10, 4);
    expect(r.passed).toBe(false);
    expect(r.failures).toHaveLength(2);
    expect(r.failures[0]).toMatch(/^P2 keeps \d+% of its variance along the held-out orbits/);
    expect(r.failures[1]).toBe("P3 is not finite on every held-out state");
  });

  it("passes with no cyclic momentum (nothing claimed) and refuses a threshold outside (0, 1]", () => {
    expect(validateCyclicMomenta(new Float64Array(0), 4, 10, 0).passed).toBe(true);
    expect(() => validateCyclicMomenta(new Float64Array(4), 2, 2, 1, 0)).toThrow(/threshold/);
    expect(() => validateCyclicMomenta(new Float64Array(4), 2, 2, 1, Number.NaN)).toThrow(/threshold/);
  });
});
