// The path-independence test with the full jackknife covariance of the pair differences, on
// synthetic Gaussian block means with a known covariance and zero mean (a path-independent
// line): over many seeds its χ² has mean dof and its p-value falls below 0.05 in 5% of them,
// while the diagonal χ² of the same pairs does not follow χ²_pairs. The tail probabilities are
// checked against closed forms and printed table values; the jackknife covariance against the
// sample covariance of the block means.
import { random } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { chiSquareSurvival, fSurvival } from "../src/eval/distributions.js";
import { type BlockedMeans, jackknifeCovarianceOf } from "../src/eval/jackknife.js";
import { pairCovarianceTest } from "../src/eval/pair-covariance.js";
import { pairCheckList, pairChi2 } from "../src/eval/validate.js";
import { EXTENDED_GROUPS } from "../src/paths/minimal-paths.js";
import { DEFAULT_GROUPS, type PathGroup, pathPairs } from "../src/paths/paths.js";

describe("tail probabilities", () => {
  it("match closed forms and table values", () => {
    for (const x of [0.1, 1, 3.7, 12, 40]) {
      // χ²_2 is exponential; F(2, ν) has survival (1 + 2x/ν)^(−ν/2); F(1, 1) is a squared Cauchy.
      expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
      for (const nu of [3, 10, 27])
        expect(fSurvival(x, 2, nu)).toBeCloseTo((1 + (2 * x) / nu) ** (-nu / 2), 12);
      expect(fSurvival(x, 1, 1)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(Math.sqrt(x)), 12);
    }
    // 95% points from printed tables (4-5 digits).
    expect(chiSquareSurvival(11.0705, 5)).toBeCloseTo(0.05, 5);
    expect(chiSquareSurvival(35.1725, 23)).toBeCloseTo(0.05, 5);
    expect(fSurvival(2.5719, 5, 27)).toBeCloseTo(0.05, 4);
  });
});

/** Block means x_b of every path (B × paths, row-major) as the jackknife's leave-out means. */
function blocked(x: Float64Array, B: number, P: number): BlockedMeans {
  const total = new Float64Array(P);
  for (let b = 0; b < B; b++) for (let a = 0; a < P; a++) total[a] += x[b * P + a];
  const one = (v: number) => Float64Array.of(v);
  return {
    full: Array.from(total, (t) => one(t / B)),
    leaveOut: Array.from({ length: B }, (_, b) =>
      Array.from(total, (t, a) => one((t - x[b * P + a]) / (B - 1))),
    ),
  };
}

/**
 * Zero-mean Gaussian path values per block, strongly correlated: path k of a group carries k
 * times a shared fluctuation (common to all groups plus a group part) and a small own noise, so
 * the pair differences of a group move together and the groups too.
 */
function pathBlocks(groups: readonly PathGroup[], B: number, seeds: number, key: number): Float64Array[] {
  const P = groups.reduce((s, g) => s + g.paths.length, 0);
  const G = groups.length;
  const z = random.normal(random.key(key), [seeds, B, 1 + G + P]).toFloat64Array();
  return Array.from({ length: seeds }, (_, s) => {
    const x = new Float64Array(B * P);
    for (let b = 0; b < B; b++) {
      const o = (s * B + b) * (1 + G + P);
      let a = 0;
      groups.forEach((g, gi) => {
        for (let k = 0; k < g.paths.length; k++, a++)
          x[b * P + a] = k * (z[o] + 0.3 * z[o + 1 + gi]) + 0.1 * z[o + 1 + G + a];
      });
    }
    return x;
  });
}

function run(groups: readonly PathGroup[], B: number, seeds: number, key: number) {
  const { paths, pairs } = pathPairs(groups);
  const h = paths.map((path) => ({ path }));
  return pathBlocks(groups, B, seeds, key).map((x) => {
    const d = jackknifeCovarianceOf(blocked(x, B, paths.length), (mm) =>
      pairs.map(([a, b]) => mm[a][0] - mm[b][0]),
    );
    return {
      full: pairCovarianceTest(d.value, d.covariance, B, 3),
      diagonal: pairChi2(pairCheckList(h, pairs, d), 3),
    };
  });
}

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)) * (v.length / (v.length - 1)));
/** Binomial error of a 5% fraction over n trials. */
const binom = (n: number) => Math.sqrt((0.05 * 0.95) / n);

