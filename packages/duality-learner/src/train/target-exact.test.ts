// The target's Monte Carlo features against exact enumeration on tori of 8 sites (2^8 states,
// enumerated here): the plain torus with every coupling of the original model, the twist-summed
// torus sector by sector with weights Z_t / Σ Z from the enumerated twisted partition functions,
// and the error bars against the exact variance of the mean of nearly independent samples.
import {
  enumerateExpectations,
  type LinkShape,
  type SquareLattice,
  squareLattice,
} from "@physml/lattice-core";
import { expect, test } from "vitest";
import { type DualityConfigInput, resolveConfig } from "../config.js";
import { featuresBatch, linkVariablesBatch, shapeTables } from "../model/features.js";
import { EXTENDED_SHAPES } from "../model/shapes.js";
import { measureTarget, sampleFeatures } from "./target.js";
import type { TargetData } from "./target-data.js";

const SHAPES = EXTENDED_SHAPES.slice(0, 4);
const TWISTS = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

interface Exact {
  /** Z of each sector over the total (periodic, x, y, xy). */
  weight: number[];
  /** ⟨ψ_a⟩ and Var ψ_a in each sector. */
  mean: number[][];
  variance: number[][];
}

/**
 * Exact sector weights and feature moments of the model whose Boltzmann weight is
 * exp(β Σ_l x_l + κ Σ_plaq Π x + γ Σ_diag s_i s_j) with the twist's link variables x.
 */
function enumerateSectors(
  lat: SquareLattice,
  shapes: readonly LinkShape[],
  beta: number,
  extra: (s: Int8Array) => number = () => 0,
): Exact {
  const N = lat.nSites;
  const tables = shapeTables(lat, shapes);
  const A = shapes.length;
  const s = new Int8Array(N);
  const Z: number[] = [];
  const mean: number[][] = [];
  const variance: number[][] = [];
  for (const twist of TWISTS) {
    let z = 0;
    const m1 = new Float64Array(A);
    const m2 = new Float64Array(A);
    for (let c = 0; c < 1 << N; c++) {
      for (let i = 0; i < N; i++) s[i] = (c >> i) & 1 ? -1 : 1;
      const x = linkVariablesBatch(lat, s, 1, [...twist]);
      let e = 0;
      for (const v of x) e += v;
      const w = Math.exp(beta * e + extra(s));
      z += w;
      const f = featuresBatch(lat, tables, x, 1);
      for (let a = 0; a < A; a++) {
        m1[a] += w * f[a];
        m2[a] += w * f[a] * f[a];
      }
    }
    Z.push(z);
    mean.push(Array.from(m1, (v) => v / z));
    variance.push(Array.from(m2, (v, a) => v / z - (m1[a] / z) ** 2));
  }
  const total = Z.reduce((a, b) => a + b, 0);
  return { weight: Z.map((z) => z / total), mean, variance };
}

const config = (beta: number, target: Record<string, unknown>, over: Partial<DualityConfigInput> = {}) =>
  resolveConfig({
    beta,
    seed: 5,
    backend: "cpu",
    ...over,
    target: { warmupSweeps: 20, every: 3, ...target },
  });

/** Every feature within 4 errors of the exact mean, and the error a real one (> 0). */
function expectMeansWithin4Sigma(t: TargetData, exact: readonly number[]): void {
  expect(t.shapes).toEqual(SHAPES.map((s) => s.name));
  for (let a = 0; a < SHAPES.length; a++) {
    expect(t.error[a]).toBeGreaterThan(0);
    expect(Math.abs(t.mean[a] - exact[a]), SHAPES[a].name).toBeLessThan(4 * t.error[a]);
  }
}

/** Error² and chain-spread variance of the mean against the exact one, τ_int near 1/2. */
function expectErrorsExact(t: TargetData, wantVariance: readonly number[]): void {
  // an A×A matrix
  expect(t.covariance?.map((row) => row.length)).toEqual(SHAPES.map(() => SHAPES.length));
  for (let a = 0; a < SHAPES.length; a++) {
    // Samples 3 sweeps apart on 8 sites are nearly independent: τ_int ≈ 1/2 and error² ≈ the
    // exact variance of the mean (over 30 seeds: τ 0.50–0.61, error² ratio 0.93–1.18); the chain
    // spread has 7 degrees of freedom per sector (ratio 0.17–2.98 over 30 seeds on one sector).
    expect(t.tauInt[a]).toBeGreaterThan(0.45);
    expect(t.tauInt[a]).toBeLessThan(0.8);
    expect(t.error[a] ** 2 / wantVariance[a]).toBeGreaterThan(0.75);
    expect(t.error[a] ** 2 / wantVariance[a]).toBeLessThan(1.4);
    expect((t.covariance as number[][])[a][a] / wantVariance[a]).toBeGreaterThan(0.08);
    expect((t.covariance as number[][])[a][a] / wantVariance[a]).toBeLessThan(3.5);
  }
}

test("periodic target on a 4×2 torus: means, errors, τ_int and covariance against enumeration", async () => {
  const lat = squareLattice(4, 2);
  const beta = 0.35;
  const chains = 8;
  const samples = 300;
  const t0 = Date.now();
  const t = await measureTarget(config(beta, { chains, samples, boundary: "periodic" }), lat, SHAPES);
  const elapsed = Date.now() - t0;
  const exact = enumerateSectors(lat, SHAPES, beta);
  expect(t.boundary).toBe("periodic");
  expect(t.sectorWeights).toBeUndefined();
  expect([t.chains, t.samplesPerChain, t.backend]).toEqual([chains, samples, "cpu"]);
  expect(t.wallTimeMs).toBeGreaterThanOrEqual(0);
  expect(t.wallTimeMs).toBeLessThanOrEqual(elapsed);
  expectMeansWithin4Sigma(t, exact.mean[0]);
  expectErrorsExact(
    t,
    exact.variance[0].map((v) => v / (chains * samples)),
  );
  // The covariance is symmetric and couples the features (h and the L shapes share links).
  const cov = t.covariance as number[][];
  for (let a = 0; a < SHAPES.length; a++) for (let b = 0; b < a; b++) expect(cov[a][b]).toBe(cov[b][a]);
});

