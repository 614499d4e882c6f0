import { tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { accuracyError } from "./accuracy-error.js";
import { CICY_COLS, CICY_ROWS, type Cicy } from "./data.js";
import { H11_CLASSES, H21_CLASSES, type HodgeNetwork, testAccuracy } from "./model.js";

const D = CICY_ROWS * CICY_COLS;

/**
 * n test CICYs, one input each (row s has s + 1 in its first entry), and a stand-in network whose
 * heads put their largest logit on the true h11 and, for the first `h21Right` inputs, on the
 * true h21 (on h21 + 1 for the rest).
 */
function heldOut(n: number, h21Right: number) {
  const cicys: Cicy[] = Array.from({ length: n }, (_, i) => ({
    id: i,
    rows: 1,
    cols: 1,
    matrix: Int32Array.of(5),
    h11: 1 + i,
    h21: 20 + i,
    c2: [],
  }));
  const x = new Float64Array(n * D);
  for (let s = 0; s < n; s++) x[s * D] = s + 1;
  const oneHot = (rows: number[], classes: number) => {
    const out = new Float64Array(rows.length * classes);
    rows.forEach((c, s) => {
      out[s * classes + c] = 1;
    });
    return tensor(out, [rows.length, classes]);
  };
  const net = {
    heads(_p: unknown, batch: ReturnType<typeof tensor>) {
      const xs = batch.toFloat64Array();
      const items = Array.from({ length: xs.length / D }, (_, s) => xs[s * D] - 1);
      return [
        oneHot(
          items.map((i) => cicys[i].h11),
          H11_CLASSES,
        ),
        oneHot(
          items.map((i) => cicys[i].h21 + (i < h21Right ? 0 : 1)),
          H21_CLASSES,
        ),
      ];
    },
  } as unknown as HodgeNetwork;
  return testAccuracy(net, {} as never, cicys, { x, index: Int32Array.from(cicys, (_, i) => i) });
}

describe("accuracyError", () => {
  it("is the binomial √(p(1−p)/n) inside (0, 1)", () => {
    expect(accuracyError(0.75, 4)).toBeCloseTo(Math.sqrt(0.75 * 0.25 * 0.25), 15);
    expect(accuracyError(0.5, 1)).toBe(0.5);
    expect(accuracyError(0.99, 100)).toBeCloseTo(0.00995, 5);
  });

  it("at p = 0 or 1 is the distance to the 1σ Wilson bound, where p lies one standard error off", () => {
    for (const n of [1, 2, 4, 10, 100, 10_000]) {
      const e = accuracyError(1, n);
      expect(accuracyError(0, n)).toBe(e);
      // the true accuracy q = 1 − e has its standard error √(q(1−q)/n) equal to e
      const q = 1 - e;
      expect(Math.sqrt((q * (1 - q)) / n), String(n)).toBeCloseTo(e, 14);
      expect(e).toBeGreaterThan(0);
    }
    expect(accuracyError(1, 1)).toBe(0.5);
    expect(accuracyError(1, 4)).toBe(0.2);
  });

  it("refuses n < 1 and p outside [0, 1]", () => {
    expect(() => accuracyError(1, 0)).toThrow(PhysmlInputError);
    expect(() => accuracyError(1.5, 4)).toThrow(/^p: expected an accuracy in \[0, 1\]/);
  });
});

describe("testAccuracy on a handful of CICYs", () => {
  it("all correct on 1 and on 4 CICYs: accuracy 1 with error 1/(n + 1), not 0", () => {
    const one = heldOut(1, 1);
    expect(one.h11).toEqual({ accuracy: 1, error: 0.5, n: 1 });
    expect(one.h21).toEqual({ accuracy: 1, error: 0.5, n: 1 });
    const four = heldOut(4, 4);
    expect(four.h11).toEqual({ accuracy: 1, error: 0.2, n: 4 });
    expect(four.h21).toEqual({ accuracy: 1, error: 0.2, n: 4 });
  });

  it("all wrong gives the same bar at 0; a mixed head keeps the binomial error", () => {
    expect(heldOut(4, 0).h21).toEqual({ accuracy: 0, error: 0.2, n: 4 });
    const half = heldOut(4, 2).h21;
    expect(half.accuracy).toBe(0.5);
    expect(half.error).toBeCloseTo(0.25, 15);
  });
});
