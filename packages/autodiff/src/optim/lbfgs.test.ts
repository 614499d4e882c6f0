// optim/lbfgs: `step` against the BFGS inverse-Hessian update written out as matrices
// (H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ from γI, γ = sᵀy/yᵀy of the newest pair), the history
// limit and curvature test, and `minimize` on quadratics with known minimisers.
import { describe, expect, it } from "vitest";
import { log, sum, type Tensor, tensor, valueAndGrad } from "../index.js";
import { type LbfgsOptions, lbfgs } from "./index.js";

type Vec = number[];
type Mat = number[][];
const dot = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i], 0);
const matVec = (M: Mat, v: Vec) => M.map((r) => dot(r, v));
const matMul = (A: Mat, B: Mat) =>
  A.map((r) => B[0].map((_, j) => r.reduce((s, v, k) => s + v * B[k][j], 0)));
const eye = (n: number): Mat =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const outer = (a: Vec, b: Vec): Mat => a.map((x) => b.map((y) => x * y));
const addM = (A: Mat, B: Mat, c = 1) => A.map((r, i) => r.map((v, j) => v + c * B[i][j]));

/** The L-BFGS inverse Hessian from pairs (oldest first), as an explicit matrix. */
function inverseHessian(pairs: [Vec, Vec][], n: number): Mat {
  if (pairs.length === 0) return eye(n);
  const [sn, yn] = pairs[pairs.length - 1];
  let H = eye(n).map((r) => r.map((v) => (v * dot(sn, yn)) / dot(yn, yn)));
  for (const [s, y] of pairs) {
    const rho = 1 / dot(y, s);
    const V = addM(eye(n), outer(y, s), -rho); // I − ρysᵀ
    const Vt = addM(eye(n), outer(s, y), -rho);
    H = addM(matMul(matMul(Vt, H), V), outer(s, s), rho);
  }
  return H;
}

// f = ½xᵀAx − bᵀx, A symmetric positive definite
const A: Mat = [
  [4, 1, 0.5],
  [1, 3, -0.2],
  [0.5, -0.2, 2],
];
const b: Vec = [1, -2, 0.5];
const gradAt = (x: Vec) => matVec(A, x).map((v, i) => v - b[i]);
const quad = (x: Tensor) => {
  const xs = Array.from(x.toFloat64Array());
  return tensor(0.5 * dot(xs, matVec(A, xs)) - dot(b, xs));
};
const Ax = (x: Tensor) =>
  x
    .matmul(tensor(A))
    .mul(x)
    .sum()
    .mul(0.5)
    .sub(x.mul(tensor(b)).sum());

/** `steps` L-BFGS steps from x0 by the optimiser, and by the matrix formulas. */
function compare(opts: LbfgsOptions, lrs: number[], history: number) {
  const opt = lbfgs(opts);
  let p = tensor([1, 1, 1]);
  let s = opt.init(p);
  let x: Vec = [1, 1, 1];
  const pairs: [Vec, Vec][] = [];
  let prev: [Vec, Vec] | null = null;
  for (const lr of lrs) {
    ({ params: p, state: s } = opt.step(p, tensor(gradAt(Array.from(p.toFloat64Array()))), s));
    const g = gradAt(x);
    if (prev) {
      pairs.push([x.map((v, i) => v - prev![0][i]), g.map((v, i) => v - prev![1][i])]);
      if (pairs.length > history) pairs.shift();
    }
    prev = [x, g];
    const d = matVec(inverseHessian(pairs, 3), g);
    x = x.map((v, i) => v - lr * d[i]);
    const got = Array.from(p.toFloat64Array());
    got.forEach((v, i) => {
      expect(Math.abs(v - x[i])).toBeLessThan(1e-12 * (1 + Math.abs(x[i])));
    });
  }
  return s;
}

