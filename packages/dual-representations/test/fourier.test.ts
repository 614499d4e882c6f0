// The Fourier task's pieces against exact facts (orthonormal DFT, the measures on known maps),
// and its central claim on a small seeded run: the per-coordinate classifier is at chance in
// position space and not in the DFT basis.
import { describe, expect, it } from "vitest";
import { resolveFourierConfig } from "../src/config.js";
import { applyMatrix, bandAlignment, fourierConcentration, realDft } from "../src/fourier/basis.js";
import { signalNoiseSignals } from "../src/fourier/signals.js";
import { fourierTask } from "../src/fourier/task.js";

describe("Fourier representation", () => {
  it("the real DFT is orthonormal; the measures give 1 / (N−2)/N on it and 2/N / ½ on the identity", () => {
    const N = 16;
    const F = realDft(N);
    for (let i = 0; i < N; i++)
      for (let k = 0; k < N; k++) {
        let s = 0;
        for (let j = 0; j < N; j++) s += F[i * N + j] * F[k * N + j];
        expect(s).toBeCloseTo(i === k ? 1 : 0, 12);
      }
    const I = new Float64Array(N * N);
    for (let i = 0; i < N; i++) I[i * N + i] = 1;
    expect(fourierConcentration(F, N, N)).toBeCloseTo(1, 12);
    expect(fourierConcentration(I, N, N)).toBeCloseTo(2 / N, 12);
    expect(bandAlignment(F, N, N)).toBeCloseTo((N - 2) / N, 12);
    expect(bandAlignment(I, N, N)).toBeCloseTo(0.5, 12);
  });

  it("position at chance, DFT well above it (N=16, seeded)", () => {
    const c = resolveFourierConfig({ length: 16, examples: 600, epochs: 6, seed: 4 });
    const r = fourierTask(c);
    const sigma = Math.sqrt(0.25 / r.test);
    expect(Math.abs(r.position.finalTest - 0.5)).toBeLessThan(4 * sigma);
    expect(r.fourier.bestTest).toBeGreaterThan(0.8);
    expect(r.learnedWithSeparation.orthogonalityResidual).toBeLessThan(0.5);
  });

  it("signal-noise data (the paper's Figure 1 task): pure modes in class 1, the power per class as stated", () => {
    const N = 16;
    const F = realDft(N);
    // Noiseless: class 0 is zero, every class-1 row is one frequency pair of power a²N/2.
    const clean = signalNoiseSignals(N, 50, 1.5, 0, 3);
    const hat = applyMatrix(F, N, clean);
    for (let r = 0; r < clean.n; r++) {
      const row = hat.x.subarray(r * N, (r + 1) * N);
      const power = row.reduce((a, v) => a + v * v, 0);
      if (clean.y[r] === 0) expect(power).toBe(0);
      else {
        expect(power).toBeCloseTo((1.5 ** 2 * N) / 2, 9);
        // One cos/sin pair (rows 2k−1, 2k of F) carries all of it.
        let best = 0;
        for (let k = 1; k < N / 2; k++) best = Math.max(best, row[2 * k - 1] ** 2 + row[2 * k] ** 2);
        expect(best / power).toBeCloseTo(1, 9);
      }
    }
    // Noisy: per coordinate ⟨x_j²⟩ = σ² (class 0) and σ² + a²/2 (class 1), within 4 standard errors.
    const noisy = signalNoiseSignals(N, 2000, 1, 1, 5);
    const sums = [0, 0];
    const sq = [0, 0];
    const counts = [0, 0];
    for (let r = 0; r < noisy.n; r++)
      for (let j = 0; j < N; j++) {
        const v = noisy.x[r * N + j] ** 2;
        sums[noisy.y[r]] += v;
        sq[noisy.y[r]] += v * v;
        counts[noisy.y[r]]++;
      }
    [1, 1.5].forEach((truth, c) => {
      const m = sums[c] / counts[c];
      // Rows are independent, coordinates within a row nearly so: the plain standard error.
      const se = Math.sqrt((sq[c] / counts[c] - m * m) / counts[c]);
      expect(Math.abs(m - truth)).toBeLessThan(4 * se);
    });
  });

  it("--task signal-noise --dense-hidden: the task is recorded and the dense classifier trained in both bases", () => {
    const c = resolveFourierConfig({
      length: 16,
      examples: 200,
      epochs: 2,
      seed: 2,
      task: "signal-noise",
      denseHidden: 4,
    });
    const r = fourierTask(c);
    expect(r.task).toBe("signal-noise");
    // Accuracies are measured in MEASUREMENTS.md (N = 32, 4096 per class); here only the wiring.
    expect(r.dense?.position.finalTrain).toBeGreaterThan(0);
    expect(r.dense?.fourier.finalTrain).toBeGreaterThan(0);
    expect(fourierTask(resolveFourierConfig({ length: 16, examples: 64, epochs: 1 })).dense).toBeUndefined();
    expect(resolveFourierConfig({}).task).toBe("band");
    expect(() => resolveFourierConfig({ task: "noise" })).toThrow(/task/);
  });
});
