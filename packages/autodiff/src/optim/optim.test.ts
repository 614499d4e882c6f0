// Optimisers against closed forms and the Rosenbrock function; schedules; clipping.
import { describe, expect, it } from "vitest";
import {
  AutodiffInputError,
  adam,
  adamw,
  clipByGlobalNorm,
  cosineDecay,
  exponentialDecay,
  globalNorm,
  lbfgs,
  piecewiseConstant,
  sgd,
  type Tensor,
  tensor,
  valueAndGrad,
  warmup,
} from "../index.js";

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
