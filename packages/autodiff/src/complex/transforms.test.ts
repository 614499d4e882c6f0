// Complex transforms: JAX's conventions on closed forms (grad |z|² at 3+4i is 6−8i, holomorphic
// derivatives are f′(z)), the vjp/jvp pairing Re Σ pullback(c)·v = Re Σ c·jvp(v) on a
// non-holomorphic function, jvp against finite differences, Wirtinger derivatives against their
// definition by finite differences, and ∂∂̄ log|z|² against the Fubini–Study metric.
import { describe, expect, it } from "vitest";
import { log, logdet, random, sum, type Tensor, tensor } from "../index.js";
import { checkGrads } from "../testing/index.js";
import * as C from "./index.js";

const rand = (shape: number[], seed: number) => random.normal(random.key(seed), shape);
const crand = (shape: number[], seed: number) => C.complex(rand(shape, seed), rand(shape, seed + 1000));
const arr = (t: Tensor) => [...t.toFloat64Array()];
function close(a: C.ComplexTensor, b: C.ComplexTensor, tol: number): void {
  expect(a.shape).toEqual(b.shape);
  const d = C.abs(C.sub(a, b)).toFloat64Array();
  const s = Math.max(1, ...C.abs(b).toFloat64Array());
  for (const e of d) expect(e / s).toBeLessThan(tol);
}
/** Central differences of f along the real-linear direction v (any complex tensor function). */
function fdDir(f: (z: C.ComplexTensor) => C.ComplexTensor, z: C.ComplexTensor, v: C.ComplexTensor, h = 1e-5) {
  const at = (s: number) => f(C.add(z, C.mul(v, s * h)));
  return C.div(C.sub(C.mul(C.sub(at(1), at(-1)), 8), C.sub(at(2), at(-2))), 12 * h);
}

