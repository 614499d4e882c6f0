// The energy-threshold accuracy (the Bayes ceiling the network is judged against) against the
// exact Bayes accuracy of a 4×4 torus from a density of states enumerated here, on exact samples.
import { exactSamples } from "@physml/inverse-ising";
import { dualCoupling, standardSquareModel } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { bondWeights, structureFactor } from "../src/ising2d/structure-factor.js";
import { dualTemperature, energyThresholdAccuracy } from "../src/ising2d/task.js";
import { splitRows } from "../src/train/dataset.js";

const L = 4;
const N = L * L;

function bondSum(s: ArrayLike<number>, at = 0): number {
  let b = 0;
  for (let y = 0; y < L; y++)
    for (let x = 0; x < L; x++) {
      const v = s[at + y * L + x];
      b += v * s[at + y * L + ((x + 1) % L)] + v * s[at + ((y + 1) % L) * L + x];
    }
  return b;
}

/** Exact Bayes accuracy for equal priors: ½ Σ_E max(p1(E), p2(E)). */
function exactBayes(b1: number, b2: number): number {
  const g = new Map<number, number>();
  const s = new Int8Array(N);
  for (let code = 0; code < 2 ** N; code++) {
    for (let i = 0; i < N; i++) s[i] = (code >> i) & 1 ? -1 : 1;
    const B = bondSum(s);
    g.set(B, (g.get(B) ?? 0) + 1);
  }
  const p = (beta: number) => {
    const w = [...g].map(([B, n]) => [B, n * Math.exp(beta * B)] as const);
    const z = w.reduce((a, [, v]) => a + v, 0);
    return new Map(w.map(([B, v]) => [B, v / z]));
  };
  const p1 = p(b1);
  const p2 = p(b2);
  let acc = 0;
  for (const B of g.keys()) acc += 0.5 * Math.max(p1.get(B) ?? 0, p2.get(B) ?? 0);
  return acc;
}

describe("energy threshold = Bayes-optimal temperature classifier", () => {
  it.each([
    [0.45, 0.6],
    [0.2, 0.3],
  ])("β %f vs %f on 4×4: exact samples reach the exact Bayes accuracy within 4σ", (b1, b2) => {
    const count = 6000;
    const a = exactSamples(standardSquareModel(L, L, { nn: b1, nnn: 0, plaquette: 0, field: 0 }), count, 11);
    const b = exactSamples(standardSquareModel(L, L, { nn: b2, nnn: 0, plaquette: 0, field: 0 }), count, 12);
    const n = 2 * count;
    const x = Float64Array.from(
      { length: n },
      (_, r) => -(r < count ? bondSum(a, r * N) : bondSum(b, (r - count) * N)) / N,
    );
    const y = Float64Array.from({ length: n }, (_, r) => (r < count ? 0 : 1));
    const { train, test } = splitRows({ x, y, n, d: 1 }, 0.5, 3);
    const got = energyThresholdAccuracy(train, test);
    const want = exactBayes(b1, b2);
    const sigma = Math.sqrt((want * (1 - want)) / test.n);
    expect(Math.abs(got - want)).toBeLessThan(4 * sigma);
  });

  it("the dual temperature is Kramers–Wannier's: sinh(2/T) sinh(2/T̃) = 1, an involution fixing Tc", () => {
    for (const T of [1.25, 1.5, 2, 3.5]) {
      const Td = dualTemperature(T);
      expect(Math.sinh(2 / T) * Math.sinh(2 / Td)).toBeCloseTo(1, 12);
      expect(dualTemperature(Td)).toBeCloseTo(T, 10);
    }
    const Tc = 1 / dualCoupling(Math.log(1 + Math.SQRT2) / 2);
    expect(dualTemperature(Tc)).toBeCloseTo(Tc, 12);
  });

  it("the nn bond sum is linear in the structure factor: Σ⟨ij⟩ s_i s_j = Σ_k (cos k_x + cos k_y) S(k)", () => {
    for (const L6 of [4, 6]) {
      const s = Int8Array.from({ length: L6 * L6 }, (_, i) => ((i * 7919 + (i >> 2)) % 3 === 0 ? -1 : 1));
      let bonds = 0;
      for (let y = 0; y < L6; y++)
        for (let x = 0; x < L6; x++) {
          const v = s[y * L6 + x];
          bonds += v * s[y * L6 + ((x + 1) % L6)] + v * s[((y + 1) % L6) * L6 + x];
        }
      const S = new Float64Array(L6 * L6);
      structureFactor(s, L6, S);
      const w = bondWeights(L6);
      expect(S.reduce((a, v, k) => a + w[k] * v, 0)).toBeCloseTo(bonds, 10);
      // Parseval: Σ_k S(k) = N for ±1 spins; S(0) = M²/N.
      expect(S.reduce((a, v) => a + v, 0)).toBeCloseTo(L6 * L6, 10);
      const M = s.reduce((a, v) => a + v, 0);
      expect(S[0]).toBeCloseTo((M * M) / (L6 * L6), 10);
    }
  });
});
