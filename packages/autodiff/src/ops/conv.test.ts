// conv2d / conv1d against a naive loop implementation, their derivatives against finite
// differences (first and second order, forward and reverse, batched tangents), and the
// autoregressive property of masked layers checked directly by derivatives.
import { describe, expect, it } from "vitest";
import {
  AutodiffInputError,
  conv1d,
  conv2d,
  convMask,
  grad,
  jacobian,
  jvp,
  jvpBatched,
  madeMasks,
  maskedLinear,
  random,
  reshape,
  sum,
  type Tensor,
  tanh,
  tensor,
  vmap,
} from "../index.js";
import { MaskedConv2d, MaskedLinear } from "../nn/index.js";
import { checkGrads } from "../testing/index.js";

/** y[n, co, i, j] = Σ w[co, ci, a, b]·mask[a, b]·x[n, ci, i + a − kh//2, j + b − kw//2], by loops. */
function naiveConv2d(
  x: Tensor,
  w: Tensor,
  circular: boolean,
  mask?: readonly (readonly number[])[],
  bias?: Tensor,
): Float64Array {
  const [N, Ci, H, W] = x.shape;
  const [Co, , kh, kw] = w.shape;
  const xd = x.toFloat64Array();
  const wd = w.toFloat64Array();
  const bd = bias?.toFloat64Array();
  const y = new Float64Array(N * Co * H * W);
  for (let n = 0; n < N; n++)
    for (let co = 0; co < Co; co++)
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++) {
          let s = bd ? bd[co] : 0;
          for (let ci = 0; ci < Ci; ci++)
            for (let a = 0; a < kh; a++)
              for (let b = 0; b < kw; b++) {
                if (mask && mask[a][b] === 0) continue;
                let ii = i + a - (kh >> 1);
                let jj = j + b - (kw >> 1);
                if (circular) {
                  ii = (ii + H) % H;
                  jj = (jj + W) % W;
                } else if (ii < 0 || ii >= H || jj < 0 || jj >= W) continue;
                s += wd[((co * Ci + ci) * kh + a) * kw + b] * xd[((n * Ci + ci) * H + ii) * W + jj];
              }
          y[((n * Co + co) * H + i) * W + j] = s;
        }
  return y;
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  expect(a.length).toBe(b.length);
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
  expect(err).toBeLessThan(tol);
};

const rnd = (seed: number, shape: number[]) => random.normal(random.key(seed), shape);

