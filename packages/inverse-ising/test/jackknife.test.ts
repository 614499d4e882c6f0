// The resampling check of the dual couplings' propagated covariance on the 4 × 4 torus: with exact
// dual moments (density of states) the fit is a deterministic function of the original's line
// correlators, so a jackknife over the original's chains (dual refitted per left-out chain) is a
// covariance estimate independent of the propagation δt = C⁻¹ δg; and the twist-summed original is
// exactly Kramers–Wannier dual, so both must describe the scatter of fits around (β̃, 0).
import {
  defineModel,
  dualCoupling,
  enumerateModel,
  PhysmlInputError,
  STANDARD_SQUARE_SHAPES,
} from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { exactDualMoments, lineDuality, matchDualCouplings } from "../src/index.js";
import { D2_SHAPES } from "../src/line/dual-fit.js";
import { exactDualTarget } from "./exact-dual-target.js";
import { mahalanobis2 } from "./mahalanobis.js";

describe("exact dual moments", () => {
  it("equal lattice-core's enumeration of the nn + nnn (+ distance-2 probe) model", () => {
    const t: [number, number] = [0.3, -0.1];
    const e = enumerateModel(
      defineModel({
        spin: "ising",
        lattice: { square: [4, 4] },
        terms: [
          { name: "nn", coupling: t[0], shapes: STANDARD_SQUARE_SHAPES.nn },
          { name: "nnn", coupling: t[1], shapes: STANDARD_SQUARE_SHAPES.nnn },
          {
            name: "d2",
            coupling: 0,
            shapes: [
              [
                [0, 0],
                [2, 0],
              ],
              [
                [0, 0],
                [0, 2],
              ],
            ],
          },
        ],
      }),
    );
    const m = exactDualMoments(4, t);
    const twoN = 32;
    expect(m.g[0]).toBeCloseTo(e.termMeans[0] / twoN, 12);
    expect(m.g[1]).toBeCloseTo(e.termMeans[1] / twoN, 12);
    expect(m.g3).toBeCloseTo(e.termMeans[2] / twoN, 12);
    // 2N·Cov(S/2N) = Cov(S)/2N (entries of a 2 × 2 and of enumerateModel's 3 × 3): the derivative of the moments in t, as the sampled fit uses it.
    for (const [j, k] of [
      [0, 0],
      [1, 1],
      [2, 3],
      [3, 4],
    ])
      expect(m.cov[j]).toBeCloseTo(e.termCovariance[k] / twoN, 10);
  });

  it("with a d2 coupling: moments, their 3 × 3 covariance and the knight check equal the enumeration", () => {
    const t: [number, number, number] = [0.3, -0.1, 0.07];
    const e = enumerateModel(
      defineModel({
        spin: "ising",
        lattice: { square: [4, 4] },
        terms: [
          { name: "nn", coupling: t[0], shapes: STANDARD_SQUARE_SHAPES.nn },
          { name: "nnn", coupling: t[1], shapes: STANDARD_SQUARE_SHAPES.nnn },
          { name: "d2", coupling: t[2], shapes: D2_SHAPES },
          {
            name: "knight",
            coupling: 0,
            shapes: [
              [
                [0, 0],
                [2, 1],
              ],
              [
                [0, 0],
                [1, 2],
              ],
            ],
          },
        ],
      }),
    );
    const m = exactDualMoments(4, t);
    expect(m.g3).toBeCloseTo(e.termMeans[2] / 32, 12);
    expect(m.g4).toBeCloseTo(e.termMeans[3] / 32, 12);
    for (let j = 0; j < 9; j++)
      expect(m.cov3[j]).toBeCloseTo(e.termCovariance[Math.floor(j / 3) * 4 + (j % 3)] / 32, 10);
  });

  it("make the moment fit return the enumerated couplings, with zero error", async () => {
    const r = await matchDualCouplings(4, exactDualTarget({ nn: 0.3, nnn: 0.1 }), {
      seed: 0,
      moments: "exact",
    });
    expect(Math.abs(r.tNn - 0.3)).toBeLessThan(1e-9);
    expect(Math.abs(r.tNnn - 0.1)).toBeLessThan(1e-9);
    expect(r.tNnError).toBe(0);
    // With d2: three couplings from (g1, g2, g3).
    const r3 = await matchDualCouplings(4, exactDualTarget({ nn: 0.3, nnn: 0.1, d2: -0.05 }), {
      seed: 0,
      moments: "exact",
      d2: true,
    });
    expect(Math.abs(r3.tNn - 0.3)).toBeLessThan(1e-9);
    expect(Math.abs(r3.tNnn - 0.1)).toBeLessThan(1e-9);
    expect(Math.abs((r3.tD2 ?? 0) + 0.05)).toBeLessThan(1e-9);
    expect(r3.covariance?.terms).toEqual(["nn", "nnn", "d2"]);
  });

  it("refuse L > 4, and the jackknife without them, before sampling", async () => {
    const field = async (p: Promise<unknown>) =>
      p.then(
        () => "no error",
        (e) => (e instanceof PhysmlInputError ? e.field : String(e)),
      );
    expect(await field(lineDuality({ L: 6, beta: 0.6, seed: 1, dualMoments: "exact" }))).toBe("L");
    expect(await field(lineDuality({ L: 4, beta: 0.6, seed: 1, jackknife: true }))).toBe("jackknife");
    expect(
      await field(lineDuality({ L: 4, beta: 0.6, seed: 1, jackknife: true, dualTerms: "nn+nnn+d2" })),
    ).toBe("jackknife");
  });
});