describe("JAX conventions", () => {
  it("grad of a real function: grad(|z|²)(3+4i) = 6−8i (= 2·∂f/∂z)", () => {
    const g = C.grad((z: C.ComplexTensor) => C.abs2(z))(C.complex(3, 4)) as C.ComplexTensor;
    expect(g.item()).toEqual({ re: 6, im: -8 });
    // f(z) = x² + y²... and a real input keeps its ordinary gradient
    const [v, gs] = C.valueAndGrad((z: C.ComplexTensor, x: Tensor) => sum(C.abs2(C.mul(z, x))), {
      argnums: [0, 1],
    })(C.complex([1, 2], [0.5, -1]), tensor([2, 3]));
    expect((v as Tensor).item()).toBeCloseTo(4 * 1.25 + 9 * 5, 12);
    const [gz, gx] = gs as [C.ComplexTensor, Tensor];
    // |zx|² = x²|z|²: ∂/∂x − i∂/∂y of it is 2x²·z̄; ∂/∂x_real = 2x|z|²
    expect(gz.toArray()).toEqual({ re: [8, 36], im: [-4, 18] });
    expect(arr(gx)).toEqual([2 * 2 * 1.25, 2 * 3 * 5]);
  });

  it("holomorphic: true gives f′(z) (z³ → 3z², log → 1/z, composed)", () => {
    const z = crand([], 1);
    const g3 = C.grad((w: C.ComplexTensor) => C.pow(w, 3), { holomorphic: true })(z) as C.ComplexTensor;
    close(g3, C.mul(3, C.mul(z, z)), 1e-14);
    const gl = C.grad((w: C.ComplexTensor) => C.log(w), { holomorphic: true })(z) as C.ComplexTensor;
    close(gl, C.reciprocal(z), 1e-14);
    const f = (w: C.ComplexTensor) => C.exp(C.mul(w, C.sqrt(C.add(w, 3))));
    const gf = C.grad(f, { holomorphic: true })(z) as C.ComplexTensor;
    // f′ along any direction: (f(z+h) − f(z−h))/2h for real h
    close(gf, fdDir(f, z, C.complex(1)), 1e-9);
    close(gf, C.div(fdDir(f, z, C.complex(0, 1)), C.complex(0, 1)), 1e-9);
  });

  it("errors name the convention: complex output without holomorphic, real input with it", () => {
    expect(() => C.grad((z: C.ComplexTensor) => C.mul(z, z))(C.complex(1, 1))).toThrow(/holomorphic: true/);
    expect(() => C.grad((x: Tensor) => C.complex(x, x), { holomorphic: true })(tensor(1))).toThrow(
      /complex inputs/,
    );
    expect(() => C.grad((z: C.ComplexTensor) => C.abs2(z))(crand([2], 1))).toThrow(/scalar/);
  });

  it("vjp pairs with jvp: Re Σ pullback(c)·v = Re Σ c·jvp(v), non-holomorphic f", () => {
    const f = (z: C.ComplexTensor, w: C.ComplexTensor) =>
      C.add(C.mul(C.pow(C.conj(z), 2), w), C.exp(C.mul(C.abs(w), z)));
    const z = crand([3], 2);
    const w = crand([3], 3);
    const c = crand([3], 4);
    const vz = crand([3], 5);
    const vw = crand([3], 6);
    const [y, pull] = C.vjp(f, z, w);
    const [y2, t] = C.jvp(f as (...a: never[]) => C.ComplexTensor, [z, w], [vz, vw]);
    expect(y.toArray()).toEqual(y2.toArray());
    const [gz, gw] = pull(c) as C.ComplexTensor[];
    const lhs = C.add(C.sum(C.mul(gz, vz)), C.sum(C.mul(gw, vw))).re.item();
    const rhs = C.sum(C.mul(c, t)).re.item();
    expect(lhs).toBeCloseTo(rhs, 11);
    // jvp against finite differences along the complex direction (vz, vw)
    const fd = (s: number) => f(C.add(z, C.mul(vz, s)), C.add(w, C.mul(vw, s)));
    const h = 1e-5;
    const d = C.div(C.sub(C.mul(C.sub(fd(h), fd(-h)), 8), C.sub(fd(2 * h), fd(-2 * h))), 12 * h);
    close(t, d, 1e-8);
  });

  it("vjp of a holomorphic f is c·f′(z); a real tangent of a complex primal means im = 0", () => {
    const z = crand([4], 7);
    const c = crand([4], 8);
    const [, pull] = C.vjp((w: C.ComplexTensor) => C.exp(C.mul(w, w)), z);
    const [g] = pull(c) as C.ComplexTensor[];
    close(g, C.mul(c, C.mul(C.exp(C.mul(z, z)), C.mul(2, z))), 1e-13);
    const v = rand([4], 9);
    const [, t1] = C.jvp((w: C.ComplexTensor) => C.mul(w, w), [z], [v]);
    const [, t2] = C.jvp((w: C.ComplexTensor) => C.mul(w, w), [z], [C.complex(v)]);
    expect(t1.toArray()).toEqual(t2.toArray());
  });

  it("trees: a parameter object of complex and real leaves gets a gradient of the same shape", () => {
    const params = { w: C.complex([1, -2], [0.5, 3]), b: tensor([0.25, -1]) };
    const f = (p: typeof params) => sum(C.abs2(C.add(C.mul(p.w, p.w), p.b)));
    const g = C.grad(f)(params);
    expect(g.w).toBeInstanceOf(C.ComplexTensor);
    // the same as differentiating one leaf at a time
    const gw = C.grad((w: C.ComplexTensor) => f({ w, b: params.b }))(params.w);
    const gb = C.grad((b: Tensor) => f({ w: params.w, b }))(params.b);
    expect(g.w.toArray()).toEqual(gw.toArray());
    expect(arr(g.b)).toEqual(arr(gb));
    // closed form, u = w² + b: ∂f/∂w̄ = 2u·w̄, so grad_w = 2·conj(∂f/∂w̄) = 4ū·w; grad_b = 2·Re u
    const u = C.add(C.mul(params.w, params.w), params.b);
    close(g.w, C.conj(C.mul(C.mul(u, C.conj(params.w)), 4)), 1e-14);
    expect(arr(g.b)).toEqual(arr(u.re.mul(2)));
  });

  it("nests: the second derivative of Re(z⁴) through gradComplex inside gradComplex", () => {
    // g(z) = grad(Re z⁴) = conj(4z³)... its real part's gradient: conj of d/dz (Re 4 z̄³)… checked numerically
    const inner = (z: C.ComplexTensor) =>
      C.grad((w: C.ComplexTensor) => C.pow(w, 4).re.sum())(z) as C.ComplexTensor;
    const outer = C.grad((z: C.ComplexTensor) => inner(z).re.sum());
    const z = crand([2], 10);
    const got = outer(z) as C.ComplexTensor;
    const h = 1e-5;
    const fr = (dz: C.ComplexTensor) => inner(C.add(z, dz)).re.sum().item();
    const ex = C.complex(tensor([1, 0]));
    const ey = C.complex(0, tensor([1, 0]));
    const dx = (fr(C.mul(ex, h)) - fr(C.mul(ex, -h))) / (2 * h);
    const dy = (fr(C.mul(ey, h)) - fr(C.mul(ey, -h))) / (2 * h);
    expect(got.re.toFloat64Array()[0]).toBeCloseTo(dx, 6);
    expect(got.im.toFloat64Array()[0]).toBeCloseTo(-dy, 6);
  });
});

