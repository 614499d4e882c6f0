import { tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { CARTAN_FLOOR, cartanRatio } from "./cartan-ratio.js";

/** Seeded uniforms in [−1, 1) (a small LCG: the test needs numbers, not quality). */
function uniforms(count: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

const matmul = (a: number[], b: number[], n: number) =>
  Array.from({ length: n * n }, (_, k) => {
    const [i, j] = [Math.floor(k / n), k % n];
    let s = 0;
    for (let l = 0; l < n; l++) s += a[i * n + l] * b[l * n + j];
    return s;
  });

/** The batch G A_p G⁻¹ for 2×2 G. */
function gauged(values: number[][], g: [number, number, number, number]): number[][] {
  const [a, b, c, d] = g;
  const det = a * d - b * c;
  const gi = [d / det, -b / det, -c / det, a / det];
  return values.map((v) => matmul(matmul(g, v, 2), gi, 2));
}

const batch = (values: number[][], n: number) =>
  tensor(Float64Array.from(values.flat()), [values.length, n, n]);

describe("cartanRatio", () => {
  const P = 64;
  const u = uniforms(4 * P, 7);
  // KdV's AKNS A_x = [[0, 1], [μ, 0]] at μ_p = λ − φ_p
  const mu = Array.from({ length: P }, (_, p) => 0.2 - u[p]);
  const akns = mu.map((m) => [0, 1, m, 0]);

  it("is KdV's closed form 2⟨|μ_p' − μ_p|⟩² / ⟨|μ_p + μ_q|⟩² on AKNS values", () => {
    // [A_p, A_q] = (μ_q − μ_p) diag(1, −1), tr([·][·]) = 2 d_p d_q, tr(A_p A_q) = μ_p + μ_q
    const d = mu.map((m, p) => mu[(p + P / 2) % P] - m);
    const meanAbsD = d.reduce((s, x) => s + Math.abs(x), 0) / P;
    let pairs = 0;
    for (const a of mu) for (const b of mu) pairs += Math.abs(a + b);
    pairs /= P * P;
    const expected = (2 * meanAbsD * meanAbsD) / (pairs * pairs);
    expect(cartanRatio(batch(akns, 2))).toBeCloseTo(expected, 12);
    expect(expected).toBeGreaterThan(1e3 * CARTAN_FLOOR);
  });

  it("is invariant under a constant gauge, scaling and a trace part", () => {
    const base = cartanRatio(batch(akns, 2));
    const g: [number, number, number, number] = [3, 1, 0.5, 0.2];
    expect(cartanRatio(batch(gauged(akns, g), 2)) / base).toBeCloseTo(1, 10);
    expect(
      cartanRatio(
        batch(
          akns.map((v) => v.map((x) => 7 * x)),
          2,
        ),
      ) / base,
    ).toBeCloseTo(1, 12);
    const shifted = akns.map((v, p) => [v[0] + u[P + p], v[1], v[2], v[3] + u[P + p]]);
    expect(cartanRatio(batch(shifted, 2)) / base).toBeCloseTo(1, 12);
  });

  it("is zero for abelian and triangular values, in any constant gauge", () => {
    // an abelian connection f(φ) X + g(φ) 1: a conservation law ρ_t + j_x = 0 in matrix form
    const X = [1, 0.3, 0.7, -0.4];
    const abelian = Array.from({ length: P }, (_, p) =>
      X.map((x, k) => u[p] * x + (k % 3 === 0 ? u[P + p] : 0)),
    );
    const triangular = Array.from({ length: P }, (_, p) => [u[p], u[P + p], 0, u[2 * P + p]]);
    for (const values of [abelian, triangular]) {
      expect(cartanRatio(batch(values, 2))).toBeLessThan(1e-20);
      // in a gauge the commutators are nilpotent, not small: tr(CC') = 0 only up to rounding
      expect(cartanRatio(batch(gauged(values, [2, -1, 0.3, 1.1]), 2))).toBeLessThan(1e-12);
    }
    // upper-triangular 3×3 (a nilpotent commutator algebra) stays solvable
    const tri3 = Array.from({ length: P }, (_, p) => [
      u[p],
      u[P + p],
      u[2 * P + p],
      0,
      u[3 * P + p],
      u[p] * u[P + p],
      0,
      0,
      -u[p],
    ]);
    expect(cartanRatio(batch(tri3, 3))).toBeLessThan(1e-20);
  });

  it("is positive for so(3) values and for an sl(2) block beside a trace (reducible, not solvable)", () => {
    const so3 = Array.from({ length: P }, (_, p) => {
      const [a, b, c] = [u[p], u[P + p], u[2 * P + p]];
      return [0, -c, b, c, 0, -a, -b, a, 0];
    });
    expect(cartanRatio(batch(so3, 3))).toBeGreaterThan(1e3 * CARTAN_FLOOR);
    const block = akns.map(([a, b, c, d], p) => [a, b, 0, c, d, 0, 0, 0, u[3 * P + p]]);
    expect(cartanRatio(batch(block, 3))).toBeGreaterThan(1e3 * CARTAN_FLOOR);
  });

  it("is 0 below two points or for a zero A_x, and names a bad shape", () => {
    expect(cartanRatio(batch([akns[0]], 2))).toBe(0);
    expect(
      cartanRatio(
        batch(
          [
            [0, 0, 0, 0],
            [0, 0, 0, 0],
          ],
          2,
        ),
      ),
    ).toBe(0);
    expect(() => cartanRatio(tensor(new Float64Array(6), [1, 2, 3]))).toThrow(PhysmlInputError);
  });
});
