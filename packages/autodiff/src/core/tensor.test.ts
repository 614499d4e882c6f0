// Values of tensor creation, broadcasting kernels, reductions, movement ops and matmul against
// straightforward reference loops.
import { describe, expect, it } from "vitest";
import {
  AutodiffInputError,
  add,
  arange,
  concat,
  eye,
  full,
  gather,
  matmul,
  max,
  mul,
  random,
  reshape,
  scatterAdd,
  slice,
  stack,
  sub,
  sum,
  type Tensor,
  tensor,
  transpose,
  where,
  zeros,
} from "../index.js";

const rand = (shape: number[], seed: number) => random.normal(random.key(seed), shape);

/** Reference NumPy broadcasting by explicit index arithmetic. */
function refBinary(
  a: Tensor,
  b: Tensor,
  op: (x: number, y: number) => number,
): { shape: number[]; data: number[] } {
  const n = Math.max(a.ndim, b.ndim);
  const pa = [...new Array(n - a.ndim).fill(1), ...a.shape];
  const pb = [...new Array(n - b.ndim).fill(1), ...b.shape];
  const shape = pa.map((d, i) => Math.max(d, pb[i]));
  const size = shape.reduce((x, y) => x * y, 1);
  const ad = a.toFloat64Array();
  const bd = b.toFloat64Array();
  const data: number[] = [];
  for (let f = 0; f < size; f++) {
    let rem = f;
    const idx = new Array(n);
    for (let d = n - 1; d >= 0; d--) {
      idx[d] = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
    }
    const flat = (p: number[]) => p.reduce((acc, dim, d) => acc * dim + (dim === 1 ? 0 : idx[d]), 0);
    data.push(op(ad[flat(pa)], bd[flat(pb)]));
  }
  return { shape, data };
}

describe("creation", () => {
  it("builds from nested arrays, flat data and typed arrays", () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe("float64");
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(tensor([1, 2, 3, 4], [2, 2]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tensor(new Float32Array([1, 2]), [2], "float32").dtype).toBe("float32");
    expect(tensor(7).item()).toBe(7);
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(full([2], 3).toArray()).toEqual([3, 3]);
  });

  it("rejects ragged data and wrong shapes with a typed error", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(AutodiffInputError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(AutodiffInputError);
    expect(() => zeros([2, -1])).toThrow(AutodiffInputError);
    expect(() => tensor([1, 2]).item()).toThrow(AutodiffInputError);
  });

  it("float32 stays float32; mixing with float64 promotes", () => {
    const a = tensor([1.5, 2.5], [2], "float32");
    expect(add(a, 1).dtype).toBe("float32");
    expect(add(a, tensor([1, 1])).dtype).toBe("float64");
  });
});

describe("broadcasting elementwise kernels", () => {
  const cases: [number[], number[]][] = [
    [
      [3, 4],
      [3, 4],
    ],
    [[3, 4], [4]],
    [
      [3, 1],
      [1, 5],
    ],
    [
      [2, 1, 3],
      [4, 1],
    ],
    [[5], []],
    [
      [2, 3, 1, 2],
      [3, 4, 1],
    ],
  ];
  for (const [sa, sb] of cases) {
    it(`[${sa}] op [${sb}]`, () => {
      const a = rand(sa, 1);
      const b = rand(sb, 2);
      for (const [f, op] of [
        [add, (x: number, y: number) => x + y],
        [sub, (x: number, y: number) => x - y],
        [mul, (x: number, y: number) => x * y],
      ] as const) {
        const r = f(a, b);
        const ref = refBinary(a, b, op);
        expect(r.shape).toEqual(ref.shape);
        expect(Array.from(r.toFloat64Array())).toEqual(ref.data);
      }
    });
  }

  it("where selects per element with broadcasting", () => {
    const c = tensor([1, 0, 1]);
    const r = where(c, tensor([[1], [2]]), -1);
    expect(r.toArray()).toEqual([
      [1, -1, 1],
      [2, -1, 2],
    ]);
  });

  it("incompatible shapes throw a typed error", () => {
    expect(() => add(rand([3, 4], 1), rand([3], 2))).toThrow(AutodiffInputError);
  });
});

