// Matrix products and indexing against plain loops: every layout matmul accepts (2-D, batched
// with broadcasting, folded batches, vectors, transposed operands), gather / scatterAdd / oneHot,
// their dtypes and the field each names in an input error, and their derivatives at closed forms.

import { refusal } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { values } from "../../test/values.js";
import { AutodiffInputError } from "../errors.js";
import {
  gather,
  grad,
  matmul,
  matmulT,
  oneHot,
  scatterAdd,
  sum,
  type Tensor,
  tensor,
  vjp,
  vmap,
} from "../index.js";

/** A tensor of the given shape with distinct small integer entries (exact products). */
const ints = (shape: number[], seed: number): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Array.from({ length: n }, (_, i) => ((i * 7 + seed * 3) % 11) - 5),
    shape,
  );
};

/** Σ_k a[..., i, k] b[..., k, j] by loops over flat row-major data, batch dims broadcast. */
function naive(a: Tensor, b: Tensor, ta = false, tb = false): { shape: number[]; data: number[] } {
  const A = values(a);
  const B = values(b);
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [M, K] = ta ? [ac, ar] : [ar, ac];
  const N = tb ? br : bc;
  const aB = a.shape.slice(0, -2);
  const bB = b.shape.slice(0, -2);
  const nb = Math.max(aB.length, bB.length);
  const pad = (s: number[]) => [...new Array<number>(nb - s.length).fill(1), ...s];
  const pa = pad(aB);
  const pb = pad(bB);
  const oB = pa.map((d, i) => Math.max(d, pb[i]));
  const batches = oB.reduce((x, y) => x * y, 1);
  const data: number[] = [];
  const flat = (idx: number[], dims: number[]) =>
    idx.reduce((f, v, i) => f * dims[i] + (dims[i] === 1 ? 0 : v), 0);
  for (let t = 0; t < batches; t++) {
    const idx: number[] = [];
    let r = t;
    for (let i = nb - 1; i >= 0; i--) {
      idx[i] = r % oB[i];
      r = Math.floor(r / oB[i]);
    }
    const offA = flat(idx, pa) * ar * ac;
    const offB = flat(idx, pb) * br * bc;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const x = ta ? A[offA + k * ac + i] : A[offA + i * ac + k];
          const y = tb ? B[offB + j * bc + k] : B[offB + k * bc + j];
          s += x * y;
        }
        data.push(s);
      }
  }
  return { shape: [...oB, M, N], data };
}

