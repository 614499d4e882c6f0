// Optimisers against closed forms and the Rosenbrock function; schedules; clipping.
import { describe, expect, it } from "vitest";
import { AutodiffInputError, type Tensor, tensor, valueAndGrad } from "../index.js";
import {
  adam,
  adamw,
  clipByGlobalNorm,
  constantSchedule,
  cosineDecay,
  exponentialDecay,
  globalNorm,
  lbfgs,
  piecewiseConstant,
  sgd,
  warmup,
} from "./index.js";

const rosenbrock = (p: Tensor) => {
  const d = p.toFloat64Array().length;
  const x = p.slice([0], [d - 1]);
  const y = p.slice([1], [d]);
  return y.sub(x.mul(x)).square().mul(100).add(x.sub(1).square()).sum();
};

describe("SGD", () => {
  it("plain and momentum steps follow their recurrences on f = ½|x|²", () => {
    // g = x: plain GD gives x_k = (1−lr)^k x0
    const f = (x: Tensor) => x.square().sum().mul(0.5);
    const x0 = tensor([1, -2]);
    const opt = sgd({ lr: 0.1 });
    let p = x0;
    let s = opt.init(p);
    for (let k = 0; k < 10; k++) ({ params: p, state: s } = opt.step(p, valueAndGrad(f)(p)[1], s));
    expect(p.toFloat64Array()[1]).toBeCloseTo(-2 * 0.9 ** 10, 14);
    // heavy ball in 1-D: v_{k+1} = μv_k + x_k, x_{k+1} = x_k − lr·v_{k+1}
    const mom = sgd({ lr: 0.1, momentum: 0.9 });
    let q = tensor([1]);
    let ms = mom.init(q);
    let x = 1;
    let v = 0;
    for (let k = 0; k < 20; k++) {
      ({ params: q, state: ms } = mom.step(q, valueAndGrad(f)(q)[1], ms));
      v = 0.9 * v + x;
      x -= 0.1 * v;
    }
    expect(q.item()).toBeCloseTo(x, 13);
  });

  it("Nesterov steps follow p ← p − lr·(g + μv) with v ← μv + g, not the heavy-ball step", () => {
    // PyTorch's Nesterov recurrence written out on f = ½x² (g = x), from x = 1.
    const f = (x: Tensor) => x.square().sum().mul(0.5);
    const opt = sgd({ lr: 0.1, momentum: 0.9, nesterov: true });
    let q = tensor([1]);
    let s = opt.init(q);
    let x = 1;
    let v = 0;
    for (let k = 0; k < 5; k++) {
      ({ params: q, state: s } = opt.step(q, valueAndGrad(f)(q)[1], s));
      v = 0.9 * v + x;
      x -= 0.1 * (x + 0.9 * v);
      expect(q.item()).toBeCloseTo(x, 14);
    }
    expect(x).not.toBeCloseTo(1 * 0.9 ** 5, 2); // the recurrence differs from plain descent
  });

  it("Nesterov converges on an ill-conditioned quadratic", () => {
    const f = (x: Tensor) =>
      x
        .square()
        .mul(tensor([1, 50]))
        .sum();
    const opt = sgd({ lr: 0.009, momentum: 0.9, nesterov: true });
    let p = tensor([1, 1]);
    let s = opt.init(p);
    for (let k = 0; k < 300; k++) ({ params: p, state: s } = opt.step(p, valueAndGrad(f)(p)[1], s));
    expect(f(p).item()).toBeLessThan(1e-8);
  });
});

describe("Adam", () => {
  it("first step moves every coordinate by lr·sign(g) (bias correction)", () => {
    const opt = adam({ lr: 0.01 });
    const p = tensor([1, 2, 3]);
    const { params } = opt.step(p, tensor([0.5, -3, 1e-3]), opt.init(p));
    const d = params.toFloat64Array();
    expect(d[0]).toBeCloseTo(0.99, 7);
    expect(d[1]).toBeCloseTo(2.01, 7);
    expect(d[2]).toBeCloseTo(2.99, 4);
  });

  it("converges on the Rosenbrock function", () => {
    const opt = adam({ lr: cosineDecay(0.1, 3000) });
    let p = tensor([-1.2, 1]);
    let s = opt.init(p);
    for (let k = 0; k < 3000; k++) ({ params: p, state: s } = opt.step(p, valueAndGrad(rosenbrock)(p)[1], s));
    const [x, y] = p.toFloat64Array();
    expect(Math.abs(x - 1)).toBeLessThan(1e-4);
    expect(Math.abs(y - 1)).toBeLessThan(1e-4);
    expect(rosenbrock(p).item()).toBeLessThan(1e-9);
  });

  it("AdamW decays weights with zero gradient", () => {
    const opt = adamw({ lr: 0.1, weightDecay: 0.5 });
    const p = tensor([2]);
    const { params } = opt.step(p, tensor([0]), opt.init(p));
    expect(params.item()).toBeCloseTo(2 - 0.1 * 0.5 * 2, 14);
  });
});

