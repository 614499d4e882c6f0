// transforms/tree: leaf order, paths, rebuilding and mapping of parameter trees, and what is not
// a tree.
import { describe, expect, it } from "vitest";
import { type Tensor, tensor, treeLeaves, treeMap, treePaths, treeUnflatten } from "../index.js";

const a = tensor([1]);
const b = tensor([2, 3]);
const c = tensor(4);
const tree = { w: [a, { b }], skip: undefined, c };

describe("trees", () => {
  it("leaves in array order then key order, skipping undefined fields; paths name them", () => {
    expect(treeLeaves(tree)).toEqual([a, b, c]);
    expect(treePaths(tree).map(([p, t]) => [p, t])).toEqual([
      ["w.0", a],
      ["w.1.b", b],
      ["c", c],
    ]);
    expect(treePaths(a)).toEqual([["", a]]);
    const bare = Object.assign(Object.create(null), { a });
    expect(treeLeaves(bare)).toEqual([a]);
  });

  it("unflatten and map rebuild the same structure", () => {
    const doubled = treeMap((t: Tensor) => t.mul(2), tree);
    expect(Object.keys(doubled)).toEqual(["w", "c"]);
    expect(Array.isArray(doubled.w)).toBe(true);
    expect((doubled.w[1] as { b: Tensor }).b.toArray()).toEqual([4, 6]);
    const summed = treeMap((s: Tensor, t: Tensor) => s.add(t), tree, doubled);
    expect(treeLeaves(summed).map((t) => t.toArray())).toEqual([[3], [6, 9], 12]);
    const back = treeUnflatten(tree, [c, a, b]);
    expect(treeLeaves(back)).toEqual([c, a, b]);
  });

  it("refuses non-tensor leaves and class instances by path, and trees of different sizes", () => {
    expect(() => treeLeaves({ w: [a, 3] }, "params")).toThrow(
      /^params\.w\[1\]: expected a Tensor, an array or a plain object of tensors, got number$/,
    );
    expect(() => treeLeaves(new Map([["a", a]]))).toThrow(/^tree: /);
    expect(() => treeLeaves({ n: null } as unknown as object)).toThrow(/^tree\.n: .* got object$/);
    expect(() => treeMap((s: Tensor) => s, [a, b], [a])).toThrow(
      /^tree: expected trees with 2 leaves \(same structure\), got 1$/,
    );
    expect(() => treeMap((s: Tensor) => s, [a], [a], [3])).toThrow(/^tree2\[0\]: /);
  });
});
