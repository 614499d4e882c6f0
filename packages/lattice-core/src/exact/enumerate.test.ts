import { describe, expect, it } from "vitest";
import { spinsOf } from "../../test/helpers.js";
import { PhysmlInputError } from "../errors.js";
import { squareLattice } from "../lattice/square.js";
import { linkShape, linkVariables, STANDARD_SHAPES, shapeFeatures } from "../observables/shapes.js";
import { type Couplings, couplings } from "../operator/couplings.js";
import { termSums } from "../operator/ising.js";
import { dualCoupling } from "./duality.js";
import { enumerate, enumerateExpectations } from "./enumerate.js";
import { MAX_ENUMERATION_SITES } from "./enumerate-model.js";
import { kaufman } from "./kaufman.js";

/** Naive reference: loop over all states, weights from termSums, features from shapeFeatures. */
function reference(Lx: number, Ly: number, c: Couplings, seps: [number, number][]) {
  const lat = squareLattice(Lx, Ly);
  const N = lat.nSites;
  const states = [];
  let max = -Infinity;
  for (let k = 0; k < 2 ** N; k++) {
    const s = spinsOf(k, N);
    const t = termSums(lat, s);
    const logW = c.nn * t[0] + c.plaquette * t[1] + c.nnn * t[2] + c.field * t[3];
    max = Math.max(max, logW);
    const feats = shapeFeatures(lat, linkVariables(lat, s));
    const two = seps.map(([dx, dy]) => {
      let acc = 0;
      for (let i = 0; i < N; i++) acc += s[i] * s[lat.translateSite(i, dx, dy)];
      return acc / N;
    });
    states.push({ t, logW, feats, two });
  }
  let z = 0;
  const mean = new Float64Array(4);
  const second = new Float64Array(16);
  const feats = new Float64Array(13);
  const two = new Float64Array(seps.length);
  let absM = 0;
  let m2 = 0;
  let m4 = 0;
  for (const st of states) {
    const w = Math.exp(st.logW - max);
    z += w;
    for (let a = 0; a < 4; a++) {
      mean[a] += w * st.t[a];
      for (let b = 0; b < 4; b++) second[4 * a + b] += w * st.t[a] * st.t[b];
    }
    for (let a = 0; a < 13; a++) feats[a] += w * st.feats[a];
    for (let a = 0; a < seps.length; a++) two[a] += w * st.two[a];
    absM += (w * Math.abs(st.t[3])) / N;
    m2 += (w * st.t[3] ** 2) / N ** 2;
    m4 += (w * st.t[3] ** 4) / N ** 4;
  }
  const m = mean.map((v) => v / z);
  const cov = second.map((v, j) => v / z - m[j >> 2] * m[j & 3]);
  return {
    lnZ: max + Math.log(z),
    mean: m,
    cov,
    feats: feats.map((v) => v / z),
    two: two.map((v) => v / z),
    absM: absM / z,
    m2: m2 / z,
    m4: m4 / z,
  };
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tol * (1 + Math.abs(b[i])));
}

