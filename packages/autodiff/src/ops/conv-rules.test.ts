// conv2d / conv1d beyond plain values: vmap over the input, the weights or both, and per-example
// weight gradients, against direct nested-loop convolutions on tiny lattices; batched tangents on
// one operand at a time against one jvp per tangent; unbatched single samples; MADE masks against
// their degree rule; and every input error in full (field, what is allowed, what was received).
import { describe, expect, it } from "vitest";
import { inputError } from "../../test/input-error.js";
import { values } from "../../test/values.js";
import { primitives } from "../core/registry.js";
import {
  conv1d,
  conv2d,
  convMask,
  grad,
  jvp,
  jvpBatched,
  madeMasks,
  maskedLinear,
  random,
  sum,
  type Tensor,
  tensor,
  vmap,
} from "../index.js";

const rnd = (seed: number, shape: number[]) => random.normal(random.key(seed), shape);

/** The index of (i + a − kh//2) on a lattice of size H, wrapped or -1 outside (zero padding). */
const site = (i: number, a: number, k: number, H: number, circular: boolean) => {
  const ii = i + a - (k >> 1);
  if (circular) return (ii + H) % H;
  return ii < 0 || ii >= H ? -1 : ii;
};

/** y[n, co, i, j] = Σ w[co, ci, a, b]·mask[a][b]·x[n, ci, i + a − kh//2, j + b − kw//2], by loops. */
function convLoop(
  x: number[],
  xs: number[],
  w: number[],
  ws: number[],
  circular: boolean,
  mask?: readonly (readonly number[])[],
): number[] {
  const [N, Ci, H, W] = xs;
  const [Co, , kh, kw] = ws;
  const y: number[] = [];
  for (let n = 0; n < N; n++)
    for (let co = 0; co < Co; co++)
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++) {
          let s = 0;
          for (let ci = 0; ci < Ci; ci++)
            for (let a = 0; a < kh; a++)
              for (let b = 0; b < kw; b++) {
                const ii = site(i, a, kh, H, circular);
                const jj = site(j, b, kw, W, circular);
                if (ii < 0 || jj < 0 || (mask && !mask[a][b])) continue;
                s += w[((co * Ci + ci) * kh + a) * kw + b] * x[((n * Ci + ci) * H + ii) * W + jj];
              }
          y.push(s);
        }
  return y;
}

/** dw[co, ci, a, b] = Σ_{n,i,j} g[n, co, i, j]·x[n, ci, i + a − kh//2, j + b − kw//2] on the mask, by loops. */
function convWLoop(
  x: number[],
  xs: number[],
  g: number[],
  Co: number,
  kh: number,
  kw: number,
  circular: boolean,
  mask?: readonly (readonly number[])[],
): number[] {
  const [N, Ci, H, W] = xs;
  const dw: number[] = [];
  for (let co = 0; co < Co; co++)
    for (let ci = 0; ci < Ci; ci++)
      for (let a = 0; a < kh; a++)
        for (let b = 0; b < kw; b++) {
          let s = 0;
          if (!mask || mask[a][b])
            for (let n = 0; n < N; n++)
              for (let i = 0; i < H; i++)
                for (let j = 0; j < W; j++) {
                  const ii = site(i, a, kh, H, circular);
                  const jj = site(j, b, kw, W, circular);
                  if (ii >= 0 && jj >= 0)
                    s += g[((n * Co + co) * H + i) * W + j] * x[((n * Ci + ci) * H + ii) * W + jj];
                }
          dw.push(s);
        }
  return dw;
}

const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12) => {
  expect(got.length).toBe(want.length);
  let err = 0;
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
  expect(err).toBeLessThan(tol);
};

/** Example k of a tensor whose leading axis has B entries, as a flat array. */
const example = (t: Tensor, k: number, B: number) =>
  values(t).slice((k * t.size) / B, ((k + 1) * t.size) / B);

