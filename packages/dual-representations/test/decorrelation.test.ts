// The decorrelation term against its definition written out, its zeros (the covariance's
// eigenvectors) and its invariance under row scaling; its place in the learned map's loss; and
// what it is for: on a stationary process on a ring (covariance circulant, eigenvectors the
// Fourier modes) an orthogonal learned map trained with it becomes the DFT, without it it stays
// far from it. And the orthogonal map itself: W = exp(S − Sᵀ) orthogonal for any S.
import { eigh, matmul, mT, tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { fourierConcentration, realDft } from "../src/fourier/basis.js";
import { decorrelationLoss, inputCovariance } from "../src/fourier/decorrelation.js";
import { fitLearnedMap } from "../src/fourier/front-end.js";
import { kron, orthogonalMap, orthogonalSeparableMap } from "../src/fourier/map-shapes.js";
import type { Labelled } from "../src/train/dataset.js";
import { taggedFit } from "../src/train/trainings.js";
import { learnedMapModel, reals } from "./learned-map-fixtures.js";

/** The mean squared correlation coefficient over pairs i ≠ j of a covariance C (d × d), written out. */
function meanSquaredCorrelation(C: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) if (i !== j) s += C[i * d + j] ** 2 / (C[i * d + i] * C[j * d + j]);
  return s / (d * (d - 1));
}

