// Exact 1D solvers against sums and integrals written out here: the Ising transfer matrix against
// a brute-force sum over all 2^L ring states, and the O(2) / O(3) rings against direct quadrature
// of their partition functions (midpoint rule on periodic analytic integrands and Gauss–Legendre
// in cos θ, both exponentially accurate).
import { describe, expect, it } from "vitest";
import { spinsOf } from "../../test/helpers.js";
import { defineModel } from "../model/define.js";
import { besselI, heisenbergChainExact, sphericalBesselI, xyChainExact } from "./on-chain.js";
import { MAX_TRANSFER_RANGE, transferMatrixChain } from "./transfer-matrix.js";

const near = (a: number, b: number, tol: number) =>
  expect(Math.abs(a - b)).toBeLessThan(tol * (1 + Math.abs(b)));

/** A term of an Ising chain: its shapes (lists of site offsets) and coupling. */
type ChainTerm = { shapes: number[][]; coupling: number };

function chainModel(L: number, terms: ChainTerm[], twist = false) {
  return defineModel({
    spin: "ising",
    lattice: twist ? { chain: L, twist: [true] } : { chain: L },
    terms: terms.map((t, j) => ({
      name: `t${j}`,
      coupling: t.coupling,
      shapes: t.shapes.map((s) => s.map((o) => [o])),
    })),
  });
}

/** ln Z, ⟨S_t⟩ and ⟨H⟩/L of a ring of L Ising spins by summing all 2^L states. */
function ringBruteForce(L: number, terms: ChainTerm[]) {
  const sums: number[][] = [];
  const logW: number[] = [];
  for (let k = 0; k < 2 ** L; k++) {
    const s = spinsOf(k, L);
    const S = terms.map((t) => {
      let total = 0;
      for (let i = 0; i < L; i++)
        for (const shape of t.shapes) total += shape.reduce((p, o) => p * s[(((i + o) % L) + L) % L], 1);
      return total;
    });
    sums.push(S);
    logW.push(terms.reduce((a, t, j) => a + t.coupling * S[j], 0));
  }
  const max = Math.max(...logW);
  let z = 0;
  const means = terms.map(() => 0);
  logW.forEach((lw, k) => {
    const w = Math.exp(lw - max);
    z += w;
    terms.forEach((_, j) => {
      means[j] += w * sums[k][j];
    });
  });
  const termMeans = means.map((m) => m / z);
  return {
    lnZ: max + Math.log(z),
    termMeans,
    energy: -terms.reduce((a, t, j) => a + t.coupling * termMeans[j], 0) / L,
  };
}