describe("Wirtinger derivatives", () => {
  it("match ½(∂/∂x ∓ i∂/∂y) by finite differences, complex and real f", () => {
    const z = crand([3], 11);
    const fs: ((w: C.ComplexTensor) => C.ComplexTensor | Tensor)[] = [
      (w) => C.sum(C.mul(C.mul(w, w), C.conj(w))),
      (w) => C.sum(C.log(C.add(C.abs2(w), C.mul(w, 2)))),
      (w) => sum(C.abs2(w)).add(C.sum(C.pow(w, 3)).re),
    ];
    for (const f of fs) {
      const { dz, dzbar } = C.wirtinger(f)(z);
      expect(C.dz(f)(z).toArray()).toEqual(dz.toArray());
      expect(C.dzbar(f)(z).toArray()).toEqual(dzbar.toArray());
      const val = (w: C.ComplexTensor) => C.toComplex(f(w));
      for (let k = 0; k < 3; k++) {
        const e = C.complex(tensor([0, 1, 2].map((j) => (j === k ? 1 : 0))));
        const fx = fdDir(val, z, e).item();
        const fy = fdDir(val, z, C.mul(e, C.complex(0, 1))).item();
        // ∂f/∂z = ½(f_x − i f_y), ∂f/∂z̄ = ½(f_x + i f_y)
        const refDz = { re: (fx.re + fy.im) / 2, im: (fx.im - fy.re) / 2 };
        const refDzbar = { re: (fx.re - fy.im) / 2, im: (fx.im + fy.re) / 2 };
        expect(dz.re.toFloat64Array()[k]).toBeCloseTo(refDz.re, 8);
        expect(dz.im.toFloat64Array()[k]).toBeCloseTo(refDz.im, 8);
        expect(dzbar.re.toFloat64Array()[k]).toBeCloseTo(refDzbar.re, 8);
        expect(dzbar.im.toFloat64Array()[k]).toBeCloseTo(refDzbar.im, 8);
      }
    }
  });

  it("closed forms: ∂(z²z̄)/∂z = 2|z|², ∂(z²z̄)/∂z̄ = z²; for real f, grad = 2·∂f/∂z", () => {
    const z = crand([], 12);
    const f = (w: C.ComplexTensor) => C.mul(C.mul(w, w), C.conj(w));
    close(C.dz(f)(z), C.complex(C.abs2(z).mul(2)), 1e-14);
    close(C.dzbar(f)(z), C.mul(z, z), 1e-14);
    const r = (w: C.ComplexTensor) => C.abs2(C.sub(C.exp(w), 1));
    close(C.grad(r)(z) as C.ComplexTensor, C.mul(C.dz(r)(z), 2), 1e-14);
  });
});

