// transforms/vmap: where the mapped axis goes (in, out, unmapped outputs), against the same
// computation written on the whole batch, and every input check by the field it names.
import { describe, expect, it } from "vitest";
import { AutodiffInputError, grad, sum, type Tensor, tensor, transpose, vmap, zeros } from "../index.js";

const X = tensor([
  [1, 2, 3],
  [4, 5, 6],
]);

describe("vmap axes", () => {
  it("inAxes per argument, null = shared; outAxes moves the mapped axis", () => {
    const c = tensor([10, 20]);
    // map the columns of X (axis 1), share c: column j → x_j + c
    const y = vmap((col: Tensor, s: Tensor) => col.add(s), [1, null])(X, c);
    expect(y.toArray()).toEqual([
      [11, 24],
      [12, 25],
      [13, 26],
    ]);
    expect(vmap((col: Tensor, s: Tensor) => col.add(s), [1, null], 1)(X, c).toArray()).toEqual([
      [11, 12, 13],
      [24, 25, 26],
    ]);
    expect(vmap((col: Tensor, s: Tensor) => col.add(s), [-1, null], -1)(X, c).toArray()).toEqual([
      [11, 12, 13],
      [24, 25, 26],
    ]);
  });

  it("an output that does not depend on the mapped input is repeated along outAxes", () => {
    const y = vmap((_r: Tensor) => tensor([7, 8, 9]), 0, 1)(X);
    expect(y.toArray()).toEqual([
      [7, 7],
      [8, 8],
      [9, 9],
    ]);
    const [a, b] = vmap((r: Tensor) => [sum(r), tensor([1, 2])], 0, [0, 1])(X) as Tensor[];
    expect(a.toArray()).toEqual([6, 15]);
    expect(b.toArray()).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it("an empty batch maps to an empty result", () => {
    expect(vmap((r: Tensor) => r.mul(2))(zeros([0, 3])).shape).toEqual([0, 3]);
  });

  it("mapped outputs at outAxes 0 keep the batch layout; a tree argument maps every leaf", () => {
    const y = vmap((p: { u: Tensor; v: Tensor[] }) => p.u.mul(p.v[0]), [0])({ u: X, v: [X] });
    expect(y.toArray()).toEqual([
      [1, 4, 9],
      [16, 25, 36],
    ]);
    expect(vmap((r: Tensor) => r.mul(2), 0, 1)(X).toArray()).toEqual(transpose(X.mul(2)).toArray());
  });
});

describe("vmap checks", () => {
  const id = (a: Tensor) => a;

  it("refuses inAxes of the wrong length, non-integers and nothing mapped", () => {
    expect(() => vmap((a: Tensor, _b: Tensor) => a, [0])(X, X)).toThrow(
      /^vmap\.inAxes: expected 2 entries \(one per argument\), got 1$/,
    );
    expect(() => vmap(id, 0.5)(X)).toThrow(/^vmap\.inAxes: expected integers or null, got 0.5$/);
    expect(() => vmap(id, null)(X)).toThrow(
      /^vmap\.inAxes: expected at least one mapped argument, got none$/,
    );
    expect(() => vmap(id, 2)(X)).toThrow(/vmap\.inAxes\[0\]/);
  });

  it("refuses mapped axes of different sizes, within a tree too", () => {
    expect(() => vmap((p: Tensor[]) => p[0])([X, tensor([1, 2, 3])])).toThrow(
      /^vmap args\[0\]: expected mapped axis of size 2, got \[3\]$/,
    );
    expect(() => vmap((a: Tensor, _b: Tensor) => a)(X, tensor([1, 2, 3]))).toThrow(
      /^vmap args\[1\]: expected mapped axis of size 2/,
    );
    expect(() => vmap((a: Tensor, _b: Tensor) => a)(zeros([0, 2]), zeros([3, 2]))).toThrow(
      /^vmap args\[1\]: expected mapped axis of size 0, got \[3,2\]$/,
    );
    expect(() => vmap((p: { w: Tensor }) => p.w)({ w: 3 } as unknown as { w: Tensor })).toThrow(
      /^vmap args\[0\]\.w: expected a Tensor/,
    );
  });

  it("refuses outAxes lists that do not match an array output, and bad out axes", () => {
    expect(() => vmap(id, 0, [0, 1])(X)).toThrow(
      /^vmap\.outAxes: expected one axis per entry of the array f returns/,
    );
    expect(() => vmap((a: Tensor) => [a], 0, [0, 1])(X)).toThrow(/^vmap\.outAxes/);
    expect(() => vmap(id, 0, 3)(X)).toThrow(AutodiffInputError);
    expect(() => vmap(id, 0, 3)(X)).toThrow(/^vmap\.outAxes: expected an integer axis in \[-2, 1\], got 3$/);
  });

  it("refuses an inner transform's box as an output", () => {
    let leaked: Tensor | null = null;
    const f = (r: Tensor) => {
      grad((w: Tensor) => {
        leaked = w;
        return sum(w.mul(r));
      })(r);
      return leaked as unknown as Tensor;
    };
    expect(() => vmap(f)(X)).toThrow(
      /^vmap output: expected a value that does not leak an inner transform, got a leaked box$/,
    );
  });
});
