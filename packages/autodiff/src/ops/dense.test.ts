// The dense primitive act(x·W + b) against plain loops: values; forward and reverse derivatives
// for every subset of inputs at the closed forms (tz = tx·W + x·tW + tb, ga = g·(1 − y²),
// gx = ga·Wᵀ, gW = xᵀ·ga, gb = Σ_rows ga); second order against finite differences; vmap
// against a loop over the batch — each on both sides of the size from which the backward pass
// of concrete operands takes the fused kernel. Which operands take that kernel shows where it
// changes something: the result dtype (Float32 must not) and the product counter (the fused pass
// counts its products like the composed rules). Also `denseApplies`, condition by condition.
import { describe, expect, it } from "vitest";
import { values } from "../../test/values.js";
import { primitives } from "../core/registry.js";
import {
  grad,
  jacobian,
  jvp,
  jvpBatched,
  random,
  reshape,
  sum,
  type Tensor,
  tensor,
  vmap,
} from "../index.js";
import { matmulStats } from "../kernels/matmul.js";
import { checkGrads } from "../testing/index.js";
import { type DenseActivation, dense, denseApplies } from "./dense.js";

const rnd = (seed: number, shape: number[], scale = 1) => random.normal(random.key(seed), shape).mul(scale);

/** act(x·W + b) by loops: x [R, I] row-major, W [I, O], b [O]. */
function denseLoop(
  x: number[],
  w: number[],
  b: number[],
  R: number,
  I: number,
  O: number,
  tanh: boolean,
): number[] {
  const y: number[] = [];
  for (let r = 0; r < R; r++)
    for (let o = 0; o < O; o++) {
      let s = b[o];
      for (let i = 0; i < I; i++) s += x[r * I + i] * w[i * O + o];
      y.push(tanh ? Math.tanh(s) : s);
    }
  return y;
}

/** The cotangents of x, W and b for the output cotangent g [R, O], by loops. */
function denseVjpLoop(
  x: number[],
  w: number[],
  b: number[],
  g: number[],
  R: number,
  I: number,
  O: number,
  tanh: boolean,
) {
  const y = denseLoop(x, w, b, R, I, O, tanh);
  const ga = g.map((v, k) => (tanh ? v * (1 - y[k] * y[k]) : v));
  const gx = new Array<number>(R * I).fill(0);
  const gw = new Array<number>(I * O).fill(0);
  const gb = new Array<number>(O).fill(0);
  for (let r = 0; r < R; r++)
    for (let o = 0; o < O; o++) {
      gb[o] += ga[r * O + o];
      for (let i = 0; i < I; i++) {
        gx[r * I + i] += ga[r * O + o] * w[i * O + o];
        gw[i * O + o] += x[r * I + i] * ga[r * O + o];
      }
    }
  return [gx, gw, gb];
}

/** The tangent of the output for tangents tx, tW, tb (zero where null), by loops. */
function denseJvpLoop(
  x: number[],
  w: number[],
  b: number[],
  t: (number[] | null)[],
  R: number,
  I: number,
  O: number,
  tanh: boolean,
): number[] {
  const y = denseLoop(x, w, b, R, I, O, tanh);
  const [tx, tw, tb] = t;
  const out: number[] = [];
  for (let r = 0; r < R; r++)
    for (let o = 0; o < O; o++) {
      let s = tb ? tb[o] : 0;
      for (let i = 0; i < I; i++) {
        if (tx) s += tx[r * I + i] * w[i * O + o];
        if (tw) s += x[r * I + i] * tw[i * O + o];
      }
      out.push(tanh ? s * (1 - y[r * O + o] ** 2) : s);
    }
  return out;
}

