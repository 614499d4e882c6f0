// optim/clip: the global norm over a tree and clipping to it, at, above and below the bound.
import { describe, expect, it } from "vitest";
import { tensor } from "../index.js";
import { clipByGlobalNorm, globalNorm } from "./index.js";

describe("clipByGlobalNorm", () => {
  const g = { a: tensor([3, 0]), b: [tensor([[4]])] };

  it("√(Σ g²) over every leaf; clipping scales every leaf by maxNorm/‖g‖", () => {
    expect(globalNorm(g)).toBe(5);
    const c = clipByGlobalNorm(g, 2);
    expect(Array.from(c.a.toFloat64Array())).toEqual([3 * 0.4, 0]);
    expect(c.b[0].toArray()).toEqual([[4 * 0.4]]);
  });

  it("a gradient at or below the bound is returned as it is", () => {
    expect(clipByGlobalNorm(g, 5)).toBe(g);
    expect(clipByGlobalNorm(g, 5.5)).toBe(g);
  });

  it("refuses a bound that is not a finite number > 0 and non-tensor leaves, by name", () => {
    for (const v of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => clipByGlobalNorm(g, v)).toThrow(
        new RegExp(`^clipByGlobalNorm\\.maxNorm: expected a finite number > 0, got ${v}$`),
      );
    expect(() => globalNorm({ w: 3 } as unknown as object)).toThrow(/^grads\.w: expected a Tensor/);
  });
});
