// The fixed start's constructions against exact truths: the Lorentz boost of one sine-Gordon
// connection is the known family (in the same constant gauge) at every k, the Galilean boost of one
// KdV connection is AKNS's family (in the same constant gauge) at every λ, and the so(3) coefficient
// of a 3×3 map is its antisymmetric part.
import { matmul, reshape, type Tensor, tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { sineGordonFamilyModel } from "../../test/spectral-family-checks.js";
import { fieldSamples } from "../fields/field-system.js";
import { kdvFieldSystem } from "../fields/kdv-samples.js";
import { sineGordonFieldSystem } from "../fields/sine-gordon-samples.js";
import type { LaxParams } from "./model.js";
import { quadraticLift } from "./quadratic-lift.js";
import { SpectralConnectionModel } from "./spectral-connection.js";
import { kdvFamilyParams, sineGordonFamilyParams, spectralFamily } from "./spectral-families.js";
import {
  antisymmetricCoefficient,
  boostedSineGordonFamily,
  fixedStartRecordOf,
  galileanKdvFamily,
  shiftedLiftCoefficients,
} from "./spectral-fixed-start.js";
import { fieldBatch } from "./zero-curvature.js";

const values = (t: Tensor) => Array.from(t.toFloat64Array());

/** Σ k^p c_p of a family's coefficients (lowest power `lowest`): the one affine map at k. */
function collapse(cs: LinearParams[], lowest: number, k: number): LinearParams {
  const sum = (pick: (c: LinearParams) => Tensor) =>
    cs.reduce(
      (acc, c, i) => acc.map((v, j) => v + k ** (lowest + i) * pick(c).toFloat64Array()[j]),
      new Float64Array(pick(cs[0]).size),
    );
  return {
    w: tensor(
      sum((c) => c.w),
      cs[0].w.shape,
    ),
    b: tensor(
      sum((c) => c.b),
      cs[0].b.shape,
    ),
  } as LinearParams;
}

/** g A g⁻¹ on every output 2×2 of an affine map (rows of weights and the bias). */
function gauged(p: LinearParams, g: number[], gi: number[]): LinearParams {
  const conj = (v: Float64Array) => {
    const out = new Float64Array(v.length);
    for (let r = 0; r < v.length / 4; r++) {
      const A = v.slice(4 * r, 4 * r + 4);
      const GA = [0, 1, 2, 3].map((e) => g[(e >> 1) * 2] * A[e & 1] + g[(e >> 1) * 2 + 1] * A[2 + (e & 1)]);
      for (let e = 0; e < 4; e++)
        out[4 * r + e] = GA[(e >> 1) * 2] * gi[e & 1] + GA[(e >> 1) * 2 + 1] * gi[2 + (e & 1)];
    }
    return out;
  };
  return {
    w: tensor(conj(p.w.toFloat64Array()), p.w.shape),
    b: tensor(conj(p.b.toFloat64Array()), p.b.shape),
  } as LinearParams;
}

describe("boostedSineGordonFamily", () => {
  const model = sineGordonFamilyModel();
  const data = sineGordonFieldSystem.trajectories({ trajectories: 2, seed: 3 });
  const f = fieldBatch(fieldSamples(sineGordonFieldSystem, data, 64, 4)).f;
  // a constant gauge g ∈ SL(2, ℝ) and its inverse
  const g = [1.3, 0.4, -0.7, 0.5];
  const det = g[0] * g[3] - g[1] * g[2];
  const gi = [g[3] / det, -g[1] / det, -g[2] / det, g[0] / det];
  const known = sineGordonFamilyParams();
  const inGauge: LaxParams = {
    L: known.L.map((c) => gauged(c, g, gi)),
    M: known.M.map((c) => gauged(c, g, gi)),
  };

  it("from the known connection at one k₀ in a constant gauge, is the known family in that gauge at every k", () => {
    const k0 = 0.7;
    const family = boostedSineGordonFamily(collapse(inGauge.L, -1, k0), collapse(inGauge.M, -1, k0), k0);
    for (const k of [0.3, 1.1, 2.6]) {
      const [a, b] = [model.at(family, k), model.at(inGauge, k)];
      for (const [x, y] of [
        [a.Ax(f), b.Ax(f)],
        [a.At(f), b.At(f)],
      ])
        for (const [i, v] of values(x).entries()) expect(Math.abs(v - values(y)[i])).toBeLessThan(1e-12);
    }
    // with another k₀ it is the family at k̂ = k·k₀'/k₀, not the known family at k: the check can fail
    const off = boostedSineGordonFamily(collapse(inGauge.L, -1, k0), collapse(inGauge.M, -1, k0), 1.4);
    expect(
      Math.max(
        ...values(model.at(off, 1.1).Ax(f)).map((v, i) =>
          Math.abs(v - values(model.at(inGauge, 1.1).Ax(f))[i]),
        ),
      ),
    ).toBeGreaterThan(0.01);
  });

  it("its k̂ at k = 1 with k₀ = 1 is A*'s own k̂, the family's readout", () => {
    const k0 = 0.7;
    const family = boostedSineGordonFamily(collapse(inGauge.L, -1, k0), collapse(inGauge.M, -1, k0), 1);
    const sg = spectralFamily("sine-gordon");
    const vac = tensor(Float64Array.from(sg.vacuum), [1, 4]);
    const k = sg
      .readout(
        () => model.Ax(family, vac, 1),
        () => model.At(family, vac, 1),
        1,
      )
      .toFloat64Array()[0];
    expect(Math.abs(k - k0)).toBeLessThan(1e-12);
  });
});

describe("shiftedLiftCoefficients", () => {
  it("is the lifted affine map with f_k replaced by f_k − a, as a polynomial in a", () => {
    const [m, outputs, k] = [3, 2, 1];
    const table = Float64Array.from({ length: 10 * outputs }, (_, i) => Math.sin(0.7 + 1.3 * i));
    const cs = shiftedLiftCoefficients(table, m, k, outputs);
    const apply = (t: Float64Array, f: number[]) => {
      const g = [
        ...f,
        ...[0, 1, 2].flatMap((i) => [0, 1, 2].filter((j) => j >= i).map((j) => f[i] * f[j])),
        1,
      ];
      return [0, 1].map((o) => g.reduce((acc, v, r) => acc + v * t[r * outputs + o], 0));
    };
    const f = [0.4, -1.1, 0.9];
    for (const a of [-0.8, 0.3, 2.1]) {
      const direct = apply(
        table,
        f.map((v, i) => (i === k ? v - a : v)),
      );
      const poly = [0, 1].map((o) => cs.reduce((acc, c, n) => acc + a ** n * apply(c, f)[o], 0));
      for (const o of [0, 1]) expect(Math.abs(poly[o] - direct[o])).toBeLessThan(1e-13);
    }
  });
});

describe("galileanKdvFamily", () => {
  const { Ax, At } = spectralFamily("kdv").powers;
  const model = new SpectralConnectionModel({
    inputs: 9,
    size: 2,
    degreeX: Ax[1],
    degreeT: At[1],
    seed: 0,
    features: quadraticLift,
  });
  const system = kdvFieldSystem(2);
  const data = system.trajectories({ trajectories: 2, time: 0.2, snapshots: 3, seed: 5 });
  const f = fieldBatch(fieldSamples(system, data, 64, 6)).f;
  const g = [0.8, -0.6, 0.9, 0.575];
  const det = g[0] * g[3] - g[1] * g[2];
  const gi = [g[3] / det, -g[1] / det, -g[2] / det, g[0] / det];
  const known = kdvFamilyParams();
  const inGauge: LaxParams = {
    L: known.L.map((c) => gauged(c, g, gi)),
    M: known.M.map((c) => gauged(c, g, gi)),
  };
  const maxGap = (a: Tensor, b: Tensor) => Math.max(...values(a).map((v, i) => Math.abs(v - values(b)[i])));

  it("from AKNS's connection at one λ₀ in a constant gauge, is AKNS's family in that gauge at every λ", () => {
    const l0 = 0.35;
    // a = λ − λ₀: the boost by a is AKNS's at λ₀ + a = λ
    const family = galileanKdvFamily(collapse(inGauge.L, 0, l0), collapse(inGauge.M, 0, l0), {
      alpha: -l0,
      beta: 1,
    });
    for (const lambda of [-1.2, 0.1, 0.9]) {
      const [a, b] = [model.at(family, lambda), model.at(inGauge, lambda)];
      expect(maxGap(a.Ax(f), b.Ax(f))).toBeLessThan(1e-12);
      expect(maxGap(a.At(f), b.At(f))).toBeLessThan(1e-12);
    }
    // placed with the wrong offset it is AKNS's at another λ, and the check can fail
    const off = galileanKdvFamily(collapse(inGauge.L, 0, l0), collapse(inGauge.M, 0, l0), {
      alpha: 0,
      beta: 1,
    });
    expect(maxGap(model.at(off, 0.9).Ax(f), model.at(inGauge, 0.9).Ax(f))).toBeGreaterThan(0.1);
  });

  it("boosts A*'s traceless part: a trace added to A* changes nothing", () => {
    const l0 = 0.35;
    const [Ax, At] = [collapse(inGauge.L, 0, l0), collapse(inGauge.M, 0, l0)];
    // c(f)·1 on every output row: +c on a11 and a22
    const withTrace = (p: LinearParams, c: number) => {
      const add = (v: Float64Array) =>
        v.map((x, i) => (i % 4 === 0 || i % 4 === 3 ? x + c * (1 + (i >> 2)) : x));
      return {
        w: tensor(add(p.w.toFloat64Array()), p.w.shape),
        b: tensor(add(p.b.toFloat64Array()), p.b.shape),
      } as LinearParams;
    };
    const shift = { alpha: -l0, beta: 1 };
    const [plain, traced] = [
      galileanKdvFamily(Ax, At, shift),
      galileanKdvFamily(withTrace(Ax, 0.3), withTrace(At, -0.2), shift),
    ];
    for (const lambda of [-0.8, 0.6]) {
      expect(maxGap(model.at(traced, lambda).Ax(f), model.at(plain, lambda).Ax(f))).toBeLessThan(1e-12);
      expect(maxGap(model.at(traced, lambda).At(f), model.at(plain, lambda).At(f))).toBeLessThan(1e-12);
    }
  });

  it("moves λ̂ at slope 1 from A*'s own λ̂, the family's readout", () => {
    const l0 = -0.6;
    const raw = galileanKdvFamily(collapse(inGauge.L, 0, l0), collapse(inGauge.M, 0, l0), {
      alpha: 0,
      beta: 1,
    });
    const kdv = spectralFamily("kdv");
    const vac = tensor(new Float64Array(3 * 3), [3, 3]);
    const a = tensor(Float64Array.of(-1, 0, 1), [3, 1]);
    const hat = values(
      kdv.readout(
        () => model.Ax(raw, vac, a),
        () => model.At(raw, vac, a),
        1,
      ),
    );
    for (const [i, v] of hat.entries()) expect(Math.abs(v - (l0 + i - 1))).toBeLessThan(1e-12);
  });
});

describe("antisymmetricCoefficient", () => {
  it("gives the entries above the diagonal of (A − Aᵀ)/2 row by row", () => {
    const W = Float64Array.from({ length: 2 * 9 }, (_, i) => Math.sin(1 + i));
    const B = Float64Array.from({ length: 9 }, (_, i) => Math.cos(2 + i));
    const c = antisymmetricCoefficient({ w: tensor(W, [2, 9]), b: tensor(B, [9]) } as LinearParams, 3);
    const x = tensor(Float64Array.of(0.3, -1.2), [1, 2]);
    const A = values(reshape(matmul(x, tensor(W, [2, 9])), [9])).map((v, i) => v + B[i]);
    const up = values(matmul(x, c.w)).map((v, i) => v + c.b.toFloat64Array()[i]);
    const expected = [
      [0, 1],
      [0, 2],
      [1, 2],
    ].map(([i, j]) => (A[3 * i + j] - A[3 * j + i]) / 2);
    for (const [i, v] of up.entries()) expect(Math.abs(v - expected[i])).toBeLessThan(1e-14);
  });
});

describe("fixedStartRecordOf", () => {
  const record = {
    attemptLosses: [2.1e-5, 3.8e-26],
    attempt: 1,
    residual: 2e-12,
    passed: true,
    parameter: 0.2274,
    scale: 0.2274,
    solve: { value: 9.4e-13, iterations: 0 },
    seconds: 3.4,
  };

  it("reads a stored record back as written, a non-finite loss (JSON's null) as NaN, and none as undefined", () => {
    expect(fixedStartRecordOf(JSON.parse(JSON.stringify(record)))).toEqual(record);
    const diverged = fixedStartRecordOf(
      JSON.parse(JSON.stringify({ ...record, attemptLosses: [Number.NaN, 1e-20] })),
    );
    expect(diverged?.attemptLosses[0]).toBeNaN();
    expect(fixedStartRecordOf(undefined)).toBeUndefined();
  });

  it("names the field that is not the record's", () => {
    for (const [bad, field] of [
      [{ ...record, attempt: 2 }, "resume.fixed.attempt"],
      [{ ...record, passed: "yes" }, "resume.fixed.passed"],
      [{ ...record, residual: "small" }, "resume.fixed.residual"],
      [{ ...record, solve: { value: 0 } }, "resume.fixed.solve"],
      [{ ...record, attemptLosses: [] }, "resume.fixed.attemptLosses"],
      ["fixed", "resume.fixed"],
    ] as const) {
      expect(() => fixedStartRecordOf(bad)).toThrow(PhysmlInputError);
      expect(() => fixedStartRecordOf(bad)).toThrow(field);
    }
  });
});
