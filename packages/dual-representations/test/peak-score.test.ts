// The peak reward of a learned map (the mean excess kurtosis of its coordinates over a batch)
// against moments written out here, its gradient against central finite differences, its value on
// a cosine of uniform phase (−1.5, exactly), and its claim on the paper's Figure 1 task: on
// signal-noise rows it is ≈ 0 for position coordinates and large for DFT ones, both against
// values derived from the signal's distribution with tolerances from the estimate's own error.
// The learned map's loss falls by exactly weight × the reward.
import { type Tensor, tensor, valueAndGrad } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { resolveFourierConfig } from "../src/config.js";
import { applyMatrix, realDft } from "../src/fourier/basis.js";
import type { fitLearnedMap } from "../src/fourier/front-end.js";
import { pairPeakScore, peakScore } from "../src/fourier/peak-score.js";
import { signalNoiseSignals } from "../src/fourier/signals.js";
import type { Labelled } from "../src/train/dataset.js";
import { learnedMapModel, reals } from "./learned-map-fixtures.js";

/**
 * Per column j of z (n × d, row-major): the excess kurtosis m₄/m₂² − 3 of its central moments,
 * and the delta-method standard error of that estimate, from the sample's own moments.
 */
function kurtoses(z: Float64Array, n: number, d: number): { k: number[]; se: number[] } {
  const k: number[] = [];
  const se: number[] = [];
  for (let j = 0; j < d; j++) {
    let mu = 0;
    for (let r = 0; r < n; r++) mu += z[r * d + j];
    mu /= n;
    let m2 = 0;
    let m4 = 0;
    for (let r = 0; r < n; r++) {
      const c = z[r * d + j] - mu;
      m2 += c * c;
      m4 += c ** 4;
    }
    m2 /= n;
    m4 /= n;
    const K = m4 / (m2 * m2);
    // K̂ − K ≈ (1/n) Σ_r (c_r⁴ − 2 K m₂ c_r²) / m₂², a mean of n terms: its error is their sd / √n.
    let s = 0;
    let s2 = 0;
    for (let r = 0; r < n; r++) {
      const c = z[r * d + j] - mu;
      const u = (c ** 4 - 2 * K * m2 * c * c) / (m2 * m2);
      s += u;
      s2 += u * u;
    }
    k.push(K - 3);
    se.push(Math.sqrt((s2 / n - (s / n) ** 2) / n));
  }
  return { k, se };
}

const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/**
 * The gradient of the scalar f at z0 against central differences in every entry (step 1e−5:
 * truncation h²·f‴ and rounding 1e−16/h are both far below the 1e−6 tolerance at these scales),
 * and not trivially zero.
 */
