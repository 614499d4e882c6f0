import { describe, expect, it } from "vitest";
import { runSimulation } from "./catalogue.js";
import { simulate } from "./integrators.js";
import { samplePhaseSpace } from "./sampling.js";
import { SIMULATE_SYSTEMS } from "./simulation-names.js";
import { harmonicOscillator, henonHeiles, toda } from "./systems.js";

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

describe("runSimulation progress", () => {
  it.each(SIMULATE_SYSTEMS)(
    "%s: reports the steps done after each snapshot, rising to the total",
    (system) => {
      const calls: [number, number][] = [];
      const r = runSimulation({
        system,
        trajectories: 3,
        time: system === "heisenberg" ? 0.05 : 0.5,
        seed: 1,
        snapshots: 5,
        progress: (done, total) => calls.push([done, total]),
      });
      const snapshots = r.arrays.find((a) => a.name === "times")?.shape[0] ?? 0;
      expect(calls).toHaveLength(snapshots - 1);
      const total = calls[0][1];
      for (const [k, [done, t]] of calls.entries()) {
        expect(t).toBe(total);
        if (k > 0) expect(done).toBeGreaterThan(calls[k - 1][0]);
      }
      // The total counts every trajectory's steps on ODE systems, the one field's steps otherwise.
      const field = ["kdv", "sine-gordon", "heisenberg"].includes(system);
      expect(calls[calls.length - 1][0]).toBe(total);
      expect(total).toBe(field ? r.steps : r.steps * 3);
    },
  );
});

describe("runSimulation's trajectories", () => {
  it.each([
    ["toda", undefined],
    ["henon-heiles", "leapfrog"],
    ["ho", "midpoint"],
  ] as const)("%s (%s): the batch integrator `simulate`'s, bit for bit", (system, integrator) => {
    const c = {
      system,
      trajectories: 3,
      time: 0.5,
      seed: 4,
      snapshots: 7,
      ...(integrator ? { integrator } : {}),
    };
    const r = runSimulation(c);
    const sys = system === "toda" ? toda(3) : system === "ho" ? harmonicOscillator(1) : henonHeiles();
    const box = system === "henon-heiles" ? 0.3 : 1;
    const steps = Math.round(0.5 / 0.02);
    const traj = simulate(sys, samplePhaseSpace(sys, 3, 4, box).x, 3, {
      integrator: integrator ?? "yoshida4",
      h: 0.02,
      steps,
      every: Math.floor(steps / 7),
    });
    const states = r.arrays.find((a) => a.name === "states");
    const times = r.arrays.find((a) => a.name === "times");
    expect(states?.shape).toEqual([3, traj.times.length, 2 * sys.dof]);
    expect(Buffer.from(states?.data.buffer as ArrayBuffer).equals(Buffer.from(traj.states.buffer))).toBe(
      true,
    );
    expect(Buffer.from(times?.data.buffer as ArrayBuffer).equals(Buffer.from(traj.times.buffer))).toBe(true);
  });
});
