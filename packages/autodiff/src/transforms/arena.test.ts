// transforms/reverse with arrays large enough for the buffer pool (≥ 8192 entries, core/pool.ts):
// gradients through shared subexpressions are exact, and the returned gradients are not recycled
// by later backward passes.
import { describe, expect, it } from "vitest";
import { add, grad, mul, sin, sum, type Tensor, tensor } from "../index.js";

const n = 10_000;
const input = (shift: number) =>
  tensor(
    Array.from({ length: n }, (_, i) => Math.sin(0.37 * i + shift)),
    [100, 100],
  );
// f = Σ (s² + s·x), s = sin x: ∂f/∂x = (2s + x)·cos x + s
const f = (x: Tensor) => {
  const s = sin(x);
  return sum(add(mul(s, s), mul(s, x)));
};
const closedForm = (x: Tensor) =>
  Array.from(x.toFloat64Array(), (v) => (2 * Math.sin(v) + v) * Math.cos(v) + Math.sin(v));

function expectClose(got: Float64Array, want: number[]): void {
  let worst = 0;
  got.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - want[i]));
  });
  expect(worst).toBeLessThan(1e-14);
}

describe("reverse mode on pooled arrays", () => {
  it("a gradient with shared subexpressions matches its closed form, and stays intact", () => {
    const x1 = input(0);
    const g1 = grad(f)(x1);
    const first = Float64Array.from(g1.toFloat64Array());
    expectClose(first, closedForm(x1));
    // more backward passes that take arrays from the pool
    const x2 = input(1);
    for (let k = 0; k < 3; k++) expectClose(grad(f)(x2).toFloat64Array(), closedForm(x2));
    expect(Array.from(g1.toFloat64Array())).toEqual(Array.from(first));
  });
});
