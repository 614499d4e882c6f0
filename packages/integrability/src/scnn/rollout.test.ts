import { tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { energies } from "../data/hamiltonian.js";
import { twoBodySystem } from "./kepler.js";
import { predictionErrors, rollout } from "./rollout.js";
import { twoBodyOrbits } from "./two-body-data.js";

describe("rollout errors per orbit", () => {
  const sys = twoBodySystem();
  const truth = twoBodyOrbits(3, 7, 2, 10);
  const T = truth.times.length;

  it("an error in one orbit's prediction shows in that orbit's energy MSE alone; the mean over orbits is the energy MSE", () => {
    const predicted = truth.states.slice();
    // orbit 1's momenta 10% too large from its fifth point on
    for (let t = 4; t < T; t++) for (let j = 4; j < 8; j++) predicted[(T + t) * 8 + j] *= 1.1;
    const e = predictionErrors(sys, truth, predicted);
    const H = energies(sys, truth.states, 3 * T);
    const Hp = energies(sys, predicted, 3 * T);
    let want = 0;
    for (let t = 0; t < T; t++) want += (Hp[T + t] - H[T + t]) ** 2;
    expect(e.orbitEnergyMse[0]).toBe(0);
    expect(e.orbitEnergyMse[2]).toBe(0);
    expect(e.orbitEnergyMse[1]).toBeGreaterThan(1e-3);
    expect(Math.abs(e.orbitEnergyMse[1] - want / T)).toBeLessThan(1e-15);
    expect(Math.abs(e.energyMse - e.orbitEnergyMse[1] / 3)).toBeLessThan(1e-15);
  });

  it("an orbit whose field stops being finite keeps its last finite state; the others are integrated on", () => {
    // ẋ = −x, except orbit 0's field, which is NaN: that orbit stays at its start
    const field = (x: ReturnType<typeof tensor>) => {
      const v = x.toFloat64Array().map((u) => -u);
      v.fill(Number.NaN, 0, 8);
      return tensor(v, x.shape);
    };
    const pred = rollout(field, truth, 4);
    expect(pred.every(Number.isFinite)).toBe(true);
    for (let t = 0; t < T; t++)
      for (let j = 0; j < 8; j++) {
        expect(pred[t * 8 + j]).toBe(truth.states[j]);
        const start = truth.states[T * 8 + j];
        const want = start * Math.exp(-truth.times[t]);
        expect(Math.abs(pred[(T + t) * 8 + j] - want)).toBeLessThan(1e-7 * (1 + Math.abs(start)));
      }
    const e = predictionErrors(sys, truth, pred);
    expect(e.orbitEnergyMse.every(Number.isFinite)).toBe(true);
  });
});