describe("transfer matrix against a brute-force ring sum", () => {
  const termSets: ChainTerm[][] = [
    // nn bond, field, and a 4-spin product (window W = 3)
    [
      { shapes: [[0, 1]], coupling: 0.6 },
      { shapes: [[0]], coupling: -0.25 },
      { shapes: [[0, 1, 2, 3]], coupling: 0.3 },
    ],
    // a gapped pair, a term of two shapes, and shapes with negative offsets (window W = 4)
    [
      { shapes: [[0, 3]], coupling: -0.4 },
      {
        shapes: [
          [0, 2],
          [-1, 0, 1],
        ],
        coupling: 0.35,
      },
      { shapes: [[-2, 2]], coupling: 0.2 },
    ],
    // a lone 3-spin product with a large coupling (weights far outside e^{±700} without rescaling)
    [{ shapes: [[0, 1, 2]], coupling: 45 }],
  ];

  it("gives ln Z, the term means and the energy for every ring length from 1 to 13", () => {
    for (const terms of termSets) {
      for (let L = 1; L <= 13; L++) {
        const b = ringBruteForce(L, terms);
        const r = transferMatrixChain(chainModel(L, terms));
        near(r.lnZ, b.lnZ, 1e-12);
        near(r.reducedEnergyPerSite, b.energy, 1e-11);
        expect(r.termMeans.length).toBe(terms.length);
        for (let j = 0; j < terms.length; j++) near(r.termMeans[j], b.termMeans[j], 1e-10);
      }
    }
  });

  it("a long ring agrees with the 2×2 transfer matrix eigenvalues in a field (L = 400)", () => {
    // ⟨s_i s_{i+1}⟩ and ⟨s_i⟩ from λ± = e^K cosh h ± √(e^{2K} sinh² h + e^{−2K}) (L → ∞ limit).
    const K = -0.8;
    const h = 0.45;
    const r = transferMatrixChain(
      chainModel(400, [
        { shapes: [[0, 1]], coupling: K },
        { shapes: [[0]], coupling: h },
      ]),
    );
    const m = Math.sinh(h) / Math.sqrt(Math.sinh(h) ** 2 + Math.exp(-4 * K));
    near(r.termMeans[1] / 400, m, 1e-12);
    const lp = Math.exp(K) * Math.cosh(h) + Math.sqrt(Math.exp(2 * K) * Math.sinh(h) ** 2 + Math.exp(-2 * K));
    near(r.lnZ / 400, Math.log(lp), 1e-12);
  });

  it("a 6000-site ring, whose unscaled weights would overflow (~e^3300), still matches λ₊^L + λ₋^L", () => {
    const K = 0.1;
    const h = 0.05;
    const L = 6000;
    const root = Math.sqrt(Math.exp(2 * K) * Math.sinh(h) ** 2 + Math.exp(-2 * K));
    const lp = Math.exp(K) * Math.cosh(h) + root;
    const lm = Math.exp(K) * Math.cosh(h) - root;
    const r = transferMatrixChain(
      chainModel(L, [
        { shapes: [[0, 1]], coupling: K },
        { shapes: [[0]], coupling: h },
      ]),
    );
    near(r.lnZ, L * Math.log(lp) + Math.log1p((lm / lp) ** L), 1e-12);
  });

  it("refuses lattices other than a periodic chain and shapes spanning more than 12 sites", () => {
    expect(MAX_TRANSFER_RANGE).toBe(12);
    const square = defineModel({
      spin: "ising",
      lattice: { square: 3 },
      terms: [{ name: "h", coupling: 0.1, sites: [[0, 0]] }],
    });
    expect(() => transferMatrixChain(square)).toThrow(/model.lattice: expected a chain, got square/);
    expect(() => transferMatrixChain(chainModel(6, [{ shapes: [[0, 1]], coupling: 0.2 }], true))).toThrow(
      /model.lattice.twist: expected absent \(periodic chains only\), got twisted/,
    );
    const wide = Array.from({ length: 13 }, (_, k) => k);
    expect(() => transferMatrixChain(chainModel(20, [{ shapes: [wide], coupling: 0.2 }]))).toThrow(
      /model.terms: expected shapes spanning at most 12 sites, got 13/,
    );
  });
});

/** Gauss–Legendre nodes and weights on [−1, 1] (Newton on the three-term recurrence). */
function gaussLegendre(n: number): { x: number[]; w: number[] } {
  const x: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * z * p1 - (k - 1) * p0) / k];
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x.push(z);
    w.push(2 / ((1 - z * z) * dp * dp));
  }
  return { x, w };
}

/** ⟨cos(θ₁ − θ₂)⟩ of an XY ring of L = 3 or 4 by the midpoint rule over the L − 1 free angle differences. */
function xyRingQuadrature(K: number, L: 3 | 4, n: number): number {
  let z = 0;
  let c = 0;
  const angle = (i: number) => (2 * Math.PI * (i + 0.5)) / n;
  const inner = L === 4 ? n : 1;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < inner; k++) {
        const a = angle(i);
        const b = angle(j);
        const d = L === 4 ? angle(k) : 0;
        const w = Math.exp(
          K * (Math.cos(a) + Math.cos(b) + Math.cos(d) + Math.cos(a + b + d) - (L === 3 ? 1 : 0)),
        );
        z += w;
        c += w * Math.cos(a);
      }
  return c / z;
}

/** ⟨s₁·s₂⟩ of a Heisenberg ring of 3 spins: s₁ = ẑ, s₂ in the xz-plane, s₃ free. */
function heisenbergRing3Quadrature(K: number): number {
  const { x, w } = gaussLegendre(40);
  const nPhi = 48;
  let z = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const u2 = x[i];
    const s2 = Math.sqrt(1 - u2 * u2);
    for (let j = 0; j < x.length; j++) {
      const u3 = x[j];
      const s3 = Math.sqrt(1 - u3 * u3);
      for (let k = 0; k < nPhi; k++) {
        const phi = (2 * Math.PI * k) / nPhi;
        // s₂·s₃ = sin θ₂ sin θ₃ cos φ + cos θ₂ cos θ₃; s₃·s₁ = cos θ₃; s₁·s₂ = cos θ₂.
        const e = u2 + u3 + s2 * s3 * Math.cos(phi) + u2 * u3;
        const wt = w[i] * w[j] * Math.exp(K * e);
        z += wt;
        c += wt * u2;
      }
    }
  }
  return c / z;
}

