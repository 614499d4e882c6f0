import { describe, expect, test } from "vitest";
import { chooseStart, termVariance } from "./explore.js";

// Deterministic pseudo-noise around a level (no Math.random: tests must be reproducible).
const noisy = (level: number, amp: number, n = 60) =>
  Array.from({ length: n }, (_, i) => level + amp * Math.sin(1.7 * i + level * 100));

describe("chooseStart", () => {
  test("a clearly lower loss wins whatever the fluctuations", () => {
    const losses = [noisy(0.9, 0.01), noisy(0.08, 0.005), noisy(0.018, 0.002)];
    const varS = [[100], [50], [1]];
    expect(chooseStart(losses, varS)).toBe(2);
  });

  test("among losses tied within noise, the start with the largest Var S_nn wins", () => {
    const losses = [noisy(0.0051, 0.002), noisy(0.0055, 0.002), noisy(0.005, 0.002)];
    const varS = [[20], [400], [0.5]];
    expect(chooseStart(losses, varS)).toBe(1);
  });

  test("a noisy start many times the best loss is not tied, however large its error bar", () => {
    // The case seen at L = 32: loss ≈ 0.42 with a huge error bar (long bursts, so τ_int is
    // large) against a best of ≈ 0.019. Without the ratio guard this start would win on Var S.
    const bursty = Array.from({ length: 60 }, (_, i) => (i % 30 < 15 ? 0.02 : 0.82));
    const losses = [bursty, noisy(0.019, 0.001)];
    const varS = [[1000], [10]];
    expect(chooseStart(losses, varS, 2, Number.POSITIVE_INFINITY)).toBe(0);
    expect(chooseStart(losses, varS)).toBe(1);
  });

  test("a frozen start with a small or negative but wildly noisy loss is not the reference", () => {
    // The case seen at L = 8, β = 0.3 with a start at t0 = 1.0: its chains barely move, so its
    // unbiased loss estimates swing between large positive and negative values and average to
    // about −0.07 ± 0.02, against 0.013 ± 0.001 for a start near the answer. Lowest mean picked
    // the frozen start (t then never moved: error +62%).
    const frozen = Array.from({ length: 60 }, (_, i) => (i % 6 === 0 ? 0.35 : -0.15) + 0.01 * Math.sin(i));
    const good = noisy(0.013, 0.004);
    const varS = [[0.2], [40]];
    expect(chooseStart([frozen, good], varS)).toBe(1);
    // and with equal variances the reliable start still wins: the choice is not only by Var S
    expect(chooseStart([frozen, good], [[1], [1]])).toBe(1);
  });

  test("missing variances fall back to the lowest loss", () => {
    const losses = [noisy(0.3, 0.001), noisy(0.1, 0.001)];
    expect(chooseStart(losses, [[], []])).toBe(1);
  });
});

test("termVariance is the population variance of one term column", () => {
  const terms = Float64Array.from([2, 0, 0, 0, 4, 0, 0, 0, 6, 0, 0, 0]);
  expect(termVariance(terms, 3)).toBeCloseTo(8 / 3, 12);
});
