// nn/mlp-hessian-curvature: tanhCurvature against the mul, mul and tanhGrad it replaces in
// mlpInputHessian (value bit for bit, gradient to rounding), its derivatives to second order against
// finite differences (which also runs the reverse rule's traced fallback), vmap against a loop,
// and the input checks by the field they name.
import { describe, expect, it } from "vitest";
import { bits, relToMax } from "../../test/values.js";
import {
  AutodiffInputError,
  grad,
  mul,
  random,
  stack,
  sum,
  type Tensor,
  tanh,
  tanhGrad,
  vmap,
} from "../index.js";
import { checkGrads } from "../testing/index.js";
import { tanhCurvature } from "./mlp-hessian-curvature.js";

const viaOps = (a: Tensor, g: Tensor) => tanhGrad(a, mul(mul(g, a), -2));
const key = (i: number) => random.key(70 + i);

describe("tanhCurvature", () => {
  const a = tanh(random.normal(key(0), [50, 7]));
  const V = random.normal(key(1), [50, 7]);
  for (const gShape of [
    [50, 7],
    [1, 7],
  ]) {
    const g = random.normal(key(2), gShape);
    it(`is the ops' value bit for bit and their gradient to rounding (g [${gShape}])`, () => {
      expect(bits(tanhCurvature(a, g)).equals(bits(viaOps(a, g)))).toBe(true);
      const f = (op: typeof viaOps) =>
        grad((x: Tensor, y: Tensor) => sum(mul(op(x, y), V)), [0, 1])(a, g) as Tensor[];
      const [ga, gg] = f(tanhCurvature);
      const [wa, wg] = f(viaOps);
      // the same terms; only the order in which a's two cotangents are summed differs
      expect(relToMax(ga, wa)).toBeLessThan(4e-16);
      expect(bits(gg).equals(bits(wg))).toBe(true);
    });
  }

  it("has first and second derivatives matching finite differences", () => {
    const x = tanh(random.normal(key(3), [4, 3]));
    const W = random.normal(key(4), [4, 3]);
    for (const shape of [
      [4, 3],
      [1, 3],
    ]) {
      const g = random.normal(key(5), shape);
      checkGrads((p: Tensor, q: Tensor) => sum(mul(tanhCurvature(p, q), W)), [x, g], { order: 2 });
    }
  });

  it("maps under vmap as a loop over the examples does", () => {
    const x = tanh(random.normal(key(6), [2, 4, 3]));
    const g = random.normal(key(7), [2, 1, 3]);
    const g1 = random.normal(key(8), [1, 3]);
    const ex = (t: Tensor, i: number) =>
      t.slice([i, ...t.shape.slice(1).map(() => 0)], [i + 1, ...t.shape.slice(1)]).reshape(t.shape.slice(1));
    const loop = (gi: (i: number) => Tensor) => stack([0, 1].map((i) => tanhCurvature(ex(x, i), gi(i))));
    expect(bits(vmap(tanhCurvature)(x, g)).equals(bits(loop((i) => ex(g, i))))).toBe(true);
    expect(bits(vmap(tanhCurvature, [0, null])(x, g1)).equals(bits(loop(() => g1)))).toBe(true);
  });

  it("names the field it rejects", () => {
    for (const g of [random.normal(key(9), [4, 4]), random.normal(key(9), [2, 3])])
      try {
        tanhCurvature(random.normal(key(10), [4, 3]), g);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AutodiffInputError);
        expect((e as AutodiffInputError).message).toContain("tanhCurvature.g");
      }
  });
});
