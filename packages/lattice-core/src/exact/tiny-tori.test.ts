// Every exact solver of the square torus against a brute-force sum over all 2^N states written
// out here from (x, y) coordinates: Kaufman and its twist sectors, the Gray-code enumerators and
// the state table, on 2×2, 2×3, 3×2, 3×3 (and 1×13, 2×7, where more than one 4096-state chunk is summed).
import { describe, expect, it } from "vitest";
import { spinsOf } from "../../test/helpers.js";
import { squareLattice } from "../lattice/square.js";
import { defineModel } from "../model/define.js";
import { standardSquareModel } from "../model/standard.js";
import { STANDARD_SHAPES } from "../observables/shapes.js";
import { type Couplings, couplings } from "../operator/couplings.js";
import { enumerate, enumerateExpectations } from "./enumerate.js";
import { enumerateModel, isingStateProbabilities } from "./enumerate-model.js";
import { kaufman, kaufmanTwistSectors } from "./kaufman.js";
import { BETA_C } from "./onsager.js";

/** Term sums [S_nn, S_plaq, S_nnn, M] of one state; a twisted direction negates spins across it. */
function termSumsByHand(Lx: number, Ly: number, s: Int8Array, twist = [false, false]): number[] {
  const at = (x: number, y: number): number => {
    let sign = 1;
    if ((x >= Lx || x < 0) && twist[0]) sign = -sign;
    if ((y >= Ly || y < 0) && twist[1]) sign = -sign;
    return sign * s[(((y % Ly) + Ly) % Ly) * Lx + (((x % Lx) + Lx) % Lx)];
  };
  let nn = 0;
  let plaq = 0;
  let nnn = 0;
  let m = 0;
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      const s0 = at(x, y);
      nn += s0 * (at(x + 1, y) + at(x, y + 1));
      plaq += s0 * at(x + 1, y) * at(x + 1, y + 1) * at(x, y + 1);
      nnn += s0 * (at(x + 1, y + 1) + at(x + 1, y - 1));
      m += s0;
    }
  }
  return [nn, plaq, nnn, m];
}

/** Exact averages over all 2^N states with weight exp(c · t), summed in plain double precision. */
function bruteForce(Lx: number, Ly: number, c: Couplings, twist = [false, false]) {
  const N = Lx * Ly;
  const cv = [c.nn, c.plaquette, c.nnn, c.field];
  const states: { s: Int8Array; t: number[]; logW: number }[] = [];
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < 2 ** N; k++) {
    const s = spinsOf(k, N);
    const t = termSumsByHand(Lx, Ly, s, twist);
    const logW = cv.reduce((a, ca, j) => a + ca * t[j], 0);
    max = Math.max(max, logW);
    states.push({ s, t, logW });
  }
  let z = 0;
  for (const st of states) z += Math.exp(st.logW - max);
  const p = states.map((st) => Math.exp(st.logW - max) / z);
  const avg = (g: (st: (typeof states)[number]) => number): number =>
    states.reduce((a, st, k) => a + p[k] * g(st), 0);
  const mean = [0, 1, 2, 3].map((a) => avg((st) => st.t[a]));
  const cov = Array.from({ length: 16 }, (_, j) =>
    avg((st) => (st.t[j >> 2] - mean[j >> 2]) * (st.t[j & 3] - mean[j & 3])),
  );
  // ψ of a link shape: (1/N) Σ over anchors of the product of its link variables s_a s_b.
  const feature = (links: readonly { dx: number; dy: number; dir: 0 | 1 }[]): number =>
    avg((st) => {
      const at = (x: number, y: number) => st.s[(((y % Ly) + Ly) % Ly) * Lx + (((x % Lx) + Lx) % Lx)];
      let a = 0;
      for (let y = 0; y < Ly; y++)
        for (let x = 0; x < Lx; x++) {
          let p = 1;
          for (const o of links) {
            const [x0, y0] = [x + o.dx, y + o.dy];
            p *= at(x0, y0) * (o.dir === 0 ? at(x0 + 1, y0) : at(x0, y0 + 1));
          }
          a += p;
        }
      return a / N;
    });
  const twoPoint = (dx: number, dy: number): number =>
    avg((st) => {
      let a = 0;
      for (let y = 0; y < Ly; y++)
        for (let x = 0; x < Lx; x++)
          a += st.s[y * Lx + x] * st.s[((y + dy + 4 * Ly) % Ly) * Lx + ((x + dx + 4 * Lx) % Lx)];
      return a / N;
    });
  return {
    lnZ: max + Math.log(z),
    p,
    mean,
    cov,
    energy: -cv.reduce((a, ca, j) => a + ca * mean[j], 0) / N,
    m: mean[3] / N,
    absM: avg((st) => Math.abs(st.t[3])) / N,
    m2: avg((st) => st.t[3] ** 2) / N ** 2,
    twoPoint,
    feature,
  };
}

