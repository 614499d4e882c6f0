// couplingGradient, the solver and batchMeans on small hand-sized data, against the textbook
// formulas written out directly (means, n−1 sample covariances, the split-half product) and
// against exact identities of weighted statistics (a zero weight drops a row; a common factor
// changes nothing).
import { describe, expect, test } from "vitest";
import { batchMeans, couplingGradient, type GradientOutput, precondition, solveDamped } from "./gradient.js";

// Six samples, two features, the four term sums; learned terms 2 then 0 (not the identity map).
const S = 6;
const psiRows = [
  [1.0, -0.5],
  [0.4, 0.3],
  [-0.2, 1.1],
  [0.9, 0.0],
  [0.1, -0.7],
  [1.3, 0.6],
];
const termRows = [
  [4, 1, -2, 3],
  [0, 2, 1, -1],
  [2, -1, 3, 0],
  [-2, 0, -1, 2],
  [1, 3, 2, -3],
  [3, 1, 0, 1],
];
const termIndices = [2, 0];
const target = [0.5, 0.1];
const psi = Float64Array.from(psiRows.flat());
const terms = Float64Array.from(termRows.flat());
const input = { psi, terms, samples: S, half: 3, target, termIndices };

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Unbiased sample covariance of two columns. */
function cov(x: number[], y: number[]): number {
  const mx = mean(x);
  const my = mean(y);
  return x.reduce((acc, v, i) => acc + (v - mx) * (y[i] - my), 0) / (x.length - 1);
}
const psiCol = (a: number, lo = 0, hi = S) => psiRows.slice(lo, hi).map((r) => r[a]);
const termCol = (k: number, lo = 0, hi = S) => termRows.slice(lo, hi).map((r) => r[termIndices[k]]);

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 12);
}

function expectSameOutput(x: GradientOutput, y: GradientOutput): void {
  for (const key of ["grad", "gradPooled", "residualA", "residualB", "mean", "jacobian", "fisher"] as const)
    expectClose(x[key], y[key]);
  expect(x.loss).toBeCloseTo(y.loss, 12);
  expect(x.lossUnbiased).toBeCloseTo(y.lossUnbiased, 12);
}