describe("pair-difference χ² with the full jackknife covariance", () => {
  const S = 2000;

  it.each([
    // 5 pairs of rank 4 (the (2,2) group's three pairs are dependent), 32 blocks.
    { name: "default groups, 32 blocks", groups: DEFAULT_GROUPS, B: 32, rank: 4, dof: 4, chi95: 11.0705 },
    // 23 pairs of rank 11, 32 blocks: pairs comparable to blocks.
    { name: "extended groups, 32 blocks", groups: EXTENDED_GROUPS, B: 32, rank: 11, dof: 11, chi95: 35.1725 },
    // Rank 11 above B − 3 = 9: only the first 9 independent pairs are tested.
    { name: "extended groups, 12 blocks", groups: EXTENDED_GROUPS, B: 12, rank: 11, dof: 9, chi95: 35.1725 },
  ])(
    "$name: χ² has mean dof and p < 0.05 in 5% of seeds; the diagonal χ² does not follow χ²_pairs",
    ({ groups, B, rank, dof, chi95 }) => {
      const r = run(groups, B, S, 11 + B);
      // The rank is the independent pairs' count, except that a sample covariance of B blocks has
      // rank ≤ B − 1 and at that edge (12 blocks, rank 11) it is occasionally below rounding.
      for (const x of r) {
        expect(x.full.rank).toBeLessThanOrEqual(rank);
        expect(x.full.dof).toBe(Math.min(x.full.rank, B - 3));
      }
      expect(r.filter((x) => x.full.rank === rank && x.full.dof === dof).length).toBeGreaterThan(0.99 * S);
      const chi2 = r.map((x) => x.full.chi2);
      expect(Math.abs(mean(chi2) - dof)).toBeLessThan((3 * sd(chi2)) / Math.sqrt(S));
      const rejected = r.filter((x) => x.full.pValue < 0.05).length / S;
      expect(Math.abs(rejected - 0.05)).toBeLessThan(3 * binom(S));
      // The diagonal χ² over the pairs against χ²_pairs' 95% point (printed tables): far more
      // than 5% of the seeds are above it.
      const above = r.filter((x) => x.diagonal.chi2 > chi95).length / S;
      // The verdict rejects a path-independent line at the rate pValueLimit; the diagonal rule
      // (dof + 3√(2 dof), ~1% for χ²_dof) rejects it far more often.
      const alpha = r[0].full.pValueLimit;
      const falseAlarms = r.filter((x) => !x.full.pathIndependent).length / S;
      expect(Math.abs(falseAlarms - alpha)).toBeLessThan(3 * Math.sqrt((alpha * (1 - alpha)) / S));
      expect(r.filter((x) => !x.diagonal.pathIndependent).length / S).toBeGreaterThan(5 * alpha);
      expect(above - 0.05).toBeGreaterThan(5 * binom(S));
    },
  );

  it("with many blocks the χ² follows χ²_dof: 5% above its 95% point", () => {
    const r = run(DEFAULT_GROUPS, 200, S, 5);
    const chi2 = r.map((x) => x.full.chi2);
    expect(Math.abs(mean(chi2) - 4)).toBeLessThan((3 * sd(chi2)) / Math.sqrt(S));
    // χ²_4's 95% point from printed tables.
    const above = chi2.filter((c) => c > 9.4877).length / S;
    expect(Math.abs(above - 0.05)).toBeLessThan(3 * binom(S));
  });

  it("a fitted direction is profiled out: a shift along it leaves χ²_(dof − 1); without the fit it is seen", () => {
    // Path values shifted along h: the pair differences move along g = (h_a − h_b), as a learned
    // table's training error moves them along the table's derivative.
    const { paths, pairs } = pathPairs(EXTENDED_GROUPS);
    const P = paths.length;
    const B = 32;
    const h = Array.from({ length: P }, (_, a) => Math.sin(1.7 * a + 0.3));
    const g = pairs.map(([a, b]) => h[a] - h[b]);
    const r = pathBlocks(EXTENDED_GROUPS, B, S, 21).map((x) => {
      for (let b = 0; b < B; b++) for (let a = 0; a < P; a++) x[b * P + a] += 0.3 * h[a];
      const d = jackknifeCovarianceOf(blocked(x, B, P), (mm) => pairs.map(([a, b]) => mm[a][0] - mm[b][0]));
      return {
        fitted: pairCovarianceTest(d.value, d.covariance, B, 3, [g]),
        fixed: pairCovarianceTest(d.value, d.covariance, B, 3),
      };
    });
    expect(r[0].fitted.dof).toBe(10);
    const chi2 = r.map((x) => x.fitted.chi2);
    expect(Math.abs(mean(chi2) - 10)).toBeLessThan((3 * sd(chi2)) / Math.sqrt(S));
    const rejected = r.filter((x) => x.fitted.pValue < 0.05).length / S;
    expect(Math.abs(rejected - 0.05)).toBeLessThan(3 * binom(S));
    // Without the fit the shift is seen in almost every seed.
    expect(r.filter((x) => x.fixed.pValue < 0.05).length / S).toBeGreaterThan(0.9);
  });

  it("detects a shift of the pair differences that the diagonal χ² does not", () => {
    // A mean along the direction the correlated pairs do not fluctuate in: d(RRUU,RURU) and
    // d(RURU,RUUR) move together (k times one fluctuation), so a shift of one against the other
    // is many σ in the full covariance but only ~1σ per pair.
    const { paths, pairs } = pathPairs(DEFAULT_GROUPS);
    const B = 32;
    const x = pathBlocks(DEFAULT_GROUPS, B, 1, 3)[0];
    const shift = [0, 0, 0, 0, 0, 0.25, 0];
    for (let b = 0; b < B; b++) for (let a = 0; a < paths.length; a++) x[b * paths.length + a] += shift[a];
    const d = jackknifeCovarianceOf(blocked(x, B, paths.length), (mm) =>
      pairs.map(([a, b]) => mm[a][0] - mm[b][0]),
    );
    const full = pairCovarianceTest(d.value, d.covariance, B, 3);
    const diagonal = pairChi2(
      pairCheckList(
        paths.map((path) => ({ path })),
        pairs,
        d,
      ),
      3,
    );
    expect(full.pathIndependent).toBe(false);
    expect(full.pValue).toBeLessThan(1e-6);
    expect(diagonal.pathIndependent).toBe(true);
  });

  it("is the pseudo-inverse form: dependent pairs change nothing, exact zeros are skipped", () => {
    const B = 32;
    const x = pathBlocks(DEFAULT_GROUPS, B, 1, 9)[0];
    const m = blocked(x, B, 7);
    const test = (pairs: [number, number][]) => {
      const d = jackknifeCovarianceOf(m, (mm) => pairs.map(([a, b]) => mm[a][0] - mm[b][0]));
      return pairCovarianceTest(d.value, d.covariance, B, 3);
    };
    // Paths 4, 5, 6 form a group: (4,6) = (4,5) + (5,6); (4,4) is an exact zero.
    const independent = test([
      [0, 1],
      [4, 5],
      [5, 6],
    ]);
    const all = test([
      [0, 1],
      [4, 4],
      [4, 6],
      [4, 5],
      [5, 6],
    ]);
    expect(all.pairs).toBe(4);
    expect(all.rank).toBe(3);
    expect(all.t2).toBeCloseTo(independent.t2, 8);
    expect(all.pValue).toBeCloseTo(independent.pValue, 10);
  });

  it("the jackknife covariance of the differences is the block means' sample covariance over B", () => {
    const B = 16;
    const x = pathBlocks(DEFAULT_GROUPS, B, 1, 4)[0];
    const d = jackknifeCovarianceOf(blocked(x, B, 7), (mm) => [mm[0][0] - mm[1][0], mm[4][0] - mm[6][0]]);
    const diff = (b: number) => [x[b * 7] - x[b * 7 + 1], x[b * 7 + 4] - x[b * 7 + 6]];
    const mu = [0, 1].map((i) => mean(Array.from({ length: B }, (_, b) => diff(b)[i])));
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        let s = 0;
        for (let b = 0; b < B; b++) s += (diff(b)[i] - mu[i]) * (diff(b)[j] - mu[j]);
        expect(d.covariance[i * 2 + j]).toBeCloseTo(s / (B - 1) / B, 12);
      }
  });

  it("refuses fewer than 4 blocks when a difference is tested, naming blocks", () => {
    expect(() => pairCovarianceTest([0.1], [0.01], 3, 3)).toThrow(PhysmlInputError);
    expect(() => pairCovarianceTest([0.1], [0.01], 3, 3)).toThrow(/blocks/);
    expect(pairCovarianceTest([0], [0], 3, 3).dof).toBe(0);
  });
});