describe("decorrelation", () => {
  const d = 5;
  const n = 40;
  // Neighbouring inputs share a source, so the covariance has off-diagonal entries.
  const g = reals(n * d, 11);
  const x = g.map((v, i) => v + 0.6 * g[i - (i % d) + ((i + 1) % d)]);

  it("inputCovariance is (1/n) Σ (x − x̄)(x − x̄)ᵀ, summed in another order", () => {
    const C = inputCovariance(x, d).toFloat64Array();
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let mi = 0;
        let mj = 0;
        for (let b = 0; b < n; b++) [mi, mj] = [mi + x[b * d + i] / n, mj + x[b * d + j] / n];
        let s = 0;
        for (let b = 0; b < n; b++) s += (x[b * d + i] - mi) * (x[b * d + j] - mj);
        expect(C[i * d + j]).toBeCloseTo(s / n, 13);
      }
    expect(() => inputCovariance(x.subarray(0, d), d)).toThrow(/rows/);
  });

  it("is the mean squared correlation of W x, 0 at Σ's eigenvectors, unchanged when a row of W is scaled", () => {
    const S = inputCovariance(x, d);
    const W = tensor(
      reals(d * d, 4).map((v, i) => v * 0.4 + (i % (d + 1) === 0 ? 1 : 0)),
      [d, d],
    );
    const C = matmul(matmul(W, S), mT(W)).toFloat64Array();
    expect(decorrelationLoss(W, S).item()).toBeCloseTo(meanSquaredCorrelation(C, d), 12);
    const V = mT(eigh(S).vectors);
    expect(decorrelationLoss(V, S).item()).toBeLessThan(1e-25);
    const scaled = W.toFloat64Array().map((v, i) => (i < d ? 7 * v : v));
    expect(decorrelationLoss(tensor(scaled, [d, d]), S).item()).toBeCloseTo(
      decorrelationLoss(W, S).item(),
      12,
    );
  });

  it("enters the learned map's loss as weight × decorrelationLoss(W, the training rows' covariance)", () => {
    const labelled: Labelled = { x, y: Float64Array.from({ length: n }, (_, i) => i % 2), n, d };
    const base = { orthogonalityWeight: 2, separationWeight: 0, initSeed: 1 };
    const W = tensor(
      reals(d * d, 8).map((v, i) => v * 0.3 + (i % (d + 1) === 0 ? 1 : 0)),
      [d, d],
    );
    const p = {
      W,
      head: { u: tensor(reals(d, 1)), v: tensor(reals(d, 2)), b: tensor(Float64Array.of(0.1)) },
    };
    const [xs, ys] = [tensor(x, [n, d]), tensor(labelled.y)];
    const plain = learnedMapModel(labelled, base).loss(p, xs, ys).item();
    const with3 = learnedMapModel(labelled, { ...base, decorrelationWeight: 3 })
      .loss(p, xs, ys)
      .item();
    expect(with3 - plain).toBeCloseTo(3 * decorrelationLoss(W, inputCovariance(x, d)).item(), 12);
  });

  it("turns a learned map into the DFT on a stationary process on a ring; without it the map stays far from it", () => {
    // x = F ᵀ (√s ⊙ g): Fourier coordinates with variances s(k) falling with |k| (distinct for each
    // frequency), so the covariance is circulant with the real DFT's rows as its eigenvectors and
    // no degeneracy beyond each frequency's cos and sin. Labels carry nothing: only the term can
    // move W away from the identity.
    const N = 16;
    const rows = 1024;
    const F = realDft(N);
    const order = Array.from({ length: N }, (_, j) => Math.ceil(j / 2));
    const g = reals(rows * N, 21);
    const xs = new Float64Array(rows * N);
    for (let b = 0; b < rows; b++)
      for (let j = 0; j < N; j++) {
        const a = Math.sqrt(3) * g[b * N + j] * (1 / (1 + 0.5 * order[j]));
        for (let i = 0; i < N; i++) xs[b * N + i] += F[j * N + i] * a;
      }
    const data: Labelled = { x: xs, y: Float64Array.from({ length: rows }, (_, i) => i % 2), n: rows, d: N };
    const learn = (decorrelationWeight: number) =>
      fitLearnedMap(
        taggedFit(),
        "t",
        { train: data, test: data },
        { orthogonalityWeight: 0, separationWeight: 0, decorrelationWeight, initSeed: 3 },
        { epochs: 30, batch: 32, lr: 3e-3, seed: 1 },
        orthogonalMap(N),
      );
    const decorrelated = learn(10);
    const plain = learn(0);
    // The DFT has concentration 1 (each row in one frequency), the identity 2/N = 0.125; the exact
    // eigenvectors of these rows' covariance have 0.94 (sampling mixes the closest frequencies).
    expect(fourierConcentration(realDft(N), N, N)).toBeCloseTo(1, 12);
    expect(fourierConcentration(decorrelated.W, N, N)).toBeGreaterThan(0.85);
    expect(decorrelationLoss(tensor(decorrelated.W, [N, N]), inputCovariance(xs, N)).item()).toBeLessThan(
      1e-3,
    );
    // The cross-entropy alone on labels that carry nothing moves W only by memorising (0.31 here).
    expect(fourierConcentration(plain.W, N, N)).toBeLessThan(0.5);
  });

  it("the orthogonal map exp(S − Sᵀ) is orthogonal for any S, the identity at S = 0, with N(N − 1)/2 entries", () => {
    const N = 6;
    const shape = orthogonalMap(N);
    expect(shape.parameters).toBe(15);
    const W = shape
      .matrix({
        S: tensor(
          reals(N * N, 9).map((v) => 2 * v),
          [N, N],
        ),
      })
      .toFloat64Array();
    for (let a = 0; a < N; a++)
      for (let b = 0; b < N; b++) {
        let dot = 0;
        for (let i = 0; i < N; i++) dot += W[a * N + i] * W[b * N + i];
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
      }
    expect(shape.orthogonality({ S: tensor(new Float64Array(N * N), [N, N]) }).item()).toBe(0);
    const I = shape.matrix({ S: tensor(new Float64Array(N * N), [N, N]) }).toFloat64Array();
    expect(Array.from(I)).toEqual(Array.from({ length: N * N }, (_, i) => (i % (N + 1) === 0 ? 1 : 0)));
  });

  it("the orthogonal-separable map is exp(S_A − S_Aᵀ) ⊗ exp(S_B − S_Bᵀ): orthogonal, with L1(L1 − 1)/2 + L2(L2 − 1)/2 entries", () => {
    const [L1, L2] = [3, 4];
    const shape = orthogonalSeparableMap([L1, L2]);
    expect(shape.parameters).toBe(3 + 6);
    const A = tensor(reals(L1 * L1, 5), [L1, L1]);
    const B = tensor(reals(L2 * L2, 6), [L2, L2]);
    const W = shape.matrix({ A, B }).toFloat64Array();
    const want = kron(
      orthogonalMap(L1).matrix({ S: A }),
      orthogonalMap(L2).matrix({ S: B }),
    ).toFloat64Array();
    expect(Array.from(W)).toEqual(Array.from(want));
    const N = L1 * L2;
    for (let a = 0; a < N; a++)
      for (let b = 0; b < N; b++) {
        let dot = 0;
        for (let i = 0; i < N; i++) dot += W[a * N + i] * W[b * N + i];
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
      }
  });
});
