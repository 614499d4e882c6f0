import { exp, mul, sub, type Tensor, tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { expectRefused } from "../../test/refused.js";
import { type LevenbergProgress, levenbergMarquardt } from "./levenberg.js";

describe("levenbergMarquardt", () => {
  it("recovers the parameters of y = a·exp(b·t) from exact data (a zero-residual problem)", () => {
    const t = tensor(Array.from({ length: 20 }, (_, i) => i / 10));
    const y = mul(exp(mul(t, -0.5)), 2);
    const residual = (p: { a: Tensor; b: Tensor }) => sub(mul(exp(mul(t, p.b)), p.a), y);
    const r = levenbergMarquardt(
      residual,
      { a: tensor([1]), b: tensor([0.3]) },
      { maxIter: 100, tol: 1e-28 },
    );
    expect(r.params.a.item()).toBeCloseTo(2, 12);
    expect(r.params.b.item()).toBeCloseTo(-0.5, 12);
    expect(r.value).toBeLessThan(1e-28);
    expect(r.iterations).toBeLessThan(50);
  });
  it("builds the same Jacobian in chunks as in one pass (the steps agree)", () => {
    const t = tensor(Array.from({ length: 8 }, (_, i) => i / 4));
    const y = tensor(Array.from({ length: 8 }, (_, i) => Math.sin(i / 4) + 0.1 * i));
    const residual = (p: { w: Tensor }) => {
      return sub(
        mul(t, p.w.slice([0], [1]))
          .add(mul(t.square(), p.w.slice([1], [2])))
          .add(p.w.slice([2], [3])),
        y,
      );
    };
    const start = { w: tensor([0.1, 0.2, 0.3]) };
    const one = levenbergMarquardt(residual, start, { maxIter: 3 });
    const chunked = levenbergMarquardt(residual, start, { maxIter: 3, chunk: 1 });
    const [a, b] = [one.params.w.toFloat64Array(), chunked.params.w.toFloat64Array()];
    for (let i = 0; i < 3; i++) expect(a[i]).toBeCloseTo(b[i], 12);
  });
  it("continues from the state onIteration reported exactly as the uninterrupted run", () => {
    const t = tensor(Array.from({ length: 20 }, (_, i) => i / 10));
    const y = mul(exp(mul(t, -0.5)), 2);
    const residual = (p: { a: Tensor; b: Tensor }) => sub(mul(exp(mul(t, p.b)), p.a), y);
    const from = { a: tensor([1]), b: tensor([0.3]) };
    const seen: (LevenbergProgress & { params: typeof from })[] = [];
    const whole = levenbergMarquardt(residual, from, { maxIter: 12, onIteration: (s) => seen.push(s) });
    // it stops at rounding after 6 accepted iterations
    expect(whole.iterations).toBe(6);
    expect(seen.map((s) => s.iterations)).toEqual([1, 2, 3, 4, 5, 6]);
    const bits = (p: typeof from) => [...p.a.toFloat64Array(), ...p.b.toFloat64Array()];
    for (const k of [1, 4, 6]) {
      const { params, ...start } = seen[k - 1];
      const rest = levenbergMarquardt(residual, params, { maxIter: 12, start });
      expect(bits(rest.params)).toEqual(bits(whole.params));
      expect([rest.value, rest.iterations]).toEqual([whole.value, whole.iterations]);
    }
    const refused = (start: LevenbergProgress, field: string) =>
      expectRefused(() => levenbergMarquardt(residual, from, { maxIter: 12, start }), field);
    refused({ iterations: -1, lambda: 1 }, "start.iterations");
    refused({ iterations: 1, lambda: 0 }, "start.lambda");
  });
});
