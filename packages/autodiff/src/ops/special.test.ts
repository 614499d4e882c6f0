// The ops of special.ts (defined by defineUnary) against Math.*, their derivatives against finite
// differences to second order, and under vmap; and the registry: every primitive of the package
// carries its batching rule and, when differentiable, both derivative rules.
import { describe, expect, it } from "vitest";
import * as C from "../complex/index.js";
import { primitives } from "../core/registry.js";
import {
  acos,
  asin,
  asinh,
  atan,
  atanh,
  cosh,
  defineUnary,
  expm1,
  grad,
  log1p,
  round,
  sinh,
  sum,
  type Tensor,
  tan,
  tensor,
  vmap,
} from "../index.js";
import { checkGrads } from "../testing/index.js";

const xs = [-0.7, -0.2, 1e-9, 0.3, 0.9];
const cases: [string, (x: Tensor) => Tensor, (v: number) => number][] = [
  ["log1p", log1p, Math.log1p],
  ["expm1", expm1, Math.expm1],
  ["tan", tan, Math.tan],
  ["atan", atan, Math.atan],
  ["asin", asin, Math.asin],
  ["acos", acos, Math.acos],
  ["sinh", sinh, Math.sinh],
  ["cosh", cosh, Math.cosh],
  ["asinh", asinh, Math.asinh],
  ["atanh", atanh, Math.atanh],
];

describe("ops defined by defineUnary", () => {
  for (const [name, f, ref] of cases) {
    it(`${name}: values equal Math.${name}; derivatives to second order; vmap`, () => {
      const x = tensor(xs);
      expect(Array.from(f(x).toFloat64Array())).toEqual(xs.map(ref));
      checkGrads(f, [tensor([-0.6, 0.1, 0.5])], { order: 2, eps: 1e-4 });
      const X = tensor([xs, xs.map((v) => v / 2)]);
      expect(vmap(grad((v: Tensor) => sum(f(v))))(X).toArray()).toEqual(
        [xs, xs.map((v) => v / 2)].map((r) => grad((v: Tensor) => sum(f(v)))(tensor(r)).toArray()),
      );
    });
  }

  it("closed-form derivatives: atan′(1) = 1/2, asinh′(0) = 1, log1p′(x) = 1/(1 + x)", () => {
    expect(grad((v: Tensor) => sum(atan(v)))(tensor([1])).toArray()).toEqual([0.5]);
    expect(grad((v: Tensor) => sum(asinh(v)))(tensor([0])).toArray()).toEqual([1]);
    expect(grad((v: Tensor) => sum(log1p(v)))(tensor([3])).toArray()).toEqual([0.25]);
  });

  it("an op without a derivative is a constant; a user-defined op works like a built-in one", () => {
    expect(round(tensor([0.4, 1.5, -2.5])).toArray()).toEqual([0, 2, -2]);
    expect(grad((v: Tensor) => sum(round(v).mul(v)))(tensor([1.2])).toArray()).toEqual([1]);
    const cube = defineUnary({ name: "testCube", expr: "a * a * a", deriv: (x) => x.mul(x).mul(3) });
    checkGrads(cube, [tensor([0.5, -1.5])], { order: 3 });
    expect(() => defineUnary({ name: "testCube", expr: "a" })).toThrow(/defined twice/);
  });
});

describe("the primitive registry", () => {
  it("every primitive has a batching rule, and jvp and vjp together or neither", () => {
    void C; // loads the complex primitives too
    const names = [...primitives().keys()];
    expect(names.length).toBeGreaterThan(50);
    for (const [name, p] of primitives()) {
      expect(typeof p.batch, `${name}.batch`).toBe("function");
      expect(typeof p.jvp, `${name}: jvp and vjp`).toBe(typeof p.vjp);
    }
    // the non-differentiable ones are exactly these
    const constant = names.filter((n) => !primitives().get(n)!.jvp).sort();
    expect(constant).toEqual(["detSign", "equal", "greater", "greaterEqual", "less", "round", "sign"].sort());
  });
});
