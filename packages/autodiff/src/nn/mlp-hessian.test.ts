// nn/mlp-hessian: the closed-form per-sample input Hessian against the generic forward-over-reverse
// path (perSampleHessian of MLP.apply), its weight gradient through logdet against the generic
// path's and against finite differences, and the input checks by the field they name.
import { describe, expect, it } from "vitest";
import {
  AutodiffInputError,
  logdet,
  mean,
  perSampleHessian,
  random,
  reshape,
  type Tensor,
  treeLeaves,
  valueAndGrad,
} from "../index.js";
import { checkGrads } from "../testing/index.js";
import { type LinearParams, MLP, mlpInputHessian } from "./index.js";

/** Largest |a − b| / max|b| over two arrays of the same length. */
function relErr(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  expect(scale).toBeGreaterThan(0);
  return err / scale;
}

const net = new MLP([5, 8, 7, 6, 1], { key: random.key(3), activation: "tanh" });
// non-zero biases, so a bias that the formula dropped would show
const params: LinearParams[] = net.params.map((p, i) => ({
  w: p.w,
  b: random.normal(random.key(10 + i), p.b.shape).mul(0.3),
}));
const X = random.normal(random.key(4), [6, 5]);
const generic = (p: LinearParams[]) =>
  perSampleHessian((x: Tensor) => reshape(net.apply(p, x), [x.shape[0]]))(X);

describe("mlpInputHessian", () => {
  it("equals perSampleHessian of the same MLP (rounding only)", () => {
    const H = mlpInputHessian(params, X);
    expect(H.shape).toEqual([6, 5, 5]);
    expect(relErr(H.toFloat64Array(), generic(params).toFloat64Array())).toBeLessThan(1e-12);
  });

  it("gives the generic path's weight gradient of mean log|det H|", () => {
    const [v1, g1] = valueAndGrad((p: LinearParams[]) => mean(logdet(mlpInputHessian(p, X))))(params);
    const [v2, g2] = valueAndGrad((p: LinearParams[]) => mean(logdet(generic(p))))(params);
    expect(Math.abs(v1.item() - v2.item())).toBeLessThan(1e-12 * Math.abs(v2.item()));
    const a = treeLeaves(g1) as Tensor[];
    const b = treeLeaves(g2) as Tensor[];
    expect(a.length).toBe(b.length);
    // the last bias does not reach the Hessian: both gradients are exactly zero there
    a.forEach((t, i) => {
      if (i === a.length - 1) expect(Math.max(...t.toFloat64Array().map(Math.abs))).toBe(0);
      else expect(relErr(t.toFloat64Array(), b[i].toFloat64Array())).toBeLessThan(1e-10);
    });
  });

  it("has first and second derivatives matching finite differences", () => {
    // a fixed random functional ⟨V, H⟩ of the Hessians, not logdet: a near-singular H_b would
    // make the finite differences, not the derivative, the thing under test
    const V = random.normal(random.key(5), [6, 5, 5]);
    const f = (w0: Tensor, b0: Tensor, w1: Tensor, x: Tensor) =>
      mlpInputHessian([{ w: w0, b: b0 }, { w: w1, b: params[1].b }, ...params.slice(2)], x)
        .mul(V)
        .sum();
    checkGrads(f, [params[0].w, params[0].b, params[1].w, X], { order: 2, rtol: 1e-6 });
  });

  it("names the field it rejects", () => {
    const bad = (p: unknown, x: unknown, field: string) => {
      try {
        mlpInputHessian(p as LinearParams[], x as Tensor);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AutodiffInputError);
        expect((e as AutodiffInputError).message).toContain(field);
      }
    };
    bad(params, reshape(X, [30]), "mlpInputHessian.x");
    bad(params.slice(0, 1), X, "mlpInputHessian.params");
    bad(params.slice(0, 3), X, "mlpInputHessian.params"); // output width 6
    bad([params[1], ...params.slice(1)], X, "mlpInputHessian.params[0].w");
    bad(
      [params[0], { w: params[1].w, b: params[0].b }, ...params.slice(2)],
      X,
      "mlpInputHessian.params[1].b",
    );
  });
});