describe("O(n) rings against direct quadrature", () => {
  it("XY rings of 3 and 4 sites", () => {
    for (const K of [0.3, 1.1, 2.5]) {
      near(xyChainExact(K, 3).bond, xyRingQuadrature(K, 3, 96), 1e-12);
      near(xyChainExact(K, 4).bond, xyRingQuadrature(K, 4, 40), 1e-12);
      expect(xyChainExact(K, 3).reducedEnergyPerSite).toBeCloseTo(-K * xyRingQuadrature(K, 3, 96), 12);
    }
  });

  it("Heisenberg ring of 3 sites", () => {
    for (const K of [0.4, 1.3, 3]) {
      const q = heisenbergRing3Quadrature(K);
      near(heisenbergChainExact(K, 3).bond, q, 1e-12);
      expect(heisenbergChainExact(K, 3).reducedEnergyPerSite).toBeCloseTo(-K * q, 12);
    }
  });

  it("a two-site ring at strong coupling needs many eigenvalues: I₁(2K)/I₀(2K) and coth 2K − 1/2K", () => {
    for (const K of [12, 25, 50]) {
      // I_m(x) = (1/2π) ∫ e^{x cos t} cos(mt) dt by the trapezoid rule, scaled by e^{−x}.
      let i0 = 0;
      let i1 = 0;
      const n = 1200;
      for (let j = 0; j < n; j++) {
        const t = (2 * Math.PI * j) / n;
        const e = Math.exp(2 * K * (Math.cos(t) - 1));
        i0 += e;
        i1 += e * Math.cos(t);
      }
      near(xyChainExact(K, 2).bond, i1 / i0, 1e-12);
      near(heisenbergChainExact(K, 2).bond, 1 / Math.tanh(2 * K) - 1 / (2 * K), 1e-12);
    }
  });

  it("Bessel series against closed forms and the integral at larger order and argument", () => {
    for (const x of [0.7, 3, 11]) {
      near(
        sphericalBesselI(2, x),
        ((3 / x ** 2 + 1) * Math.sinh(x)) / x - (3 * Math.cosh(x)) / x ** 2,
        1e-13,
      );
      // I_{1/2}(x) = √(2/πx) sinh x, so i₀ = √(π/2x) I_{1/2} = sinh x / x.
      near(sphericalBesselI(0, x), Math.sinh(x) / x, 1e-14);
    }
    expect(besselI(0, 0)).toBe(1);
    expect(besselI(3, 0)).toBe(0);
    expect(sphericalBesselI(0, 0)).toBe(1);
    expect(sphericalBesselI(2, 0)).toBe(0);
    for (const [m, x] of [
      [2, 0.1],
      [5, 4],
      [0, 30],
    ]) {
      let s = 0;
      const n = 400;
      for (let j = 0; j < n; j++)
        s += Math.exp(x * (Math.cos((2 * Math.PI * j) / n) - 1)) * Math.cos((2 * Math.PI * m * j) / n);
      near(besselI(m, x) * Math.exp(-x), s / n, 1e-13);
    }
  });

  it("K = 0 is a free ring; K outside [0, 50] and L outside [2, 2^30] are refused", () => {
    expect(xyChainExact(0, 5)).toEqual({ bond: 0, reducedEnergyPerSite: 0 });
    expect(heisenbergChainExact(0, 5)).toEqual({ bond: 0, reducedEnergyPerSite: 0 });
    expect(() => xyChainExact(-0.1, 4)).toThrow(/K: expected a number in \[0, 50\], got -0.1/);
    expect(() => heisenbergChainExact(50.5, 4)).toThrow(/K: expected a number in \[0, 50\]/);
    expect(() => xyChainExact(Number.NaN, 4)).toThrow(/K: expected a number in \[0, 50\]/);
    expect(() => heisenbergChainExact(1, 1)).toThrow(/L: expected an integer in \[2, 1073741824\]/);
    expect(() => xyChainExact(1, 2.5)).toThrow(/L: expected an integer/);
    near(xyChainExact(50, 3).bond, xyRingQuadrature(50, 3, 400), 1e-12);
  });
});
