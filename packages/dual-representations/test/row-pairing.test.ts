// Pairing a learned map's rows by how their powers move together: the power correlations against
// the Pearson correlation of squared deviations written out here (and their exact values 1 and 0 on
// columns built for them), the pairing's claim on the paper's Figure 1 data (the DFT's rows,
// shuffled, are paired back into the cos and sin of each frequency, which the row structure of
// realDft fixes independently), the count of the classifier's pairs on one frequency on maps whose
// answer is known, the refusals, and the option in the Fourier task and its run's resume.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { random } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { refusal, seededUint32 } from "@physml/lattice-core/testing";
import { CheckpointKill, killedAtCheckpoint } from "@physml/runs/testing";
import { describe, expect, it } from "vitest";
import { resolveFourierConfig } from "../src/config.js";
import { applyMatrix, realDft } from "../src/fourier/basis.js";
import {
  headPairsOnOneFrequency,
  headRowOrder,
  pairByPowerCorrelation,
  powerCorrelations,
  reorderRows,
} from "../src/fourier/row-pairing.js";
import { signalNoiseSignals } from "../src/fourier/signals.js";
import { fourierTask } from "../src/fourier/task.js";
import { runFourier } from "../src/run/runners.js";

/** Standard normal draws from autodiff's seeded generator. */
const gaussians = (n: number, seed: number): Float64Array =>
  random.normal(random.key(seed), [n]).toFloat64Array();

