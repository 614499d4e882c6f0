import { random } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { kSmallest } from "./knn.js";

describe("kSmallest", () => {
  it("agrees with a full sort, ties included", () => {
    const u = random.uniform(random.key(3), [2000]).toFloat64Array();
    // coarse values force many ties
    const d = Float64Array.from(u, (v) => Math.round(v * 50));
    for (const k of [1, 7, 250, 1999, 2000]) {
      const want = Int32Array.from({ length: d.length }, (_, i) => i)
        .sort((a, b) => d[a] - d[b] || a - b)
        .subarray(0, k);
      expect(kSmallest(d, k)).toEqual(Int32Array.from(want));
    }
  });
});
