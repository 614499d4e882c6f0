// The pieces of the DFT front end against independent truths: the real Fourier basis of a torus
// against a direct O(N²) complex DFT and the structure factor, the nn energy as a per-coordinate
// quadratic in that basis, the two measures of a learned map on known maps, and the
// feature-separation loss against a Fisher score written out here and its gradient against
// central finite differences.
import { type Tensor, tensor, valueAndGrad } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { applyMatrix, fourierConcentration, realDft, realFourierModes } from "../src/fourier/basis.js";
import { separationLoss } from "../src/fourier/front-end.js";
import { denseMap, separableMap } from "../src/fourier/map-shapes.js";
import { bondWeightSpread } from "../src/ising2d/dft-front-end.js";
import { bondWeights, structureFactor } from "../src/ising2d/structure-factor.js";

/** ŝ(k) = Σ_r s_r e^{−i k·r} on an Ly × Lx torus (sites y·Lx + x), one term at a time. */
function directDft(s: ArrayLike<number>, Ly: number, Lx: number, my: number, mx: number): [number, number] {
  let re = 0;
  let im = 0;
  for (let y = 0; y < Ly; y++)
    for (let x = 0; x < Lx; x++) {
      const a = 2 * Math.PI * ((my * y) / Ly + (mx * x) / Lx);
      re += s[y * Lx + x] * Math.cos(a);
      im -= s[y * Lx + x] * Math.sin(a);
    }
  return [re, im];
}

/** A deterministic pseudo-random ±1 configuration (or reals with `real`). */
const config = (N: number, seed: number, real = false) =>
  Float64Array.from({ length: N }, (_, i) => {
    const u = Math.sin(seed * 1000 + i * 12.9898) * 43758.5453;
    const f = u - Math.floor(u);
    return real ? 2 * f - 1 : f < 0.5 ? -1 : 1;
  });

describe("the 2D DFT front end", () => {
  it.each([
    [4, 4],
    [6, 6],
    [4, 6],
  ])("the real Fourier basis of a %i×%i torus is orthonormal and equals the direct DFT", (Ly, Lx) => {
    const N = Ly * Lx;
    const modes = realFourierModes([Ly, Lx]);
    const F = modes.basis;
    for (let i = 0; i < N; i++)
      for (let k = 0; k < N; k++) {
        let dot = 0;
        for (let j = 0; j < N; j++) dot += F[i * N + j] * F[k * N + j];
        expect(dot).toBeCloseTo(i === k ? 1 : 0, 12);
      }
    // Every wavevector is one pair's k or −k, exactly once.
    const seen = new Set<string>();
    for (const [my, mx] of modes.wavevectors) {
      seen.add(`${my},${mx}`);
      seen.add(`${(Ly - my) % Ly},${(Lx - mx) % Lx}`);
    }
    expect(seen.size).toBe(N);
    for (const real of [false, true]) {
      const s = config(N, Ly + Lx, real);
      const z = applyMatrix(F, N, { x: s, y: new Float64Array(1), n: 1, d: N }).x;
      let row = 0;
      for (const [my, mx] of modes.wavevectors) {
        const [re, im] = directDft(s, Ly, Lx, my, mx);
        const self = (2 * my) % Ly === 0 && (2 * mx) % Lx === 0;
        if (self) {
          expect(z[row++]).toBeCloseTo(re / Math.sqrt(N), 12);
          expect(im).toBeCloseTo(0, 10);
        } else {
          expect(z[row++]).toBeCloseTo(Math.sqrt(2 / N) * re, 12);
          expect(z[row++]).toBeCloseTo(-Math.sqrt(2 / N) * im, 12);
        }
      }
      expect(row).toBe(N);
      if (Ly === Lx) {
        // The pair's squares sum to S(k) + S(−k) (S(k) once for k ≡ −k): the structure factor.
        const S = new Float64Array(N);
        structureFactor(s, Lx, S);
        const perPair = new Float64Array(modes.wavevectors.length);
        for (let b = 0; b < N; b++) perPair[modes.pairOfRow[b]] += z[b] ** 2;
        modes.wavevectors.forEach(([my, mx], p) => {
          const minus = ((Ly - my) % Ly) * Lx + ((Lx - mx) % Lx);
          const want = minus === my * Lx + mx ? S[minus] : S[my * Lx + mx] + S[minus];
          expect(perPair[p]).toBeCloseTo(want, 10);
        });
      }
    }
  });

  it("the nn bond sum is Σ_j λ_j z_j² in this basis: the per-coordinate classifier can read the energy", () => {
    const L = 6;
    const N = L * L;
    const modes = realFourierModes([L, L]);
    const lambda = bondWeights(L);
    for (const seed of [1, 2, 3]) {
      const s = config(N, seed);
      let bonds = 0;
      for (let y = 0; y < L; y++)
        for (let x = 0; x < L; x++)
          bonds += s[y * L + x] * (s[y * L + ((x + 1) % L)] + s[((y + 1) % L) * L + x]);
      const z = applyMatrix(modes.basis, N, { x: s, y: new Float64Array(1), n: 1, d: N }).x;
      let read = 0;
      for (let b = 0; b < N; b++) {
        const [my, mx] = modes.wavevectors[modes.pairOfRow[b]];
        read += lambda[my * L + mx] * z[b] ** 2;
      }
      expect(read).toBeCloseTo(bonds, 10);
    }
  });

  it("the measures of a learned map: DFT rows concentration 1, spread 0; single sites 2/N and 1", () => {
    const L = 8;
    const N = L * L;
    const F = realFourierModes([L, L]).basis;
    const I = new Float64Array(N * N);
    for (let i = 0; i < N; i++) I[i * N + i] = 1;
    expect(fourierConcentration(F, N, [L, L])).toBeCloseTo(1, 12);
    expect(fourierConcentration(I, N, [L, L])).toBeCloseTo(2 / N, 12);
    expect(bondWeightSpread(F, N, L)).toBeCloseTo(0, 6);
    expect(bondWeightSpread(I, N, L)).toBeCloseTo(1, 12);
  });
});

