import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { learnKdvConnection } from "./zero-curvature-learn.js";

const data = { n: 128, length: 30, time: 0.4, snapshots: 3, trajectories: 3 };

describe("learnKdvConnection", () => {
  it("refuses negative step counts", () => {
    expect(() => learnKdvConnection({ adamSteps: -1, polishIter: 0, seed: 0 })).toThrow(PhysmlInputError);
  });

  it("lowers the zero-curvature loss and reports finite held-out checks", () => {
    const r = learnKdvConnection({
      data,
      order: 2,
      samples: 128,
      hidden: [4],
      adamSteps: 40,
      polishIter: 0,
      logEvery: 40,
      seed: 1,
    });
    const [first, last] = [r.history[0], r.final];
    expect(last.total).toBeLessThan(0.8 * first.total);
    expect(last.lax).toBeLessThan(first.lax);
    expect(Number.isFinite(r.residual) && r.residual > 0).toBe(true);
    expect(r.residualByTrajectory).toHaveLength(3);
    expect(r.monodromy.traces.flat().every(Number.isFinite)).toBe(true);
    // every entry of A_x and A_t gets a fitted formula with an R² in [0, 1]
    for (const f of [...r.formulas.Ax.flat(), ...r.formulas.At.flat()]) {
      expect(f.r2).toBeGreaterThanOrEqual(0);
      expect(f.r2).toBeLessThanOrEqual(1 + 1e-12);
    }
  });
});
