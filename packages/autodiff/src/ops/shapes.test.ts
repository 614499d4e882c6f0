// The shape ops of ops/shape.ts against index arithmetic: reshape (−1 inferred, empty tensors),
// transpose/mT/moveAxis, broadcastTo, slice/pad (negative indices, empty ranges, adjointness),
// concat/stack/expandDims/squeeze/flatten, stopGradient under grad and vmap, forward derivatives
// with batched tangents, and each input error in full (field, allowed, received).
import { describe, expect, it } from "vitest";
import { inputError } from "../../test/input-error.js";
import { values } from "../../test/values.js";
import {
  broadcastTo,
  concat,
  expandDims,
  flatten,
  grad,
  jvpBatched,
  moveAxis,
  mT,
  mul,
  pad,
  reshape,
  slice,
  squeeze,
  stack,
  stopGradient,
  sum,
  type Tensor,
  tensor,
  transpose,
  vmap,
  zeros,
} from "../index.js";

const iota = (shape: number[]): Tensor =>
  tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i + 1),
    shape,
  );

describe("reshape", () => {
  it("infers one −1 dim, also for empty tensors, and returns its input for the same shape", () => {
    const x = iota([2, 3, 2]);
    expect([...reshape(x, [3, -1]).shape]).toEqual([3, 4]);
    expect(values(reshape(x, [-1]))).toEqual(values(x));
    expect([...reshape(zeros([0, 3]), [-1, 3]).shape]).toEqual([0, 3]);
    expect([...reshape(zeros([0, 3]), [3, -1, 0]).shape]).toEqual([3, 0, 0]);
    expect(reshape(x, [2, 3, 2])).toBe(x);
    expect([...flatten(x).shape]).toEqual([12]);
  });
  it("errors", () => {
    const x = iota([2, 3]);
    expect(inputError(() => reshape(x, [4, 2]))).toBe("reshape.shape | a shape of size 6 | [4,2]");
    expect(inputError(() => reshape(x, [4, -1]))).toMatch(/^reshape\.shape \| /);
  });
});

describe("transpose, mT, moveAxis", () => {
  const x = iota([2, 3, 4]);
  const X = values(x);
  const at = (i: number, j: number, k: number) => X[i * 12 + j * 4 + k];
  it("out[…] = x[perm…]; the default reverses the axes; the identity returns its input", () => {
    const t = transpose(x, [2, 0, 1]);
    expect([...t.shape]).toEqual([4, 2, 3]);
    const want: number[] = [];
    for (let k = 0; k < 4; k++)
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) want.push(at(i, j, k));
    expect(values(t)).toEqual(want);
    expect([...transpose(x).shape]).toEqual([4, 3, 2]);
    expect(transpose(x, [0, 1, 2])).toBe(x);
    const m = mT(x);
    expect([...m.shape]).toEqual([2, 4, 3]);
    expect(values(m)[1]).toBe(at(0, 1, 0));
    expect(values(moveAxis(x, 2, 0))).toEqual(want);
    expect(values(moveAxis(x, -1, 0))).toEqual(want);
  });
  it("a permutation's derivative is its inverse permutation, with batched tangents too", () => {
    const g = grad((v: Tensor) => sum(mul(transpose(v, [2, 0, 1]), iota([4, 2, 3]))))(x);
    expect(values(g)).toEqual(values(transpose(iota([4, 2, 3]), [1, 2, 0])));
    const T = iota([5, 2, 3, 4]);
    const [, t] = jvpBatched((v: Tensor) => transpose(v, [2, 0, 1]), [x], [T], 1);
    expect(values(t as Tensor)).toEqual(values(transpose(T, [0, 3, 1, 2])));
  });
  it("errors", () => {
    const y = iota([2, 3]);
    for (const p of [[0, 0], [0, 2], [1.5, 0], [-1, 0], [0]]) {
      expect(inputError(() => transpose(y, p))).toBe(
        `transpose.perm | a permutation of 0..1 | ${JSON.stringify(p)}`,
      );
    }
    expect(inputError(() => mT(iota([3])))).toBe("mT.x | a tensor with ndim >= 2 | [3]");
    expect(inputError(() => moveAxis(y, 2, 0))).toMatch(/^moveAxis\.from \| /);
    expect(inputError(() => moveAxis(y, 0, 2))).toMatch(/^moveAxis\.to \| /);
  });
});

