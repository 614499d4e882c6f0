import { describe, expect, it } from "vitest";
import { fieldSamples } from "../fields/field-system.js";
import { KdvEtdrk4 } from "../fields/kdv.js";
import { KDV_RANDOM_FIELD_KINDS, kdvRandomFields } from "../fields/kdv-random-fields.js";
import { kdvFieldSystem, snapshotFeatures } from "../fields/kdv-samples.js";
import { sineGordonFieldSystem } from "../fields/sine-gordon-samples.js";
import { trainingSamples } from "./training-points.js";
import { fieldBatch, kdvConnection, zeroCurvatureResidual } from "./zero-curvature.js";

const ORDER = 2;
const system = kdvFieldSystem(ORDER);
const small = { n: 128, length: 30 };
const train = system.trajectories({ trajectories: 3, ...small, time: 0.2, snapshots: 2, seed: 3 });

describe("random KdV fields as training points", () => {
  it("their jets' t-derivatives are those of the solution started from each field (Richardson-extrapolated difference quotients)", () => {
    const { grid, fields } = kdvRandomFields({ count: 8, ...small, seed: 5 });
    const delta = 2e-3;
    const stepper = new KdvEtdrk4(grid, delta / 40);
    const errors = [0, 0, 0];
    let den = 0;
    for (const phi0 of fields) {
      const phi = Float64Array.from(phi0);
      // f at t = 0, δ/2, δ, 2δ
      const at = [snapshotFeatures(grid, phi, ORDER).derivs];
      for (const steps of [20, 20, 40]) {
        stepper.advance(phi, steps);
        at.push(snapshotFeatures(grid, phi, ORDER).derivs);
      }
      const jet = system.jet(grid, [phi0]);
      for (let k = 0; k <= ORDER; k++)
        for (let j = 0; j < grid.n; j++) {
          // (−3f(0) + 4f(h) − f(2h)) / 2h errs by h²f_ttt/3 + O(h³): no use of the equation
          const q = (a: number, b: number, h: number) => (-3 * at[0][k][j] + 4 * a - b) / (2 * h);
          const coarse = q(at[2][k][j], at[3][k][j], delta);
          const fine = q(at[1][k][j], at[2][k][j], delta / 2);
          [coarse, fine, (4 * fine - coarse) / 3].forEach((v, i) => {
            errors[i] += (jet.ft[k][j] - v) ** 2;
          });
          den += fine ** 2;
        }
    }
    const [coarse, fine, extrapolated] = errors.map((e) => Math.sqrt(e / den));
    // the quotients' error falls 4× when h halves (measured 3.6e-4 → 9.1e-5): it is their own
    // truncation, and what is left once the h² term is removed is far below it (measured 4.2e-6)
    expect(coarse / fine).toBeGreaterThan(3.5);
    expect(coarse / fine).toBeLessThan(4.5);
    expect(extrapolated).toBeLessThan(fine / 10);
  });

  it("the AKNS connection is flat on points of random fields (not KdV solutions) and a perturbed one is not", () => {
    const s = trainingSamples(system, train, { samples: 600, trainingFields: 40, data: small, seed: 1 });
    const batch = fieldBatch(s);
    for (const lambda of [0, 0.3, -0.7]) {
      expect(zeroCurvatureResidual(kdvConnection(lambda), batch)).toBeLessThan(1e-10);
      expect(zeroCurvatureResidual(kdvConnection(lambda, 0.1), batch)).toBeGreaterThan(1e-2);
    }
  });

  it("cycles its kinds, is seeded, and its smooth fields have modes 1–6 of at most 0.3", () => {
    const a = kdvRandomFields({ count: 40, ...small, seed: 9 });
    const b = kdvRandomFields({ count: 40, ...small, seed: 9 });
    const c = kdvRandomFields({ count: 40, ...small, seed: 10 });
    expect(a.kinds.slice(0, 4)).toEqual([...KDV_RANDOM_FIELD_KINDS]);
    expect(a.fields).toEqual(b.fields);
    expect(a.fields[2]).not.toEqual(c.fields[2]);
    // a soliton of speed c ∈ [0.5, 2] peaks at c/2 (plus its periodic images' tails)
    for (let i = 0; i < 40; i += 4) {
      const peak = Math.max(...a.fields[i]);
      expect(peak).toBeGreaterThan(0.25);
      expect(peak).toBeLessThan(1.01);
    }
    // smooth fields: no k = 0 mode, |a_m| ≤ 0.3, and modes 4–6 present (the trajectories' start at ≤ 3)
    const smooth = a.fields.filter((_, i) => a.kinds[i] === "smooth");
    let high = 0;
    for (const f of smooth) {
      const F = a.grid.forward(f);
      const mode = (m: number) => (2 * Math.hypot(F[2 * m], F[2 * m + 1])) / f.length;
      expect(mode(0) / 2).toBeLessThan(1e-12);
      for (let m = 1; m <= 6; m++) expect(mode(m)).toBeLessThanOrEqual(0.3 + 1e-12);
      for (let m = 7; m < 20; m++) expect(mode(m)).toBeLessThan(1e-12);
      high = Math.max(high, mode(4), mode(5), mode(6));
    }
    expect(high).toBeGreaterThan(0.01);
  });

  it("without fields the points are the trajectories' as before; with them seeded and split by the share", () => {
    const before = fieldSamples(system, train, 300, 8);
    expect(trainingSamples(system, train, { samples: 300, data: small, seed: 7 })).toEqual(before);
    const o = { samples: 300, trainingFields: 12, trainingFieldShare: 0.25, data: small, seed: 7 };
    const mixed = trainingSamples(system, train, o);
    expect(trainingSamples(system, train, o)).toEqual(mixed);
    expect(mixed.count).toBe(300);
    // the first 225 points are the trajectories' (the same draw as 225 points alone)
    const fromTrain = fieldSamples(system, train, 225, 8);
    expect(mixed.f.subarray(0, 225 * mixed.dim)).toEqual(fromTrain.f);
    // the last 75 lie on the random fields: every φ among theirs, none among the trajectories'
    const fieldValues = new Set(
      system.randomStates?.({ count: 12, ...small, seed: 7 + 2000 }).states.flatMap((s) => [...s[0][0]]),
    );
    for (let r = 225; r < 300; r++) expect(fieldValues.has(mixed.f[r * mixed.dim])).toBe(true);
    expect(trainingSamples(system, train, { ...o, seed: 8 }).f).not.toEqual(mixed.f);
  });

  it("refuses random fields for a system without them and a share outside (0, 1]", () => {
    const sg = sineGordonFieldSystem;
    const sgTrain = sg.trajectories({ trajectories: 1, n: 64, time: 0.1, snapshots: 2, seed: 0 });
    expect(() => trainingSamples(sg, sgTrain, { samples: 10, trainingFields: 2, seed: 0 })).toThrow(
      /trainingFields/,
    );
    expect(() =>
      trainingSamples(system, train, { samples: 10, trainingFields: 2, trainingFieldShare: 0, seed: 0 }),
    ).toThrow(/trainingFieldShare/);
  });
});