describe("couplingGradient on six samples", () => {
  test("centred: every output is its textbook formula", () => {
    const g = couplingGradient(input);
    const rA = [0, 1].map((a) => mean(psiCol(a, 0, 3)) - target[a]);
    const rB = [0, 1].map((a) => mean(psiCol(a, 3, 6)) - target[a]);
    const m = [0, 1].map((a) => mean(psiCol(a)));
    expectClose(g.residualA, rA);
    expectClose(g.residualB, rB);
    expectClose(g.mean, m);
    expect(g.lossUnbiased).toBeCloseTo(rA[0] * rB[0] + rA[1] * rB[1], 12);
    expect(g.loss).toBeCloseTo((m[0] - target[0]) ** 2 + (m[1] - target[1]) ** 2, 12);
    const jac = [0, 1].flatMap((a) => [0, 1].map((k) => cov(psiCol(a), termCol(k))));
    expectClose(g.jacobian, jac);
    expectClose(
      g.fisher,
      [0, 1].flatMap((k) => [0, 1].map((l) => cov(termCol(k), termCol(l)))),
    );
    const half = (a: number, k: number, lo: number) => cov(psiCol(a, lo, lo + 3), termCol(k, lo, lo + 3));
    expectClose(
      g.grad,
      [0, 1].map(
        (k) => rA[0] * half(0, k, 3) + rA[1] * half(1, k, 3) + rB[0] * half(0, k, 0) + rB[1] * half(1, k, 0),
      ),
    );
    expectClose(
      g.gradPooled,
      [0, 1].map((k) => 2 * ((m[0] - target[0]) * jac[k] + (m[1] - target[1]) * jac[2 + k])),
    );
  });

  test("uncentred (published form): mean_b ψ_b·(S_b − S̄) with S̄ over both halves", () => {
    const g = couplingGradient({ ...input, controlVariates: false });
    const sBar = [0, 1].map((k) => mean(termCol(k)));
    const half = (a: number, k: number, lo: number) =>
      mean(psiCol(a, lo, lo + 3).map((p, i) => p * (termCol(k, lo, lo + 3)[i] - sBar[k])));
    const rA = [0, 1].map((a) => mean(psiCol(a, 0, 3)) - target[a]);
    const rB = [0, 1].map((a) => mean(psiCol(a, 3, 6)) - target[a]);
    expectClose(
      g.grad,
      [0, 1].map(
        (k) => rA[0] * half(0, k, 3) + rA[1] * half(1, k, 3) + rB[0] * half(0, k, 0) + rB[1] * half(1, k, 0),
      ),
    );
    // The pooled statistics do not depend on the choice.
    const c = couplingGradient(input);
    expectClose(g.jacobian, c.jacobian);
    expectClose(g.fisher, c.fisher);
    expectClose(g.gradPooled, c.gradPooled);
  });

  test.each([true, false])(
    "weights: a common factor changes nothing; a zero weight drops its row (centred %s)",
    (cv) => {
      const plain = couplingGradient({ ...input, controlVariates: cv });
      expectSameOutput(
        couplingGradient({ ...input, controlVariates: cv, weights: new Float64Array(S).fill(3.7) }),
        plain,
      );
      // Eight rows, half A = rows 0..3 with row 1 weighted 0, half B = rows 4..7 with row 6 weighted
      // 0: the same as the six rows without them. The other weights are unequal.
      const w8 = [2, 0, 0.5, 1.5, 1, 0.7, 0, 2.2];
      const extraPsi = [9, -9];
      const extraTerms = [50, -40, 30, -20];
      const rows8 = (rows: number[][], extra: number[]) => [
        rows[0],
        extra,
        rows[1],
        rows[2],
        rows[3],
        rows[4],
        extra,
        rows[5],
      ];
      const weighted = couplingGradient({
        psi: Float64Array.from(rows8(psiRows, extraPsi).flat()),
        terms: Float64Array.from(rows8(termRows, extraTerms).flat()),
        samples: 8,
        half: 4,
        target,
        termIndices,
        weights: Float64Array.from(w8),
        controlVariates: cv,
      });
      const dropped = couplingGradient({
        ...input,
        controlVariates: cv,
        weights: Float64Array.from(w8.filter((v) => v > 0)),
      });
      expectSameOutput(weighted, dropped);
      // And the weights matter: unequal weights move the means.
      expect(Math.abs(dropped.mean[0] - plain.mean[0])).toBeGreaterThan(0.01);
    },
  );

  test("validation names the field and the allowed range; the smallest halves are accepted", () => {
    const four = {
      psi: new Float64Array(4),
      terms: Float64Array.from({ length: 16 }, (_, i) => i % 5),
      samples: 4,
      half: 2,
      target: [0],
      termIndices: [0],
    };
    expect(couplingGradient(four).grad.length).toBe(1);
    expect(() => couplingGradient({ ...four, half: 1 })).toThrow(
      "half: expected an integer with ≥ 2 samples on each side (samples = 4), got 1",
    );
    expect(() => couplingGradient({ ...four, half: 3 })).toThrow(/^half: .* got 3$/);
    expect(() => couplingGradient({ ...four, half: 2.5 })).toThrow(/^half: .* got 2.5$/);
    expect(() => couplingGradient({ ...four, psi: new Float64Array(5) })).toThrow(
      "psi.length: expected samples·A = 4, got 5",
    );
    expect(() => couplingGradient({ ...four, terms: new Float64Array(12) })).toThrow(
      "terms.length: expected samples·4 = 16, got 12",
    );
    expect(() => couplingGradient({ ...four, weights: new Float64Array(3) })).toThrow(
      "weights.length: expected samples = 4, got 3",
    );
  });
});

/**
 * (M + λ·diag(M) + ε)·x for a row-major K×K matrix: the system solveDamped documents, with its
 * regulariser ε = 1e-12 · max|M_kk| (1e-12 when the diagonal is zero).
 */
function applyDamped(M: readonly number[], x: readonly number[], damping: number): number[] {
  const K = x.length;
  const scale = Math.max(...x.map((_, k) => Math.abs(M[k * K + k])));
  const eps = 1e-12 * (scale > 0 ? scale : 1);
  return x.map((_, i) =>
    x.reduce((acc, xj, j) => acc + (M[i * K + j] + (i === j ? damping * M[i * K + i] + eps : 0)) * xj, 0),
  );
}

/** Solver residuals are rounding-sized: 1e-14 relative to the largest term. */
function expectSolved(
  M: readonly number[],
  x: ArrayLike<number>,
  damping: number,
  g: ArrayLike<number>,
): void {
  const r = applyDamped(M, Array.from(x), damping);
  const size = Math.max(...Array.from(g, Math.abs), ...r.map(Math.abs));
  for (let i = 0; i < r.length; i++) expect(Math.abs(r[i] - g[i])).toBeLessThanOrEqual(1e-14 * size);
}

