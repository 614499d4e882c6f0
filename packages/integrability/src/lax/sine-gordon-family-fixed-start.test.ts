// Trains sine-Gordon's connection family A(k) from a seeded random start through the fixed-k
// learner (`start: "fixed"`): the fixed learner's connection A* from its own random draw, its
// Lorentz boosts placed at k̂ = k, then Levenberg–Marquardt on the family. Checked against the
// independent truth, the known connection: at held-out k (one below and one above the training
// range) the learned monodromy traces are the known connection's at the learned k̂(k), and k̂ moves
// with k. The untrained seeded family fails the same checks.
import { describe, expect, it } from "vitest";
import { expectKnownFamily, expectNotFamily } from "../../test/spectral-family-checks.js";
import { learnSpectralConnection, type SpectralConnectionConfig } from "./spectral-connection-learn.js";

// both stages on 256 points and 3 trajectories, ≤ 30 LM iterations, no Adam for the family
const config: SpectralConnectionConfig = {
  seed: 0,
  start: "fixed",
  fixedBudget: { samples: 256, polishIter: 30 },
  samples: 256,
  data: { trajectories: 3 },
  adamSteps: 0,
  polishIter: 30,
  heldOut: [0.4, 1.1, 2.5],
};

describe("learnSpectralConnection (sine-Gordon, k ∈ [0.5, 2]) from the fixed learner's connection", () => {
  it("reaches the known family from a seeded random start: traces the known connection's at k̂(k), k̂ moving with k; the untrained family's are not", () => {
    const r = learnSpectralConnection("sine-gordon", config);
    expect(r.fixed?.passed).toBe(true);
    expect(r.attempt).toBe(0);
    // the boosts are placed so that k̂ = k: k₀ is A*'s own k̂, the fixed learner's reading or 1/it
    const k0 = r.fixed?.scale ?? Number.NaN;
    const read = r.fixed?.parameter ?? Number.NaN;
    expect(Math.min(Math.abs(k0 - read), Math.abs(k0 - 1 / read))).toBeLessThan(1e-6);
    expectKnownFamily(r, "k");
    const { start: _fixed, fixedBudget: _budget, ...seeded } = config;
    expectNotFamily(learnSpectralConnection("sine-gordon", { ...seeded, polishIter: 0 }));
  }, 120_000);
});