describe("schedules and clipping", () => {
  it("schedules take the documented values", () => {
    expect(exponentialDecay(1, 10, 0.5)(10)).toBeCloseTo(0.5, 15);
    expect(exponentialDecay(1, 10, 0.5, true)(19)).toBe(0.5);
    expect(cosineDecay(2, 100)(50)).toBeCloseTo(1, 14);
    expect(cosineDecay(2, 100, 0.1)(200)).toBeCloseTo(0.2, 14);
    expect(warmup(1, 4)(1)).toBe(0.5);
    expect(piecewiseConstant(1, { 10: 0.1, 20: 0.5 })(25)).toBeCloseTo(0.05, 15);
  });

  it("schedules take their closed-form values over the whole range, at and around each boundary", () => {
    expect(constantSchedule(0.3)(1234)).toBe(0.3);
    expect(exponentialDecay(2, 10, 0.5)(5)).toBeCloseTo(2 * Math.SQRT1_2, 15);
    expect(exponentialDecay(2, 10, 0.5, true)(9)).toBe(2);
    expect(exponentialDecay(2, 10, 0.5, true)(10)).toBe(1);
    expect(cosineDecay(2, 100, 0.1)(0)).toBeCloseTo(2, 15);
    expect(cosineDecay(2, 100, 0.1)(25)).toBeCloseTo(2 * (0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)) + 0.1), 15);
    expect(cosineDecay(2, 100, 0.1)(100)).toBeCloseTo(0.2, 15);
    // linear warm-up (s + 1)/n·lr for s < n, then lr, or the `after` schedule restarted at 0
    expect([0, 1, 2, 3, 4, 9].map((k) => warmup(2, 4)(k))).toEqual([0.5, 1, 1.5, 2, 2, 2]);
    const after = exponentialDecay(2, 1, 0.5, true);
    expect([3, 4, 5, 6].map((k) => warmup(2, 4, after)(k))).toEqual([2, 2, 1, 0.5]);
    // boundaries apply from their step on, in step order whatever the key order
    const pc = piecewiseConstant(1, { 20: 0.5, 10: 0.1 });
    expect([0, 9, 10, 19, 20, 100].map((k) => pc(k))).toEqual([1, 1, 0.1, 0.1, 0.05, 0.05]);
  });

  it("schedules and optimisers refuse bad hyperparameters, naming them", () => {
    const bad = [0, -1, Number.NaN, Number.POSITIVE_INFINITY];
    const makers: [string, (v: number) => unknown][] = [
      ["constantSchedule.lr", (v) => constantSchedule(v)],
      ["exponentialDecay.lr", (v) => exponentialDecay(v, 10, 0.5)],
      ["exponentialDecay.decaySteps", (v) => exponentialDecay(1, v, 0.5)],
      ["exponentialDecay.rate", (v) => exponentialDecay(1, 10, v)],
      ["cosineDecay.lr", (v) => cosineDecay(v, 10)],
      ["cosineDecay.decaySteps", (v) => cosineDecay(1, v)],
      ["warmup.lr", (v) => warmup(v, 10)],
      ["warmup.warmupSteps", (v) => warmup(1, v)],
      ["piecewiseConstant.lr", (v) => piecewiseConstant(v, {})],
    ];
    for (const [field, make] of makers)
      for (const v of bad)
        expect(() => make(v), `${field} = ${v}`).toThrow(expect.objectContaining({ field }));
    // momentum and weight decay may be 0 but not negative or infinite
    expect(() => sgd({ lr: 0.1, momentum: 0, weightDecay: 0 })).not.toThrow();
    for (const v of [-0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => sgd({ lr: 0.1, momentum: v })).toThrow(expect.objectContaining({ field: "sgd.momentum" }));
      expect(() => sgd({ lr: 0.1, weightDecay: v })).toThrow(
        expect.objectContaining({ field: "sgd.weightDecay" }),
      );
    }
    // a learning rate (or a schedule's value) must be finite and >= 0 when the step uses it
    const p = tensor([1]);
    for (const lr of [-0.1, Number.NaN, () => Number.POSITIVE_INFINITY]) {
      const opt = sgd({ lr });
      expect(() => opt.step(p, tensor([1]), opt.init(p))).toThrow(
        expect.objectContaining({ field: "sgd.lr" }),
      );
    }
    const zero = sgd({ lr: 0 });
    expect(zero.step(p, tensor([1]), zero.init(p)).params.item()).toBe(1);
  });

  it("SGD adds weight decay to the gradient and advances the schedule one step per update", () => {
    // g + wd·p with p = 2, g = 1, wd = 0.5: p ← 2 − 0.1·(1 + 1) = 1.8
    const wd = sgd({ lr: 0.1, weightDecay: 0.5 });
    const p = tensor([2]);
    expect(wd.step(p, tensor([1]), wd.init(p)).params.item()).toBeCloseTo(1.8, 15);
    // the schedule sees steps 0, 1, 2: lr 1, 0.5, 0.25 on a unit gradient
    const opt = sgd({ lr: exponentialDecay(1, 1, 0.5, true) });
    let q = tensor([0]);
    let st = opt.init(q);
    const seen: number[] = [];
    for (let k = 0; k < 3; k++) {
      const before = q.item();
      ({ params: q, state: st } = opt.step(q, tensor([1]), st));
      seen.push(before - q.item());
    }
    expect(seen).toEqual([1, 0.5, 0.25]);
    expect(st.step).toBe(3);
  });

  it("optimisers refuse gradients whose tree or sizes differ from the parameters'", () => {
    const opt = sgd({ lr: 0.1 });
    const p = { a: tensor([1, 2]), b: tensor([3]) };
    const s = opt.init(p);
    expect(() => opt.step(p, { a: tensor([1, 2]) } as unknown as typeof p, s)).toThrow(
      expect.objectContaining({ field: "grads" }),
    );
    expect(() => opt.step(p, { a: tensor([1]), b: tensor([3]) }, s)).toThrow(
      expect.objectContaining({ field: "grads" }),
    );
  });

  it("clipByGlobalNorm rescales to maxNorm and leaves small gradients alone", () => {
    const g = { a: tensor([3, 0]), b: [tensor([4])] };
    expect(globalNorm(g)).toBe(5);
    const c = clipByGlobalNorm(g, 1);
    expect(globalNorm(c)).toBeCloseTo(1, 15);
    expect(c.a.toFloat64Array()[0]).toBeCloseTo(0.6, 15);
    expect(clipByGlobalNorm(g, 10)).toBe(g);
    expect(() => clipByGlobalNorm(g, 0)).toThrow(AutodiffInputError);
  });
});