describe("solveDamped", () => {
  test("solves a damped 3×3 system: the solution reproduces the right-hand side", () => {
    const M = [4, 1, 2, 1, 3, 0, 2, 0, 5];
    const x = [1, -2, 0.5];
    const g = applyDamped(M, x, 0.1);
    const got = solveDamped(Float64Array.from(M), Float64Array.from(g), 0.1);
    expectSolved(M, got, 0.1, g);
    for (let i = 0; i < 3; i++) expect(got[i]).toBeCloseTo(x[i], 12);
  });

  test("pivots: a zero first diagonal entry still gives the solution", () => {
    // Without row exchanges the first pivot would be the 1e-12 regulariser alone.
    const M = [0, 2, 1, 2, 1, 0, 1, 0, 3];
    const x = [0.3, -1, 2];
    const g = applyDamped(M, x, 0);
    const got = solveDamped(Float64Array.from(M), Float64Array.from(g), 0);
    expectSolved(M, got, 0, g);
    for (let i = 0; i < 3; i++) expect(got[i]).toBeCloseTo(x[i], 12);
  });

  test("a zero matrix stays finite (regulariser ε·1 when there is no scale)", () => {
    const got = solveDamped(new Float64Array(4), Float64Array.from([1e-12, -2e-12]), 0);
    expectClose(got, [1, -2]);
    expectSolved([0, 0, 0, 0], got, 0, [1e-12, -2e-12]);
  });
});

describe("precondition with two learned terms", () => {
  const g = {
    grad: Float64Array.from([1, -2]),
    jacobian: Float64Array.from([1, 2, 0, 1, 3, -1]), // A = 3, K = 2
    fisher: Float64Array.from([8, 2, 2, 4]),
  } as GradientOutput;

  test("natural: (F/N)(1 + 10% diagonal) x = g", () => {
    expectSolved([2, 0.5, 0.5, 1], precondition(g, "natural", 4), 0.1, g.grad);
  });

  test("gauss-newton: 2JᵀJ (1 + 10% diagonal) x = g", () => {
    // JᵀJ = [[1+0+9, 2+0−3], [2+0−3, 4+1+1]] = [[10, −1], [−1, 6]].
    expectSolved([20, -2, -2, 12], precondition(g, "gauss-newton", 4), 0.1, g.grad);
  });
});

describe("batchMeans exactly", () => {
  test("1..20 in 4 batches: batch means 3, 8, 13, 18", () => {
    const bm = batchMeans(
      Array.from({ length: 20 }, (_, i) => i + 1),
      4,
    );
    expect(bm.mean).toBeCloseTo(10.5, 12);
    // Sample variance of (3, 8, 13, 18) = 125/3; error = √(variance / 4).
    expect(bm.error).toBeCloseTo(Math.sqrt(125 / 3 / 4), 12);
  });

  test("a remainder is left out of the batches but not of the mean", () => {
    const xs = [...Array.from({ length: 20 }, (_, i) => i + 1), 100, 200];
    const bm = batchMeans(xs, 4);
    expect(bm.mean).toBeCloseTo(510 / 22, 12);
    expect(bm.error).toBeCloseTo(Math.sqrt(125 / 3 / 4), 12);
  });

  test("more batches than points: one point per batch; default 10 batches", () => {
    const bm = batchMeans([1, 2, 6], 10);
    expect(bm.mean).toBeCloseTo(3, 12);
    expect(bm.error).toBeCloseTo(Math.sqrt(7 / 3), 12); // variance 7, over 3 batches
    const xs = Array.from({ length: 30 }, (_, i) => (i * 7) % 11);
    const means = Array.from({ length: 10 }, (_, b) => (xs[3 * b] + xs[3 * b + 1] + xs[3 * b + 2]) / 3);
    const mb = mean(means);
    const v = means.reduce((acc, m) => acc + (m - mb) ** 2, 0) / 9;
    expect(batchMeans(xs).error).toBeCloseTo(Math.sqrt(v / 10), 12);
  });

  test("one point has no error bar; no points is an input error", () => {
    const one = batchMeans([4.5]);
    expect(one.mean).toBe(4.5);
    expect(one.error).toBeNaN();
    expect(() => batchMeans([])).toThrow("series.length: expected >= 1, got 0");
  });
});
