// The shared classifier (logit = Σ g(t), one network g on every coordinate or neighbouring pair)
// against a loop written here, and its claim on the paper's Figure 1 task against a truth that
// needs no training: thresholding the largest power in one frequency (the peak, from a complex
// DFT written here) detects a wave in noise better than thresholding the total power (the same
// in every basis), and the shared classifier handed the DFT reaches the peak detector while in
// position space it cannot beat the total power by much. The per-coordinate quadratic classifier
// sees only the total power, in either basis, and fails these checks.
import { type Tensor, tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { seedPlus } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { resolveFourierConfig } from "../src/config.js";
import { applyMatrix, realDft } from "../src/fourier/basis.js";
import { fitLearnedMap } from "../src/fourier/front-end.js";
import { sharedClassifier } from "../src/fourier/shared-head.js";
import { signalNoiseSignals } from "../src/fourier/signals.js";
import { fourierTask } from "../src/fourier/task.js";
import { type Labelled, splitRows } from "../src/train/dataset.js";
import { fitBinary } from "../src/train/fit.js";
import { taggedFit } from "../src/train/trainings.js";
import { reals } from "./learned-map-fixtures.js";

/** g(t) = c · relu(A t + a) + c0 for hand-set A [m, h], a [h], c [h], c0, evaluated by loops. */
function naiveG(p: LinearParams[], t: number[]): number {
  const [A, a, c, c0] = [p[0].w, p[0].b, p[1].w, p[1].b].map((v: Tensor) => v.toFloat64Array());
  const h = a.length;
  let out = c0[0];
  for (let k = 0; k < h; k++) {
    let s = a[k];
    for (let i = 0; i < t.length; i++) s += A[i * h + k] * t[i];
    out += c[k] * Math.max(0, s);
  }
  return out;
}

/** Per row, the total power Σ_j x_j² and the largest power in one frequency 1 ≤ k < N/2. */
function powers(d: Labelled): { total: Float64Array; peak: Float64Array } {
  const N = d.d;
  const total = new Float64Array(d.n);
  const peak = new Float64Array(d.n);
  for (let r = 0; r < d.n; r++) {
    const x = d.x.subarray(r * N, (r + 1) * N);
    total[r] = x.reduce((a, v) => a + v * v, 0);
    for (let k = 1; k < N / 2; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < N; j++) {
        re += x[j] * Math.cos((2 * Math.PI * k * j) / N);
        im -= x[j] * Math.sin((2 * Math.PI * k * j) / N);
      }
      // |X_k|² · 2/N: the power of the pair (cos k, sin k) of an orthonormal basis.
      peak[r] = Math.max(peak[r], ((re * re + im * im) * 2) / N);
    }
  }
  return { total, peak };
}

/** The threshold on s that classifies the most training rows right ("s > t" is class 1). */
function bestThreshold(s: Float64Array, y: Float64Array): number {
  const order = Array.from(s.keys()).sort((i, j) => s[i] - s[j]);
  let right = y.reduce((a, v) => a + v, 0);
  let best = right;
  let t = Number.NEGATIVE_INFINITY;
  for (const i of order) {
    right += y[i] > 0.5 ? -1 : 1;
    if (right > best) [best, t] = [right, s[i]];
  }
  return t;
}

const thresholdAccuracy = (s: Float64Array, y: Float64Array, t: number) =>
  s.reduce((a, v, i) => a + (v > t === y[i] > 0.5 ? 1 : 0), 0) / s.length;