describe("L-BFGS", () => {
  it("minimize converges on the Rosenbrock function (2-D and 6-D)", () => {
    for (const start of [
      [-1.2, 1],
      [-1, 1.5, 0.5, -0.3, 2, 1],
    ]) {
      const r = lbfgs().minimize((p: Tensor) => valueAndGrad(rosenbrock)(p), tensor(start), { maxIter: 500 });
      expect(r.converged).toBe(true);
      r.params.toFloat64Array().forEach((v) => {
        expect(Math.abs(v - 1)).toBeLessThan(1e-7);
      });
      expect(r.value).toBeLessThan(1e-14);
    }
  });

  it("step: one curvature pair on a 1-D quadratic gives the exact Newton step", () => {
    // f = 2.5x²: the pair (s, y) has y = 5s, so H = 1/5 and a unit step lands on 0
    const f = (x: Tensor) => x.square().mul(2.5).sum();
    const opt = lbfgs({ lr: (k) => (k === 0 ? 0.05 : 1) });
    let p = tensor([1]);
    let s = opt.init(p);
    for (let k = 0; k < 2; k++) ({ params: p, state: s } = opt.step(p, valueAndGrad(f)(p)[1], s));
    expect(Math.abs(p.item())).toBeLessThan(1e-15);
    expect(s.s.length).toBe(1);
  });
});