const near = (a: number, b: number, tol: number) =>
  expect(Math.abs(a - b)).toBeLessThan(tol * (1 + Math.abs(b)));

const TORI: [number, number][] = [
  [2, 2],
  [2, 3],
  [3, 2],
  [3, 3],
];
const TWISTS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

describe("Kaufman against a brute-force sum on tiny tori", () => {
  it("gives ln Z, βf, the energy and the specific heat of 2×2, 2×3, 3×2 and 3×3 (relative 1e-11)", () => {
    for (const [Lx, Ly] of TORI) {
      const N = Lx * Ly;
      for (const K of [0.01, 0.1, 0.3, BETA_C, 0.5, 0.9, 1.7, 3]) {
        const b = bruteForce(Lx, Ly, couplings({ nn: K }));
        const k = kaufman(Lx, Ly, K);
        near(k.lnZ, b.lnZ, 1e-12);
        near(k.reducedFreeEnergyPerSite, -b.lnZ / N, 1e-12);
        near(k.energyPerSite, -b.mean[0] / N, 1e-11);
        const heat = (K * K * b.cov[0]) / N;
        // The rounding bound is positive, covers the actual error and is not absurdly loose.
        expect(k.specificHeatPerSitePrecision).toBeGreaterThan(0);
        expect(k.specificHeatPerSitePrecision).toBeLessThan(1e-12);
        expect(Math.abs(k.specificHeatPerSite - heat)).toBeLessThan(
          1e-11 * heat + k.specificHeatPerSitePrecision,
        );
      }
    }
  });

  it("β = 0 is the free paramagnet: ln Z = N ln 2, everything else 0", () => {
    const k = kaufman(3, 2, 0);
    expect(k).toEqual({
      lnZ: 6 * Math.LN2,
      reducedFreeEnergyPerSite: -Math.LN2,
      energyPerSite: 0,
      specificHeatPerSite: 0,
      specificHeatPerSitePrecision: 0,
    });
  });

  it("reports a specific heat below its rounding bound as 0 (8×8, β = 10: true value ≈ 1e−31)", () => {
    // Lowest excitation: one flipped spin, 4 broken bonds, weight e^{−8β}, ΔS = −8. So
    // Var(S) ≈ N·64·e^{−8β} and c = β² Var/N ≈ 64 β² e^{−8β} ≈ 1.2e−31: far below rounding.
    const k = kaufman(8, 8, 10);
    const truth = 64 * 100 * Math.exp(-80);
    expect(k.specificHeatPerSite).toBe(0);
    expect(k.specificHeatPerSitePrecision).toBeGreaterThan(truth);
    expect(k.specificHeatPerSitePrecision).toBeLessThan(1e-11);
    expect(k.energyPerSite).toBeCloseTo(-2, 12);
    // Same on a torus small enough to sum: the value it reports is the true one or 0.
    const b = bruteForce(3, 3, couplings({ nn: 12 }));
    const small = kaufman(3, 3, 12);
    const heat = (144 * b.cov[0]) / 9;
    expect(Math.abs(small.specificHeatPerSite - heat)).toBeLessThanOrEqual(
      small.specificHeatPerSitePrecision,
    );
  });

  it("rejects sizes and couplings outside the documented ranges", () => {
    expect(() => kaufman(2, 1, 0.3)).toThrow(/Ly: expected an integer in \[2, 32768\]/);
    expect(() => kaufman(32769, 2, 0.3)).toThrow(/Lx: expected an integer in \[2, 32768\]/);
    expect(() => kaufman(2, 2, 50.5)).toThrow(/beta: expected a number in \[0, 50\], got 50.5/);
    expect(() => kaufman(2, 2, Number.POSITIVE_INFINITY)).toThrow(/beta: expected a finite number/);
    expect(Number.isFinite(kaufman(2, 2, 50).lnZ)).toBe(true);
    near(kaufman(2, 2, 50).lnZ, Math.LN2 + 8 * 50, 1e-15);
  });
});