test("twist-summed target on a 4×2 torus: sector weights, means and errors against enumeration", async () => {
  const lat = squareLattice(4, 2);
  const beta = 0.4;
  const samples = 300;
  // 32 target chains: a quarter, 8, in each twist sector.
  const t0 = Date.now();
  const t = await measureTarget(config(beta, { chains: 32, samples }), lat, SHAPES);
  const elapsed = Date.now() - t0;
  const exact = enumerateSectors(lat, SHAPES, beta);
  expect(t.boundary).toBe("twist-sum");
  expect([t.chains, t.samplesPerChain, t.backend]).toEqual([32, samples, "cpu"]);
  expect(t.wallTimeMs).toBeGreaterThanOrEqual(0);
  expect(t.wallTimeMs).toBeLessThanOrEqual(elapsed);
  // On 4×2 the x twist (a seam of 2 links) costs less than the y twist (4 links): the order of
  // the weights pins the sectors' order and Lx, Ly.
  (t.sectorWeights as number[]).forEach((w, k) => {
    expect(w).toBeCloseTo(exact.weight[k], 12);
  });
  const mean = SHAPES.map((_, a) => exact.weight.reduce((acc, w, k) => acc + w * exact.mean[k][a], 0));
  expectMeansWithin4Sigma(t, mean);
  // The periodic sector alone differs far beyond the error (so a wrong weighting shows).
  expect(Math.abs(exact.mean[0][0] - mean[0])).toBeGreaterThan(10 * t.error[0]);
  expectErrorsExact(
    t,
    SHAPES.map((_, a) =>
      exact.weight.reduce((acc, w, k) => acc + (w * w * exact.variance[k][a]) / (8 * samples), 0),
    ),
  );
});

test("sectors of weight 0 are not sampled; each sector gets ⌈chains/4⌉ chains, at least 2", async () => {
  // 6×2 at β = 3: the y-twisted sectors (seams of 6 links) weigh 0 to double precision, the x twist
  // 3.7e-5; the periodic sector is frozen in its cold start.
  const lat = squareLattice(6, 2);
  const exact = enumerateSectors(lat, SHAPES, 3);
  expect(exact.weight[2]).toBeLessThan(1e-15);
  for (const [chains, perSector] of [
    [10, 3],
    [3, 2],
  ]) {
    const t = await measureTarget(config(3, { chains, samples: 4, warmupSweeps: 2, every: 1 }), lat, SHAPES);
    expect(t.chains).toBe(2 * perSector);
    expect(t.sectorWeights).toEqual([expect.any(Number), expect.any(Number), 0, 0]);
    (t.sectorWeights as number[]).forEach((w, k) => {
      expect(w).toBeCloseTo(exact.weight[k], 12);
    });
    const mean = SHAPES.map((_, a) => exact.weight.reduce((acc, w, k) => acc + w * exact.mean[k][a], 0));
    for (let a = 0; a < SHAPES.length; a++) expect(Math.abs(t.mean[a] - mean[a])).toBeLessThan(1e-3);
  }
});

test("the periodic target samples the plaquette and nnn couplings of the original model", async () => {
  const lat = squareLattice(4, 2);
  const couplings = { nn: 0.3, plaquette: 0.2, nnn: -0.2, field: 0 };
  const tables = shapeTables(lat, SHAPES);
  const features = (s: Int8Array) => featuresBatch(lat, tables, linkVariablesBatch(lat, s, 1), 1);
  const exact = enumerateExpectations(lat, couplings, features);
  const t = await measureTarget(
    config(0.3, { chains: 8, samples: 300 }, { plaquette: 0.2, nnn: -0.2 }),
    lat,
    SHAPES,
  );
  expect(t.boundary).toBe("periodic");
  expectMeansWithin4Sigma(t, Array.from(exact));
  // Without either coupling some feature is far outside its error (the L shapes are the
  // diagonal correlator that nnn couples to).
  for (const without of [{ plaquette: 0 }, { nnn: 0 }]) {
    const other = enumerateExpectations(lat, { ...couplings, ...without }, features);
    const pulls = SHAPES.map((_, a) => Math.abs(other[a] - exact[a]) / t.error[a]);
    expect(Math.max(...pulls)).toBeGreaterThan(8);
  }
});

test("sampleFeatures measures the features of the mapped link field", async () => {
  // map x → −x: the one-link feature h changes sign, the two-link L shapes do not.
  const lat = squareLattice(4, 2);
  const beta = 0.35;
  const t = await sampleFeatures(config(beta, { chains: 8, samples: 300 }), lat, SHAPES, {
    couplings: { nn: beta },
    seed: 11,
    // the map gets the number of rows it maps ([sample][link] of the 8 chains' samples)
    map: (x, count) => {
      expect(count * lat.nLinks).toBe(x.length);
      return x.map((v) => -v);
    },
  });
  const exact = enumerateSectors(lat, SHAPES, beta).mean[0];
  expectMeansWithin4Sigma(
    t,
    exact.map((m, a) => (SHAPES[a].links.length % 2 === 1 ? -m : m)),
  );
});