describe("separable maps W = A ⊗ B", () => {
  const matrix = (v: Float64Array, n: number) => tensor(v, [n, n]);

  it("W s applies A along the first axis and B along the second; the penalty is mean((W Wᵀ − 1)²) of that W", () => {
    const [Ly, Lx] = [3, 4];
    const N = Ly * Lx;
    const A = config(Ly * Ly, 11, true);
    const B = config(Lx * Lx, 12, true);
    const shape = separableMap([Ly, Lx]);
    expect(shape.parameters).toBe(Ly * Ly + Lx * Lx);
    const p = { A: matrix(A, Ly), B: matrix(B, Lx) };
    const W = shape.matrix(p).toFloat64Array();
    const s = config(N, 13, true);
    for (let y = 0; y < Ly; y++)
      for (let x = 0; x < Lx; x++) {
        let want = 0;
        for (let y2 = 0; y2 < Ly; y2++)
          for (let x2 = 0; x2 < Lx; x2++) want += A[y * Ly + y2] * B[x * Lx + x2] * s[y2 * Lx + x2];
        let got = 0;
        for (let j = 0; j < N; j++) got += W[(y * Lx + x) * N + j] * s[j];
        expect(got).toBeCloseTo(want, 12);
      }
    let penalty = 0;
    for (let i = 0; i < N; i++)
      for (let k = 0; k < N; k++) {
        let dot = 0;
        for (let j = 0; j < N; j++) dot += W[i * N + j] * W[k * N + j];
        penalty += (dot - (i === k ? 1 : 0)) ** 2;
      }
    expect(shape.orthogonality(p).item()).toBeCloseTo(penalty / (N * N), 12);
    // The dense map's penalty of the same W is the same number.
    expect(
      denseMap(N)
        .orthogonality({ W: matrix(W, N) })
        .item(),
    ).toBeCloseTo(penalty / (N * N), 12);
  });

  it("the product of the 1D real DFTs is orthogonal and diagonalises the nn bonds: spread 0", () => {
    const L = 6;
    const N = L * L;
    const F = realDft(L);
    const W = separableMap([L, L])
      .matrix({ A: matrix(F, L), B: matrix(F, L) })
      .toFloat64Array();
    // The nn bond matrix of the torus, written out: M[i][j] = 1 for each neighbour pair.
    const M = new Float64Array(N * N);
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++) {
        const i = y * L + x;
        for (const j of [y * L + ((x + 1) % L), ((y + 1) % L) * L + x]) {
          M[i * N + j] += 1;
          M[j * N + i] += 1;
        }
      }
    for (let a = 0; a < N; a++)
      for (let b = 0; b < N; b++) {
        let gram = 0;
        let bond = 0;
        for (let i = 0; i < N; i++) {
          gram += W[a * N + i] * W[b * N + i];
          for (let j = 0; j < N; j++) bond += W[a * N + i] * M[i * N + j] * W[b * N + j];
        }
        expect(gram).toBeCloseTo(a === b ? 1 : 0, 12);
        if (a !== b) expect(bond).toBeCloseTo(0, 12);
      }
    expect(bondWeightSpread(W, N, L)).toBeCloseTo(0, 6);
    // Its rows mix k with its mirror (k_x, −k_y): the single-pair concentration is below the DFT's 1.
    expect(fourierConcentration(W, N, [L, L])).toBeLessThan(0.9);
  });
});

describe("the feature-separation loss", () => {
  const B = 9;
  const D = 3;
  const z0 = config(B * D, 7, true).map((v, i) => v * (1 + (i % D)));
  const labels = Float64Array.from({ length: B }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const y = tensor(labels, [B]);
  const lossAt = (z: Float64Array) => separationLoss(tensor(z, [B, D]), y).item();

  it("is minus the mean Fisher score of the squared features", () => {
    let fisher = 0;
    for (let j = 0; j < D; j++) {
      const moments = [0, 1].map((c) => {
        const f = [...Array(B).keys()].filter((r) => labels[r] === c).map((r) => z0[r * D + j] ** 2);
        const m = f.reduce((a, v) => a + v, 0) / f.length;
        return { m, v: f.reduce((a, v) => a + (v - m) ** 2, 0) / f.length };
      });
      fisher += (moments[1].m - moments[0].m) ** 2 / (moments[1].v + moments[0].v + 1e-6);
    }
    expect(lossAt(z0)).toBeCloseTo(-fisher / D, 12);
  });

  it("its gradient equals central finite differences", () => {
    const [, g] = valueAndGrad((z: Tensor) => separationLoss(z, y))(tensor(z0, [B, D]));
    const grad = g.toFloat64Array();
    const h = 1e-5;
    for (let i = 0; i < B * D; i++) {
      const up = Float64Array.from(z0);
      const down = Float64Array.from(z0);
      up[i] += h;
      down[i] -= h;
      const fd = (lossAt(up) - lossAt(down)) / (2 * h);
      // Truncation h²·f''' and rounding 1e−16/h are both far below 1e−6 at these scales.
      expect(Math.abs(grad[i] - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
    expect(grad.some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });
});
