import { add, concat, matmul, mul, reshape, type Tensor, tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { expectHoldsKnown, sineGordonFamilyModel } from "../../test/spectral-family-checks.js";
import { fieldSamples } from "../fields/field-system.js";
import { sineGordonFieldSystem } from "../fields/sine-gordon-samples.js";
import { sineGordonConnection } from "./field-connections.js";
import type { LaxParams } from "./model.js";
import { readoutSlopeGaps } from "./spectral-connection.js";
import {
  checkFamilyRange,
  heldOutParameters,
  MAX_SPECTRAL_K,
  sineGordonFamilyParams,
  spectralFamily,
  spreadParameters,
} from "./spectral-families.js";
import { fieldBatch } from "./zero-curvature.js";

const values = (t: Tensor) => Array.from(t.toFloat64Array());
const sg = spectralFamily("sine-gordon");
const KS = [0.4, 0.9, 1.7, 2.5];
const ks = tensor(Float64Array.from(KS), [KS.length, 1]);
/** The vacuum φ = 0, one row per k. */
const vacuum = tensor(Float64Array.from(KS.flatMap(() => sg.vacuum)), [KS.length, 4]);

/** A linear layer of (φ_x, φ_t, sin φ, cos φ) onto (a11, a12, a21, a22): {input: {output: value}}, biases. */
function layer(w: Record<number, Record<number, number>>, b: Record<number, number> = {}): LinearParams {
  const W = new Float64Array(4 * 4);
  for (const [i, row] of Object.entries(w))
    for (const [o, v] of Object.entries(row)) W[Number(i) * 4 + Number(o)] = v;
  const B = Float64Array.from({ length: 4 }, (_, o) => b[o] ?? 0);
  return { w: tensor(W, [4, 4]), b: tensor(B, [4]) } as LinearParams;
}

const known = sineGordonFamilyParams();
const momentum = known.L[1];

const model = sineGordonFamilyModel();
const readout =
  (p: LaxParams, sign = 1) =>
  (l: Tensor) =>
    sg.readout(
      () => model.Ax(p, vacuum, l),
      () => model.At(p, vacuum, l),
      sign,
    );

describe("sine-Gordon's family A(k)", () => {
  it("holds the known connection exactly (powers k⁻¹ to k¹), flat on sine-Gordon data at every k", () => {
    const data = sineGordonFieldSystem.trajectories({ trajectories: 3, time: 0.5, snapshots: 3, seed: 7 });
    const batch = fieldBatch(fieldSamples(sineGordonFieldSystem, data, 128, 8));
    expectHoldsKnown(model, known, sineGordonConnection, batch, [-1.3, 0.4, 2.2], 1e-6);
    expect(model.parameterCount).toBe(2 * 3 * 5 * 4);
  });

  it("reads k̂ = k off the known family (slope 1, hinge 0), in a k-dependent constant gauge and at −k", () => {
    for (const [i, v] of values(readout(known)(ks)).entries()) expect(v).toBeCloseTo(KS[i], 12);
    expect(values(readoutSlopeGaps(readout(known), ks))).toEqual(KS.map(() => 0));
    // g(k) A g(k)⁻¹ with the shear g = [[1, k], [0, 1]]: the same k̂
    const gauged = (A: Tensor, l: Tensor) => {
      const one = add(mul(l, 0), 1);
      const zero = mul(l, 0);
      const g = reshape(concat([one, l, zero, one], 1), [KS.length, 2, 2]);
      const gInv = reshape(concat([one, mul(l, -1), zero, one], 1), [KS.length, 2, 2]);
      return matmul(matmul(g, A), gInv);
    };
    const sheared = (l: Tensor) =>
      sg.readout(
        () => gauged(model.Ax(known, vacuum, l), l),
        () => gauged(model.At(known, vacuum, l), l),
        1,
      );
    for (const [i, v] of values(sheared(ks)).entries()) expect(v).toBeCloseTo(KS[i], 12);
    // k and −k are one connection (J A(−k) J⁻¹ = A(k)): at −k the magnitude is read, the sign is the range's
    const minus = mul(ks, -1);
    for (const [i, v] of values(readout(known, -1)(minus)).entries()) expect(v).toBeCloseTo(-KS[i], 12);
  });

  it("tells k from 1/k, which ½ tr Ã_x² on the vacuum cannot", () => {
    const inverse = tensor(Float64Array.from(KS.map((k) => 1 / k)), [KS.length, 1]);
    for (const [i, v] of values(readout(known)(inverse)).entries()) expect(v).toBeCloseTo(1 / KS[i], 12);
  });

  it("is the floor at every k on a k-independent family, 0 on a family k̂ = 0.6k, the excess above the ceiling", () => {
    const zero = layer({});
    const momentumWith = (b: Record<number, number>) =>
      layer({ 0: { 1: -0.25, 2: 0.25 }, 1: { 1: -0.25, 2: 0.25 } }, b);
    const sigma3 = { 0: 0.3, 3: -0.3 };
    const constant = { L: [zero, momentumWith(sigma3), zero], M: [zero, momentum, zero] };
    expect(values(readoutSlopeGaps(readout(constant), ks))).toEqual(KS.map(() => 0.5));
    const scaled = { L: [zero, momentum, layer({}, sigma3)], M: [zero, momentum, zero] };
    for (const [i, v] of values(readout(scaled)(ks)).entries()) expect(v).toBeCloseTo(0.6 * KS[i], 12);
    expect(values(readoutSlopeGaps(readout(scaled), ks))).toEqual(KS.map(() => 0));
    // above the family's ceiling the gap is the excess: k̂ = 3k is 1 above sine-Gordon's 2
    const steep = { L: [zero, momentum, layer({}, { 0: 1.5, 3: -1.5 })], M: [zero, momentum, zero] };
    const ceiling = sg.slopeCeiling;
    expect(ceiling).toBe(2);
    for (const v of values(readoutSlopeGaps(readout(steep), ks, 0.5, ceiling))) expect(v).toBeCloseTo(1, 12);
    expect(values(readoutSlopeGaps(readout(scaled), ks, 0.5, ceiling))).toEqual(KS.map(() => 0));
  });

  it("holds out five k, two outside the range in log |k|, none at 0; refuses a range through 0", () => {
    const held = heldOutParameters(sg, [0.5, 2]);
    expect(held.map((k) => Math.log2(k))).toEqual(
      [-1.4, -0.7, -0.1, 0.6, 1.4].map((v) => expect.closeTo(v, 12)),
    );
    const negative = heldOutParameters(sg, [-2, -0.5]);
    expect(negative).toEqual([...held].reverse().map((k) => expect.closeTo(-k, 12)));
    expect(values(spreadParameters(sg, [0.5, 2], 3))).toEqual([0.5, 1, 2].map((k) => expect.closeTo(k, 12)));
    expect(checkFamilyRange("sine-gordon", [0.5, 2])).toEqual([0.5, 2]);
    for (const range of [[-0.5, 0.5], [0, 1], [2, 0.5], [0.5, 4], [0.2, 1], [1], [0.5, Number.NaN]])
      expect(() => checkFamilyRange("sine-gordon", range, "spectralRange")).toThrow(
        new PhysmlInputError(
          "spectralRange",
          `two numbers a,b with 1/${MAX_SPECTRAL_K} <= a < b <= ${MAX_SPECTRAL_K} or -${MAX_SPECTRAL_K} <= a < b <= -1/${MAX_SPECTRAL_K} (k = 0 is a pole)`,
          range.join(","),
        ),
      );
  });
});
