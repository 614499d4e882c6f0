// optim/state-json: stored optimiser states continue a run exactly, and a stored state that
// does not fit the model is refused naming the field.
import { describe, expect, it } from "vitest";
import { AutodiffInputError } from "../errors.js";
import { concat, type Tensor, tensor, valueAndGrad } from "../index.js";
import { loadParamsLike, saveParams } from "../nn/index.js";
import {
  adam,
  type LbfgsMinimizeState,
  lbfgs,
  loadAdamState,
  loadLbfgsMinimizeState,
  saveAdamState,
  saveLbfgsMinimizeState,
} from "./index.js";

type P = { a: Tensor; b: Tensor };

// Rosenbrock on the concatenation of two leaves: curved enough that L-BFGS needs many
// iterations, so the history and the line search's step both matter for the path taken.
const rosen = (p: P): Tensor => {
  const v = concat([p.a, p.b], 0);
  const x = v.slice([0], [2]);
  const y = v.slice([1], [3]);
  return y.sub(x.mul(x)).square().mul(100).add(x.sub(1).square()).sum();
};
const vg = valueAndGrad(rosen);
const p0: P = { a: tensor([-1.2, 1], [2]), b: tensor([0.5], [1]) };

describe("L-BFGS minimize resumed from a stored state", () => {
  it("continues exactly as the uninterrupted run", () => {
    const whole = lbfgs({ historySize: 4 }).minimize(vg, p0, { maxIter: 200 });
    expect(whole.iterations).toBeGreaterThan(20);
    const states: LbfgsMinimizeState[] = [];
    lbfgs({ historySize: 4 }).minimize(vg, p0, { maxIter: 12, onIteration: (s) => states.push(s) });
    expect(states.map((s) => s.iterations)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // the last state goes through JSON, as a checkpoint does
    const stored = JSON.parse(JSON.stringify(saveLbfgsMinimizeState(states[11])));
    const start = loadLbfgsMinimizeState(stored, p0, 4, "resume.lbfgs");
    expect(start.s.length).toBe(4);
    const resumed = lbfgs({ historySize: 4 }).minimize(vg, p0, { maxIter: 200, start });
    expect(resumed.iterations).toBe(whole.iterations);
    expect(resumed.value).toBe(whole.value);
    expect(resumed.params.a.toArray()).toEqual(whole.params.a.toArray());
    expect(resumed.params.b.toArray()).toEqual(whole.params.b.toArray());
    expect(whole.converged).toBe(true);
    expect(whole.params.a.toFloat64Array()[0]).toBeCloseTo(1, 5);
  });

  it("refuses a state that does not fit the parameters or the history size", () => {
    const states: LbfgsMinimizeState[] = [];
    lbfgs({ historySize: 4 }).minimize(vg, p0, { maxIter: 6, onIteration: (s) => states.push(s) });
    const stored = saveLbfgsMinimizeState(states[5]);
    const other = { a: tensor([0, 0, 0], [3]), b: tensor([0], [1]) };
    expect(() => loadLbfgsMinimizeState(stored, other, 4, "resume.lbfgs")).toThrow(
      expect.objectContaining({ field: "resume.lbfgs.params" }),
    );
    expect(() => loadLbfgsMinimizeState(stored, p0, 2, "resume.lbfgs")).toThrow(
      expect.objectContaining({ field: "resume.lbfgs.s" }),
    );
    expect(() => loadLbfgsMinimizeState({ ...stored, iterations: -1 }, p0, 4, "r")).toThrow(
      AutodiffInputError,
    );
    expect(() => lbfgs({ historySize: 2 }).minimize(vg, p0, { start: states[5] })).toThrow(
      expect.objectContaining({ field: "minimize.start.s" }),
    );
  });
});

describe("Adam state stored and loaded", () => {
  it("continues exactly as the uninterrupted run", () => {
    const opt = adam({ lr: 0.01 });
    const run = (p: P, s: ReturnType<typeof opt.init>, n: number): [P, typeof s] => {
      for (let i = 0; i < n; i++) {
        const [, g] = vg(p);
        ({ params: p, state: s } = opt.step(p, g, s));
      }
      return [p, s];
    };
    const [whole] = run(p0, opt.init(p0), 30);
    const [mid, midState] = run(p0, opt.init(p0), 12);
    const params = loadParamsLike(JSON.parse(JSON.stringify(saveParams(mid))), p0, "resume.params");
    const state = loadAdamState(JSON.parse(JSON.stringify(saveAdamState(midState))), p0, "resume.adam");
    const [resumed] = run(params, state, 18);
    expect(resumed.a.toArray()).toEqual(whole.a.toArray());
    expect(resumed.b.toArray()).toEqual(whole.b.toArray());
  });

  it("refuses moments or parameters shaped unlike the model", () => {
    const stored = saveAdamState(adam({ lr: 0.01 }).init(p0));
    const other = { a: tensor([0, 0, 0], [3]), b: tensor([0], [1]) };
    expect(() => loadAdamState(stored, other, "resume.adam")).toThrow(
      expect.objectContaining({ field: "resume.adam.m" }),
    );
    expect(() => loadAdamState({ ...stored, step: 1.5 }, p0, "resume.adam")).toThrow(
      expect.objectContaining({ field: "resume.adam.step" }),
    );
    expect(() => loadAdamState({ ...stored, v: "{" }, p0, "resume.adam")).toThrow(
      expect.objectContaining({ field: "resume.adam.v" }),
    );
    expect(() => loadParamsLike(saveParams(other), p0, "resume.params")).toThrow(
      expect.objectContaining({ field: "resume.params", allowed: "the model's parameters a[2] b[1]" }),
    );
  });
});