describe("lbfgs.step", () => {
  it("follows x ← x − lr·H·g with H from every stored pair (default history 10)", () => {
    const s = compare({ lr: (k) => [0.1, 0.5, 0.7, 1][k] }, [0.1, 0.5, 0.7, 1], 10);
    expect(s.s.length).toBe(3);
    expect(s.step).toBe(4);
  });

  it("keeps only the newest historySize pairs", () => {
    const s = compare({ lr: (k) => [0.1, 0.5, 0.7, 0.9][k], historySize: 1 }, [0.1, 0.5, 0.7, 0.9], 1);
    expect(s.s.length).toBe(1);
    const s2 = compare(
      { lr: (k) => [0.1, 0.5, 0.7, 0.9, 0.3][k], historySize: 2 },
      [0.1, 0.5, 0.7, 0.9, 0.3],
      2,
    );
    expect(s2.s.length).toBe(2);
  });

  it("the default step length is 1: the first step is x − g", () => {
    const opt = lbfgs();
    const p = tensor([1, 1, 1]);
    const g = gradAt([1, 1, 1]);
    const got = opt.step(p, tensor(g), opt.init(p)).params.toFloat64Array();
    got.forEach((v, i) => {
      expect(v).toBe(1 - g[i]);
    });
  });

  it("a pair without positive curvature (concave or flat direction) is not stored", () => {
    const opt = lbfgs({ lr: 0.1 });
    let p = tensor([1, 2]);
    let s = opt.init(p);
    // f = −|x|²: y = −2s, sᵀy < 0
    for (let k = 0; k < 3; k++) ({ params: p, state: s } = opt.step(p, p.mul(-2), s));
    expect(s.s.length).toBe(0);
    // without pairs every step is −lr·g: x grows by 1.2 per step
    expect(Array.from(p.toFloat64Array()).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([1.728, 3.456]);
    // f linear: y = 0
    const lin = lbfgs({ lr: 0.1 });
    let q = tensor([1]);
    let t = lin.init(q);
    for (let k = 0; k < 3; k++) ({ params: q, state: t } = lin.step(q, tensor([1]), t));
    expect(t.s.length).toBe(0);
  });

  it("a nearly orthogonal pair (sᵀy ≤ 10⁻¹²·|s||y|) is not stored", () => {
    const opt = lbfgs({ lr: 2 });
    let p = tensor([0, 0]);
    let s = opt.init(p);
    ({ params: p, state: s } = opt.step(p, tensor([1, 0]), s));
    // s = (−2, 0), y = (−10⁻¹², 4): sᵀy = 2·10⁻¹² < 10⁻¹²·2·4
    ({ params: p, state: s } = opt.step(p, tensor([1 - 1e-12, 4]), s));
    expect(s.s.length).toBe(0);
  });

  it("parameter trees are flattened and rebuilt leaf by leaf", () => {
    const opt = lbfgs({ lr: 0.5 });
    const p = { a: tensor([1, 2]), b: [tensor([[3]])] };
    const { params } = opt.step(p, { a: tensor([2, 4]), b: [tensor([[-2]])] }, opt.init(p));
    expect(params.a.toArray()).toEqual([0, 0]);
    expect(params.b[0].toArray()).toEqual([[4]]);
    // minimize over a tree: ½|a − (1, 2)|² + ½(b − 3)²
    const target = { a: [1, 2], b: 3 };
    const vg = (q: { a: Tensor; b: Tensor[] }): [Tensor, { a: Tensor; b: Tensor[] }] => {
      const da = q.a.sub(tensor(target.a));
      const db = q.b[0].sub(target.b);
      return [sum(da.square()).add(sum(db.square())).mul(0.5), { a: da, b: [db] }];
    };
    const r = lbfgs().minimize(vg, { a: tensor([0, 0]), b: [tensor([[0]])] });
    expect(r.converged).toBe(true);
    Array.from(r.params.a.toFloat64Array()).forEach((v, i) => {
      expect(Math.abs(v - target.a[i])).toBeLessThan(1e-8);
    });
    expect(r.params.b[0].shape).toEqual([1, 1]);
    expect(Math.abs(r.params.b[0].item() - 3)).toBeLessThan(1e-8);
    expect(() => lbfgs().minimize(vg, { a: 3 } as unknown as { a: Tensor; b: Tensor[] })).toThrow(
      /^params\.a: expected a Tensor/,
    );
    const badGrad = (q: Tensor): [Tensor, Tensor] => [sum(q), { w: 3 } as unknown as Tensor];
    expect(() => lbfgs().minimize(badGrad, tensor([1]))).toThrow(/^grads\.w: expected a Tensor/);
  });

  it("refuses a history size that is not an integer >= 1 and negative step lengths", () => {
    for (const m of [0, 1.5, -2])
      expect(() => lbfgs({ historySize: m })).toThrow(
        new RegExp(`^lbfgs\\.historySize: expected an integer >= 1, got ${m}$`),
      );
    const opt = lbfgs({ lr: -1 });
    const p = tensor([1]);
    expect(() => opt.step(p, tensor([1]), opt.init(p))).toThrow(
      /^lbfgs\.lr: expected a finite learning rate >= 0/,
    );
  });
});

describe("lbfgs.minimize", () => {
  const xStar = (() => {
    // solve A x = b by Cramer's rule (3×3)
    const det = (M: Mat) =>
      M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1]) -
      M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0]) +
      M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]);
    const d = det(A);
    return [0, 1, 2].map((j) => det(A.map((r, i) => r.map((v, k) => (k === j ? b[i] : v)))) / d);
  })();

  it("finds A⁻¹b on a quadratic, with value −½bᵀA⁻¹b", () => {
    const r = lbfgs().minimize((p: Tensor) => valueAndGrad(Ax)(p), tensor([1, 1, 1]));
    expect(r.converged).toBe(true);
    // ‖x − x*‖ ≤ ‖A⁻¹‖·‖g‖ ≤ √3·gtol/λmin(A), λmin > 1.5: below 1.2e-8 per entry
    Array.from(r.params.toFloat64Array()).forEach((v, i) => {
      expect(Math.abs(v - xStar[i])).toBeLessThan(1.2e-8);
    });
    expect(Math.abs(r.value - -0.5 * dot(b, xStar))).toBeLessThan(1e-14);
    expect(r.iterations).toBeGreaterThan(2);
    expect(r.iterations).toBeLessThan(30);
    expect(quad(r.params).item()).toBeCloseTo(r.value, 14);
  });

  it("an ill-conditioned quadratic (κ = 1000) takes tens of iterations, not steepest descent's thousands", () => {
    const d = tensor([1, 30, 1000]);
    const f = (x: Tensor) => sum(x.square().mul(d)).mul(0.5);
    const r = lbfgs().minimize((p: Tensor) => valueAndGrad(f)(p), tensor([1, 1, 1]));
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThan(40);
    expect(r.value).toBeLessThan(1e-16);
  });

  it("the first iteration steps min(1, 1/‖g‖) along −g", () => {
    // f = ½|x|² from (3, 4): ‖g‖ = 5, x₁ = (3, 4)·(1 − 1/5)
    const half = (p: Tensor) => valueAndGrad((x: Tensor) => sum(x.square()).mul(0.5))(p);
    const r = lbfgs().minimize(half, tensor([3, 4]), { maxIter: 1 });
    const x1 = r.params.toFloat64Array();
    expect(x1[0]).toBeCloseTo(3 * 0.8, 15);
    expect(x1[1]).toBeCloseTo(4 * 0.8, 15);
    expect(r.value).toBeCloseTo(0.5 * 25 * 0.64, 14);
    expect(r.iterations).toBe(1);
    expect(r.converged).toBe(false);
    // ‖g‖ < 1: the full step, which lands on the minimum
    const small = lbfgs().minimize(half, tensor([0.3, 0.4]), { maxIter: 1 });
    expect(Array.from(small.params.toFloat64Array())).toEqual([0, 0]);
    expect(small.converged).toBe(true);
  });

  it("stops at gtol and at maxIter, and reports which", () => {
    const f = (p: Tensor) => valueAndGrad(Ax)(p);
    const loose = lbfgs().minimize(f, tensor([1, 1, 1]), { gtol: 1e-2 });
    const tight = lbfgs().minimize(f, tensor([1, 1, 1]));
    expect(loose.converged).toBe(true);
    expect(loose.iterations).toBeLessThan(tight.iterations);
    const g = gradAt(Array.from(loose.params.toFloat64Array()));
    expect(Math.max(...g.map(Math.abs))).toBeLessThanOrEqual(1e-2);
    const capped = lbfgs().minimize(f, tensor([1, 1, 1]), { maxIter: 2 });
    expect(capped.iterations).toBe(2);
    expect(capped.converged).toBe(false);
  });

  it("a line search that finds no decrease stops unconverged where it started", () => {
    // every point but 0 has a larger value, and the reported gradient is not 0
    const spike = (p: Tensor): [Tensor, Tensor] => [tensor(p.item() === 0 ? 0 : 1), tensor([1])];
    const r = lbfgs().minimize(spike, tensor([0]));
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(1);
    expect(r.params.item()).toBe(0);
    expect(r.value).toBe(0);
  });

  it("a start where the loss is not finite is not reported as converged", () => {
    const r = lbfgs().minimize((p: Tensor) => valueAndGrad((x: Tensor) => sum(log(x)))(p), tensor([-1, 2]));
    expect(r.converged).toBe(false);
  });
});
