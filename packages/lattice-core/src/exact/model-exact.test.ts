import { describe, expect, it } from "vitest";
import { squareLattice } from "../lattice/square.js";
import { defineModel } from "../model/define.js";
import { isingModelEnergy, isingTermSums } from "../model/ising.js";
import { standardSquareModel } from "../model/standard.js";
import type { ModelTermInput } from "../model/types.js";
import { couplings } from "../operator/couplings.js";
import { enumerate } from "./enumerate.js";
import { enumerateModel, isingStateProbabilities, isingStateTable } from "./enumerate-model.js";
import { besselI, heisenbergChainExact, sphericalBesselI, xyChainExact } from "./on-chain.js";
import { transferMatrixChain } from "./transfer-matrix.js";

const rel = (a: number, b: number, tol: number) =>
  expect(Math.abs(a - b)).toBeLessThan(tol * (1 + Math.abs(b)));

function chain(L: number, terms: [number, number][], field = 0): ReturnType<typeof defineModel> {
  const t: ModelTermInput[] = terms.map(([n, c], j) => ({
    name: `t${j}_${n}spin`,
    coupling: c,
    sites: Array.from({ length: n }, (_, k) => [k]),
  }));
  if (field !== 0) t.push({ name: "field", coupling: field, sites: [[0]] });
  return defineModel({ spin: "ising", lattice: { chain: L }, terms: t });
}

/** ⟨S_t⟩, Cov(S_a, S_b) and the moments of m = M/N by a direct sum over the state table. */
function stateSum(model: ReturnType<typeof defineModel>, N: number) {
  const p = isingStateProbabilities(model);
  const table = isingStateTable(N);
  const nT = model.terms.length;
  const mean = new Float64Array(nT);
  const second = new Float64Array(nT * nT);
  let [am, m2, m4, vis] = [0, 0, 0, 0];
  for (let k = 0; k < p.length; k++) {
    const s = table.subarray(k * N, (k + 1) * N);
    const t = isingTermSums(model, s);
    const m = s.reduce((a, v) => a + v, 0) / N;
    for (let a = 0; a < nT; a++) {
      mean[a] += p[k] * t[a];
      for (let b = 0; b < nT; b++) second[a * nT + b] += p[k] * t[a] * t[b];
    }
    [am, m2, m4] = [am + p[k] * Math.abs(m), m2 + p[k] * m * m, m4 + p[k] * m ** 4];
    vis += p[k];
  }
  const cov = second.map((v, j) => v - mean[Math.floor(j / nT)] * mean[j % nT]);
  return { mean, cov, am, m2, m4, total: vis };
}

