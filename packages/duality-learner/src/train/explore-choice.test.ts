// The choice of the exploration start, on loss series whose tail estimates are known exactly:
// tails shorter than 4 (mean, error 0), and tails ±a around a level, whose error scales with a
// (a tail 1, −1, 1, −1 has error 1/2, checked below). Each rule of the choice is probed at its
// boundary: equal upper bounds, a gap of exactly 0, a mean of exactly `ratio` times the best.
import { describe, expect, test } from "vitest";
import { explainChoice, startChoice, storedChoice, tailEstimate, termVariance } from "./explore.js";

/** A loss series whose tail (second half) is level ± a, with tail mean `level` and error a/2. */
const wobble = (level: number, a: number) => [99, 99, 99, 99, level + a, level - a, level + a, level - a];
/** A loss series whose tail is the single value `level` (error 0). */
const flat = (level: number) => [99, level];

describe("tailEstimate", () => {
  test("the second half of the series: its mean, and error 0 below 4 values", () => {
    expect(tailEstimate([1, 2, 3, 4, 5, 6])).toEqual({ mean: 5, error: 0 });
    expect(tailEstimate([3, 7])).toEqual({ mean: 7, error: 0 });
    expect(tailEstimate([2, 4, 6])).toEqual({ mean: 5, error: 0 });
    expect(tailEstimate([])).toEqual({ mean: 0, error: 0 });
  });

  test("4 tail values get an error bar; one that cannot be estimated counts as 0", () => {
    expect(tailEstimate(wobble(0, 1))).toEqual({ mean: 0, error: 0.5 });
    expect(tailEstimate(wobble(3, 2))).toEqual({ mean: 3, error: 1 });
    // a constant tail has no spread, so no autocorrelation time: its error is 0, not NaN
    expect(tailEstimate([5, 5, 5, 5, 2, 2, 2, 2])).toEqual({ mean: 2, error: 0 });
  });
});

describe("startChoice", () => {
  test("reference, tie set, chosen start, mean variances and the retry order", () => {
    // upper bounds max(mean, 0) + 2·error: 3, 1 + 1 = 2, 1.2, 0 + 2 = 2.5, 9
    const losses = [flat(3), wobble(1, 1), flat(1.2), wobble(-0.5, 2), flat(9)];
    const varS = [[1], [6, 2], [1, 2], [10], []];
    const c = startChoice(losses, varS);
    expect(c.best).toBe(2);
    // start 0: gap 1.8 > 0; start 1: gap −0.2 and 1 ≤ 1.5·1.2; start 3: gap −1.7, −0.5 ≤ 1.8;
    // start 4: gap 7.8
    expect(c.tied).toEqual([1, 2, 3]);
    expect(c.varS).toEqual([1, 4, 1.5, 10, 0]);
    expect(c.chosen).toBe(3);
    expect(c.order).toEqual([3, 2, 1, 0, 4]);
  });

  test("equal upper bounds: the first start is the reference", () => {
    const c = startChoice([flat(4), flat(2), flat(2)], [[], [], []]);
    expect(c.best).toBe(1);
    expect(c.chosen).toBe(1);
    expect(c.order).toEqual([1, 2, 0]);
  });

  test("a gap of exactly 0 with no errors is a tie, and a larger Var S_nn then wins", () => {
    const c = startChoice([flat(1), flat(1), flat(1 + 1e-9)], [[1], [3], [50]]);
    expect(c.tied).toEqual([0, 1]);
    expect(c.chosen).toBe(1);
  });

  test("a tie with equal Var S_nn keeps the reference", () => {
    expect(startChoice([flat(1), flat(1)], [[2], [2]]).chosen).toBe(0);
    expect(startChoice([flat(1), flat(0.5)], [[2], [2]]).chosen).toBe(1);
  });

  test("the gap must be within z combined errors", () => {
    // reference 1 ± 0; the other 2 ± 1/2: tied when 1 ≤ z·½, i.e. z ≥ 2
    const losses = [flat(1), wobble(2, 1)];
    const varS = [[1], [5]];
    expect(startChoice(losses, varS, 2, 10).tied).toEqual([0, 1]);
    expect(startChoice(losses, varS, 1.9, 10).tied).toEqual([0]);
    expect(startChoice(losses, varS, 2, 10).chosen).toBe(1);
  });

  test("a tie also needs the mean within `ratio` times the reference's mean, or its error", () => {
    // reference 1 ± 0; the other 1.5 ± 1 (well within 2 errors): tied up to ratio 1.5 exactly
    const losses = [flat(1), wobble(1.5, 2)];
    expect(startChoice(losses, [[1], [5]]).tied).toEqual([0, 1]);
    expect(startChoice(losses, [[1], [5]], 2, 1.49).tied).toEqual([0]);
    // a reference 0.1 ± 1/2: the scale is its error, ½, so 0.7 ± ½ is tied at ratio 1.5, 0.8 is not
    const ref = wobble(0.1, 1);
    expect(startChoice([ref, wobble(0.7, 1)], [[1], [5]]).tied).toEqual([0, 1]);
    expect(startChoice([ref, wobble(0.8, 1)], [[1], [5]]).tied).toEqual([0]);
  });
});