describe("ddbar: batched ∂_a∂̄_b of a real potential", () => {
  const B = 64;
  const n = 4;
  const z = crand([B, n], 13);

  it("of log|z|² is the Fubini–Study metric δ_ab/|z|² − z̄_a z_b/|z|⁴", () => {
    const g = C.ddbar((w) => log(C.abs2(w).sum(1)))(z);
    expect(g.shape).toEqual([B, n, n]);
    const r2 = C.abs2(z).sum(1).reshape([B, 1, 1]);
    const zb = C.conj(z).reshape([B, n, 1]);
    const zr = z.reshape([B, 1, n]);
    const ref = C.sub(
      C.div(
        C.complex(
          tensor(
            Array.from({ length: n * n }, (_, k) => (k % (n + 1) ? 0 : 1)),
            [n, n],
          ),
        ),
        r2,
      ),
      C.div(C.mul(zb, zr), C.mul(r2, r2)),
    );
    close(g, ref, 1e-13);
    // Hermitian, and degenerate along the scaling direction (it is pulled back from Pⁿ⁻¹): Σ_b g_{ab̄} z̄_b = 0
    close(C.mH(g), g, 1e-15);
    const gz = C.matmul(g, C.conj(z).reshape([B, n, 1]));
    for (const v of [...gz.re.toFloat64Array(), ...gz.im.toFloat64Array()])
      expect(Math.abs(v)).toBeLessThan(1e-14);
  });

  it("agrees with dz ∘ dzbar for a non-trivial potential", () => {
    const H = C.complex(rand([n, n], 14), rand([n, n], 15));
    const Hh = C.add(C.matmul(H, C.mH(H)), 1); // Hermitian, positive (shifted)
    const K = (w: C.ComplexTensor) => {
      // log z̄ᵀ Hh z + |z|⁴, per point
      const q = C.matmul(C.conj(w).reshape([w.shape[0], 1, n]), C.matmul(Hh, w.reshape([w.shape[0], n, 1])));
      return log(q.re.reshape([w.shape[0]])).add(C.abs2(w).sum(1).square());
    };
    const g = C.ddbar(K)(C.slice(z, [0, 0], [3, n]));
    // entry by entry: g_{ac̄} = ∂_a of the c-th component of ∂K/∂z̄ (dz nested over dzbar)
    for (let b = 0; b < 3; b++) {
      const zb = C.slice(z, [b, 0], [b + 1, n]);
      for (let c = 0; c < n; c++) {
        const pick = (u: C.ComplexTensor) =>
          C.slice(C.dzbar((v: C.ComplexTensor) => K(v).sum())(u), [0, c], [1, c + 1]).reshape([]);
        const row = C.dz(pick)(zb); // ∂_a ∂̄_c K for every a
        for (let a = 0; a < n; a++) {
          expect(row.re.toFloat64Array()[a]).toBeCloseTo(g.re.toFloat64Array()[b * n * n + a * n + c], 11);
          expect(row.im.toFloat64Array()[a]).toBeCloseTo(g.im.toFloat64Array()[b * n * n + a * n + c], 11);
        }
      }
    }
  });

  it("is differentiable again: d/dt of mean log det g(t) against finite differences", () => {
    // K_t = log Σ_a e^{t_a}|z_a|² (a diagonal Hermitian form): a CY-style loss depending on parameters t
    const pts = C.slice(z, [0, 0], [8, n]);
    const loss = (t: Tensor) => {
      const g = C.ddbar((w) => log(C.abs2(w).mul(t.exp()).sum(1)))(pts);
      // drop the degenerate direction: the logdet of the leading 3×3 block (a chart)
      const blk = C.slice(g, [0, 0, 0], [8, n - 1, n - 1]);
      return C.slogdet(blk).logabs.mean();
    };
    checkGrads(loss, [rand([n], 16).mul(0.3)], { order: 1, rtol: 1e-6, atol: 1e-9 });
    // the real logdet of the real embedding gives twice the same number
    const g = C.ddbar((w) => log(C.abs2(w).sum(1)))(pts);
    const blk = C.slice(g, [0, 0, 0], [8, n - 1, n - 1]);
    const viaEmbedding = arr(logdet(C.realEmbedding(blk)).mul(0.5));
    arr(C.slogdet(blk).logabs).forEach((v, k) => {
      expect(v).toBeCloseTo(viaEmbedding[k], 12);
    });
  });
});
