// The candidate-noise error against independent truths: pulls of synthetic persistent chains
// (a chain's rows share a random offset and an AR(1) noise from step to step, so rows are far
// from independent) have a standard deviation whose sampling spread is 1/√(2(R − 1)) over R
// replicas, and the tail-averaging factor equals a direct simulation of the averaged pools.
import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { chainClusterCovariance, tailAveragingFactor } from "./candidate-noise.js";
import type { MemoryEntry } from "./group-state.js";
import type { MemoryPool } from "./memory-pool.js";

/** Deterministic standard normals (Box–Muller on the tests' seeded uniforms). */
function normals(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

const CHAINS = 16;
const ROWS_PER_CHAIN = 2;
const ENTRIES = 10;

/** A pool laid out as the learner's (half A of every entry, then half B), all weights 1. */
function syntheticPool(): MemoryPool {
  const samples = CHAINS * ROWS_PER_CHAIN;
  const entry = { t: [0, 0, 0, 0], terms: new Float64Array(0), samples, x: new Int8Array(0), computed: [] };
  const runs: MemoryPool["runs"] = [];
  for (const [lo, hi] of [
    [0, samples / 2],
    [samples / 2, samples],
  ]) {
    for (let e = 0; e < ENTRIES; e++)
      runs.push({ entry: entry as MemoryEntry, lo, hi, w: new Float64Array(samples) });
  }
  const n = samples * ENTRIES;
  return {
    runs,
    terms: new Float64Array(4 * n),
    weights: new Float64Array(n).fill(1),
    samples: n,
    half: n / 2,
    imageMeans: new Map(),
  };
}

/** Two features per row in pool order: chain offset + AR(1) over entries + row noise (mean 0). */
function syntheticFeatures(pool: MemoryPool, next: () => number): Float64Array {
  const A = 2;
  const offset = Array.from({ length: CHAINS }, () => [next(), next()]);
  const ar = Array.from({ length: CHAINS }, () => [[next(), next()]]);
  for (let c = 0; c < CHAINS; c++) {
    for (let e = 1; e < ENTRIES; e++) {
      const p = ar[c][e - 1];
      ar[c].push([0.8 * p[0] + 0.6 * next(), 0.8 * p[1] + 0.6 * next()]);
    }
  }
  const psi = new Float64Array(pool.samples * A);
  let r = 0;
  for (const [i, run] of pool.runs.entries()) {
    const e = i % ENTRIES;
    for (let b = run.lo; b < run.hi; b++, r++) {
      const c = Math.floor(b / ROWS_PER_CHAIN);
      psi[r * A] = offset[c][0] + ar[c][e][0] + 0.5 * next();
      // The second feature shares the first's chain offset: the covariance has an off-diagonal.
      psi[r * A + 1] = 0.7 * offset[c][0] + offset[c][1] + ar[c][e][1] + 0.5 * next();
    }
  }
  return psi;
}

describe("chainClusterCovariance", () => {
  it("gives pulls of unit spread on rows correlated within chains (a halved error fails)", () => {
    const next = normals(12345);
    const pool = syntheticPool();
    const R = 400;
    const pulls: number[][] = [[], [], []];
    for (let rep = 0; rep < R; rep++) {
      const psi = syntheticFeatures(pool, next);
      const cov = chainClusterCovariance(pool, psi, ROWS_PER_CHAIN);
      const m = [0, 0];
      for (let r = 0; r < pool.samples; r++)
        for (let a = 0; a < 2; a++) m[a] += psi[2 * r + a] / pool.samples;
      pulls[0].push(m[0] / Math.sqrt(cov[0][0]));
      pulls[1].push(m[1] / Math.sqrt(cov[1][1]));
      // The difference checks the off-diagonal too.
      pulls[2].push((m[0] - m[1]) / Math.sqrt(cov[0][0] + cov[1][1] - 2 * cov[0][1]));
    }
    // The chain-cluster estimate has C − 1 = 15 degrees of freedom: its pulls are Student-t,
    // std √(15/13), and the std of R such pulls spreads by about 1/√(2(R − 1)) (a bit more for t).
    const expected = Math.sqrt((CHAINS - 1) / (CHAINS - 3));
    const band = 4 / Math.sqrt(2 * (R - 1));
    for (const p of pulls) {
      const mean = p.reduce((s, x) => s + x, 0) / R;
      const std = Math.sqrt(p.reduce((s, x) => s + (x - mean) ** 2, 0) / (R - 1));
      expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(expected ** 2 / R));
      expect(Math.abs(std / expected - 1)).toBeLessThan(band);
    }
  });
});

describe("tailAveragingFactor", () => {
  it("equals the simulated spread of the tail average of overlapping pools of independent steps", () => {
    const next = normals(777);
    for (const [tail, pool] of [
      [30, 20],
      [150, 20],
      [5, 8],
    ]) {
      const R = 4000;
      let v = 0;
      let v1 = 0;
      for (let rep = 0; rep < R; rep++) {
        const steps = Array.from({ length: tail + pool - 1 }, next);
        let avg = 0;
        for (let n = 0; n < tail; n++) {
          let m = 0;
          for (let s = n; s < n + pool; s++) m += steps[s] / pool;
          avg += m / tail;
        }
        v += avg * avg;
        let last = 0;
        for (let s = tail - 1; s < tail - 1 + pool; s++) last += steps[s] / pool;
        v1 += last * last;
      }
      // Ratio of two variances from R replicas each: relative error ≈ √(2/R) per variance.
      expect(Math.abs(tailAveragingFactor(tail, pool) / Math.sqrt(v / v1) - 1)).toBeLessThan(
        4 * Math.sqrt(1 / R),
      );
    }
    expect(tailAveragingFactor(1, 20)).toBe(1);
    expect(tailAveragingFactor(30, 1)).toBeCloseTo(1 / Math.sqrt(30), 12);
  });
});
