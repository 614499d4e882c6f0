// The Fourier task's pieces against exact facts (orthonormal DFT, the measures on known maps),
// and its central claim on a small seeded run: the per-coordinate classifier is at chance in
// position space and not in the DFT basis.
import { describe, expect, it } from "vitest";
import { resolveFourierConfig } from "../src/config.js";
import { bandAlignment, fourierConcentration, realDft } from "../src/fourier/signals.js";
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
});
