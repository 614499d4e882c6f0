// The fixed start's constructions against exact truths: the Lorentz boost of one sine-Gordon
// connection is the known family (in the same constant gauge) at every k, and the so(3) coefficient
// of a 3×3 map is its antisymmetric part.
import { matmul, reshape, type Tensor, tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { describe, expect, it } from "vitest";
import { sineGordonFamilyModel } from "../../test/spectral-family-checks.js";
import { fieldSamples } from "../fields/field-system.js";
import { sineGordonFieldSystem } from "../fields/sine-gordon-samples.js";
import type { LaxParams } from "./model.js";
import { sineGordonFamilyParams, spectralFamily } from "./spectral-families.js";
import { antisymmetricCoefficient, boostedSineGordonFamily } from "./spectral-fixed-start.js";
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