describe("shared classifier", () => {
  it("is Σ g over coordinates, or over the pairs (1, 2), (3, 4), …, (N − 1, 0), with one g", () => {
    const N = 8;
    const B = 3;
    const z = reals(B * N, 2);
    for (const input of ["coordinate", "pair"] as const) {
      const m = input === "pair" ? 2 : 1;
      const h = 5;
      const s = sharedClassifier(N, input, h, 4);
      expect(s.parameters).toBe((m + 1) * h + h + 1);
      // The read-out starts at 0 (logit 0 everywhere); hand-set weights test the sum itself.
      expect(Array.from(s.logits(s.init, tensor(z, [B, N])).toFloat64Array())).toEqual([0, 0, 0]);
      const p: LinearParams[] = [
        { w: tensor(reals(m * h, 5), [m, h]), b: tensor(reals(h, 6)) },
        { w: tensor(reals(h, 7), [h, 1]), b: tensor(reals(1, 8)) },
      ];
      const got = s.logits(p, tensor(z, [B, N])).toFloat64Array();
      for (let r = 0; r < B; r++) {
        const row = Array.from(z.subarray(r * N, (r + 1) * N));
        let want = 0;
        for (let q = 0; q < N / m; q++)
          want += naiveG(p, m === 2 ? [row[2 * q + 1], row[(2 * q + 2) % N]] : [row[q]]);
        expect(got[r]).toBeCloseTo(want, 12);
      }
    }
  });

  it("in the DFT reaches the peak detector, which beats the total power (signal against noise)", () => {
    // N = 64, amplitude 0.8: a wave's power a²N/2 = 20 sits in one pair against a noise pair's
    // mean 2 (the largest of 31 about 8), so the peak detector wins clearly; the total power
    // (mean N + 20 against N, spread ≈ √(2N) = 11) is what the per-coordinate classifier sees,
    // in either basis.
    const N = 64;
    const data = signalNoiseSignals(N, 2500, 0.8, 1, 11);
    const split = splitRows(data, 0.6, seedPlus(11, 1));
    const [tr, te] = [powers(split.train), powers(split.test)];
    const n = split.test.n;
    const acc = {
      peak: thresholdAccuracy(te.peak, split.test.y, bestThreshold(tr.peak, split.train.y)),
      total: thresholdAccuracy(te.total, split.test.y, bestThreshold(tr.total, split.train.y)),
    };
    // σ of the difference of two accuracies p, q on n rows (taken as independent: conservative).
    const sd = (p: number, q: number) => Math.sqrt((p * (1 - p) + q * (1 - q)) / n);
    expect(acc.peak - acc.total).toBeGreaterThan(5 * sd(acc.peak, acc.total));

    const F = realDft(N);
    const dft = { train: applyMatrix(F, N, split.train), test: applyMatrix(F, N, split.test) };
    const opts = { epochs: 25, batch: 64, lr: 0.01, seed: 3 };
    const fitIn = (s: typeof split) => {
      const h = sharedClassifier(N, "pair", 8, 5);
      return fitBinary(h.model, h.init, s, opts).finalTestAccuracy;
    };
    const fourier = fitIn(dft);
    const position = fitIn(split);
    console.log(
      `peak detector ${acc.peak.toFixed(3)}, total power ${acc.total.toFixed(3)}; shared classifier: DFT ${fourier.toFixed(3)}, position ${position.toFixed(3)} (${n} test rows)`,
    );
    expect(fourier).toBeGreaterThan(acc.peak - 3 * sd(fourier, acc.peak));
    expect(fourier - position).toBeGreaterThan(5 * sd(fourier, position));
    // In position space a wave's power is spread over every pair, so no peak: at most about the
    // total power's accuracy.
    expect(position).toBeLessThan(acc.total + 3 * sd(position, acc.total));
  });

  it("runs behind a learned map, refuses a head decay it has none for, and is reported by the task", () => {
    const N = 8;
    const data = signalNoiseSignals(N, 40, 1, 1, 2);
    const split = splitRows(data, 0.5, 3);
    const h = sharedClassifier(N, "pair", 3, 4);
    const o = { orthogonalityWeight: 1, separationWeight: 1, initSeed: 5 };
    const opts = { epochs: 1, batch: 16, lr: 0.01, seed: 1 };
    const r = fitLearnedMap(taggedFit(), "t", split, o, opts, undefined, h);
    expect(r.W.length).toBe(N * N);
    expect(r.fit.params.head).toHaveLength(2);
    expect(() =>
      fitLearnedMap(taggedFit(), "t", split, { ...o, headDecay: 0.1 }, opts, undefined, h),
    ).toThrow(/headDecay/);

    const c = resolveFourierConfig({
      length: 16,
      examples: 64,
      epochs: 1,
      task: "signal-noise",
      sharedHidden: 4,
      sharedInput: "coordinate",
    });
    const t = fourierTask(c);
    expect(t.shared?.input).toBe("coordinate");
    expect(t.shared?.parameters).toBe(2 * 4 + 4 + 1);
    for (const a of [t.shared?.position, t.shared?.fourier, t.shared?.learned.accuracies])
      expect(a?.finalTrain).toBeGreaterThan(0);
    expect(t.shared?.learnedWithSeparation.fourierConcentration).toBeGreaterThan(0);
    expect(fourierTask(resolveFourierConfig({ length: 16, examples: 64, epochs: 1 })).shared).toBeUndefined();
    expect(resolveFourierConfig({}).sharedHidden).toBe(0);
    expect(() => resolveFourierConfig({ sharedHidden: 65 })).toThrow(/sharedHidden/);
    expect(() => resolveFourierConfig({ sharedInput: "triple" })).toThrow(/sharedInput/);
  });
});