describe("Kaufman's twist sectors against brute-force twisted tori", () => {
  it("give every sector's ln Z and weight on 2×2, 2×3, 3×2 and 3×3", () => {
    for (const [Lx, Ly] of TORI) {
      for (const K of [0.15, BETA_C, 0.8, 2.5]) {
        const b = TWISTS.map((tw) => bruteForce(Lx, Ly, couplings({ nn: K }), tw).lnZ);
        const top = Math.max(...b);
        const total = b.reduce((a, l) => a + Math.exp(l - top), 0);
        const sectors = kaufmanTwistSectors(Lx, Ly, K);
        expect(sectors.map((s) => s.twist)).toEqual(TWISTS);
        sectors.forEach((s, t) => {
          // A twisted sector is a signed sum of Kaufman's four terms: its relative rounding
          // error is ~ε / weight (cancellation), which dominates at β = 2.5.
          const w = Math.exp(b[t] - top) / total;
          expect(Math.abs(s.lnZ - b[t])).toBeLessThan(1e-13 * b[t] + (16 * Number.EPSILON) / w);
          near(s.weight, Math.exp(b[t] - top) / total, 1e-11);
        });
      }
    }
  });

  it("β = 0: four equal sectors of ln Z = N ln 2; bad input is refused", () => {
    for (const s of kaufmanTwistSectors(2, 3, 0)) {
      expect(s.lnZ).toBe(6 * Math.LN2);
      expect(s.weight).toBe(0.25);
    }
    expect(() => kaufmanTwistSectors(1, 3, 0.2)).toThrow(/Lx: expected an integer in \[2, 32768\]/);
    expect(() => kaufmanTwistSectors(2, 32769, 0.2)).toThrow(/Ly: expected an integer in \[2, 32768\]/);
    expect(() => kaufmanTwistSectors(2, 2, -0.01)).toThrow(/beta: expected a number in \[0, 50\]/);
    expect(() => kaufmanTwistSectors(2, 2, 51)).toThrow(/beta: expected a number in \[0, 50\]/);
    expect(() => kaufmanTwistSectors(2, 2, Number.NaN)).toThrow(/beta: expected a finite number/);
    // β = 50, the upper limit, is accepted: a twisted 2×2 sector costs e^{−8β}, so weight 0.
    const cold = kaufmanTwistSectors(2, 2, 50);
    near(cold[0].lnZ, Math.LN2 + 8 * 50, 1e-15);
    expect(cold.map((s) => s.weight)).toEqual([1, 0, 0, 0]);
  });

  it("a sector below the rounding error of the sums has ln Z = −∞ and weight 0", () => {
    // 64×64 at β = 2: a twisted sector costs a domain wall of 64 bonds, e^{−256} relative.
    const s = kaufmanTwistSectors(64, 64, 2);
    for (const t of s.slice(1)) expect(t.lnZ).toBe(Number.NEGATIVE_INFINITY);
    // Periodic sector, low-temperature series: ln Z = ln 2 + 2Nβ + N e^{−8β} (one flipped spin)
    // + 2N e^{−12β} (two neighbours) + O(N e^{−16β}).
    near(s[0].lnZ, Math.LN2 + 2 * 4096 * 2 + 4096 * Math.exp(-16) + 8192 * Math.exp(-24), 1e-12);
  });
});

