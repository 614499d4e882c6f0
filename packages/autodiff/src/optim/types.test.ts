// optim/types: the shared helpers every optimiser uses — learning rates and schedules, positive
// hyperparameters, pairing params with grads, rebuilding trees with each leaf's dtype.
import { describe, expect, it } from "vitest";
import { tensor } from "../index.js";
import { checkPositive, leafData, lrAt, pairLeaves, rebuild } from "./types.js";

describe("optimiser helpers", () => {
  it("lrAt reads a number or a schedule at the step and refuses negative or non-finite rates", () => {
    expect(lrAt(0.3, 7, "x.lr")).toBe(0.3);
    expect(lrAt((k) => k / 10, 7, "x.lr")).toBe(0.7);
    expect(lrAt(0, 0, "x.lr")).toBe(0);
    for (const v of [-1e-12, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => lrAt(() => v, 0, "x.lr")).toThrow(
        new RegExp(`^x\\.lr: expected a finite learning rate >= 0, got ${v}$`),
      );
  });

  it("checkPositive: > 0, or >= 0 with allowZero; never negative or non-finite", () => {
    expect(checkPositive(2, "f")).toBe(2);
    expect(checkPositive(0, "f", true)).toBe(0);
    expect(() => checkPositive(0, "f")).toThrow(/^f: expected a finite number > 0, got 0$/);
    for (const v of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => checkPositive(v, "f")).toThrow(/^f: expected a finite number > 0/);
      expect(() => checkPositive(v, "f", true)).toThrow(/^f: expected a finite number >= 0/);
    }
  });

  it("leafData copies every leaf's values as Float64", () => {
    const a = tensor([1.5, 2], [2], "float32");
    const d = leafData({ a, b: [tensor([3])] }, "params");
    expect(d.map((x) => Array.from(x))).toEqual([[1.5, 2], [3]]);
    expect(d[0]).toBeInstanceOf(Float64Array);
    d[1][0] = 9;
    expect(tensor([3]).item()).toBe(3);
    expect(() => leafData({ a: 1 } as unknown as object, "params")).toThrow(/^params\.a: /);
  });

  it("pairLeaves matches leaves by order and size, naming the first mismatch", () => {
    const p = { w: tensor([1, 2]), b: tensor([3]) };
    const [pl, gl] = pairLeaves(p, { w: tensor([[4, 5]]), b: tensor([6]) });
    expect(pl).toEqual([p.w, p.b]);
    expect(gl.map((g) => g.size)).toEqual([2, 1]);
    expect(() => pairLeaves(p, { w: tensor([1, 2]) })).toThrow(
      /^grads: expected a tree with 2 leaves like params, got 1$/,
    );
    expect(() => pairLeaves(p, { w: tensor([1, 2]), b: tensor([1, 2]) })).toThrow(
      /^grads: expected leaf 1 of size 1, got 2$/,
    );
    expect(() => pairLeaves({ w: 3 } as unknown as object, p)).toThrow(/^params\.w: /);
    expect(() => pairLeaves(p, { w: 3 } as unknown as object)).toThrow(/^grads\.w: /);
  });

  it("rebuild keeps the tree, each leaf's shape and dtype (float32 rounded)", () => {
    const p = { w: tensor([[1, 2]]), h: [tensor([3], [1], "float32")] };
    const out = rebuild(p, [p.w, p.h[0]], [Float64Array.from([0.1, 0.2]), Float64Array.from([0.1])]);
    expect(out.w.shape).toEqual([1, 2]);
    expect(out.w.dtype).toBe("float64");
    expect(out.w.toArray()).toEqual([[0.1, 0.2]]);
    expect(out.h[0].dtype).toBe("float32");
    expect(out.h[0].item()).toBe(Math.fround(0.1));
  });
});