describe("vmap of conv2d equals a loop over the examples", () => {
  const B = 3;
  const xs = [2, 2, 4, 3];
  const ws = [3, 2, 3, 3];
  const X = rnd(1, [B, ...xs]);
  const Wt = rnd(2, [B, ...ws]);
  const x = rnd(3, xs);
  const w = rnd(4, ws);
  for (const padding of ["circular", "zeros"] as const) {
    const circ = padding === "circular";
    const m = convMask(3, 3, "B");
    it(`${padding}: mapped input, mapped weights, both, and a mapped axis other than the first`, () => {
      const f = (a: Tensor, c: Tensor) => conv2d(a, c, { padding, mask: "B" });
      const cases: [(number | null)[], Tensor, Tensor, (k: number) => [number[], number[]]][] = [
        [[0, null], X, w, (k) => [example(X, k, B), values(w)]],
        [[null, 0], x, Wt, (k) => [values(x), example(Wt, k, B)]],
        [[0, 0], X, Wt, (k) => [example(X, k, B), example(Wt, k, B)]],
      ];
      for (const [axes, a, c, ex] of cases) {
        const y = vmap(f, axes)(a, c);
        expect([...y.shape]).toEqual([B, 2, 3, 4, 3]);
        for (let k = 0; k < B; k++) {
          const [xk, wk] = ex(k);
          close(example(y, k, B), convLoop(xk, xs, wk, ws, circ, m));
        }
      }
      // the examples along axis 2 of x ([N, Ci, B, H, W]) and axis 1 of w ([Co, B, Ci, kh, kw])
      const Xm = X.transpose([1, 2, 0, 3, 4]);
      const Wm = Wt.transpose([1, 0, 2, 3, 4]);
      const y1 = vmap(f, [2, null])(Xm, w);
      const y2 = vmap(f, [null, 1])(x, Wm);
      for (let k = 0; k < B; k++) {
        close(example(y1, k, B), convLoop(example(X, k, B), xs, values(w), ws, circ, m));
        close(example(y2, k, B), convLoop(values(x), xs, example(Wt, k, B), ws, circ, m));
      }
    });

    it(`${padding}: per-example weight gradients (the weight-gradient primitive under vmap)`, () => {
      const G = rnd(5, [B, 2, 3, 4, 3]);
      const g = rnd(6, [2, 3, 4, 3]);
      // ∂/∂w Σ conv(x, w)·g = convW(x, g): mapped x, mapped g, both
      const dw = (a: Tensor, c: Tensor) =>
        grad((v: Tensor) => sum(conv2d(a, v, { padding, mask: "A" }).mul(c)))(w) as Tensor;
      const mA = convMask(3, 3, "A");
      const cases: [(number | null)[], Tensor, Tensor, (k: number) => [number[], number[]]][] = [
        [[0, null], X, g, (k) => [example(X, k, B), values(g)]],
        [[null, 0], x, G, (k) => [values(x), example(G, k, B)]],
        [[0, 0], X, G, (k) => [example(X, k, B), example(G, k, B)]],
      ];
      for (const [axes, a, c, ex] of cases) {
        const d = vmap(dw, axes)(a, c);
        expect([...d.shape]).toEqual([B, ...ws]);
        for (let k = 0; k < B; k++) {
          const [xk, gk] = ex(k);
          close(example(d, k, B), convWLoop(xk, xs, gk, 3, 3, 3, circ, mA));
        }
      }
    });
  }
});