describe("exact solutions of model descriptions", () => {
  it("enumeration of descriptions beyond the unrolled walk (5 terms; a 4-shape term) equals a direct state sum", () => {
    const nn = [
      [
        [0, 0],
        [1, 0],
      ],
      [
        [0, 0],
        [0, 1],
      ],
    ];
    const models = [
      // Five terms, one of them odd with a coupling: every state visited.
      defineModel({
        spin: "ising",
        lattice: { square: [3, 4] },
        terms: [
          { name: "nn", coupling: 0.3, shapes: nn },
          {
            name: "tri",
            coupling: -0.2,
            sites: [
              [0, 0],
              [1, 0],
              [0, 1],
            ],
          },
          {
            name: "nnn",
            coupling: 0.1,
            sites: [
              [0, 0],
              [1, 1],
            ],
          },
          {
            name: "far",
            coupling: -0.15,
            sites: [
              [0, 0],
              [2, 1],
            ],
          },
          { name: "h", coupling: 0.07, sites: [[0, 0]] },
        ],
      }),
      // A term of four shapes, without an odd term: the Z₂ half.
      defineModel({
        spin: "ising",
        lattice: { square: [4, 3] },
        terms: [
          {
            name: "bonds",
            coupling: 0.25,
            shapes: [
              ...nn,
              [
                [0, 0],
                [1, 1],
              ],
              [
                [0, 0],
                [1, -1],
              ],
            ],
          },
          { name: "h", coupling: 0, sites: [[0, 0]] },
        ],
      }),
    ];
    for (const model of models) {
      const N = 12;
      const r = enumerateModel(model);
      const ref = stateSum(model, N);
      expect(ref.total).toBeCloseTo(1, 12); // 4096 probabilities summed
      for (const [a, v] of r.termMeans.entries()) rel(v, ref.mean[a], 1e-12);
      for (const [j, v] of r.termCovariance.entries()) rel(v, ref.cov[j], 1e-11);
      rel(r.absMagnetization, ref.am, 1e-12);
      rel(r.m2, ref.m2, 1e-12);
      rel(r.m4, ref.m4, 1e-12);
      const c = model.terms.map((t) => t.coupling);
      let varH = 0;
      c.forEach((ca, a) => {
        c.forEach((cb, b) => {
          varH += ca * cb * ref.cov[a * c.length + b];
        });
      });
      rel(r.specificHeatPerSite, varH / N, 1e-10);
      rel(r.susceptibility, N * (ref.m2 - ref.am ** 2), 1e-10);
      rel(r.binderCumulant, 1 - ref.m4 / (3 * ref.m2 ** 2), 1e-10);
    }
  });

  it("enumeration of the standard description equals the square-lattice enumerator", () => {
    const c = couplings({ nn: 0.31, plaquette: -0.17, nnn: 0.12, field: 0.09 });
    const a = enumerateModel(standardSquareModel(3, 4, c));
    const b = enumerate(squareLattice(3, 4), c);
    rel(a.lnZ, b.lnZ, 1e-12);
    rel(a.reducedEnergyPerSite, b.reducedEnergyPerSite, 1e-12);
    for (let k = 0; k < 4; k++) rel(a.termMeans[k], b.termMeans[k], 1e-11);
    for (let k = 0; k < 16; k++) rel(a.termCovariance[k], b.termCovariance[k], 1e-10);
    rel(a.absMagnetization, b.absMagnetization, 1e-12);
  });

  it("enumeration with a 3-spin term equals a direct sum over states", () => {
    const m = defineModel({
      spin: "ising",
      lattice: { square: [3, 3] },
      terms: [
        {
          name: "tri",
          coupling: 0.4,
          sites: [
            [0, 0],
            [1, 0],
            [0, 1],
          ],
        },
        {
          name: "nn",
          coupling: -0.2,
          shapes: [
            [
              [0, 0],
              [1, 0],
            ],
            [
              [0, 0],
              [0, 1],
            ],
          ],
        },
        { name: "h", coupling: 0.15, sites: [[0, 0]] },
      ],
    });
    const e = enumerateModel(m);
    const p = isingStateProbabilities(m);
    const table = isingStateTable(9);
    expect(table.length).toBe(512 * 9);
    const means = new Float64Array(3);
    let energy = 0;
    for (let k = 0; k < 512; k++) {
      const s = table.subarray(9 * k, 9 * (k + 1));
      const t = isingTermSums(m, s);
      for (let a = 0; a < 3; a++) means[a] += p[k] * t[a];
      energy += p[k] * isingModelEnergy(m, s);
    }
    for (let a = 0; a < 3; a++) rel(e.termMeans[a], means[a], 1e-12);
    rel(e.reducedEnergyPerSite, energy / 9, 1e-12);
  });

  it("transfer matrix of the nn chain with a field equals λ₊^L + λ₋^L", () => {
    const K = 0.7;
    const h = 0.3;
    for (const L of [1, 2, 5, 40, 1000]) {
      const root = Math.sqrt(Math.exp(2 * K) * Math.sinh(h) ** 2 + Math.exp(-2 * K));
      const lp = Math.exp(K) * Math.cosh(h) + root;
      const lm = Math.exp(K) * Math.cosh(h) - root;
      const lnZ = L * Math.log(lp) + Math.log1p((lm / lp) ** L);
      rel(transferMatrixChain(chain(L, [[2, K]], h)).lnZ, lnZ, 1e-12);
    }
  });

  it("transfer matrix equals enumeration for n-spin chains (n = 2…8), every length ≤ 18", () => {
    for (const [n, L] of [
      [2, 7],
      [3, 9],
      [4, 12],
      [5, 4],
      [6, 18],
      [7, 15],
      [8, 16],
      [8, 5],
    ] as const) {
      const m = chain(
        L,
        [
          [n, 0.45],
          [2, -0.2],
        ],
        0.1,
      );
      const a = transferMatrixChain(m);
      const b = enumerateModel(m);
      rel(a.lnZ, b.lnZ, 1e-11);
      rel(a.reducedEnergyPerSite, b.reducedEnergyPerSite, 1e-10);
      for (let t = 0; t < 3; t++) rel(a.termMeans[t], b.termMeans[t], 1e-9);
    }
  });

  it("transfer matrix handles a 12-spin term; a long ring of a lone 6-spin product has ⟨Π⟩ = tanh K", () => {
    const a = transferMatrixChain(chain(12, [[12, 0.5]]));
    const b = enumerateModel(chain(12, [[12, 0.5]]));
    rel(a.lnZ, b.lnZ, 1e-11);
    rel(a.termMeans[0], b.termMeans[0], 1e-9);
    // With τ_k = s_k…s_{k+5} the products are independent spins up to one ring constraint,
    // whose effect vanishes like tanh(K)^L.
    rel(transferMatrixChain(chain(301, [[6, 0.5]])).termMeans[0] / 301, Math.tanh(0.5), 1e-9);
  });

  it("Bessel functions match their closed forms; O(n) rings reach I₁/I₀ and coth K − 1/K", () => {
    rel(sphericalBesselI(0, 1.3), Math.sinh(1.3) / 1.3, 1e-14);
    rel(sphericalBesselI(1, 1.3), Math.cosh(1.3) / 1.3 - Math.sinh(1.3) / 1.3 ** 2, 1e-14);
    // I_m(x) = (1/π)∫₀^π e^{x cos t} cos(mt) dt (trapezoid on a periodic integrand: exponential).
    for (const [m, x] of [
      [0, 0.5],
      [1, 2],
      [3, 7],
    ]) {
      let s = 0;
      const n = 400;
      for (let j = 0; j < n; j++)
        s += Math.exp(x * Math.cos((2 * Math.PI * j) / n)) * Math.cos((2 * Math.PI * m * j) / n);
      rel(besselI(m, x), s / n, 1e-13);
    }
    for (const K of [0.5, 1.5, 3]) {
      rel(xyChainExact(K, 100000).bond, besselI(1, K) / besselI(0, K), 1e-10);
      rel(heisenbergChainExact(K, 100000).bond, 1 / Math.tanh(K) - 1 / K, 1e-10);
      // A ring of 2 sites is one pair with coupling 2K.
      rel(xyChainExact(K, 2).bond, besselI(1, 2 * K) / besselI(0, 2 * K), 1e-12);
      rel(heisenbergChainExact(K, 2).bond, 1 / Math.tanh(2 * K) - 1 / (2 * K), 1e-12);
    }
  });
});