const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12) => {
  expect(got.length).toBe(want.length);
  let err = 0;
  for (let i = 0; i < want.length; i++)
    err = Math.max(err, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  expect(err).toBeLessThan(tol);
};

// [name, x shape (rows may be folded from leading dims), outputs]; the backward pass of concrete
// operands takes the fused kernel from R·I·O = 8192 multiply-adds on (8192 itself included)
const SIZES: [string, number[], number][] = [
  ["small (composed backward)", [3, 4], 5],
  ["just below the fused size", [8191, 1], 1],
  ["exactly the fused size", [16, 16], 32],
  ["large, leading dims folded into rows", [2, 20, 16], 24],
];
const ACTS: DenseActivation[] = ["tanh", "identity"];

/** Every non-empty subset of the three inputs, as flags. */
const SUBSETS = [1, 2, 3, 4, 5, 6, 7].map((m) => [0, 1, 2].map((k) => (m >> k) & 1) as number[]);

describe("dense equals act(x·W + b) by loops", () => {
  for (const [name, xs, O] of SIZES) {
    const I = xs[xs.length - 1];
    const R = xs.reduce((a, b) => a * b, 1) / I;
    const x = rnd(1, xs);
    const w = rnd(2, [I, O], 1 / Math.sqrt(I));
    const b = rnd(3, [O]);
    const [xv, wv, bv] = [values(x), values(w), values(b)];
    for (const act of ACTS) {
      const isTanh = act === "tanh";
      it(`${name}, ${act}: values`, () => {
        const y = dense(x, w, b, act);
        expect([...y.shape]).toEqual([...xs.slice(0, -1), O]);
        close(values(y), denseLoop(xv, wv, bv, R, I, O, isTanh));
      });

      it(`${name}, ${act}: reverse mode for every subset of inputs`, () => {
        const g = rnd(4, [...xs.slice(0, -1), O]);
        const want = denseVjpLoop(xv, wv, bv, values(g), R, I, O, isTanh);
        for (const sub of SUBSETS) {
          const picked = [x, w, b].filter((_, k) => sub[k]);
          const got = grad((p: Tensor[]) => {
            let k = 0;
            const [xa, wa, ba] = [x, w, b].map((t, j) => (sub[j] ? p[k++] : t));
            return sum(dense(xa, wa, ba, act).mul(g));
          })(picked) as Tensor[];
          expect(got.length).toBe(picked.length);
          let k = 0;
          for (let j = 0; j < 3; j++) if (sub[j]) close(values(got[k++]), want[j], 1e-11);
        }
      });

      it(`${name}, ${act}: forward mode for every subset of tangents`, () => {
        const ts = [rnd(5, xs), rnd(6, [I, O]), rnd(7, [O])];
        for (const sub of SUBSETS) {
          const f = (...p: Tensor[]) => {
            let k = 0;
            const [xa, wa, ba] = [x, w, b].map((t, j) => (sub[j] ? p[k++] : t));
            return dense(xa, wa, ba, act);
          };
          const [y, dy] = jvp(
            f,
            [x, w, b].filter((_, k) => sub[k]),
            ts.filter((_, k) => sub[k]),
          );
          expect([...dy.shape]).toEqual([...y.shape]);
          const want = denseJvpLoop(
            xv,
            wv,
            bv,
            ts.map((t, k) => (sub[k] ? values(t) : null)),
            R,
            I,
            O,
            isTanh,
          );
          close(values(dy), want, 1e-11);
        }
      });
    }
  }
});

describe("dense: second order, batched tangents, vmap", () => {
  // small weights keep tanh out of saturation, so finite differences resolve the curvature
  for (const [name, xs, O] of [SIZES[0], SIZES[2]]) {
    const I = xs[xs.length - 1];
    const x = rnd(11, xs);
    const w = rnd(12, [I, O], 0.5 / Math.sqrt(I));
    const b = rnd(13, [O], 0.5);
    for (const act of ACTS) {
      it(`${name}, ${act}: jvp and vjp to second order against finite differences`, () => {
        // the square makes the identity layer's second derivative non-zero; the step (1e-4 of
        // the largest |entry|) keeps the O(h⁴) difference error far below rtol here
        const f = (a: Tensor, c: Tensor, d: Tensor) => dense(a, c, d, act).square();
        checkGrads(f, [x, w, b], { order: 2, rtol: 1e-6, eps: 1e-4 });
      });
    }
  }

  it("batched tangents (forward Jacobians) equal the closed form column by column", () => {
    const [R, I, O] = [2, 3, 4];
    const x = rnd(14, [R, I]);
    const w = rnd(15, [I, O]);
    const b = rnd(16, [O]);
    const [xv, wv, bv] = [values(x), values(w), values(b)];
    for (const act of ACTS) {
      const isTanh = act === "tanh";
      const inputs = [x, w, b];
      for (let j = 0; j < 3; j++) {
        const f = (t: Tensor) =>
          dense(...(inputs.map((u, k) => (k === j ? t : u)) as [Tensor, Tensor, Tensor]), act);
        const J = values(jacobian(f, "fwd")(inputs[j]));
        const n = inputs[j].size;
        for (let e = 0; e < n; e++) {
          const unit = new Array<number>(n).fill(0);
          unit[e] = 1;
          const col = denseJvpLoop(
            xv,
            wv,
            bv,
            [0, 1, 2].map((k) => (k === j ? unit : null)),
            R,
            I,
            O,
            isTanh,
          );
          close(
            col,
            col.map((_, q) => J[q * n + e]),
          );
        }
      }
      // tangents on every input at once, batched
      const tb: [Tensor, Tensor, Tensor] = [rnd(17, [2, R, I]), rnd(18, [2, I, O]), rnd(19, [2, O])];
      const [, dy] = jvpBatched((a: Tensor, c: Tensor, d: Tensor) => dense(a, c, d, act), [x, w, b], tb, 1);
      for (let k = 0; k < 2; k++) {
        const t = tb.map((u) => values(u).slice((k * u.size) / 2, ((k + 1) * u.size) / 2));
        close(
          values(dy as Tensor).slice(k * R * O, (k + 1) * R * O),
          denseJvpLoop(xv, wv, bv, t, R, I, O, isTanh),
        );
      }
    }
  });

  it("vmap over x, W, b or all three equals a loop over the examples", () => {
    const [B, R, I, O] = [3, 2, 3, 4];
    const X = rnd(20, [B, R, I]);
    const Wb = rnd(21, [B, I, O]);
    const bb = rnd(22, [B, O]);
    const w = rnd(23, [I, O]);
    const b = rnd(24, [O]);
    const ex = (t: Tensor, k: number) => values(t).slice((k * t.size) / B, ((k + 1) * t.size) / B);
    // [in axes, x, W, b, example k of each]
    const cases: [(number | null)[], Tensor[], (k: number) => number[][]][] = [
      [[0, null, null], [X, w, b], (k) => [ex(X, k), values(w), values(b)]],
      [
        [null, 0, null],
        [X.slice([0, 0, 0], [1, R, I]).reshape([R, I]), Wb, b],
        (k) => [ex(X, 0), ex(Wb, k), values(b)],
      ],
      [
        [null, null, 0],
        [X.slice([0, 0, 0], [1, R, I]).reshape([R, I]), w, bb],
        (k) => [ex(X, 0), values(w), ex(bb, k)],
      ],
      [[0, 0, 0], [X, Wb, bb], (k) => [ex(X, k), ex(Wb, k), ex(bb, k)]],
    ];
    for (const act of ACTS) {
      for (const [axes, args, example] of cases) {
        const y = vmap(
          (a: Tensor, c: Tensor, d: Tensor) => dense(a, c, d, act),
          axes,
        )(...(args as [Tensor, Tensor, Tensor]));
        expect([...y.shape]).toEqual([B, R, O]);
        for (let k = 0; k < B; k++) {
          const [xk, wk, bk] = example(k);
          close(values(y).slice(k * R * O, (k + 1) * R * O), denseLoop(xk, wk, bk, R, I, O, act === "tanh"));
        }
      }
    }
    // x mapped along its second axis: the examples are moved to the front first
    const Xt = reshape(X.transpose([1, 0, 2]), [R, B, I]);
    const y = vmap((a: Tensor) => dense(a, w, b, "tanh"), 1)(Xt);
    for (let k = 0; k < B; k++)
      close(
        values(y).slice(k * R * O, (k + 1) * R * O),
        denseLoop(ex(X, k), values(w), values(b), R, I, O, true),
      );
  });

  it("per-example gradients (vmap of grad: the backward pass runs under a transform) equal the closed form", () => {
    const [B, R, I, O] = [2, 40, 16, 24]; // large enough for the fused kernel were it concrete
    const X = rnd(25, [B, R, I]);
    const w = rnd(26, [I, O], 0.25);
    const b = rnd(27, [O]);
    const G = rnd(28, [R, O]);
    for (const act of ACTS) {
      const per = vmap(
        (a: Tensor) => grad((p: Tensor[]) => sum(dense(a, p[0], p[1], act).mul(G)))([w, b]) as Tensor[],
        [0],
      )(X);
      for (let k = 0; k < B; k++) {
        const xk = values(X).slice(k * R * I, (k + 1) * R * I);
        const [, gw, gb] = denseVjpLoop(xk, values(w), values(b), values(G), R, I, O, act === "tanh");
        close(values(per[0]).slice(k * I * O, (k + 1) * I * O), gw, 1e-11);
        close(values(per[1]).slice(k * O, (k + 1) * O), gb, 1e-11);
      }
    }
  });
});

describe("which operands take the fused backward kernel", () => {
  it("Float32 operands keep Float32 derivatives (the Float64 kernel is not used), close to Float64", () => {
    const [R, I, O] = [40, 16, 24];
    const [x, w, b, g] = [rnd(30, [R, I]), rnd(31, [I, O], 0.25), rnd(32, [O]), rnd(33, [R, O])];
    const f32 = (t: Tensor) => tensor(values(t), [...t.shape], "float32");
    const want = denseVjpLoop(values(f32(x)), values(f32(w)), values(f32(b)), values(f32(g)), R, I, O, true);
    // each Float32 operand alone, and all four
    for (const which of [0, 1, 2, 3, 4]) {
      const ops = [x, w, b, g].map((t, k) => (which === 4 || which === k ? f32(t) : t));
      const got = grad((p: Tensor[]) => sum(dense(p[0], p[1], p[2], "tanh").mul(ops[3])))(
        ops.slice(0, 3),
      ) as Tensor[];
      if (which === 4) for (const t of got) expect(t.dtype).toBe("float32");
      got.forEach((t, k) => {
        close(values(t), want[k], 1e-4);
      });
    }
  });

  it("the product counter grows by 2·R·I·O per product formed, on both sides of the fused size", () => {
    for (const [, xs, O] of SIZES) {
      const I = xs[xs.length - 1];
      const R = xs.reduce((a, b) => a * b, 1) / I;
      const [x, w, b, g] = [rnd(40, xs), rnd(41, [I, O]), rnd(42, [O]), rnd(43, [...xs.slice(0, -1), O])];
      for (const act of ACTS) {
        for (const sub of SUBSETS) {
          const f0 = matmulStats.flops;
          const picked = [x, w, b].filter((_, k) => sub[k]);
          grad((p: Tensor[]) => {
            let k = 0;
            const [xa, wa, ba] = [x, w, b].map((t, j) => (sub[j] ? p[k++] : t));
            return sum(dense(xa, wa, ba, act).mul(g));
          })(picked);
          // the forward product, then gx = ga·Wᵀ and gW = xᵀ·ga for those wanted
          expect(matmulStats.flops - f0).toBe(2 * R * I * O * (1 + sub[0] + sub[1]));
        }
      }
    }
  });
});

describe("denseApplies", () => {
  const x = rnd(50, [2, 3, 4]);
  const w = rnd(51, [4, 5]);
  const b = rnd(52, [5]);
  const f32 = (t: Tensor) => tensor(values(t), [...t.shape], "float32");
  it("accepts x [..., in] (ndim ≥ 2), W [in, out], b [out], all Float64", () => {
    expect(denseApplies(x, w, b)).toBe(true);
    expect(denseApplies(reshape(x, [6, 4]), w, b)).toBe(true);
  });
  it("rejects each violated condition on its own", () => {
    const fake = { ndim: 2, shape: [6, 4], dtype: "float64", size: 24 } as unknown as Tensor;
    const fakeW = { ndim: 2, shape: [4, 5], dtype: "float64", size: 20 } as unknown as Tensor;
    const fakeB = { ndim: 1, shape: [5], dtype: "float64", size: 5 } as unknown as Tensor;
    const bad: [string, Tensor, Tensor, Tensor][] = [
      ["x not a Tensor", fake, w, b],
      ["W not a Tensor", x, fakeW, b],
      ["b not a Tensor", x, w, fakeB],
      ["x a vector", rnd(53, [4]), w, b],
      ["W of rank 3", x, reshape(w, [4, 5, 1]), b],
      ["b of rank 2", x, w, reshape(b, [1, 5])],
      ["b of rank 2 whose first dim is W's columns", x, w, reshape(b, [5, 1])],
      ["x's last dim not W's rows", rnd(54, [2, 5]), rnd(55, [4, 5]), b],
      ["b's length not W's columns", x, w, rnd(56, [4])],
      ["x Float32", f32(x), w, b],
      ["W Float32", x, f32(w), b],
      ["b Float32", x, w, f32(b)],
    ];
    for (const [what, a, c, d] of bad) expect([what, denseApplies(a, c, d)]).toEqual([what, false]);
  });
});

describe("the registry", () => {
  it('the primitive registered as "dense" computes the layer', () => {
    const prim = primitives().get("dense") as unknown as {
      impl: (xs: Tensor[], p: { act: DenseActivation }) => Tensor;
    };
    const [x, w, b] = [rnd(60, [2, 3]), rnd(61, [3, 2]), rnd(62, [2])];
    close(
      values(prim.impl([x, w, b], { act: "tanh" })),
      denseLoop(values(x), values(w), values(b), 2, 3, 2, true),
    );
  });
});
