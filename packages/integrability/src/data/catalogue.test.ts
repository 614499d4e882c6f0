import { describe, expect, it } from "vitest";
import { runSimulation, SIMULATE_SYSTEMS } from "./catalogue.js";

describe("runSimulation", () => {
  it.each(SIMULATE_SYSTEMS)("%s: arrays of the stated shapes, conserved quantities kept", (system) => {
    const r = runSimulation({
      system,
      trajectories: 2,
      time: system === "heisenberg" ? 0.05 : 0.5,
      seed: 1,
      snapshots: 5,
    });
    for (const a of r.arrays) expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
    for (const [k, v] of Object.entries(r.drift)) {
      expect(Number.isFinite(v), k).toBe(true);
      expect(v, k).toBeLessThan(1e-4);
    }
  });
});
