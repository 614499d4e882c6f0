// Trains KdV's connection family A(λ) from a seeded random start through the fixed-λ learner
// (`start: "fixed"`): the fixed learner's connection A* from its own random draw, its Galilean
// boosts placed at λ̂ = λ, then Levenberg–Marquardt on the family. Checked against the independent
// truth, AKNS's connection: at held-out λ (one below and one above the training range) the learned
// monodromy traces are AKNS's at the learned λ̂(λ), and λ̂ = λ. The untrained seeded family fails the
// same checks. Resumed from its first checkpoint, the run takes the fixed stage's record from the
// checkpoint instead of learning A* again, and ends as the uninterrupted run; from a checkpoint
// written before checkpoints carried the record, it learns A* again (deterministic) and ends the same.
import { saveParams } from "@physml/autodiff/nn";
import { describe, expect, it } from "vitest";
import { expectKnownFamily, expectNotFamily } from "../../test/spectral-family-checks.js";
import {
  learnSpectralConnection,
  type SpectralConnectionCheckpoint,
  type SpectralConnectionConfig,
} from "./spectral-connection-learn.js";

// the fixed stage at the command's budget, the family on 512 points; one Adam step (the boosted
// start is flat already, so without it the polish converges at once and the only checkpoint is the
// last), then LM with a checkpoint after every iteration
const config: SpectralConnectionConfig = {
  seed: 1,
  start: "fixed",
  samples: 512,
  adamSteps: 1,
  polishIter: 30,
  checkpointEvery: 1,
  heldOut: [-0.7, 0.05, 0.7],
};

describe("learnSpectralConnection (KdV, λ ∈ [−0.5, 0.5]) from the fixed learner's connection", () => {
  it("reaches AKNS's family from a seeded random start at λ̂ = λ; the untrained family does not; resumed, it ends the same with or without the stored record", () => {
    const checkpoints: SpectralConnectionCheckpoint[] = [];
    const r = learnSpectralConnection("kdv", { ...config, onCheckpoint: (cp) => checkpoints.push(cp) });
    expect(r.fixed?.passed).toBe(true);
    expect(r.attempt).toBe(0);
    expectKnownFamily(r, "λ");
    // the boosts are placed at λ̂ = λ: A*'s own λ̂ is the fixed learner's reading, and the slope 1
    expect(Math.abs((r.fixed?.scale ?? Number.NaN) - (r.fixed?.parameter ?? Number.NaN))).toBeLessThan(1e-6);
    for (const h of r.heldOut) {
      expect(Math.abs(h.lambdaHat - h.lambda)).toBeLessThan(1e-3);
      expect(Math.abs(h.slope - 1)).toBeLessThan(1e-3);
    }
    const { start: _fixed, ...seeded } = config;
    expectNotFamily(learnSpectralConnection("kdv", { ...seeded, polishIter: 0 }));
    // every checkpoint carries the fixed stage's record; resumed from the first, the record is the
    // stored one (its seconds too: A* was not learned again) and the family the uninterrupted one's
    expect(checkpoints.length).toBeGreaterThan(1);
    for (const cp of checkpoints) expect(cp.fixed).toEqual(r.fixed);
    const resumed = learnSpectralConnection("kdv", { ...config, resume: checkpoints[0] });
    expect(saveParams(resumed.params)).toBe(saveParams(r.params));
    expect(resumed.fixed).toEqual(r.fixed);
    const { fixed: _record, ...older } = checkpoints[0];
    const relearned = learnSpectralConnection("kdv", { ...config, resume: older });
    expect(saveParams(relearned.params)).toBe(saveParams(r.params));
    const { seconds: _s, ...record } = r.fixed ?? {};
    expect(relearned.fixed).toMatchObject(record);
    expect(relearned.fixed?.seconds).not.toBe(r.fixed?.seconds);
  }, 180_000);
});
