import { add, matmul, random, sub, type Tensor, tensor, transpose } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { expectHoldsKnown } from "../../test/spectral-family-checks.js";
import { fieldSamples } from "../fields/field-system.js";
import { heisenbergFieldSystem } from "../fields/heisenberg-samples.js";
import { heisenbergConnection } from "./field-connections.js";
import type { LaxParams } from "./model.js";
import { quadraticLift } from "./quadratic-lift.js";
import { readoutSlopeGaps, SpectralConnectionModel } from "./spectral-connection.js";
import {
  checkFamilyRange,
  heisenbergFamilyParams,
  heldOutParameters,
  MAX_SPECTRAL_HEISENBERG,
  spectralFamily,
} from "./spectral-families.js";
import { fieldBatch } from "./zero-curvature.js";

const values = (t: Tensor) => Array.from(t.toFloat64Array());
const heis = spectralFamily("heisenberg");
const LS = [0.35, 0.9, 1.7, 4.5];
const ls = tensor(Float64Array.from(LS), [LS.length, 1]);
/** The vacuum S = (0, 0, 1), S_x = 0, one row per λ. */
const vacuum = tensor(Float64Array.from(LS.flatMap(() => heis.vacuum)), [LS.length, 6]);

const known = heisenbergFamilyParams();
const model = new SpectralConnectionModel({
  inputs: 27,
  size: 3,
  degreeX: 1,
  degreeT: 2,
  lowestX: 1,
  lowestT: 1,
  seed: 0,
  antisymmetric: true,
  features: quadraticLift,
});
const readout =
  (p: LaxParams, gauge: (A: Tensor) => Tensor = (A) => A) =>
  (l: Tensor) =>
    heis.readout(
      () => gauge(model.Ax(p, vacuum, l)),
      () => gauge(model.At(p, vacuum, l)),
      1,
    );

/** A seeded rotation R ∈ SO(3) from a normalised Gaussian quaternion (w, x, y, z). */
function rotation(seed: number): Tensor {
  const q = values(random.normal(random.key(seed), [4]));
  const n = Math.hypot(...q);
  const [w, x, y, z] = q.map((v) => v / n);
  return tensor(
    Float64Array.of(
      1 - 2 * (y * y + z * z),
      2 * (x * y - w * z),
      2 * (x * z + w * y),
      2 * (x * y + w * z),
      1 - 2 * (x * x + z * z),
      2 * (y * z - w * x),
      2 * (x * z - w * y),
      2 * (y * z + w * x),
      1 - 2 * (x * x + y * y),
    ),
    [1, 3, 3],
  );
}

describe("Heisenberg's family A(λ)", () => {
  it("holds the known so(3) connection exactly (A_x power λ¹, A_t powers λ¹ to λ²), flat on Heisenberg data at every λ", () => {
    const data = heisenbergFieldSystem.trajectories({ trajectories: 3, time: 0.2, snapshots: 3, seed: 0 });
    const batch = fieldBatch(fieldSamples(heisenbergFieldSystem, data, 128, 8));
    expectHoldsKnown(model, known, heisenbergConnection, batch, [-1.3, 0.4, 2.2], 1e-6);
    // one affine map of the 27 lifted features onto the 3 entries above the diagonal per power: λ¹ of A_x, λ¹ and λ² of A_t
    expect(model.parameterCount).toBe(3 * 28 * 3);
  });

  it("reads λ̂ = λ off the known family (slope 1, hinge 0), in a random constant rotation R A Rᵀ too, and −λ at −λ", () => {
    for (const [i, v] of values(readout(known)(ls)).entries()) expect(v).toBeCloseTo(LS[i], 12);
    expect(values(readoutSlopeGaps(readout(known), ls))).toEqual(LS.map(() => 0));
    for (const seed of [1, 2, 3]) {
      const R = rotation(seed);
      const rotated = (A: Tensor) => matmul(matmul(R, A), transpose(R, [0, 2, 1]));
      for (const [i, v] of values(readout(known, rotated)(ls)).entries()) expect(v).toBeCloseTo(LS[i], 12);
    }
    // λ and −λ are not one connection: the sign is the family's, not the range's
    for (const [i, v] of values(readout(known)(sub(0, ls))).entries()) expect(v).toBeCloseTo(-LS[i], 12);
  });

  it("is the floor at every λ on a λ-independent family (the known connection at λ = 1 for every λ)", () => {
    const constant = new SpectralConnectionModel({
      inputs: 27,
      size: 3,
      degreeX: 1,
      degreeT: 2,
      seed: 0,
      antisymmetric: true,
      features: quadraticLift,
    });
    const zero = {
      w: tensor(new Float64Array(27 * 3), [27, 3]),
      b: tensor(new Float64Array(3), [3]),
    } as LinearParams;
    const atOne = { w: add(known.M[0].w, known.M[1].w), b: add(known.M[0].b, known.M[1].b) } as LinearParams;
    // the λ⁰ coefficients are A_x = [S]×, A_t = [S × S_x]× − [S]×; every higher power is 0
    const p = { L: [known.L[0], zero], M: [atOne, zero, zero] };
    const r = (l: Tensor) =>
      heis.readout(
        () => constant.Ax(p, vacuum, l),
        () => constant.At(p, vacuum, l),
        1,
      );
    for (const v of values(r(ls))) expect(v).toBeCloseTo(1, 12);
    expect(values(readoutSlopeGaps(r, ls))).toEqual(LS.map(() => 0.5));
  });

  it("holds out five λ in log |λ|, two outside the range; refuses a range through 0 or past 3", () => {
    const held = heldOutParameters(heis, [0.5, 2]);
    expect(held.map((l) => Math.log2(l))).toEqual(
      [-1.4, -0.7, -0.1, 0.6, 1.4].map((v) => expect.closeTo(v, 12)),
    );
    expect(heldOutParameters(heis, [-2, -0.5])).toEqual(
      [...held].reverse().map((l) => expect.closeTo(-l, 12)),
    );
    expect(checkFamilyRange("heisenberg", [0.5, 2])).toEqual([0.5, 2]);
    expect(checkFamilyRange("heisenberg", [-3, -1 / 3])).toEqual([-3, -1 / 3]);
    for (const range of [[-0.5, 0.5], [0, 1], [2, 0.5], [0.5, 4], [0.2, 1], [1], [0.5, Number.NaN]])
      expect(() => checkFamilyRange("heisenberg", range, "spectralRange")).toThrow(
        new PhysmlInputError(
          "spectralRange",
          `two numbers a,b with 1/${MAX_SPECTRAL_HEISENBERG} <= a < b <= ${MAX_SPECTRAL_HEISENBERG} or -${MAX_SPECTRAL_HEISENBERG} <= a < b <= -1/${MAX_SPECTRAL_HEISENBERG} (A = 0 at λ = 0)`,
          range.join(","),
        ),
      );
  });
});