describe("Gray-code enumeration against a brute-force sum", () => {
  const cases: [number, number, Partial<Couplings>][] = [
    [2, 2, { nn: 0.4, plaquette: -0.3, nnn: 0.2, field: 0.15 }],
    [2, 3, { nn: -0.35, plaquette: 0.25, nnn: -0.1, field: -0.3 }],
    [3, 2, { nn: 0.5, nnn: 0.3 }],
    [3, 3, { nn: 0.3, plaquette: 0.2, nnn: -0.15, field: 0.05 }],
    [3, 3, { nn: -0.6, plaquette: -0.1 }],
    // 2^13 states (with a field) and 2^14 / 2 (without): more than one 4096-state chunk.
    [1, 13, { nn: 0.2, plaquette: 0.1, nnn: 0.1, field: 0.1 }],
    [2, 7, { nn: 0.25, plaquette: -0.05, nnn: 0.05 }],
  ];
  const seps: [number, number][] = [
    [1, 0],
    [0, 1],
    [1, 1],
    [2, 1],
    [-1, 2],
    [0, 0],
    [2, 0],
  ];

  it("enumerate gives ln Z, Z, means, covariance, |M|, M², energy and two-point functions", () => {
    for (const [Lx, Ly, cin] of cases) {
      const c = couplings(cin);
      const b = bruteForce(Lx, Ly, c);
      const r = enumerate(squareLattice(Lx, Ly), c, { separations: seps });
      near(r.lnZ, b.lnZ, 1e-13);
      near(r.Z, Math.exp(b.lnZ), 1e-12);
      for (let a = 0; a < 4; a++) near(r.termMeans[a], b.mean[a], 1e-12);
      for (let j = 0; j < 16; j++) near(r.termCovariance[j], b.cov[j], 1e-11);
      near(r.absMagnetization, b.absM, 1e-12);
      near(r.m2, b.m2, 1e-12);
      near(r.reducedEnergyPerSite, b.energy, 1e-12);
      for (const [j, [dx, dy]] of seps.entries()) near(r.twoPoint[j], b.twoPoint(dx, dy), 1e-12);
      expect(r.features.length).toBe(STANDARD_SHAPES.length);
      // Every standard shape's ψ by hand (on the larger cases only ⟨h⟩, ⟨v⟩: the full check is slow).
      const shapes = Lx * Ly <= 9 ? STANDARD_SHAPES : STANDARD_SHAPES.slice(0, 2);
      shapes.forEach((shape, j) => {
        near(r.features[j], b.feature(shape.links), 1e-12);
      });
    }
  });

  it("enumerateModel gives ln Z, the term means and covariance, ⟨M⟩, ⟨|M|⟩ and ⟨M²⟩", () => {
    for (const [Lx, Ly, cin] of cases.slice(0, 4)) {
      const c = couplings(cin);
      const b = bruteForce(Lx, Ly, c);
      const r = enumerateModel(standardSquareModel(Lx, Ly, c));
      near(r.lnZ, b.lnZ, 1e-13);
      for (let a = 0; a < 4; a++) near(r.termMeans[a], b.mean[a], 1e-12);
      for (let j = 0; j < 16; j++) near(r.termCovariance[j], b.cov[j], 1e-11);
      near(r.reducedEnergyPerSite, b.energy, 1e-12);
      near(r.magnetization, b.m, 1e-12);
      near(r.absMagnetization, b.absM, 1e-12);
      near(r.m2, b.m2, 1e-12);
    }
  });

  it("enumerateModel of twisted tori gives the twisted partition functions", () => {
    for (const tw of TWISTS) {
      const m = defineModel({
        spin: "ising",
        lattice: { square: [3, 2], twist: tw },
        terms: [
          {
            name: "nn",
            coupling: 0.45,
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
        ],
      });
      const b = bruteForce(3, 2, couplings({ nn: 0.45 }), tw);
      const r = enumerateModel(m);
      near(r.lnZ, b.lnZ, 1e-13);
      near(r.termMeans[0], b.mean[0], 1e-12);
    }
  });

  it("isingStateProbabilities gives each state's Boltzmann probability (bit i set ↔ spin i = −1)", () => {
    for (const [Lx, Ly, cin] of cases.slice(0, 4)) {
      const c = couplings(cin);
      const b = bruteForce(Lx, Ly, c);
      const p = isingStateProbabilities(standardSquareModel(Lx, Ly, c));
      expect(p.length).toBe(2 ** (Lx * Ly));
      for (let k = 0; k < p.length; k++) near(p[k], b.p[k], 1e-13);
    }
    expect(() => isingStateProbabilities(standardSquareModel(7, 3, couplings({ nn: 0.1 })))).toThrow(
      /model.lattice: expected at most 20 sites for a state table, got 21/,
    );
  });

  it("enumerateExpectations gives ⟨f⟩ of the spins and the term sums", () => {
    for (const [Lx, Ly, cin] of cases.slice(0, 4)) {
      const c = couplings(cin);
      const b = bruteForce(Lx, Ly, c);
      const N = Lx * Ly;
      const r = enumerateExpectations(squareLattice(Lx, Ly), c, (s, t) => [
        t[0],
        t[1],
        t[2],
        t[3],
        s[N - 1],
        t[3] ** 2,
      ]);
      for (let a = 0; a < 4; a++) near(r[a], b.mean[a], 1e-12);
      near(r[4], b.m, 1e-12);
      near(r[5], b.m2 * N * N, 1e-12);
    }
    expect(() =>
      enumerateExpectations(squareLattice(2), couplings({ nn: 0.1 }), (s) => [s[0] > 0 ? 1 : Number.NaN]),
    ).toThrow(/f\(\.\.\.\)\[0\]: expected finite values/);
  });

  it("refuse couplings beyond ±1e250, fractional separations, more than 25 sites and ragged f", () => {
    const lat = squareLattice(2);
    for (const field of ["nn", "plaquette", "nnn", "field"] as const) {
      const big = couplings({ [field]: -2e250 });
      const msg = new RegExp(
        `^couplings.${field}: expected a number in \\[-1e\\+250, 1e\\+250\\], got -2e\\+250$`,
      );
      expect(() => enumerate(lat, big)).toThrow(msg);
      expect(() => enumerateExpectations(lat, big, () => [1])).toThrow(msg);
    }
    // The limit itself is accepted.
    expect(Number.isFinite(enumerate(lat, couplings({ field: 1e250 })).lnZ)).toBe(true);
    expect(() =>
      enumerate(lat, couplings({ nn: 0.1 }), {
        separations: [
          [1, 0],
          [0.5, 1],
        ],
      }),
    ).toThrow(/^separations\[1\]: expected a pair of integers \[dx, dy\], got 0.5,1$/);
    expect(() => enumerate(lat, couplings({ nn: 0.1 }), { separations: [[1, Number.NaN]] })).toThrow(
      /^separations\[0\]/,
    );
    expect(() => enumerateExpectations(squareLattice(2, 13), couplings({ nn: 0.1 }), () => [1])).toThrow(
      /^lattice.nSites: expected at most 25 sites \(Lx·Ly\) for exact enumeration, got 26$/,
    );
    expect(() => enumerateModel(standardSquareModel(2, 13, couplings({ nn: 0.1 })))).toThrow(
      /^model.lattice: expected at most 25 sites for exact enumeration, got 26$/,
    );
    let calls = 0;
    expect(() =>
      enumerateExpectations(lat, couplings({ nn: 0.1 }), () => (++calls === 5 ? [1, 2] : [1])),
    ).toThrow(/^f\(\.\.\.\)\.length: expected 1 on every call, got 2$/);
  });
});
