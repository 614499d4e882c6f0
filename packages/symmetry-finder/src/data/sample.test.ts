import { describe, expect, it } from "vitest";
import { doubleWell, quartic2d, so2xso2 } from "./potentials.js";
import { pointsOfClass, samplePotential } from "./sample.js";

describe("samplePotential", () => {
  it("puts double-well points on the shells r² = (a ± √(a² + 4V_k))/2 of their bin", () => {
    const pot = doubleWell(3);
    const data = samplePotential(pot, { perClass: 200, seed: 1 });
    expect(data.n).toBe(200 * pot.levels.length);
    for (let i = 0; i < data.n; i++) {
      const x = data.x.subarray(3 * i, 3 * i + 3);
      const r2 = x[0] ** 2 + x[1] ** 2 + x[2] ** 2;
      const V = pot.levels[data.labels[i]];
      const roots = [1, -1].map((s) => (1 + s * Math.sqrt(1 + 4 * V)) / 2).filter((r) => r >= 0);
      // |dV/d(r²)| = |2r² − 1| ≥ 0.2 away from the minimum, so |Δr²| ≤ 10⁻³ / 0.2 (levels avoid −1/4)
      const dist = Math.min(...roots.map((r) => Math.abs(r - r2)));
      expect(dist).toBeLessThan(1e-3 / Math.abs(2 * r2 - 1) + 1e-12);
    }
  });

  it("is isotropic: the mean of each coordinate is 0 within 4 standard errors", () => {
    const pot = so2xso2();
    const data = samplePotential(pot, { perClass: 400, seed: 2 });
    const pts = pointsOfClass(data, 2);
    const m = pts.length / 4;
    for (let d = 0; d < 4; d++) {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < m; i++) {
        s += pts[4 * i + d];
        s2 += pts[4 * i + d] ** 2;
      }
      const mean = s / m;
      const se = Math.sqrt((s2 / m - mean * mean) / m);
      expect(Math.abs(mean)).toBeLessThan(4 * se);
    }
  });

  it("is reproducible from the seed and different for another seed", () => {
    const pot = quartic2d();
    const a = samplePotential(pot, { perClass: 50, seed: 7 });
    const b = samplePotential(pot, { perClass: 50, seed: 7 });
    const c = samplePotential(pot, { perClass: 50, seed: 8 });
    expect(a.x).toEqual(b.x);
    expect(a.labels).toEqual(b.labels);
    expect(a.x).not.toEqual(c.x);
  });
});