describe("batched tangents on one operand at a time equal one jvp per tangent", () => {
  const x = rnd(10, [2, 2, 3, 3]);
  const w = rnd(11, [3, 2, 3, 3]);
  const g = rnd(12, [2, 3, 3, 3]);
  const T = 2;
  const tx = rnd(13, [T, 2, 2, 3, 3]);
  const tw = rnd(14, [T, 3, 2, 3, 3]);
  const tg = rnd(15, [T, 2, 3, 3, 3]);
  const slice = (t: Tensor, k: number) => tensor(example(t, k, T), t.shape.slice(1));

  it("conv2d: tangent on x only, on w only", () => {
    for (const [args, tans, which] of [
      [[x, w], tx, 0],
      [[x, w], tw, 1],
    ] as [Tensor[], Tensor, number][]) {
      const f = (v: Tensor) => conv2d(which === 0 ? v : args[0], which === 0 ? args[1] : v, { mask: "B" });
      const [, dy] = jvpBatched(f, [args[which]], [tans], 1);
      for (let k = 0; k < T; k++) {
        const [, d1] = jvp(f, [args[which]], [slice(tans, k)]);
        close(example(dy as Tensor, k, T), values(d1 as Tensor));
      }
    }
  });

  it("the weight gradient: tangent on x only, on the cotangent only", () => {
    const dw = (a: Tensor, c: Tensor) =>
      grad((v: Tensor) => sum(conv2d(a, v, { padding: "zeros" }).mul(c)))(w) as Tensor;
    for (const [tans, which] of [
      [tx, 0],
      [tg, 1],
    ] as [Tensor, number][]) {
      const f = (v: Tensor) => (which === 0 ? dw(v, g) : dw(x, v));
      const at = which === 0 ? x : g;
      const [, d] = jvpBatched(f, [at], [tans], 1);
      for (let k = 0; k < T; k++) {
        // the weight gradient is linear in each operand: its tangent is convW at the tangent
        const want =
          which === 0
            ? convWLoop(example(tans, k, T), [2, 2, 3, 3], values(g), 3, 3, 3, false)
            : convWLoop(values(x), [2, 2, 3, 3], example(tans, k, T), 3, 3, 3, false);
        close(example(d as Tensor, k, T), want);
      }
    }
  });
});

describe("tangents with two batch dims equal one jvp per tangent", () => {
  const x = rnd(16, [2, 2, 3, 3]);
  const w = rnd(17, [3, 2, 3, 3]);
  const g = rnd(18, [2, 3, 3, 3]);
  const [T1, T2] = [2, 2];
  const T = T1 * T2;
  const tx = rnd(19, [T1, T2, 2, 2, 3, 3]);
  const tw = rnd(20, [T1, T2, 3, 2, 3, 3]);
  const tg = rnd(21, [T1, T2, 2, 3, 3, 3]);
  const one = (t: Tensor, k: number) => tensor(example(t, k, T), t.shape.slice(2));

  it("conv2d and its weight gradient, tangents on both operands", () => {
    const f = (a: Tensor, c: Tensor) => conv2d(a, c, { mask: "A" });
    const [, dy] = jvpBatched(f, [x, w], [tx, tw], 2);
    const dw = (a: Tensor, c: Tensor) =>
      grad((v: Tensor) => sum(conv2d(a, v, { mask: "A" }).mul(c)))(w) as Tensor;
    const [, dd] = jvpBatched(dw, [x, g], [tx, tg], 2);
    for (let k = 0; k < T; k++) {
      close(example(dy as Tensor, k, T), values(jvp(f, [x, w], [one(tx, k), one(tw, k)])[1] as Tensor));
      close(example(dd as Tensor, k, T), values(jvp(dw, [x, g], [one(tx, k), one(tg, k)])[1] as Tensor));
    }
  });
});