/** The Pearson correlation of (x − x̄)² and (y − ȳ)², written out. */
function squaredDeviationCorrelation(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / n;
  const mx = mean(x);
  const my = mean(y);
  const px = x.map((v) => (v - mx) ** 2);
  const py = y.map((v) => (v - my) ** 2);
  const mpx = mean(px);
  const mpy = mean(py);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (px[i] - mpx) * (py[i] - mpy);
    sxx += (px[i] - mpx) ** 2;
    syy += (py[i] - mpy) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** A seeded permutation of 0…n − 1 (Fisher–Yates). */
function shuffled(n: number, seed: number): number[] {
  const word = seededUint32(seed);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = word() % (i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

describe("power correlations", () => {
  it("equal the correlation of squared deviations written out; 1 for an affine copy, 0 for a constant", () => {
    const rows = 4000;
    const d = 4;
    const g1 = gaussians(rows, 1);
    const g2 = gaussians(rows, 2);
    const z = new Float64Array(rows * d);
    for (let r = 0; r < rows; r++) {
      z[r * d] = g1[r];
      z[r * d + 1] = 3 - 2 * g1[r]; // the same power up to scale: correlation 1
      z[r * d + 2] = g2[r] * (1 + 0.5 * g1[r] ** 2); // its power grows with g1's
      z[r * d + 3] = 0.25; // constant: no power to correlate
    }
    const c = powerCorrelations(z, rows, d);
    const col = (j: number) => Float64Array.from({ length: rows }, (_, r) => z[r * d + j]);
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++)
        expect(c[a * d + b]).toBeCloseTo(a === b ? 1 : squaredDeviationCorrelation(col(a), col(b)), 12);
    expect(c[1]).toBeCloseTo(1, 12);
    expect(c[2]).toBeGreaterThan(0.1);
    for (let a = 0; a < 3; a++) expect(c[a * d + 3]).toBe(0);
    expect(c[3 * d + 3]).toBe(1);
    // independent Gaussians: the correlation of their squares is ≈ 0 within its error ≈ 1/√rows
    const h = new Float64Array(rows * 2);
    const g3 = gaussians(rows, 3);
    for (let r = 0; r < rows; r++) [h[2 * r], h[2 * r + 1]] = [g1[r], g3[r]];
    expect(Math.abs(powerCorrelations(h, rows, 2)[1])).toBeLessThan(4 / Math.sqrt(rows));
  });

  it("refuse a z of the wrong size, and pairing refuses an odd number of coordinates", () => {
    expect(refusal(() => powerCorrelations(new Float64Array(7), 2, 4)).field).toBe("z");
    expect(refusal(() => pairByPowerCorrelation(new Float64Array(6), 2, 3)).field).toBe("d");
  });
});

describe("pairing the DFT's shuffled rows on signal-noise data", () => {
  it("puts the cos and sin of every frequency in one pair of the classifier", () => {
    const N = 32;
    const data = signalNoiseSignals(N, 2048, 1, 1, 4);
    const F = realDft(N);
    const perm = shuffled(N, 11);
    const W = reorderRows(F, perm, N);
    // row k of W is realDft's row perm[k]: the constant (0), cos/sin of k at 2k − 1 and 2k, the alternating (N − 1)
    const frequencyOfDftRow = (i: number) => (i === 0 ? 0 : i === N - 1 ? N / 2 : Math.ceil(i / 2));
    expect(headPairsOnOneFrequency(W, N)).toBeLessThanOrEqual(2);

    const z = applyMatrix(W, N, data).x;
    const pairs = pairByPowerCorrelation(z, data.n, N);
    expect(pairs).toHaveLength(N / 2);
    const byFrequency = pairs.map(([a, b]) => [perm[a], perm[b]].map(frequencyOfDftRow));
    // every wave frequency 1…15 in one pair; the two rows no wave reaches (k = 0, N/2) left together
    const matched = byFrequency.filter(([ka, kb]) => ka === kb).map(([k]) => k);
    expect(matched.sort((a, b) => a - b)).toEqual(Array.from({ length: N / 2 - 1 }, (_, i) => i + 1));
    expect(byFrequency.find(([ka, kb]) => ka !== kb)?.sort((a, b) => a - b)).toEqual([0, N / 2]);

    const paired = reorderRows(W, headRowOrder(pairs, N), N);
    expect(headPairsOnOneFrequency(paired, N)).toBe(N / 2 - 1);
    // reordering keeps the rows: the same multiset, each row moved whole
    const rowsOf = (M: Float64Array) =>
      Array.from({ length: N }, (_, k) => Array.from(M.subarray(k * N, (k + 1) * N)).join(",")).sort();
    expect(rowsOf(paired)).toEqual(rowsOf(F));
  });
});

describe("the classifier's pairs on one frequency", () => {
  it("N/2 − 1 for the DFT in its order, 0 for the identity", () => {
    for (const N of [8, 32]) {
      expect(headPairsOnOneFrequency(realDft(N), N)).toBe(N / 2 - 1);
      const identity = new Float64Array(N * N);
      for (let i = 0; i < N; i++) identity[i * N + i] = 1;
      expect(headPairsOnOneFrequency(identity, N)).toBe(0);
    }
  });

  it("headRowOrder puts pair m at (2m + 1, 2m + 2 mod d) and refuses pairs that are not a partition", () => {
    expect(
      headRowOrder(
        [
          [5, 2],
          [0, 3],
          [4, 1],
        ],
        6,
      ),
    ).toEqual([1, 5, 2, 0, 3, 4]);
    const twice = refusal(() =>
      headRowOrder(
        [
          [0, 1],
          [1, 2],
        ],
        4,
      ),
    );
    expect(twice).toBeInstanceOf(PhysmlInputError);
    expect(twice.field).toBe("pairs");
    expect(refusal(() => headRowOrder([[0, 1]], 4)).field).toBe("pairs");
  });
});

describe("--pair-rows in the Fourier task", () => {
  const base = {
    length: 16,
    examples: 128,
    epochs: 3,
    task: "signal-noise",
    sharedHidden: 3,
    peakWeight: 1,
    separationWeight: 0,
  };

  it("trains the paired map after the shared ones, and only when asked", () => {
    const t = fourierTask(resolveFourierConfig({ ...base, pairRows: 1 }));
    const p = t.shared?.learnedPaired;
    expect(p?.pairedAtEpoch).toBe(1);
    expect(p?.accuracies.finalTrain).toBeGreaterThan(0);
    expect(p?.bestTestBeforePairing).toBeGreaterThan(0);
    expect(p?.headPairsOnOneFrequency).toBeGreaterThanOrEqual(0);
    expect(p?.headPairsOnOneFrequency).toBeLessThanOrEqual(8);
    expect(fourierTask(resolveFourierConfig(base)).shared?.learnedPaired).toBeUndefined();
  });

  it("is refused without the shared pair classifier, or at --epochs or above, naming pairRows", () => {
    expect(resolveFourierConfig({}).pairRows).toBe(0);
    for (const bad of [
      { pairRows: 2 },
      { ...base, sharedInput: "coordinate", pairRows: 1 },
      { ...base, pairRows: 3 },
      { ...base, pairRows: -1 },
      { ...base, pairRows: 1.5 },
    ])
      expect(refusal(() => resolveFourierConfig(bad)).field).toMatch(/pairRows/);
  });

  it("a run killed after the map before pairing resumes with only the paired training", async () => {
    const fresh = async () => join(await mkdtemp(join(tmpdir(), "physml-dualrep-pairing-")), "run");
    const config = { ...base, pairRows: 1 };
    const whole = await fresh();
    const ref = await runFourier(config, { out: whole });
    const out = await fresh();
    // 4 per-coordinate and 4 shared trainings, then the map before pairing: killed writing the 10th
    await expect(killedAtCheckpoint(9, () => runFourier(config, { out }))).rejects.toThrow(CheckpointKill);
    const trained = new Set<string>();
    const resumed = await runFourier({}, { out, resume: true, onEpoch: (tag) => trained.add(tag) });
    expect([...trained]).toEqual(["shared learned+separation, paired"]);
    expect(resumed.shared?.learnedPaired).toEqual(ref.shared?.learnedPaired);
  });
});