describe("exact enumeration", () => {
  const seps: [number, number][] = [
    [1, 0],
    [0, 1],
    [1, 1],
    [2, 1],
    [0, 0],
    [-1, 3],
  ];

  it("matches a naive enumeration for arbitrary couplings of every sign (3×4, 2×3, 1×5)", () => {
    const cases: [number, number, Couplings][] = [
      [3, 4, couplings({ nn: 0.31, plaquette: -0.17, nnn: 0.12, field: 0.09 })],
      [3, 4, couplings({ nn: -0.4, plaquette: 0.6 })],
      [2, 3, couplings({ nn: 0.5, nnn: -0.3, field: -0.2 })],
      [1, 5, couplings({ nn: 0.7, plaquette: 0.2, nnn: 0.1, field: 0.3 })],
    ];
    for (const [Lx, Ly, c] of cases) {
      const r = enumerate(squareLattice(Lx, Ly), c, { separations: seps });
      const ref = reference(Lx, Ly, c, seps);
      const N = Lx * Ly;
      expect(Math.abs(r.lnZ - ref.lnZ)).toBeLessThan(1e-12 * Math.abs(ref.lnZ));
      expect(r.Z).toBeCloseTo(Math.exp(ref.lnZ), 6);
      close(r.termMeans, ref.mean, 1e-12);
      close(r.termCovariance, ref.cov, 1e-11);
      close(r.features, ref.feats, 1e-12);
      close(r.twoPoint, ref.two, 1e-12);
      expect(r.absMagnetization).toBeCloseTo(ref.absM, 12);
      expect(r.m2).toBeCloseTo(ref.m2, 12);
      const e = -(
        c.nn * ref.mean[0] +
        c.plaquette * ref.mean[1] +
        c.nnn * ref.mean[2] +
        c.field * ref.mean[3]
      );
      expect(r.reducedEnergyPerSite).toBeCloseTo(e / N, 12);
      // The fluctuations from the reference's moments: Var(H) = cᵀ Cov c, χ and U₄ from |m|, m², m⁴.
      const cv = [c.nn, c.plaquette, c.nnn, c.field];
      let varH = 0;
      for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) varH += cv[a] * cv[b] * ref.cov[4 * a + b];
      expect(r.m4).toBeCloseTo(ref.m4, 12);
      expect(r.specificHeatPerSite).toBeCloseTo(varH / N, 10);
      expect(r.susceptibility).toBeCloseTo(N * (ref.m2 - ref.absM ** 2), 10);
      expect(r.binderCumulant).toBeCloseTo(1 - ref.m4 / (3 * ref.m2 ** 2), 10);
    }
  });

  it("agrees with Kaufman at 4×4 and 4×5 (ln Z relative 1e-12, energy from ⟨S_nn⟩)", () => {
    for (const [Lx, Ly] of [
      [4, 4],
      [4, 5],
    ]) {
      for (const K of [0.2, 0.4406868, 0.7]) {
        const r = enumerate(squareLattice(Lx, Ly), couplings({ nn: K }));
        const k = kaufman(Lx, Ly, K);
        expect(Math.abs(r.lnZ / k.lnZ - 1)).toBeLessThan(1e-12);
        expect(-r.termMeans[0] / (Lx * Ly)).toBeCloseTo(k.energyPerSite, 12);
        expect(r.reducedEnergyPerSite).toBeCloseTo(K * k.energyPerSite, 12);
        expect((K * K * r.termCovariance[0]) / (Lx * Ly)).toBeCloseTo(k.specificHeatPerSite, 10);
        expect(r.specificHeatPerSite).toBeCloseTo(k.specificHeatPerSite, 10);
      }
    }
  });

  it("Z₂ symmetry: field h ↔ −h flips odd observables only; the h = 0 half-enumeration is exact", () => {
    const lat = squareLattice(4, 3);
    const base = { nn: 0.35, plaquette: 0.1, nnn: -0.05 };
    const up = enumerate(lat, couplings({ ...base, field: 0.2 }), { separations: seps });
    const down = enumerate(lat, couplings({ ...base, field: -0.2 }), { separations: seps });
    expect(up.lnZ).toBeCloseTo(down.lnZ, 12);
    expect(up.termMeans[3]).toBeCloseTo(-down.termMeans[3], 12);
    close(up.termMeans.subarray(0, 3), down.termMeans.subarray(0, 3), 1e-12);
    close(up.features, down.features, 1e-12);
    expect(up.m2).toBeCloseTo(down.m2, 12);
    // h = 0 enumerates half the states; a negligible field forces the full enumeration.
    const half = enumerate(lat, couplings(base), { separations: seps });
    const full = enumerate(lat, couplings({ ...base, field: Number.MIN_VALUE }), { separations: seps });
    expect(half.lnZ).toBeCloseTo(full.lnZ, 12);
    close(half.termCovariance, full.termCovariance, 1e-12);
    close(half.features, full.features, 1e-12);
    close(half.twoPoint, full.twoPoint, 1e-12);
    expect(half.termMeans[3]).toBe(0);
    expect(Math.abs(full.termMeans[3])).toBeLessThan(1e-12);
  });

  it("ψ(full plaquette) ≡ 1 and the shapes that reduce to one link or one diagonal share its value", () => {
    const r = enumerate(squareLattice(4), couplings({ nn: 0.3, plaquette: 0.2, nnn: 0.1, field: 0.05 }));
    expect(enumerate(squareLattice(3), couplings({ nn: 0.3, nnn: -0.1, field: 0.05 })).features[12]).toBe(1);
    const idx = (name: string) => STANDARD_SHAPES.findIndex((s) => s.name === name);
    expect(r.features[idx("plaquette")]).toBe(1);
    // U_open_top = left·bottom·right = s(0,1)s(1,1): a horizontal link; pair_bottom_top = plaquette.
    expect(r.features[idx("U_open_top")]).toBeCloseTo(r.features[idx("h")], 14);
    expect(r.features[idx("pair_bottom_top")]).toBeCloseTo(r.termMeans[1] / 16, 14);
    expect(r.features[idx("h")] + r.features[idx("v")]).toBeCloseTo(r.termMeans[0] / 16, 14);
  });

  it("term covariance is the Hessian of ln Z and term means its gradient (finite differences)", () => {
    const lat = squareLattice(3, 3);
    const c0 = { nn: 0.3, plaquette: -0.2, nnn: 0.15, field: 0.1 };
    const names = ["nn", "plaquette", "nnn", "field"] as const;
    const lnZ = (c: Couplings) => enumerate(lat, c).lnZ;
    const r = enumerate(lat, couplings(c0));
    const h = 1e-4;
    for (let a = 0; a < 4; a++) {
      const p = couplings({ ...c0, [names[a]]: c0[names[a]] + h });
      const m = couplings({ ...c0, [names[a]]: c0[names[a]] - h });
      expect((lnZ(p) - lnZ(m)) / (2 * h)).toBeCloseTo(r.termMeans[a], 6);
      const rp = enumerate(lat, p);
      const rm = enumerate(lat, m);
      for (let b = 0; b < 4; b++) {
        expect((rp.termMeans[b] - rm.termMeans[b]) / (2 * h)).toBeCloseTo(r.termCovariance[4 * a + b], 5);
      }
    }
  });

  it("Kramers–Wannier on the torus: Z(β̃) = 2e^{2Nβ̃} · ¼Σ_twists Z_ab(β) / (2^N cosh^{2N} β)", () => {
    // High-T loops of every winding class are counted by the four twisted-boundary partition
    // functions (a = antiperiodic in x, b in y); the trivial class equals the low-T domain-wall
    // expansion of the periodic dual model. Exact for any finite torus.
    const Lx = 4;
    const Ly = 4;
    const N = Lx * Ly;
    // Bond sums of every state for each twist, computed once.
    const twisted: Int32Array[] = [];
    for (const a of [0, 1]) {
      for (const b of [0, 1]) {
        const bonds = new Int32Array(2 ** N);
        for (let k = 0; k < 2 ** N; k++) {
          const s = spinsOf(k, N);
          let e = 0;
          for (let y = 0; y < Ly; y++) {
            for (let x = 0; x < Lx; x++) {
              const i = y * Lx + x;
              const sx = a === 1 && x === Lx - 1 ? -1 : 1;
              const sy = b === 1 && y === Ly - 1 ? -1 : 1;
              e += sx * s[i] * s[y * Lx + ((x + 1) % Lx)] + sy * s[i] * s[((y + 1) % Ly) * Lx + x];
            }
          }
          bonds[k] = e;
        }
        twisted.push(bonds);
      }
    }
    for (const K of [0.2, 0.35, 0.6]) {
      let sumTwisted = 0;
      for (const bonds of twisted) for (const e of bonds) sumTwisted += Math.exp(K * e);
      const Kd = dualCoupling(K);
      const rhs =
        Math.LN2 + 2 * N * Kd + Math.log(sumTwisted / 4) - N * Math.LN2 - 2 * N * Math.log(Math.cosh(K));
      expect(enumerate(squareLattice(Lx, Ly), couplings({ nn: Kd })).lnZ).toBeCloseTo(rhs, 11);
    }
  });

  it("user-defined shapes: a 2-link straight line equals the two-point function at distance 2", () => {
    const lat = squareLattice(4);
    const line = linkShape("line2", [
      { dx: 0, dy: 0, dir: 0 },
      { dx: 1, dy: 0, dir: 0 },
    ]);
    const r = enumerate(lat, couplings({ nn: 0.4 }), { shapes: [line], separations: [[2, 0]] });
    expect(r.features[0]).toBeCloseTo(r.twoPoint[0], 14);
    expect(() =>
      enumerate(lat, couplings({ nn: 0.4 }), {
        shapes: [{ name: "bad", links: [{ dx: 0.5, dy: 0, dir: 0 }] }],
      }),
    ).toThrow(/shape bad.links\[0\]/);
  });

  it("enumerateExpectations gives exact ⟨f⟩ for vector-valued f", () => {
    const lat = squareLattice(3, 4);
    const c = couplings({ nn: 0.3, plaquette: 0.1, field: 0.05 });
    const r = enumerate(lat, c, { separations: [[1, 1]] });
    const ex = enumerateExpectations(lat, c, (s, t) => [t[0], t[3] ** 2 / 144, s[0] * s[lat.site(1, 1)]]);
    expect(ex[0]).toBeCloseTo(r.termMeans[0], 12);
    expect(ex[1]).toBeCloseTo(r.m2, 12);
    expect(ex[2]).toBeCloseTo(r.twoPoint[0], 12);
    let calls = 0;
    expect(() => enumerateExpectations(lat, c, () => (++calls === 3 ? [1, 2] : [1]))).toThrow(
      /f\(\.\.\.\)\.length: expected 1 on every call/,
    );
  });

  it("huge couplings neither overflow nor produce NaN", () => {
    const r = enumerate(squareLattice(4), couplings({ nn: 400, field: -300 }));
    expect(Number.isFinite(r.lnZ)).toBe(true);
    expect(r.lnZ).toBeCloseTo(400 * 32 + 300 * 16, 8); // all spins −1 dominates
    expect(r.termMeans[3]).toBeCloseTo(-16, 10);
  });

  it("4×4 runs well under a second; larger than 25 sites is a typed error", () => {
    const t0 = performance.now();
    enumerate(squareLattice(4), couplings({ nn: 0.3, plaquette: 0.1, nnn: 0.1, field: 0.1 }));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(MAX_ENUMERATION_SITES).toBe(25);
    expect(() => enumerate(squareLattice(5, 6), couplings({ nn: 0.3 }))).toThrow(PhysmlInputError);
    expect(() => enumerate(squareLattice(5, 6), couplings({ nn: 0.3 }))).toThrow(
      /lattice.nSites: expected at most 25 sites/,
    );
    expect(() => enumerate(squareLattice(3), { nn: Number.NaN, plaquette: 0, nnn: 0, field: 0 })).toThrow(
      /couplings.nn/,
    );
  });
});