describe("explainChoice", () => {
  const starts = [0.2, 0.5, 1];
  test("the reference alone", () => {
    const c = startChoice([flat(3), flat(0.5), flat(2)], [[], [], []]);
    expect(explainChoice(c, starts)).toBe("keeping start 0.5: lowest loss with sampling noise included");
  });

  test("the reference with ties whose Var S_nn is smaller", () => {
    const c = startChoice([flat(1), flat(1), flat(1)], [[3], [1], [2]]);
    expect(c.chosen).toBe(0);
    expect(explainChoice(c, starts)).toBe(
      "keeping start 0.2: lowest loss with sampling noise included (tied within noise with 0.5, 1, whose Var S_nn is smaller)",
    );
  });

  test("a tied start chosen for its energy fluctuation", () => {
    const c = startChoice([flat(1), flat(1), flat(5)], [[2.25], [30.04], [99]]);
    expect(explainChoice(c, starts)).toBe(
      "keeping start 0.5: tied within noise with the lowest loss (start 0.2), and its energy fluctuates most " +
        "(Var S_nn 30.0 against 2.3), so its coupling gradient is best measured",
    );
  });
});

test("termVariance: the population variance of column k of a [sample][4] array", () => {
  // column 2 holds 1, 3, 8 (mean 4, variance (9 + 1 + 16)/3); the other columns are noise
  const terms = Float64Array.from([5, -1, 1, 7, 2, 0, 3, 9, 4, 6, 8, -3]);
  expect(termVariance(terms, 3, 2)).toBeCloseTo(26 / 3, 12);
  // only the first `samples` rows count
  expect(termVariance(terms, 2, 2)).toBeCloseTo(1, 12);
  // a constant column whose rounded moments give s2/n − m² < 0 is clamped to 0
  expect(termVariance(Float64Array.from([0, 0.1, 0, 0, 0, 0.1, 0, 0, 0, 0.1, 0, 0]), 3, 1)).toBe(0);
});

describe("storedChoice", () => {
  test("keeps a checkpoint's start first, the others in the ranking's order, and says why", () => {
    // upper bounds 1, 2, 3: the ranking keeps start 0, then 1, then 2
    const ranked = startChoice([flat(1), flat(2), flat(3)], [[], [], []]);
    expect(ranked.order).toEqual([0, 1, 2]);
    expect(storedChoice(ranked, 0)).toBe(ranked);
    const kept = storedChoice(ranked, 2);
    expect(kept).toMatchObject({ chosen: 2, best: 0, order: [2, 0, 1], stored: true });
    expect(explainChoice(kept, [0.1, 0.2, 0.3])).toBe(
      "keeping start 0.3: the choice stored in the checkpoint (an earlier version ranked the starts by their unbiased losses alone)",
    );
  });
});