describe("broadcastTo", () => {
  it("copies along the broadcast axes and returns its input for its own shape", () => {
    const x = tensor([1, 2], [2, 1]);
    expect(broadcastTo(x, [3, 2, 2]).toArray()).toEqual([
      [
        [1, 1],
        [2, 2],
      ],
      [
        [1, 1],
        [2, 2],
      ],
      [
        [1, 1],
        [2, 2],
      ],
    ]);
    expect(broadcastTo(x, [2, 1])).toBe(x);
  });
  it("errors", () => {
    const x = iota([2, 3]);
    expect(inputError(() => broadcastTo(x, [3]))).toBe(
      "broadcastTo.shape | a shape that [2,3] broadcasts to | [3]",
    );
    expect(inputError(() => broadcastTo(x, [2, 4]))).toMatch(/^broadcastTo \| /);
    expect(inputError(() => broadcastTo(x, [-1, 3]))).toMatch(/^broadcastTo\.shape \| /);
  });
});

describe("slice and pad", () => {
  const x = iota([3, 4]);
  it("half-open ranges, negative indices from the end, empty ranges; the full range returns its input", () => {
    expect(slice(x, [1, -3], [-1, 3]).toArray()).toEqual([[6, 7]]);
    expect([...slice(x, [0, 2], [3, 2]).shape]).toEqual([3, 0]);
    expect([...slice(x, [0, 0], [3, 0]).shape]).toEqual([3, 0]);
    expect(slice(x, [0, 0], [3, 4])).toBe(x);
  });
  it("pad places x inside zeros; slice is its adjoint: ⟨slice(y), x⟩ = ⟨y, pad(x)⟩", () => {
    const small = iota([2, 2]);
    const p = pad(small, [1, 2], [3, 4]);
    expect(p.toArray()).toEqual([
      [0, 0, 0, 0],
      [0, 0, 1, 2],
      [0, 0, 3, 4],
    ]);
    expect(values(sum(mul(slice(x, [1, 2], [3, 4]), small)))).toEqual(values(sum(mul(x, p))));
    expect(pad(small, [0, 0], [2, 2])).toBe(small);
  });
  it("forward derivatives with batched tangents slice and pad the axes after the batch", () => {
    const T = iota([2, 3, 4]);
    const [, t] = jvpBatched((v: Tensor) => slice(v, [1, 1], [3, 3]), [x], [T], 1);
    expect(values(t as Tensor)).toEqual(values(slice(T, [0, 1, 1], [2, 3, 3])));
    const U = iota([2, 2, 2]);
    const [, u] = jvpBatched((v: Tensor) => pad(v, [1, 0], [3, 4]), [iota([2, 2])], [U], 1);
    expect(values(u as Tensor)).toEqual(values(pad(U, [0, 1, 0], [2, 3, 4])));
  });
  it("errors", () => {
    expect(inputError(() => slice(x, [0], [1, 1]))).toBe("slice.starts/ends | 2 entries each | [1,2]");
    expect(inputError(() => slice(x, [0, 0], [1]))).toBe("slice.starts/ends | 2 entries each | [2,1]");
    expect(inputError(() => slice(x, [0, -5], [1, 2]))).toBe(
      "slice | 0 <= start <= end <= 4 on axis 1 | [-5,2]",
    );
    expect(inputError(() => slice(x, [0, 0], [4, 2]))).toBe(
      "slice | 0 <= start <= end <= 3 on axis 0 | [0,4]",
    );
    expect(inputError(() => slice(x, [0, 3], [1, 2]))).toBe(
      "slice | 0 <= start <= end <= 4 on axis 1 | [3,2]",
    );
    expect(inputError(() => slice(x, [0.5, 0], [1, 2]))).toBe(
      "slice | 0 <= start <= end <= 3 on axis 0 | [0.5,1]",
    );
    expect(inputError(() => slice(x, [0, 0], [1, 2.5]))).toBe(
      "slice | 0 <= start <= end <= 4 on axis 1 | [0,2.5]",
    );
    const small = iota([2, 2]);
    const padMsg = "pad | starts/shape with x inside the output on each of 2 axes";
    expect(inputError(() => pad(small, [0], [3, 3]))).toBe(`${padMsg} | [0]`);
    expect(inputError(() => pad(small, [0, 0], [3]))).toBe(`${padMsg} | [0,0]`);
    expect(inputError(() => pad(small, [-1, 0], [3, 3]))).toBe(`${padMsg} | [-1,0]`);
    expect(inputError(() => pad(small, [0, 2], [3, 3]))).toBe(`${padMsg} | [0,2]`);
    expect(inputError(() => pad(small, [0, 0], [-3, 3]))).toMatch(/^pad\.shape \| /);
  });
});