describe("conv2d values", () => {
  const cases: [string, number[], number[]][] = [
    ["3×3", [2, 3, 5, 6], [4, 3, 3, 3]],
    ["1×5", [1, 2, 4, 7], [3, 2, 1, 5]],
    ["5×3 on 5×4", [3, 1, 5, 4], [2, 1, 5, 3]],
    ["1 → 1", [2, 1, 3, 3], [1, 1, 3, 3]],
  ];
  for (const [name, xs, ws] of cases) {
    for (const padding of ["circular", "zeros"] as const) {
      it(`${name}, ${padding}: equals the loops, with and without masks and bias`, () => {
        const x = rnd(1, xs);
        const w = rnd(2, ws);
        const b = rnd(3, [ws[0]]);
        close(conv2d(x, w, { padding }).toFloat64Array(), naiveConv2d(x, w, padding === "circular"));
        close(
          conv2d(x, w, { padding, bias: b }).toFloat64Array(),
          naiveConv2d(x, w, padding === "circular", undefined, b),
        );
        for (const type of ["A", "B"] as const) {
          const m = convMask(ws[2], ws[3], type);
          close(
            conv2d(x, w, { padding, mask: type }).toFloat64Array(),
            naiveConv2d(x, w, padding === "circular", m),
          );
        }
        const custom = Array.from({ length: ws[2] }, (_, a) =>
          Array.from({ length: ws[3] }, (_, c) => (a + c) % 2),
        );
        close(
          conv2d(x, w, { padding, mask: custom }).toFloat64Array(),
          naiveConv2d(x, w, padding === "circular", custom),
        );
      });
    }
  }

  it("a large batch (several column chunks) equals the loops", () => {
    const x = rnd(4, [40, 8, 8, 8]);
    const w = rnd(5, [6, 8, 3, 3]);
    close(conv2d(x, w, { mask: "B" }).toFloat64Array(), naiveConv2d(x, w, true, convMask(3, 3, "B")), 1e-11);
  });

  it("type A and B masks are the PixelCNN patterns", () => {
    expect(convMask(3, 3, "A")).toEqual([
      [1, 1, 1],
      [1, 0, 0],
      [0, 0, 0],
    ]);
    expect(convMask(3, 5, "B")).toEqual([
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
  });

  it("a circular shift of the input shifts the output (periodic lattice)", () => {
    const x = rnd(6, [1, 2, 5, 5]);
    const w = rnd(7, [3, 2, 3, 3]);
    const y = conv2d(x, w).toArray() as number[][][][];
    const xa = x.toArray() as number[][][][];
    const shifted = tensor(xa.map((s) => s.map((c) => c.map((_r, i) => c[(i + 1) % 5]))));
    const ys = conv2d(shifted, w).toArray() as number[][][][];
    for (let co = 0; co < 3; co++)
      for (let i = 0; i < 5; i++)
        for (let j = 0; j < 5; j++) expect(ys[0][co][i][j]).toBeCloseTo(y[0][co][(i + 1) % 5][j], 12);
  });

  it("conv1d is conv2d with a kernel of height 1; causal masks", () => {
    const x = rnd(8, [2, 3, 7]);
    const w = rnd(9, [4, 3, 3]);
    for (const padding of ["circular", "zeros"] as const) {
      const y = conv1d(x, w, { padding }).toFloat64Array();
      const y2 = naiveConv2d(reshape(x, [2, 3, 1, 7]), reshape(w, [4, 3, 1, 3]), padding === "circular");
      close(y, y2);
      const ya = conv1d(x, w, { padding, mask: "A" }).toFloat64Array();
      close(
        ya,
        naiveConv2d(reshape(x, [2, 3, 1, 7]), reshape(w, [4, 3, 1, 3]), padding === "circular", [[1, 0, 0]]),
      );
    }
    expect(conv1d(tensor([[1, 2, 3]]), tensor([[[1, 1, 1]]])).toArray()).toEqual([[6, 6, 6]]);
  });

  it("rejects bad shapes, even kernels and unknown options with the field named", () => {
    const x = rnd(1, [1, 2, 4, 4]);
    expect(() => conv2d(x, rnd(2, [3, 3, 3, 3]))).toThrow(/conv2d.w/);
    expect(() => conv2d(x, rnd(2, [3, 2, 2, 3]))).toThrow(AutodiffInputError);
    expect(() => conv2d(x, rnd(2, [3, 2, 3, 3]), { padding: "reflect" as "zeros" })).toThrow(
      /conv2d.padding/,
    );
    expect(() => conv2d(x, rnd(2, [3, 2, 3, 3]), { mask: "C" as "A" })).toThrow(/convMask.type/);
    expect(() => conv2d(x, rnd(2, [3, 2, 3, 3]), { mask: [[1, 0]] })).toThrow(/conv2d.mask/);
    expect(() => conv2d(x, rnd(2, [3, 2, 3, 3]), { bias: rnd(3, [2]) })).toThrow(/conv2d.bias/);
  });
});

describe("conv2d derivatives", () => {
  // small weights keep tanh gentle, so 4th-order finite differences with h ~ 1e-3 are accurate
  const x = rnd(11, [2, 2, 4, 5]);
  const w = rnd(12, [3, 2, 3, 3]).mul(0.3);
  for (const padding of ["circular", "zeros"] as const) {
    for (const mask of [undefined, "A", "B"] as const) {
      it(`${padding}, mask ${mask ?? "none"}: jvp and vjp to second order against finite differences`, () => {
        const f = (a: Tensor, b: Tensor) =>
          tanh(conv2d(a, b, { padding, mask })).mul(conv2d(a, b, { padding, mask }));
        checkGrads(f, [x, w], { order: 2, rtol: 1e-6, eps: 2e-4 });
      });
    }
  }

  it("the weight-gradient primitive differentiates again (third order through a two-layer net)", () => {
    const w2 = rnd(13, [1, 3, 3, 3]);
    const f = (a: Tensor, b: Tensor, c: Tensor) =>
      sum(conv2d(tanh(conv2d(a, b, { mask: "A" })), c, { mask: "B" }).square());
    checkGrads(f, [x, w, w2], { order: 3, rtol: 1e-5, directions: 1 });
  });

  it("batched tangents (forward Jacobian) agree with reverse-mode Jacobians", () => {
    const xs = rnd(14, [1, 2, 3, 3]);
    const ws = rnd(15, [2, 2, 3, 3]);
    const fx = (a: Tensor) => conv2d(a, ws, { mask: "B" });
    close(jacobian(fx, "fwd")(xs).toFloat64Array(), jacobian(fx, "rev")(xs).toFloat64Array());
    const fw = (b: Tensor) => tanh(conv2d(xs, b, { padding: "zeros" }));
    close(jacobian(fw, "fwd")(ws).toFloat64Array(), jacobian(fw, "rev")(ws).toFloat64Array());
    // forward over reverse: the Hessian of a scalar in the weights, both ways
    const loss = (b: Tensor) => sum(tanh(conv2d(xs, b, { mask: "A" })).square());
    const H1 = jacobian(grad(loss), "fwd")(ws).toFloat64Array();
    const H2 = jacobian(grad(loss), "rev")(ws).toFloat64Array();
    close(H1, H2, 1e-12);
    // the weight-gradient primitive with batched tangents in both operands
    const g = (a: Tensor, b: Tensor) => grad((c: Tensor) => sum(tanh(conv2d(a, c)).mul(b)))(ws);
    const gy = rnd(16, [1, 2, 3, 3]);
    const tx = rnd(17, [3, 1, 2, 3, 3]);
    const tg = rnd(18, [3, 1, 2, 3, 3]);
    const [, tb] = jvpBatched(g, [xs, gy], [tx, tg], 1);
    for (let k = 0; k < 3; k++) {
      const one = (t: Tensor) => reshape(t.slice([k, 0, 0, 0, 0], [k + 1, 1, 2, 3, 3]), [1, 2, 3, 3]);
      const [, t1] = jvp(g, [xs, gy], [one(tx), one(tg)]);
      close((tb as Tensor).slice([k, 0, 0, 0, 0], [k + 1, 2, 2, 3, 3]).toFloat64Array(), t1.toFloat64Array());
    }
  });

  it("conv1d derivatives to second order", () => {
    const f = (a: Tensor, b: Tensor) => tanh(conv1d(a, b, { mask: "B", padding: "zeros" }));
    checkGrads(f, [rnd(19, [2, 2, 6]), rnd(20, [2, 2, 3])], { order: 2 });
  });
});

describe("conv2d with bias and activation (one fused layer)", () => {
  const same = (a: Tensor, b: Tensor) => {
    expect(a.shape).toEqual(b.shape);
    const x = a.toFloat64Array();
    const y = b.toFloat64Array();
    expect(x.every((v, i) => Object.is(v, y[i]))).toBe(true);
  };
  // an 8-wide lattice takes the direct SIMD kernel, a 5 × 6 one the matrix-product path
  const cases: [string, number[], number[]][] = [
    ["direct kernel, 8×8", [3, 4, 8, 8], [5, 4, 3, 3]],
    ["matrix products, 5×6", [2, 3, 5, 6], [4, 3, 3, 3]],
  ];
  for (const [name, xs, ws] of cases) {
    it(`${name}: values, gradients and second derivatives are the unfused composition's bits`, () => {
      const x = rnd(40, xs);
      const w = rnd(41, ws).mul(0.4);
      const b = rnd(42, [ws[0]]);
      for (const activation of ["tanh", "identity"] as const) {
        const fused = (a: Tensor, c: Tensor, d: Tensor) => conv2d(a, c, { mask: "B", bias: d, activation });
        const plain = (a: Tensor, c: Tensor, d: Tensor) => {
          const z = conv2d(a, c, { mask: "B" }).add(reshape(d, [ws[0], 1, 1]));
          return activation === "tanh" ? tanh(z) : z;
        };
        same(fused(x, w, b), plain(x, w, b));
        const loss = (f: typeof fused) => (a: Tensor, c: Tensor, d: Tensor) => sum(f(a, c, d).square());
        for (const arg of [0, 1, 2]) {
          const g1 = grad(loss(fused), arg)(x, w, b);
          const g2 = grad(loss(plain), arg)(x, w, b);
          same(g1 as Tensor, g2 as Tensor);
        }
        // forward over reverse in the bias, and a forward tangent in all three operands
        const hb = (f: typeof fused) =>
          jacobian((d: Tensor) => grad(loss(f), 2)(x, w, d) as Tensor, "fwd")(b);
        same(hb(fused), hb(plain));
        const t: [Tensor, Tensor, Tensor] = [rnd(43, xs), rnd(44, ws), rnd(45, [ws[0]])];
        same(jvp(fused, [x, w, b], t)[1] as Tensor, jvp(plain, [x, w, b], t)[1] as Tensor);
      }
    });
  }

  it("against finite differences to second order, and under vmap over the samples", () => {
    const x = rnd(46, [2, 2, 4, 4]);
    const w = rnd(47, [3, 2, 3, 3]).mul(0.3);
    const b = rnd(48, [3]);
    const f = (a: Tensor, c: Tensor, d: Tensor) => conv2d(a, c, { mask: "A", bias: d, activation: "tanh" });
    checkGrads(f, [x, w, b], { order: 2, rtol: 1e-6, eps: 2e-4 });
    const xb = rnd(49, [3, 2, 2, 4, 4]);
    const mapped = vmap((a: Tensor) => f(a, w, b))(xb);
    for (let k = 0; k < 3; k++) {
      const one = reshape(xb.slice([k, 0, 0, 0, 0], [k + 1, 2, 2, 4, 4]), [2, 2, 4, 4]);
      same(reshape(mapped.slice([k, 0, 0, 0, 0], [k + 1, 2, 3, 4, 4]), [2, 3, 4, 4]), f(one, w, b));
    }
    // a mapped bias goes through the loop
    const bb = rnd(50, [2, 3]);
    const mb = vmap((d: Tensor) => f(x, w, d))(bb);
    same(
      reshape(mb.slice([1, 0, 0, 0, 0], [2, 2, 3, 4, 4]), [2, 3, 4, 4]),
      f(x, w, reshape(bb.slice([1, 0], [2, 3]), [3])),
    );
  });

  it("rejects an unknown activation, naming the field", () => {
    expect(() =>
      conv2d(rnd(1, [1, 1, 4, 4]), rnd(2, [1, 1, 3, 3]), { activation: "relu" as "tanh" }),
    ).toThrow(/conv2d\.activation/);
  });
});

/** ∂out_i/∂in_j over one sample (raster order), by the reverse-mode Jacobian. */
function siteJacobian(f: (x: Tensor) => Tensor, L: number): number[][] {
  const x = rnd(30, [1, 1, L, L]);
  const J = jacobian(f)(x).toArray() as number[][][][][][][][];
  const n = L * L;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => J[0][0][(i / L) | 0][i % L][0][0][(j / L) | 0][j % L]),
  );
}