describe("matmul against loops", () => {
  const layouts: [string, number[], number[]][] = [
    ["2-D", [3, 4], [4, 2]],
    ["batched × 2-D (batches folded into rows)", [2, 3, 3, 4], [4, 5]],
    ["2-D × batched", [3, 4], [2, 4, 5]],
    ["batched × batched with broadcasting", [2, 1, 3, 4], [3, 4, 2]],
  ];
  it.each(layouts)("%s", (_name, sa, sb) => {
    const a = ints(sa, 1);
    const b = ints(sb, 2);
    const want = naive(a, b);
    const got = matmul(a, b);
    expect([...got.shape]).toEqual(want.shape);
    expect(values(got)).toEqual(want.data);
  });

  it("transposed operands: matmulT(a, b, ta, tb) = op(a)·op(b) without a copy", () => {
    for (const [ta, tb] of [
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const a = ints(ta ? [2, 4, 3] : [2, 3, 4], 3);
      const b = ints(tb ? [5, 4] : [4, 5], 4);
      const want = naive(a, b, ta, tb);
      const got = matmulT(a, b, ta, tb);
      expect([...got.shape]).toEqual(want.shape);
      expect(values(got)).toEqual(want.data);
    }
  });

  it("vectors: their axis is dropped from the result, as in NumPy", () => {
    const v = tensor([1, -2, 3]);
    const m = ints([3, 2], 5);
    const mv = ints([2, 3], 6);
    expect([...matmul(v, m).shape]).toEqual([2]);
    expect(values(matmul(v, m))).toEqual(naive(tensor(values(v), [1, 3]), m).data);
    expect([...matmul(mv, v).shape]).toEqual([2]);
    expect(values(matmul(mv, v))).toEqual(naive(mv, tensor(values(v), [3, 1])).data);
    expect([...matmul(v, v).shape]).toEqual([]);
    expect(values(matmul(v, v))).toEqual([14]);
    const batched = ints([4, 2, 3], 7);
    expect([...matmul(batched, v).shape]).toEqual([4, 2]);
    expect([...matmul(v, ints([4, 3, 2], 8)).shape]).toEqual([4, 2]);
  });

  it("float32 only when both operands are float32", () => {
    const a32 = tensor([1, 2, 3, 4], [2, 2], "float32");
    expect(matmul(a32, a32).dtype).toBe("float32");
    expect(matmul(a32, tensor([1, 2, 3, 4], [2, 2])).dtype).toBe("float64");
    expect(matmul(ints([2, 2, 2], 1), tensor([1, 2, 3, 4], [2, 2], "float32")).dtype).toBe("float64");
  });

  it("derivatives of Σ op(A)·op(B) against the sum at unit operands, for every layout and flag", () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[3, 4], [4, 2], false, false],
      [[2, 3, 4], [4, 2], false, false],
      [[2, 3, 4], [2, 4], false, true],
      [[2, 3, 4], [2, 4, 2], false, false],
      [[2, 4, 3], [4, 2], true, false],
      [[3, 4], [2, 4], false, true],
      [[2, 4, 3], [2, 2, 4], true, true],
      [[3, 4], [2, 4, 2], false, false],
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const a = ints(sa, 1);
      const b = ints(sb, 2);
      const f = (x: Tensor, y: Tensor) => sum(matmulT(x, y, ta, tb));
      const [ga, gb] = grad(f, [0, 1])(a, b) as Tensor[];
      const fdA = values(a).map((_, i) => {
        const e = values(a).map((_, j) => (j === i ? 1 : 0));
        return values(sum(matmulT(tensor(e, sa), b, ta, tb)))[0];
      });
      const fdB = values(b).map((_, i) => {
        const e = values(b).map((_, j) => (j === i ? 1 : 0));
        return values(sum(matmulT(a, tensor(e, sb), ta, tb)))[0];
      });
      // the sum is linear in each operand: its gradient entry is the sum with that unit operand
      expect([...ga.shape]).toEqual(sa);
      expect([...gb.shape]).toEqual(sb);
      expect(values(ga)).toEqual(fdA);
      expect(values(gb)).toEqual(fdB);
    }
  });

  it("vmap of matmul equals a loop over the batch", () => {
    const A = ints([3, 2, 4], 2);
    const B = ints([4, 3], 5);
    const batched = vmap((x: Tensor) => matmul(x, B))(A);
    const loop = [0, 1, 2].flatMap((i) =>
      values(matmul(tensor(values(A).slice(i * 8, i * 8 + 8), [2, 4]), B)),
    );
    expect(values(batched)).toEqual(loop);
  });

  it("input errors name the argument", () => {
    const field = (f: () => unknown) => refusal(f, AutodiffInputError).field;
    expect(field(() => matmul(ints([2, 3], 1), ints([4, 2], 1)))).toBe("matmul.b");
    expect(field(() => matmul(tensor(1), ints([2, 2], 1)))).toBe("matmul");
    expect(field(() => matmul(3 as never, ints([2, 2], 1)))).toBe("matmul");
    expect(field(() => matmulT(tensor([1, 2]), ints([2, 2], 1)))).toBe("matmulT");
    expect(field(() => matmul(ints([2, 2, 3], 1), ints([3, 3, 2], 1)))).toBe("matmul batch dims");
  });
});