describe("single samples and conv1d", () => {
  it("x [Ci, H, W] gives [Co, H, W], the batch-of-one result; conv1d on [Ci, L] likewise", () => {
    const x = rnd(20, [2, 3, 5]);
    const w = rnd(21, [4, 2, 3, 3]);
    const b = rnd(22, [4]);
    const y = conv2d(x, w, { padding: "zeros", bias: b });
    expect([...y.shape]).toEqual([4, 3, 5]);
    const want = convLoop(values(x), [1, 2, 3, 5], values(w), [4, 2, 3, 3], false);
    close(
      values(y),
      want.map((v, k) => v + values(b)[Math.floor(k / 15)]),
    );
    const x1 = rnd(23, [2, 6]);
    const w1 = rnd(24, [3, 2, 3]);
    const y1 = conv1d(x1, w1, { mask: [1, 1, 0] });
    expect([...y1.shape]).toEqual([3, 6]);
    close(values(y1), convLoop(values(x1), [1, 2, 1, 6], values(w1), [3, 2, 1, 3], true, [[1, 1, 0]]));
    // conv1d's masks "A"/"B" are the 1-row PixelCNN patterns; its bias is added per channel
    const b1 = rnd(25, [3]);
    for (const [type, m] of [
      ["A", [1, 0, 0]],
      ["B", [1, 1, 0]],
    ] as const) {
      const yb = conv1d(x1, w1, { mask: type, padding: "zeros", bias: b1 });
      const wantB = convLoop(values(x1), [1, 2, 1, 6], values(w1), [3, 2, 1, 3], false, [m]);
      close(
        values(yb),
        wantB.map((v, k) => v + values(b1)[Math.floor(k / 6)]),
      );
    }
  });

  it("a kernel as large as the lattice is accepted; a mask of all zeros gives zero", () => {
    const x = rnd(26, [1, 1, 3, 5]);
    const w = rnd(27, [1, 1, 3, 5]);
    close(values(conv2d(x, w)), convLoop(values(x), [1, 1, 3, 5], values(w), [1, 1, 3, 5], true));
    const zero = [0, 0, 0].map(() => [0, 0, 0, 0, 0]);
    expect(values(conv2d(x, w, { mask: zero }))).toEqual(new Array(15).fill(0));
  });
});

describe("MADE masks follow the degree rule", () => {
  it("hidden unit j has degree (j mod (n−1)) + 1; output o of site ⌊o/k⌋ + 1 sees hidden degrees below it", () => {
    const n = 4;
    const k = 2;
    const hidden = [5, 3];
    const masks = madeMasks(n, hidden, k);
    expect(masks.map((m) => [m.length, m[0].length])).toEqual([
      [4, 5],
      [5, 3],
      [3, 8],
    ]);
    const deg = [[1, 2, 3, 4], ...hidden.map((h) => Array.from({ length: h }, (_, j) => (j % (n - 1)) + 1))];
    for (let l = 0; l < 2; l++)
      for (let a = 0; a < deg[l].length; a++)
        for (let b = 0; b < deg[l + 1].length; b++)
          expect(masks[l][a][b]).toBe(deg[l + 1][b] >= deg[l][a] ? 1 : 0);
    for (let a = 0; a < 3; a++)
      for (let o = 0; o < n * k; o++) expect(masks[2][a][o]).toBe(Math.floor(o / k) + 1 > deg[2][a] ? 1 : 0);
  });

  it("one site: hidden units get degree 0, so every output sees them and none sees the input", () => {
    expect(madeMasks(1, [2])).toEqual([[[0, 0]], [[1], [1]]]);
    // a hidden layer of width 1 is allowed: its unit has degree 1 and sees input 1 only
    expect(madeMasks(2, [1])).toEqual([[[1], [0]], [[0, 1]]]);
    // no hidden layer: output i sees inputs < i
    expect(madeMasks(3, [])).toEqual([
      [
        [0, 1, 1],
        [0, 0, 1],
        [0, 0, 0],
      ],
    ]);
  });

  it("maskedLinear is x·(W∘M), plus b when given", () => {
    const x = rnd(30, [2, 3]);
    const w = rnd(31, [3, 4]);
    const M = tensor(madeMasks(3, [4])[0]);
    const b = rnd(32, [4]);
    const [xv, wv, mv, bv] = [values(x), values(w), values(M), values(b)];
    const want = (withB: boolean) =>
      Array.from({ length: 8 }, (_, q) => {
        const [r, o] = [Math.floor(q / 4), q % 4];
        let s = withB ? bv[o] : 0;
        for (let i = 0; i < 3; i++) s += xv[r * 3 + i] * wv[i * 4 + o] * mv[i * 4 + o];
        return s;
      });
    close(values(maskedLinear(x, w, M)), want(false));
    close(values(maskedLinear(x, w, M, b)), want(true));
  });
});

