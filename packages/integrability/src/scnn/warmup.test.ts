// The two-body comparison's learning rate with a warm-up, and why it has one: seed 0's SCNN (the
// README's point-T, mechanical-H_θ setting) diverges within its first steps at the full rate and
// trains when the rate rises over the first 200 steps.
import { tensor } from "@physml/autodiff";
import { cosineDecay } from "@physml/autodiff/optim";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { twoBodyLearningRate } from "./compare.js";
import { CENTRE_OF_MASS_MAP } from "./frame.js";
import { scnnModel } from "./models.js";
import { trainFieldModel } from "./train.js";
import { twoBodyTrainingSet } from "./two-body-data.js";

describe("twoBodyLearningRate", () => {
  it("without a warm-up is the cosine decay to 5% the comparison always used, value for value", () => {
    const old = cosineDecay(3e-3, 4000, 0.05);
    const now = twoBodyLearningRate(3e-3, 4000, 0);
    for (const s of [0, 1, 17, 1999, 3999, 4000]) expect(now(s)).toBe(old(s));
  });

  it("rises linearly over the warm-up, then decays on a cosine over the remaining steps", () => {
    const lr = twoBodyLearningRate(3e-3, 4000, 200);
    expect(lr(0)).toBeCloseTo(3e-3 / 200, 15);
    expect(lr(99)).toBeCloseTo(3e-3 / 2, 15);
    expect(lr(199)).toBeCloseTo(3e-3, 15);
    expect(lr(200)).toBeCloseTo(3e-3, 15);
    // halfway through the decay: (1 − 0.05)·½ + 0.05 of the rate
    expect(lr(200 + 1900)).toBeCloseTo(3e-3 * (0.95 * 0.5 + 0.05), 15);
    expect(lr(4000)).toBeCloseTo(3e-3 * 0.05, 15);
  });

  it("refuses a warm-up as long as the training or not a whole number of steps", () => {
    for (const w of [4000, 5000, -1, 2.5])
      expect(() => twoBodyLearningRate(3e-3, 4000, w)).toThrow(PhysmlInputError);
  });
});

describe("seed 0's SCNN with and without the warm-up", () => {
  // the README's setting: relative frame, 3 cyclic coordinates with gradient rows, the point T
  // from the polar start, cosine 𝓛_conserved of weight 10, the mechanical H_θ; eccentric orbits
  // of both senses (tilt 0.5, half retrograde); minibatches of 128
  const train = twoBodyTrainingSet(32, 0, 6, { offset: 0.5, velocity: 0.1 }, { tilt: 0.5, retrograde: 0.5 });
  const x = tensor(train.x, [train.n, 8]);
  const xdot = tensor(train.xdot, [train.n, 8]);
  const model = scnnModel({
    dim: 8,
    hidden: [64, 64],
    cyclic: 3,
    poissonWeight: 1,
    conservationWeight: 10,
    conservation: "cosine",
    cyclicQ: "gradients",
    transform: "point",
    pointStart: "polar",
    hamiltonian: "mechanical",
    inputMap: CENTRE_OF_MASS_MAP,
    fixedPairs: 2,
    seed: 0,
  });
  const losses = (warmup: number) =>
    trainFieldModel(model, x, xdot, {
      steps: 20,
      lr: twoBodyLearningRate(3e-3, 4000, warmup),
      batch: 128,
      seed: 0,
      logEvery: 1,
    }).losses.map((l) => l.loss);

  it("at the full rate the minibatch loss leaves its start by orders of magnitude; warmed up it stays near it", () => {
    const cold = losses(0);
    const warm = losses(200);
    // the same first step (the loss before any update), about 2
    expect(warm[0]).toBe(cold[0]);
    expect(cold[0]).toBeLessThan(5);
    // one Adam step at the full rate moves every weight by about 3e-3; in the network of the
    // cyclic rows that makes the lift's Jacobian nearly singular on some training states
    expect(Math.max(...cold.slice(1))).toBeGreaterThan(1e5);
    expect(Math.max(...warm)).toBeLessThan(5);
  });
});