describe("autoregressive property, by derivatives", () => {
  const L = 5;
  const w1 = rnd(21, [4, 1, 3, 3]);
  const w2 = rnd(22, [4, 4, 3, 3]);
  const w3 = rnd(23, [1, 4, 3, 3]);
  const net = (padding: "zeros" | "circular") => (x: Tensor) =>
    conv2d(tanh(conv2d(tanh(conv2d(x, w1, { mask: "A", padding })), w2, { mask: "B", padding })), w3, {
      mask: "B",
      padding,
    });

  it("type A stack (zero padding): ∂out_i/∂in_j = 0 for j ≥ i, and not all zero for j < i", () => {
    const J = siteJacobian(net("zeros"), L);
    let nonzero = 0;
    for (let i = 0; i < L * L; i++)
      for (let j = 0; j < L * L; j++) {
        if (j >= i) expect(J[i][j]).toBe(0);
        else if (J[i][j] !== 0) nonzero++;
      }
    expect(nonzero).toBeGreaterThan(100);
  });

  it("a single type-B layer: ∂out_i/∂in_j = 0 for j > i, ∂out_i/∂in_i ≠ 0", () => {
    const wb = rnd(24, [1, 1, 3, 3]);
    const J = siteJacobian((x) => conv2d(x, wb, { mask: "B", padding: "zeros" }), L);
    for (let i = 0; i < L * L; i++) {
      for (let j = i + 1; j < L * L; j++) expect(J[i][j]).toBe(0);
      expect(J[i][i]).not.toBe(0);
    }
  });

  it("circular padding wraps the first row onto the last: not autoregressive across the boundary", () => {
    const J = siteJacobian(net("circular"), L);
    // site 0 sees its periodic neighbours above and to the left, which come last in raster order
    expect(J[0].slice(1).some((v) => v !== 0)).toBe(true);
  });

  it("MADE masked dense layers: ∂out_i/∂in_j = 0 for j ≥ i", () => {
    const n = 6;
    const masks = madeMasks(n, [12, 12]).map((m) => tensor(m));
    const ws = masks.map((m, l) => rnd(40 + l, m.shape as number[]));
    const f = (x: Tensor) => {
      let h = x;
      ws.forEach((w, l) => {
        h = maskedLinear(h, w, masks[l]);
        if (l < ws.length - 1) h = tanh(h);
      });
      return h;
    };
    const J = jacobian(f)(rnd(50, [n])).toArray() as number[][];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (j >= i) expect(J[i][j]).toBe(0);
        else expect(J[i][j]).not.toBe(0);
      }
  });
});

