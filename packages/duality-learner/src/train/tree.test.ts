// JSON encoding of parameter trees: a round trip through JSON text returns the same values and
// types, and addTrees adds exactly the tensors.
import { add, tensor } from "@physml/autodiff";
import { expect, test } from "vitest";
import { addTrees, decodeTree, encodeTree } from "./tree.js";

test("tensors, typed arrays, nested objects and scalars survive encode → JSON → decode", () => {
  // A view into a larger buffer: only its own bytes may be stored.
  const big = Float64Array.from([9, 0.1, -2.5e-300, 7]);
  const i8big = Int8Array.from([5, -1, 1, -1, 6]);
  const tree = {
    w: tensor([1.5, -2, 0.25, 4], [2, 2]),
    layers: [{ b: tensor([3]) }, null],
    f: big.subarray(1, 3),
    s: i8big.subarray(1, 4),
    n: 3,
    name: "x",
    flag: false,
  };
  const enc = encodeTree(tree) as Record<string, unknown>;
  expect(enc.w).toEqual({ $tensor: [1.5, -2, 0.25, 4], shape: [2, 2] });
  const back = decodeTree(JSON.parse(JSON.stringify(enc))) as typeof tree;
  expect(back.w.shape).toEqual([2, 2]);
  expect(Array.from(back.w.toFloat64Array())).toEqual([1.5, -2, 0.25, 4]);
  expect(back.layers[0]?.b.shape).toEqual([1]);
  expect(back.layers[1]).toBeNull();
  expect(back.f).toBeInstanceOf(Float64Array);
  expect(Array.from(back.f)).toEqual([0.1, -2.5e-300]);
  expect(back.s).toBeInstanceOf(Int8Array);
  expect(Array.from(back.s)).toEqual([-1, 1, -1]);
  expect([back.n, back.name, back.flag]).toEqual([3, "x", false]);
});

test("plain objects without markers stay objects; numbers are not mistaken for tensors", () => {
  const enc = encodeTree({ a: { shape: [2], v: 1 }, t: [1, 2] });
  expect(enc).toEqual({ a: { shape: [2], v: 1 }, t: [1, 2] });
  expect(decodeTree({ a: { shape: [2], v: 1 }, $f64: 3 })).toEqual({ a: { shape: [2], v: 1 }, $f64: 3 });
});

test("addTrees adds matching tensors and keeps everything else from the first tree", () => {
  const a = { w: tensor([1, 2]), rest: [tensor([0.5]), 7], tag: "a", none: null };
  const b = { w: tensor([10, 20]), rest: [tensor([0.25]), 9], tag: "b", none: null };
  const s = addTrees(a, b, add);
  expect(Array.from(s.w.toFloat64Array())).toEqual([11, 22]);
  expect(Array.from((s.rest[0] as ReturnType<typeof tensor>).toFloat64Array())).toEqual([0.75]);
  expect(Array.isArray(s.rest)).toBe(true);
  expect(s.rest[1]).toBe(7);
  expect(s.none).toBeNull();
  expect(s.tag).toBe("a");
});
