import { describe, expect, test } from "vitest";
import { GpuInputError } from "./errors.js";
import { foldDispatch } from "./kernels/common.js";
import { broadcastShapes, broadcastStrides, normaliseAxes, rowMajorStrides, shapeSize } from "./shape.js";

describe("shape helpers", () => {
  test("row-major strides and sizes", () => {
    expect(rowMajorStrides([2, 3, 4])).toEqual([12, 4, 1]);
    expect(shapeSize([])).toBe(1);
    expect(shapeSize([3, 0, 2])).toBe(0);
  });

  test("NumPy broadcasting of shapes and strides", () => {
    expect(broadcastShapes("f", [3, 1, 5], [4, 1])).toEqual([3, 4, 5]);
    expect(broadcastShapes("f", [], [2, 2])).toEqual([2, 2]);
    expect(broadcastStrides([3, 1, 5], [3, 4, 5])).toEqual([5, 0, 1]);
    expect(broadcastStrides([4, 1], [3, 4, 5])).toEqual([0, 1, 0]);
    expect(() => broadcastShapes("add.b.shape", [3, 2], [3])).toThrow(GpuInputError);
  });

  test("axes are normalised, and out-of-range axes name the field", () => {
    expect(normaliseAxes("sum.axes", [-1, 0, 0], 3)).toEqual([0, 2]);
    expect(normaliseAxes("sum.axes", undefined, 2)).toEqual([0, 1]);
    expect(() => normaliseAxes("sum.axes", 3, 3)).toThrow(/sum.axes: expected integer axes in -3..2, got 3/);
  });

  test("dispatch folding never exceeds the per-dimension limit and covers every group", () => {
    for (const groups of [1, 65535, 65536, 1_000_003, 65535 * 65535]) {
      const { x, y } = foldDispatch(groups, 65535);
      expect(x).toBeLessThanOrEqual(65535);
      expect(y).toBeLessThanOrEqual(65535);
      expect(x * y).toBeGreaterThanOrEqual(groups);
      expect(x * (y - 1)).toBeLessThan(groups); // no whole spare row
    }
  });
});