describe("nn.MaskedConv2d and nn.MaskedLinear", () => {
  it("MaskedConv2d is conv2d with its mask and bias; MaskedLinear is x·(W∘M) + b", () => {
    const layer = new MaskedConv2d(2, 3, 3, { key: random.key(1), mask: "A" });
    expect(layer.params.w.shape).toEqual([3, 2, 3, 3]);
    const x = rnd(2, [2, 2, 4, 4]);
    const b = rnd(3, [3]);
    close(
      layer.apply({ w: layer.params.w, b }, x).toFloat64Array(),
      naiveConv2d(x, layer.params.w, true, convMask(3, 3, "A"), b),
    );
    const masks = madeMasks(3, [4]);
    const ml = new MaskedLinear(3, 4, masks[0], { key: random.key(4) });
    const xs = rnd(5, [2, 3]);
    const y = ml.apply(ml.params, xs).toArray() as number[][];
    const w = ml.params.w.toArray() as number[][];
    const xa = xs.toArray() as number[][];
    for (let n = 0; n < 2; n++)
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let i = 0; i < 3; i++) s += xa[n][i] * w[i][j] * masks[0][i][j];
        expect(y[n][j]).toBeCloseTo(s, 14);
      }
    expect(() => new MaskedLinear(3, 4, [[1]], { key: random.key(0) })).toThrow(/MaskedLinear.mask/);
    expect(() => new MaskedConv2d(1, 1, 2, { key: random.key(0), mask: "B" })).toThrow(/MaskedConv2d.kernel/);
  });
});