describe("input errors name the field, what is allowed and what was received", () => {
  const x = rnd(40, [1, 2, 3, 5]);
  const w = rnd(41, [3, 2, 3, 3]);
  it("conv2d", () => {
    const notT = [1] as unknown as Tensor;
    expect(inputError(() => conv2d(notT, w))).toBe('conv2d | Tensors x and w | "object"');
    expect(inputError(() => conv2d(x, 2 as unknown as Tensor))).toBe('conv2d | Tensors x and w | "number"');
    expect(inputError(() => conv2d(rnd(42, [2, 3]), w))).toBe(
      "conv2d.x | shape [N, Ci, H, W] or [Ci, H, W] | [2,3]",
    );
    expect(inputError(() => conv2d(rnd(42, [1, 1, 2, 3, 5]), w))).toBe(
      "conv2d.x | shape [N, Ci, H, W] or [Ci, H, W] | [1,1,2,3,5]",
    );
    expect(inputError(() => conv2d(x, rnd(43, [3, 1, 3, 3])))).toBe(
      "conv2d.w | shape [Co, 2, kh, kw] | [3,1,3,3]",
    );
    expect(inputError(() => conv2d(x, rnd(43, [2, 3, 3])))).toBe(
      "conv2d.w | shape [Co, 2, kh, kw] | [2,3,3]",
    );
    // a rank-3 weight whose second dim happens to match Ci
    expect(inputError(() => conv2d(x, rnd(43, [3, 2, 3])))).toBe(
      "conv2d.w | shape [Co, 2, kh, kw] | [3,2,3]",
    );
    const odd = "conv2d.w | odd kernel sizes at most the lattice 3×5";
    expect(inputError(() => conv2d(x, rnd(44, [1, 2, 2, 3])))).toBe(`${odd} | [2,3]`);
    expect(inputError(() => conv2d(x, rnd(44, [1, 2, 3, 4])))).toBe(`${odd} | [3,4]`);
    expect(inputError(() => conv2d(x, rnd(44, [1, 2, 5, 3])))).toBe(`${odd} | [5,3]`);
    expect(inputError(() => conv2d(x, rnd(44, [1, 2, 1, 7])))).toBe(`${odd} | [1,7]`);
    expect(inputError(() => conv2d(x, w, { padding: "reflect" as "zeros" }))).toBe(
      'conv2d.padding | "circular" or "zeros" | "reflect"',
    );
    expect(inputError(() => conv2d(x, w, { bias: rnd(45, [2]) }))).toBe("conv2d.bias | shape [3] | [2]");
    expect(inputError(() => conv2d(x, w, { bias: rnd(45, [3, 1]) }))).toBe("conv2d.bias | shape [3] | [3,1]");
    expect(inputError(() => conv2d(x, w, { bias: [1, 2, 3] as unknown as Tensor }))).toBe(
      'conv2d.bias | shape [3] | "object"',
    );
  });

  it("masks", () => {
    const allowed = 'conv2d.mask | "A", "B" or a 3×3 array of 0/1';
    expect(inputError(() => conv2d(x, w, { mask: [[1, 1, 1]] }))).toBe(`${allowed} | "object"`);
    expect(
      inputError(() =>
        conv2d(x, w, {
          mask: [
            [1, 1, 1],
            [1, 1],
            [1, 1, 1],
          ],
        }),
      ),
    ).toBe(`${allowed} | "object"`);
    expect(inputError(() => conv2d(x, w, { mask: [[1, 1, 1], 7, [1, 1, 1]] as unknown as number[][] }))).toBe(
      `${allowed} | "object"`,
    );
    expect(inputError(() => conv2d(x, w, { mask: 5 as unknown as "A" }))).toBe(`${allowed} | "number"`);
    // array-likes of the right length are not arrays
    const like = { length: 3 } as unknown as number[];
    expect(inputError(() => conv2d(x, w, { mask: like as unknown as number[][] }))).toBe(
      `${allowed} | "object"`,
    );
    expect(inputError(() => conv2d(x, w, { mask: [[1, 1, 1], like, [1, 1, 1]] }))).toBe(
      `${allowed} | "object"`,
    );
    expect(
      inputError(() =>
        conv2d(x, w, {
          mask: [
            [1, 1, 1],
            [1, 2, 1],
            [1, 1, 1],
          ],
        }),
      ),
    ).toBe("conv2d.mask | entries 0 or 1 | 2");
    expect(
      inputError(() =>
        conv2d(x, w, {
          mask: [
            [1, 1, 1],
            [1, 0.5, 1],
            [1, 1, 1],
          ],
        }),
      ),
    ).toBe("conv2d.mask | entries 0 or 1 | 0.5");
    expect(inputError(() => convMask(3, 3, "C" as "A"))).toBe('convMask.type | "A" or "B" | "C"');
  });

  it("conv1d and madeMasks", () => {
    const x1 = rnd(46, [1, 2, 5]);
    const w1 = rnd(47, [3, 2, 3]);
    expect(inputError(() => conv1d(x1, 0 as unknown as Tensor))).toBe('conv1d | Tensors x and w | "number"');
    expect(inputError(() => conv1d("x" as unknown as Tensor, w1))).toBe(
      'conv1d | Tensors x and w | "string"',
    );
    expect(inputError(() => conv1d(rnd(48, [5]), w1))).toBe("conv1d.x | shape [N, Ci, L] or [Ci, L] | [5]");
    expect(inputError(() => conv1d(rnd(48, [1, 1, 2, 5]), w1))).toBe(
      "conv1d.x | shape [N, Ci, L] or [Ci, L] | [1,1,2,5]",
    );
    expect(inputError(() => conv1d(x1, rnd(49, [3, 2, 1, 3])))).toBe(
      "conv1d.w | shape [Co, Ci, k] | [3,2,1,3]",
    );
    expect(inputError(() => madeMasks(0, [2]))).toBe("madeMasks.n | an integer >= 1 | 0");
    expect(inputError(() => madeMasks(2.5, [2]))).toBe("madeMasks.n | an integer >= 1 | 2.5");
    expect(inputError(() => madeMasks(3, [2, 0]))).toBe("madeMasks.hidden | integers >= 1 | 0");
    expect(inputError(() => madeMasks(3, [1.5]))).toBe("madeMasks.hidden | integers >= 1 | 1.5");
  });
});

describe("the registry", () => {
  it('the primitives registered as "conv2d" and "conv2dWeightGrad" convolve and form the weight gradient', () => {
    type Impl = { impl: (xs: Tensor[], p: unknown) => Tensor };
    const reg = primitives();
    const x = rnd(60, [1, 1, 3, 3]);
    const w = rnd(61, [1, 1, 3, 3]);
    const p = { kh: 3, kw: 3, taps: Int32Array.from({ length: 9 }, (_, i) => i), circular: true };
    const xs = [1, 1, 3, 3];
    close(
      values((reg.get("conv2d") as unknown as Impl).impl([x, w], p)),
      convLoop(values(x), xs, values(w), xs, true),
    );
    close(
      values((reg.get("conv2dWeightGrad") as unknown as Impl).impl([x, w], p)),
      convWLoop(values(x), xs, values(w), 1, 3, 3, true),
    );
  });
});