describe("gather, scatterAdd, oneHot", () => {
  const x = ints([2, 4, 3], 1);
  const X = values(x);
  const at = (i: number, j: number, k: number) => X[i * 12 + j * 3 + k];

  it("gather takes entries along an axis, repeats and negative axes included", () => {
    const idx = [3, 0, 3];
    const g = gather(x, idx, 1);
    expect([...g.shape]).toEqual([2, 3, 3]);
    const want: number[] = [];
    for (let i = 0; i < 2; i++) for (const j of idx) for (let k = 0; k < 3; k++) want.push(at(i, j, k));
    expect(values(g)).toEqual(want);
    expect(values(gather(x, idx, -2))).toEqual(want);
    expect(values(gather(x, Int32Array.from([1]), 0))).toEqual(X.slice(12));
  });

  it("scatterAdd is gather's adjoint: ⟨gather(x), y⟩ = ⟨x, scatterAdd(y)⟩, with repeated indices summed", () => {
    const idx = [3, 0, 3];
    const y = ints([2, 3, 3], 2);
    const s = scatterAdd(y, idx, 1, 4);
    expect([...s.shape]).toEqual([2, 4, 3]);
    const lhs = values(sum(gather(x, idx, 1).mul(y)))[0];
    const rhs = values(sum(x.mul(s)))[0];
    expect(lhs).toBe(rhs);
    const Y = values(y);
    const S = values(s);
    // row 3 of each block collects rows 0 and 2 of y; rows 1 and 2 stay zero
    for (let i = 0; i < 2; i++)
      for (let k = 0; k < 3; k++) {
        expect(S[i * 12 + 3 * 3 + k]).toBe(Y[i * 9 + k] + Y[i * 9 + 6 + k]);
        expect(S[i * 12 + k]).toBe(Y[i * 9 + 3 + k]);
        expect(S[i * 12 + 3 + k]).toBe(0);
        expect(S[i * 12 + 6 + k]).toBe(0);
      }
  });

  it("their derivatives are each other: vjp of gather is scatterAdd and of scatterAdd is gather", () => {
    const idx = [2, 2, 1];
    const y = ints([2, 3, 3], 3);
    const [, back] = vjp((v: Tensor) => gather(v, idx, 1), x);
    expect(values(back(y)[0] as Tensor)).toEqual(values(scatterAdd(y, idx, 1, 4)));
    const [, back2] = vjp((v: Tensor) => scatterAdd(v, idx, 1, 4), y);
    expect(values(back2(x)[0] as Tensor)).toEqual(values(gather(x, idx, 1)));
  });

  it("vmap of gather and scatterAdd equals a loop over the batch", () => {
    const idx = [1, 0, 1];
    const g = vmap((v: Tensor) => gather(v, idx, 0))(x);
    const loop = [0, 1].flatMap((i) => values(gather(tensor(X.slice(i * 12, i * 12 + 12), [4, 3]), idx, 0)));
    expect(values(g)).toEqual(loop);
    const y = ints([2, 3, 3], 4);
    const Y = values(y);
    const s = vmap((v: Tensor) => scatterAdd(v, idx, 0, 2))(y);
    const loop2 = [0, 1].flatMap((i) =>
      values(scatterAdd(tensor(Y.slice(i * 9, i * 9 + 9), [3, 3]), idx, 0, 2)),
    );
    expect(values(s)).toEqual(loop2);
  });

  it("oneHot rows", () => {
    const o = oneHot([2, 0], 3);
    expect(o.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it("bad indices name the field and the range", () => {
    const msg = (f: () => unknown) => {
      const e = refusal(f, AutodiffInputError);
      return `${e.field}: ${e.allowed}`;
    };
    expect(msg(() => gather(x, [4], 1))).toBe("gather.indices: integers in [0, 3]");
    expect(msg(() => gather(x, [-1], 1))).toBe("gather.indices: integers in [0, 3]");
    expect(msg(() => gather(x, [1.5], 1))).toBe("gather.indices: integers in [0, 3]");
    expect(msg(() => gather(x, [0], 3))).toMatch(/^gather\.axis: /);
    expect(msg(() => scatterAdd(x, [0, 1, 2, 3], 1, -1))).toBe("scatterAdd.size: a non-negative integer");
    expect(msg(() => scatterAdd(x, [0, 1, 2, 3], 1, 2.5))).toBe("scatterAdd.size: a non-negative integer");
    expect(msg(() => scatterAdd(x, [0, 1, 2], 1, 5))).toBe("scatterAdd.indices: 4 indices (x.shape[axis])");
    expect(msg(() => scatterAdd(x, [0, 1, 2, 5], 1, 5))).toBe("scatterAdd.indices: integers in [0, 4]");
    expect(msg(() => scatterAdd(x, [0, 1, 2, 3], 5, 5))).toMatch(/^scatterAdd\.axis: /);
    expect(msg(() => oneHot([3], 3))).toBe("oneHot.indices: integers in [0, 2]");
  });
});