/**
 * The mean over 4 seeds of a per-seed statistic is `expected` within t₃'s 1 % two-sided bound:
 * 5.84 standard errors of the mean.
 */
function expectSeedMeanAt(v: readonly number[], expected: number): void {
  expect(v).toHaveLength(4);
  const mean = v.reduce((p, q) => p + q, 0) / v.length;
  const sem = Math.sqrt(v.reduce((p, q) => p + (q - mean) ** 2, 0) / (v.length - 1) / v.length);
  expect(Math.abs(mean - expected)).toBeLessThan(5.84 * sem);
}

it("jackknife over chains matches the propagated covariance; both describe the scatter around (β̃, 0)", async () => {
  const beta = 0.6; // ordered original, disordered dual
  const truth = dualCoupling(beta);
  const K = 4;
  let chi2Prop = 0;
  let chi2Jack = 0;
  // Per seed: jackknife / propagated variance of t_nn and of t_nnn, and ρ_jackknife − ρ_propagated.
  const rows: number[][] = [];
  for (let seed = 1; seed <= K; seed++) {
    const r = await lineDuality({
      L: 4,
      beta,
      seed,
      samplesCount: 1024,
      dualMoments: "exact",
      jackknife: true,
    });
    const P = r.dual.covariance;
    const J = r.jackknife?.dual;
    expect(r.jackknife?.blocks).toBe(64);
    // Twisted sectors sampled by weight (0.851, 0.065, 0.065, 0.019): ⌈16·w/w_max⌉ per chain.
    expect(r.sectorSamples).toEqual([1024, 128, 128, 64]);
    const d: [number, number] = [r.dual.tNn - truth, r.dual.tNnn];
    chi2Prop += mahalanobis2(P?.matrix, d);
    chi2Jack += mahalanobis2(J?.matrix, d);
    rows.push([
      (J?.matrix[0][0] ?? 0) / (P?.matrix[0][0] ?? 1),
      (J?.matrix[1][1] ?? 0) / (P?.matrix[1][1] ?? 1),
      (J?.correlation ?? 0) - (P?.correlation ?? 2),
    ]);
  }
  // Both are unbiased estimates of the same covariance (equal for a linear fit but for the
  // jackknife's cross-sector products, zero on average), so over seeds the ratios average to 1
  // and the correlations agree: within t₃'s 1 % two-sided bound, 5.84 standard errors.
  for (const [j, expected] of [
    [0, 1],
    [1, 1],
    [2, 0],
  ])
    expectSeedMeanAt(
      rows.map((r) => r[j]),
      expected,
    );
  // χ²₈: P(< 1.344) = P(> 21.955) = 0.5 %.
  for (const chi2 of [chi2Prop, chi2Jack]) {
    expect(chi2).toBeGreaterThan(1.344);
    expect(chi2).toBeLessThan(21.955);
  }
}, 60_000);

// The same check for the three-coupling dual: t_d2 fitted to g3, the jackknife refits all three.
// The twist-summed original is Kramers–Wannier dual, so the truth is (β̃, 0, 0).
it("with dualTerms nn+nnn+d2: jackknife and propagated 3 × 3 covariances agree; both describe the scatter around (β̃, 0, 0)", async () => {
  const beta = 0.6;
  const truth = [dualCoupling(beta), 0, 0];
  const K = 4;
  let chi2Prop = 0;
  let chi2Jack = 0;
  // Per seed: the three variance ratios jackknife / propagated, then the three correlation differences.
  const rows: number[][] = [];
  const pairs = [
    [0, 1],
    [0, 2],
    [1, 2],
  ];
  for (let seed = 1; seed <= K; seed++) {
    const r = await lineDuality({
      L: 4,
      beta,
      seed,
      samplesCount: 1024,
      dualMoments: "exact",
      dualTerms: "nn+nnn+d2",
      jackknife: true,
    });
    const P = r.dual.covariance?.matrix;
    const J = r.jackknife?.dual?.matrix;
    expect(r.jackknife?.dual?.terms).toEqual(["nn", "nnn", "d2"]);
    if (!P || !J) throw new Error("a covariance is missing");
    const d = [r.dual.tNn - truth[0], r.dual.tNnn - truth[1], (r.dual.tD2 ?? Number.NaN) - truth[2]];
    chi2Prop += mahalanobis2(P, d);
    chi2Jack += mahalanobis2(J, d);
    const rho = (M: number[][], i: number, j: number) => M[i][j] / Math.sqrt(M[i][i] * M[j][j]);
    rows.push([
      ...[0, 1, 2].map((i) => J[i][i] / P[i][i]),
      ...pairs.map(([i, j]) => rho(J, i, j) - rho(P, i, j)),
    ]);
  }
  // Ratios at 1, correlation differences at 0: within t₃'s 1 % two-sided bound, 5.84 standard errors.
  for (let j = 0; j < 6; j++)
    expectSeedMeanAt(
      rows.map((r) => r[j]),
      j < 3 ? 1 : 0,
    );
  // χ²₁₂ (3 couplings × 4 seeds): P(< 3.074) = P(> 28.300) = 0.5 %.
  for (const chi2 of [chi2Prop, chi2Jack]) {
    expect(chi2).toBeGreaterThan(3.074);
    expect(chi2).toBeLessThan(28.3);
  }
}, 60_000);
