import { tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { CICY_LIST_MISSING, cicyListForTests } from "../../test/cicy-list.js";
import { cicyNeighbourShares, largestHodgeClass } from "./analysis.js";
import { augment, CICY_COLS, CICY_ROWS, type Cicy } from "./data.js";
import type { HodgeNetwork, TrainedCicy } from "./model.js";

const { cicys } = await cicyListForTests();
const D = CICY_ROWS * CICY_COLS;
const hodge = (h11: number, h21: number, id: number): Cicy => ({
  id,
  rows: 1,
  cols: 1,
  matrix: Int32Array.of(5),
  h11,
  h21,
  c2: [],
});

/**
 * A stand-in network whose embedding is known: every (h11, h21) class a point 1 apart from the
 * others, every CICY 10⁻³ off its class's point, every arrangement of a CICY on the CICY's point.
 * Inputs are recognised by their entries, so it embeds any subset of `data` alike.
 */
function knownEmbedding(sub: readonly Cicy[], data: { x: Float64Array; index: Int32Array }) {
  const classes = [...new Set(sub.map((c) => `${c.h11},${c.h21}`))];
  const e = classes.length + sub.length;
  const ofInput = new Map<string, number>();
  for (let s = 0; s < data.index.length; s++) {
    const key = data.x.subarray(s * D, (s + 1) * D).join(",");
    // the test needs every input to name one CICY
    expect(ofInput.get(key) ?? data.index[s]).toBe(data.index[s]);
    ofInput.set(key, data.index[s]);
  }
  const net = {
    embed(_p: unknown, x: ReturnType<typeof tensor>) {
      const xs = x.toFloat64Array();
      const n = xs.length / D;
      const out = new Float64Array(n * e);
      for (let s = 0; s < n; s++) {
        const i = ofInput.get(xs.subarray(s * D, (s + 1) * D).join(",")) ?? -1;
        out[s * e + classes.indexOf(`${sub[i].h11},${sub[i].h21}`)] = Math.SQRT1_2;
        out[s * e + classes.length + i] = 1e-3 * Math.SQRT1_2;
      }
      return tensor(out, [n, e]);
    },
  } as unknown as HodgeNetwork;
  return { net, state: { params: {} } } as unknown as Pick<TrainedCicy, "net" | "state">;
}

describe("largestHodgeClass", () => {
  it("is the most populated (h11, h21), ties to the smaller h11 then h21", () => {
    const list = [hodge(3, 40, 1), hodge(2, 50, 2), hodge(3, 40, 3), hodge(2, 50, 4), hodge(2, 60, 5)];
    expect(largestHodgeClass(list)).toEqual({ h11: 2, h21: 50, cicys: 2 });
    expect(largestHodgeClass([...list, hodge(3, 40, 6)])).toEqual({ h11: 3, h21: 40, cicys: 3 });
  });
});

describe.skipIf(CICY_LIST_MISSING)("cicyNeighbourShares on a known embedding", () => {
  it("scores (a−1)/(m·a−1) over all CICYs (m CICYs in the class, a inputs each) and 1 within each class", () => {
    // CICYs with (h11, h21) = (10, 20) and of the largest class among a spread of others
    const spread = cicys.filter((_, i) => i % 400 === 0);
    const big = largestHodgeClass(cicys);
    const pick = (h11: number, h21: number) =>
      cicys.filter((c) => c.h11 === h11 && c.h21 === h21).slice(0, 3);
    const sub = [...new Set([...spread, ...pick(10, 20), ...pick(big.h11, big.h21)])];
    const a = 3;
    const data = augment(sub, a, 17, true);
    const t = knownEmbedding(sub, data);
    const { all, classes } = cicyNeighbourShares(t, sub, data, { anchorsPerCicy: 2 });
    const size = (c: Cicy) => sub.filter((o) => o.h11 === c.h11 && o.h21 === c.h21).length;
    expect(all.report.perLabel.length).toBe(sub.length);
    for (const { label, accuracy, anchors } of all.report.perLabel) {
      expect(anchors).toBe(2);
      expect(accuracy).toBeCloseTo((a - 1) / (size(sub[label]) * a - 1), 12);
    }
    const alone = sub.filter((c) => size(c) === 1).length;
    expect(all.report.shareAbove).toBeCloseTo(alone / sub.length, 12);
    // every neighbour below the cut from another CICY is a class-mate, so it shares (h11, h21)
    const confused = sub.reduce((s, c) => s + 2 * (size(c) - 1) * a, 0);
    expect(all.confusedPairs).toBe(confused);
    expect(all.confusedSameHodge).toBe(1);
    const largest = largestHodgeClass(sub);
    expect(classes.map((c) => [c.h11, c.h21])).toEqual(
      largest.h11 === 10 && largest.h21 === 20
        ? [[10, 20]]
        : [
            [largest.h11, largest.h21],
            [10, 20],
          ],
    );
    for (const c of classes) {
      expect(c.cicys).toBe(size(c as unknown as Cicy));
      expect(c.neighbours.inputs).toBe(c.cicys * a);
      expect(c.neighbours.report.shareAbove).toBe(1);
      expect(c.neighbours.confusedPairs).toBe(0);
    }
  });
});