describe("reductions and movement", () => {
  it("sum/max over any axes match loops", () => {
    const x = rand([3, 4, 5], 3);
    const d = x.toFloat64Array();
    const at = (i: number, j: number, k: number) => d[(i * 4 + j) * 5 + k];
    const s02 = sum(x, [0, 2]).toFloat64Array();
    const m1 = max(x, 1, true);
    expect(m1.shape).toEqual([3, 1, 5]);
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let i = 0; i < 3; i++) for (let k = 0; k < 5; k++) s += at(i, j, k);
      expect(s02[j]).toBeCloseTo(s, 12);
    }
    const md = m1.toFloat64Array();
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 5; k++) {
        let m = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < 4; j++) m = Math.max(m, at(i, j, k));
        expect(md[i * 5 + k]).toBe(m);
      }
    }
    expect(sum(x).item()).toBeCloseTo(
      Array.from(d).reduce((a, b) => a + b, 0),
      12,
    );
    expect(sum(x, -1).shape).toEqual([3, 4]);
  });

  it("transpose, reshape, slice, concat, stack", () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(transpose(x).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(reshape(x, [3, -1]).shape).toEqual([3, 2]);
    expect(slice(x, [0, 1], [2, 3]).toArray()).toEqual([
      [2, 3],
      [5, 6],
    ]);
    expect(concat([x, x], 0).shape).toEqual([4, 3]);
    expect(concat([x, tensor([[7], [8]])], 1).toArray()).toEqual([
      [1, 2, 3, 7],
      [4, 5, 6, 8],
    ]);
    expect(stack([x, x], 1).shape).toEqual([2, 2, 3]);
    const t3 = transpose(rand([2, 3, 4], 5), [1, 2, 0]);
    expect(t3.shape).toEqual([3, 4, 2]);
    expect(() => reshape(x, [4, 2])).toThrow(AutodiffInputError);
    expect(() => slice(x, [0, 2], [2, 1])).toThrow(AutodiffInputError);
  });

  it("gather and scatterAdd are adjoint: <gather(x), y> = <x, scatterAdd(y)>", () => {
    const x = rand([4, 5, 3], 6);
    const idx = [4, 0, 0, 2, 1, 4, 4];
    const g = gather(x, idx, 1);
    expect(g.shape).toEqual([4, 7, 3]);
    expect(g.toArray()).toEqual((x.toArray() as number[][][]).map((row) => idx.map((i) => row[i])));
    const y = rand([4, 7, 3], 7);
    const lhs = sum(mul(g, y)).item();
    const rhs = sum(mul(x, scatterAdd(y, idx, 1, 5))).item();
    expect(lhs).toBeCloseTo(rhs, 12);
    expect(() => gather(x, [5], 1)).toThrow(AutodiffInputError);
  });
});

describe("matmul", () => {
  const naive = (a: number[][], b: number[][]) =>
    a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
  for (const [M, K, N] of [
    [1, 1, 1],
    [5, 3, 7],
    [8, 9, 4],
    [13, 64, 6],
    [4, 10, 1],
  ]) {
    it(`${M}×${K} · ${K}×${N}`, () => {
      const a = rand([M, K], M);
      const b = rand([K, N], N + 10);
      const r = matmul(a, b).toArray() as number[][];
      const ref = naive(a.toArray() as number[][], b.toArray() as number[][]);
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) expect(r[i][j]).toBeCloseTo(ref[i][j], 12);
    });
  }

  it("broadcasts batch dims and handles vectors", () => {
    const a = rand([2, 1, 3, 4], 1);
    const b = rand([5, 4, 2], 2);
    const r = matmul(a, b);
    expect(r.shape).toEqual([2, 5, 3, 2]);
    const a1 = (a.toArray() as number[][][][])[1][0];
    const b3 = (b.toArray() as number[][][])[3];
    const ref = naive(a1, b3);
    const got = (r.toArray() as number[][][][])[1][3];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) expect(got[i][j]).toBeCloseTo(ref[i][j], 12);
    expect(matmul(tensor([1, 2]), tensor([3, 4])).shape).toEqual([]);
    expect(matmul(tensor([1, 2]), tensor([3, 4])).item()).toBe(11);
    expect(() => matmul(rand([2, 3], 1), rand([4, 2], 2))).toThrow(AutodiffInputError);
  });
});
