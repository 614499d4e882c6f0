import { add, concat, mul, reshape, sub, type Tensor, tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { expectHoldsKnown } from "../../test/spectral-family-checks.js";
import { fieldSamples } from "../fields/field-system.js";
import { kdvFieldSystem } from "../fields/kdv-samples.js";
import { quadraticLift } from "./quadratic-lift.js";
import {
  SPECTRAL_SLOPE_FLOOR,
  SpectralConnectionModel,
  spectralInvariant,
  spectralSlopeGaps,
} from "./spectral-connection.js";
import { kdvFamilyParams } from "./spectral-families.js";
import { fieldBatch, kdvConnection } from "./zero-curvature.js";

const LAMBDAS = [-0.7, -0.2, 0.1, 0.5, 1.3];
const lambdas = tensor(Float64Array.from(LAMBDAS), [LAMBDAS.length, 1]);
/** A batch of 2×2 matrices from four [K, 1] entries, row-major. */
const m2 = (e: Tensor[]) => reshape(concat(e, 1), [e[0].shape[0], 2, 2]);
const constant = (l: Tensor, v: number) => add(mul(l, 0), v);

/** AKNS's A_x on the vacuum, [[0, 1], [λ, 0]]. */
const akns = (l: Tensor) => m2([constant(l, 0), constant(l, 1), l, constant(l, 0)]);
/** A λ-independent A_x, [[0, 1], [0.3, 0]]. */
const fixed = (l: Tensor) => m2([constant(l, 0), constant(l, 1), constant(l, 0.3), constant(l, 0)]);
/**
 * g(λ) A g(λ)⁻¹ with the shear g = [[1, λ], [0, 1]]: for A = [[0, 1], [c, 0]] it is
 * [[λc, 1 − λ²c], [c, −λc]] (c a [K, 1] entry).
 */
const sheared = (l: Tensor, c: Tensor) => m2([mul(l, c), sub(1, mul(mul(l, l), c)), c, mul(mul(l, c), -1)]);

const values = (t: Tensor) => Array.from(t.toFloat64Array());

describe("the spectral invariant λ̂ and the slope hinge", () => {
  it("reads λ off the AKNS A_x, also in a λ-dependent constant gauge", () => {
    for (const A of [akns(lambdas), sheared(lambdas, lambdas)])
      for (const [k, v] of values(spectralInvariant(A)).entries()) expect(v).toBeCloseTo(LAMBDAS[k], 12);
  });

  it("is zero on AKNS's family (slope 1), bare or in a λ-dependent gauge", () => {
    for (const A of [akns, (l: Tensor) => sheared(l, l)])
      expect(values(spectralSlopeGaps(A, lambdas))).toEqual(LAMBDAS.map(() => 0));
  });

  it("is κ_λ at every λ on a λ-independent connection, bare or in a λ-dependent gauge", () => {
    for (const A of [fixed, (l: Tensor) => sheared(l, constant(l, 0.3))])
      for (const v of values(spectralSlopeGaps(A, lambdas))) expect(v).toBeCloseTo(SPECTRAL_SLOPE_FLOOR, 12);
  });

  it("passes a reparametrised family λ̂ = aλ + b with |a| above the floor and no other", () => {
    const scaled = (a: number) => (l: Tensor) => akns(add(mul(l, a), 0.2));
    expect(Math.max(...values(spectralSlopeGaps(scaled(-0.6), lambdas)))).toBe(0);
    for (const v of values(spectralSlopeGaps(scaled(0.3), lambdas)))
      expect(v).toBeCloseTo(SPECTRAL_SLOPE_FLOOR - 0.3, 12);
  });
});

describe("SpectralConnectionModel", () => {
  // the quadratic lift of (φ, φ_x, φ_xx): inputs 0–2 the features, 3 = φ²; outputs a11, a12, a21, a22
  const model = new SpectralConnectionModel({
    inputs: 9,
    size: 2,
    degreeX: 1,
    degreeT: 2,
    seed: 0,
    features: quadraticLift,
  });
  const aknsParams = kdvFamilyParams();

  it("contains the AKNS connection: it equals kdvConnection(λ) and is flat on KdV data at every λ", () => {
    const system = kdvFieldSystem(2);
    const data = system.trajectories({ trajectories: 3, time: 0.2, snapshots: 3, seed: 7 });
    const batch = fieldBatch(fieldSamples(system, data, 128, 8));
    // the known connection's own residual on these data is at the spectral derivatives' rounding
    expectHoldsKnown(model, aknsParams, kdvConnection, batch, [-0.7, 0.2, 1.1], 1e-8);
    const vacuum = tensor(new Float64Array(LAMBDAS.length * 3), [LAMBDAS.length, 3]);
    expect(values(spectralSlopeGaps((l) => model.Ax(aknsParams, vacuum, l), lambdas))).toEqual(
      LAMBDAS.map(() => 0),
    );
  });

  it("takes λ per row of a batch as [B, 1]", () => {
    const p = model.init();
    const f = tensor(
      Float64Array.from({ length: 6 }, (_, i) => 0.1 * (i + 1)),
      [2, 3],
    );
    const both = values(model.At(p, f, tensor(Float64Array.of(-0.3, 0.8), [2, 1])));
    const row = (k: number) =>
      tensor(
        Float64Array.from({ length: 3 }, (_, i) => 0.1 * (3 * k + i + 1)),
        [1, 3],
      );
    expect(both.slice(0, 4)).toEqual(values(model.At(p, row(0), -0.3)));
    expect(both.slice(4)).toEqual(values(model.At(p, row(1), 0.8)));
  });

  it("starts with a λ-dependent vacuum (random biases), where the hinge has a gradient", () => {
    const vacuum = tensor(new Float64Array(LAMBDAS.length * 3), [LAMBDAS.length, 3]);
    const hat = values(spectralInvariant(model.Ax(model.init(), vacuum, lambdas)));
    expect(new Set(hat.map((v) => v.toFixed(6))).size).toBe(LAMBDAS.length);
  });

  it("names a bad degree", () => {
    for (const degreeX of [0, 5, 1.5])
      expect(() => new SpectralConnectionModel({ inputs: 9, size: 2, degreeX, degreeT: 2, seed: 0 })).toThrow(
        PhysmlInputError,
      );
    expect(
      () => new SpectralConnectionModel({ inputs: 9, size: 2, degreeX: 1, degreeT: 0, seed: 0 }),
    ).toThrow(/degreeT/);
  });
});