describe("concat, stack, expandDims, squeeze", () => {
  const a = iota([2, 2]);
  const b = tensor([9, 8, 7, 6, 5, 4], [2, 3]);
  it("concat joins along an axis (negative counts from the end); one tensor is returned as it is", () => {
    expect(concat([a, b], 1).toArray()).toEqual([
      [1, 2, 9, 8, 7],
      [3, 4, 6, 5, 4],
    ]);
    expect(values(concat([a, b], -1))).toEqual(values(concat([a, b], 1)));
    expect(concat([a])).toBe(a);
  });
  it("stack inserts the new axis where asked, negative axes counted in the result", () => {
    const u = tensor([1, 2, 3]);
    const v = tensor([4, 5, 6]);
    expect(stack([u, v]).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(stack([u, v], -1).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(values(stack([u, v], -2))).toEqual(values(stack([u, v], 0)));
    const m = stack([a, mul(a, 10)], -1);
    expect([...m.shape]).toEqual([2, 2, 2]);
    expect(values(m)).toEqual([1, 10, 2, 20, 3, 30, 4, 40]);
  });
  it("expandDims and squeeze", () => {
    const x = iota([3, 1, 2, 1]);
    expect([...expandDims(a, -1).shape]).toEqual([2, 2, 1]);
    expect([...expandDims(a, 1).shape]).toEqual([2, 1, 2]);
    expect([...squeeze(x).shape]).toEqual([3, 2]);
    expect([...squeeze(x, 1).shape]).toEqual([3, 2, 1]);
    expect([...squeeze(x, [-1]).shape]).toEqual([3, 1, 2]);
    expect([...squeeze(x, [0, 3]).shape]).toEqual([3, 1, 2]);
    expect(values(squeeze(x))).toEqual(values(x));
  });
  it("errors", () => {
    expect(inputError(() => concat([]))).toBe("concat.xs | at least one tensor | 0");
    expect(inputError(() => concat([a, b], 0))).toBe("concat.xs | equal shapes except on axis 0 | [2,3]");
    expect(inputError(() => concat([a, iota([2, 2, 1])], 1))).toBe(
      "concat.xs | equal shapes except on axis 1 | [2,2,1]",
    );
    expect(inputError(() => concat([iota([2, 2, 1]), a], 1))).toBe(
      "concat.xs | equal shapes except on axis 1 | [2,2]",
    );
    expect(inputError(() => concat([a, b], 2))).toMatch(/^concat\.axis \| /);
    expect(inputError(() => stack([]))).toBe("stack.xs | at least one tensor | 0");
    expect(inputError(() => expandDims(a, 3))).toMatch(/^expandDims\.axis \| /);
  });
});

describe("stopGradient", () => {
  const x = tensor([1, 2, 3]);
  it("is a constant to grad (d/dx Σ sg(x)·x = x) and keeps a vmap batch", () => {
    expect(values(grad((v: Tensor) => sum(mul(stopGradient(v), v)))(x))).toEqual([1, 2, 3]);
    expect(values(vmap((v: Tensor) => mul(stopGradient(v), v))(x))).toEqual([1, 4, 9]);
    const X = tensor([1, 2, 3, 4], [2, 2]);
    expect(values(vmap(grad((v: Tensor) => sum(mul(stopGradient(v), v))))(X))).toEqual([1, 2, 3, 4]);
    expect(stopGradient(x)).toBe(x);
  });
});