function expectGradientOfDifferences(f: (z: Tensor) => Tensor, z0: Float64Array, shape: number[]) {
  const at = (z: Float64Array) => f(tensor(z, shape)).item();
  const grad = valueAndGrad(f)(tensor(z0, shape))[1].toFloat64Array();
  const h = 1e-5;
  for (let i = 0; i < z0.length; i++) {
    const up = Float64Array.from(z0);
    const down = Float64Array.from(z0);
    up[i] += h;
    down[i] -= h;
    const fd = (at(up) - at(down)) / (2 * h);
    expect(Math.abs(grad[i] - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
  }
  expect(grad.some((v) => Math.abs(v) > 1e-3)).toBe(true);
}

describe("the peak reward", () => {
  const B = 10;
  const D = 3;
  const z0 = reals(B * D, 4).map((v, i) => v * (1 + (i % D)) + (i % 7 === 0 ? 2 : 0));
  const at = (z: Float64Array) => peakScore(tensor(z, [B, D])).item();

  it("is the mean over coordinates of the excess kurtosis m₄/m₂² − 3, unchanged by a row's scale", () => {
    // To 1e−9: the reward's 1e−12 in m₂² + 1e−12 (against division by zero) moves it by ~1e−11 here.
    expect(at(z0)).toBeCloseTo(meanOf(kurtoses(z0, B, D).k), 9);
    // Scaling a coordinate (a row of W) and shifting it leave it as it is.
    const scaled = z0.map((v, i) => (i % D === 1 ? 7 * v + 3 : v));
    expect(at(scaled)).toBeCloseTo(at(z0), 10);
    // A cosine of uniform phase: E cos⁴ / (E cos²)² = (3/8) / (1/4) = 1.5, so −1.5; Gaussian-free.
    const n = 4096;
    const cosine = Float64Array.from({ length: n }, (_, r) => Math.cos((2 * Math.PI * (r + 0.5)) / n));
    expect(peakScore(tensor(cosine, [n, 1])).item()).toBeCloseTo(-1.5, 10);
  });

  it("its gradient equals central finite differences", () => {
    expectGradientOfDifferences(peakScore, z0, [B, D]);
  });

  it("on signal-noise rows: ≈ 0 for position coordinates, the heavy tail's value for DFT ones", () => {
    // N = 32, amplitude a = 1, unit noise: class 1 (half the rows) holds a cos(2πkj/N + φ), k
    // uniform in 1…N/2 − 1. Position: s = a cos(·) in half the rows, E s² = a²/4,
    // E s⁴ = 3a⁴/16, so with the noise E z⁴ = 3/16 + 6/4 + 3 = 3 (E z²)²: excess 0. A DFT cos or
    // sin row holds the wave only when its k is drawn (probability π = 1/(2·15)) and then
    // a√(N/2) cos φ': E s² = π a²N/4, E s⁴ = π · 3a⁴N²/32, excess (E s⁴ + 6E s² + 3)/(1 + E s²)² − 3;
    // the constant and alternating rows see none of it (excess 0).
    const N = 32;
    const data = signalNoiseSignals(N, 4096, 1, 1, 3);
    const pi = 1 / (2 * (N / 2 - 1));
    const s2 = (pi * N) / 4;
    const s4 = (pi * 3 * N * N) / 32;
    const dftRow = (s4 + 6 * s2 + 3) / (1 + s2) ** 2 - 3;
    const identity = new Float64Array(N * N);
    for (let i = 0; i < N; i++) identity[i * N + i] = 1;
    const measured = (W: Float64Array, expected: number[]) => {
      const z: Labelled = applyMatrix(W, N, data);
      const { k, se } = kurtoses(z.x, z.n, N);
      const score = peakScore(tensor(z.x, [z.n, N])).item();
      expect(score).toBeCloseTo(meanOf(k), 10);
      // The coordinates' errors taken as fully correlated: the mean's error is at most their mean.
      expect(Math.abs(score - meanOf(expected))).toBeLessThan(4 * meanOf(se));
      return { score, se: meanOf(se) };
    };
    const position = measured(identity, Array(N).fill(0));
    // Rows of realDft(N): the constant, cos/sin for k = 1…15, the alternating mode.
    const dft = measured(
      realDft(N),
      Array.from({ length: N }, (_, i) => (i === 0 || i === N - 1 ? 0 : dftRow)),
    );
    expect(dftRow).toBeCloseTo(1.8615, 3);
    // Larger (better) at W = DFT, by more than 4 times the two errors together.
    expect(dft.score - position.score).toBeGreaterThan(4 * (dft.se + position.se));
  });
});

describe("the pair form of the peak reward", () => {
  const B = 10;
  const D = 4;
  const z0 = reals(B * D, 8).map((v, i) => v * (1 + (i % D)) + (i % 7 === 0 ? 2 : 0));
  const at = (z: Float64Array) => pairPeakScore(tensor(z, [B, D])).item();

  it("is the mean over pairs (1, 2), (3, 0) of E P² / (E P)² − 2 of the standardised powers, unchanged by a row's scale", () => {
    const u = new Float64Array(B * D);
    for (let j = 0; j < D; j++) {
      let mu = 0;
      for (let r = 0; r < B; r++) mu += z0[r * D + j] / B;
      let m2 = 0;
      for (let r = 0; r < B; r++) m2 += (z0[r * D + j] - mu) ** 2 / B;
      for (let r = 0; r < B; r++) u[r * D + j] = (z0[r * D + j] - mu) / Math.sqrt(m2);
    }
    let score = 0;
    for (const [a, b] of [
      [1, 2],
      [3, 0],
    ]) {
      let p1 = 0;
      let p2 = 0;
      for (let r = 0; r < B; r++) {
        const P = u[r * D + a] ** 2 + u[r * D + b] ** 2;
        p1 += P / B;
        p2 += (P * P) / B;
      }
      score += (p2 / (p1 * p1) - 2) / 2;
    }
    expect(at(z0)).toBeCloseTo(score, 9);
    expect(at(z0.map((v, i) => (i % D === 2 ? -5 * v + 1 : v)))).toBeCloseTo(at(z0), 9);
    expect(() => pairPeakScore(tensor(reals(9, 1), [3, 3]))).toThrow(PhysmlInputError);
  });

  it("its gradient equals central finite differences", () => {
    expectGradientOfDifferences(pairPeakScore, z0, [B, D]);
  });

  it("on signal-noise rows: DFT pairs above pairs of two frequencies, both far above position's neighbours", () => {
    // N = 32, a = 1, unit noise; S = a²N/2 is a drawn wave's power in its frequency pair, drawn
    // with probability π = 1/(2·15) per pair. With v = E z², E P² / (E P)² − 2 of the standardised
    // pair is (2 E z_a⁴ + 2 E z_a² z_b²) / (4v²) − 2 (E P = 2), from these moments of z = s + ε:
    const N = 32;
    const a = 1;
    const S = (a * a * N) / 2;
    const pi = 1 / (2 * (N / 2 - 1));
    const score = (v: number, z4: number, zz: number) => (2 * z4 + 2 * zz) / (4 * v * v) - 2;
    const vF = 1 + (pi * S) / 2;
    const z4F = 3 + 3 * pi * S + (pi * 3 * S * S) / 8;
    // (cos k, sin k): large together, E cos²φ sin²φ = 1/8; (cos k, sin k′): never at once.
    const sameFrequency = (score(vF, z4F, 1 + pi * S + (pi * S * S) / 8) * (N / 2 - 1)) / (N / 2);
    const twoFrequencies = (score(vF, z4F, 1 + pi * S) * (N / 2 - 1)) / (N / 2);
    // Neighbouring sites: half the rows hold a cos θ and a cos(θ + 2πk/N), E over θ of the product
    // of their squares a⁴(1/4 + cos(4πk/N)/8), averaged over k.
    let c = 0;
    for (let k = 1; k < N / 2; k++) c += Math.cos((4 * Math.PI * k) / N) / (N / 2 - 1);
    const vP = 1 + (a * a) / 4;
    const position = score(
      vP,
      3 + (6 * a * a) / 4 + (3 * a ** 4) / 16,
      1 + (a * a) / 2 + (a ** 4 * (1 / 4 + c / 8)) / 2,
    );
    const identity = new Float64Array(N * N);
    for (let i = 0; i < N; i++) identity[i * N + i] = 1;
    const F = realDft(N);
    // The DFT with every sin row moved one frequency on: each pair holds cos k and sin k + 1.
    const shifted = Float64Array.from(F);
    for (let k = 1; k < N / 2; k++)
      shifted.set(
        F.subarray(2 * ((k % (N / 2 - 1)) + 1) * N, (2 * ((k % (N / 2 - 1)) + 1) + 1) * N),
        2 * k * N,
      );
    // 8 independent data sets: the mean of their scores, its error from their spread.
    const measured = (W: Float64Array, expected: number) => {
      const v = Array.from({ length: 8 }, (_, i) => {
        const z = applyMatrix(W, N, signalNoiseSignals(N, 1024, a, 1, 20 + i));
        return pairPeakScore(tensor(z.x, [z.n, N])).item();
      });
      const m = meanOf(v);
      const se = Math.sqrt(v.reduce((acc, x) => acc + (x - m) ** 2, 0) / (v.length - 1) / v.length);
      expect(Math.abs(m - expected)).toBeLessThan(4 * se);
      return { m, se };
    };
    const pos = measured(identity, position);
    const same = measured(F, sameFrequency);
    const two = measured(shifted, twoFrequencies);
    expect([position, twoFrequencies, sameFrequency].map((v) => v.toFixed(3))).toEqual([
      "0.019",
      "0.852",
      "1.163",
    ]);
    expect(same.m - two.m).toBeGreaterThan(4 * Math.hypot(same.se, two.se));
    expect(two.m - pos.m).toBeGreaterThan(4 * Math.hypot(two.se, pos.se));
  });
});

describe("a learned map with the peak reward", () => {
  const N = 4;
  const B = 8;
  const labelled = { x: reals(B * N, 3), y: Float64Array.from({ length: B }, (_, i) => i % 2), n: B, d: N };
  const x = tensor(labelled.x, [B, N]);
  const y = tensor(labelled.y, [B]);
  const modelOf = (o: Parameters<typeof fitLearnedMap>[3]) => learnedMapModel(labelled, o);
  const Wv = reals(N * N, 5).map((v, i) => v * 0.3 + (i % (N + 1) === 0 ? 1 : 0));
  const params = {
    W: tensor(Wv, [N, N]),
    head: { u: tensor(reals(N, 6)), v: tensor(reals(N, 7)), b: tensor(Float64Array.of(0.2)) },
  };
  const base = { orthogonalityWeight: 2, separationWeight: 0.5, initSeed: 1 };

  it("loses weight × the peak reward of z = W x (z computed here by loops); weight 0 changes nothing", () => {
    const plain = modelOf(base).loss(params, x, y).item();
    expect(
      modelOf({ ...base, peakWeight: 0 })
        .loss(params, x, y)
        .item(),
    ).toBe(plain);
    const z = new Float64Array(B * N);
    for (let r = 0; r < B; r++)
      for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++) z[r * N + i] += Wv[i * N + j] * labelled.x[r * N + j];
    const rewarded = modelOf({ ...base, peakWeight: 0.7 })
      .loss(params, x, y)
      .item();
    // To 1e−9, as above (the 1e−12 against division by zero).
    expect(rewarded - plain).toBeCloseTo(-0.7 * meanOf(kurtoses(z, B, N).k), 9);
    // The pair form (checked against loops above) on the same z.
    const paired = modelOf({ ...base, peakWeight: 0.7, peakFeature: "pair" })
      .loss(params, x, y)
      .item();
    expect(paired - plain).toBeCloseTo(-0.7 * pairPeakScore(tensor(z, [B, N])).item(), 9);
  });

  it("--peak-weight and --peak-feature: defaults 0 and coordinate, refused out of range by field", () => {
    expect(resolveFourierConfig({}).peakWeight).toBe(0);
    expect(resolveFourierConfig({}).peakFeature).toBe("coordinate");
    expect(resolveFourierConfig({ peakWeight: 1, peakFeature: "pair" }).peakFeature).toBe("pair");
    expect(() => resolveFourierConfig({ peakFeature: "pair" })).toThrow(/peakFeature.*--peak-weight/);
    expect(() => resolveFourierConfig({ peakWeight: 1, peakFeature: "triple" })).toThrow(PhysmlInputError);
    expect(resolveFourierConfig({ peakWeight: 2.5 }).peakWeight).toBe(2.5);
    for (const bad of [-0.1, 1001, Number.NaN]) {
      let err: unknown;
      try {
        resolveFourierConfig({ peakWeight: bad });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PhysmlInputError);
      expect(String((err as Error).message)).toMatch(/peakWeight.*1000/);
    }
  });
});
