import { beforeAll, describe, expect, it } from "vitest";
import { invariantError, so3Connection } from "../../test/heisenberg-invariants.js";
import { fieldMonodromyReport, type MonodromyReport } from "../eval/monodromy.js";
import { fieldSamples } from "../fields/field-system.js";
import { heisenbergFieldSystem } from "../fields/heisenberg-samples.js";
import { CARTAN_FLOOR, cartanRatio } from "./cartan-ratio.js";
import { CONNECTION_TARGETS } from "./connection-validation.js";
import { learnLaxConnection } from "./field-connection-systems.js";
import { heisenbergConnection } from "./field-connections.js";
import { type ConnectionFns, fieldBatch, zeroCurvatureResidual } from "./zero-curvature.js";

// The command's data (6 trajectories, t ∈ [0, 1]) with half its points and half its polish cap:
// Levenberg–Marquardt converged after 15 iterations here (training 𝓛_ZC 4e-22). In this
// configuration 8 of seeds 0–9 learned the so(3) connection (held-out residual ≤ 1.9e-6), so seed
// 1 is not a lucky draw; seeds 6 and 8 stalled, as their first attempts do with the command's
// budget (MEASUREMENTS.md, "Heisenberg connection").
const SEED = 1;
const ADAM_STEPS = 200;

describe("learnLaxConnection (Heisenberg, so(3) affine on the quadratic lift) from its random start", () => {
  let r: ReturnType<typeof learnLaxConnection>;
  let start: ConnectionFns;
  let held: ReturnType<typeof fieldBatch>;
  let startMonodromy: MonodromyReport;
  beforeAll(() => {
    r = learnLaxConnection("heisenberg", { samples: 256, adamSteps: ADAM_STEPS, polishIter: 30, seed: SEED });
    // the seeded initialisation training began at: the model's own draw, no `init`
    start = so3Connection(r.model, r.model.init());
    // held-out points the learner did not evaluate on (its own are seed + 2)
    held = fieldBatch(fieldSamples(heisenbergFieldSystem, r.heldOut, 256, 99));
    startMonodromy = fieldMonodromyReport(start, heisenbergFieldSystem, r.heldOut);
    // ~12 s alone (MEASUREMENTS.md)
  }, 180_000);

  it("trains from the seeded draw with Adam, then Levenberg–Marquardt", () => {
    expect(r.attempt).toBe(0);
    expect(r.history[0].step).toBe(0);
    expect(r.history.some((m) => m.step === ADAM_STEPS)).toBe(true);
    expect(r.final.step).toBeGreaterThan(ADAM_STEPS);
    // the start is far from flat on the training points (measured 𝓛_ZC 3.4)
    expect(r.history[0].lax).toBeGreaterThan(1);
  });

  it("the known connection is flat on the held-out samples, the random start is not", () => {
    // 1e-7: the aliasing level of |S| = 1, S·S_x = 0 at N = 128 (README); measured 8.7e-15 here
    expect(zeroCurvatureResidual(heisenbergConnection(r.reference.value), held)).toBeLessThan(1e-7);
    // the control: the same check fails for the untrained connection (measured 2.0)
    expect(zeroCurvatureResidual(start, held)).toBeGreaterThan(CONNECTION_TARGETS.residual);
  });

  it("is flat on the held-out trajectories, to the data's error", () => {
    // measured 8.6e-11 on the learner's held-out points and 8.3e-11 on these; the target is 1e-2
    expect(r.residual).toBeLessThan(1e-6);
    expect(zeroCurvatureResidual(r.connection, held)).toBeLessThan(1e-6);
  });

  it("is the known connection up to a constant rotation and the scale λ", () => {
    const before = invariantError(start, held.f);
    const after = invariantError(r.connection, held.f);
    // measured 84 before and 1.1e-8 after
    expect(before.error).toBeGreaterThan(1);
    expect(after.error).toBeLessThan(1e-6);
    // the setup's Killing-form readout of λ agrees with the invariants' (measured 0.1432)
    expect(r.reference.value).toBeCloseTo(Math.abs(after.lambda), 6);
  });

  it("conserves its monodromy trace along the held-out smooth textures, as the known connection does", () => {
    // the spin waves only translate: every local A_x keeps its trace there
    const smooth = r.heldOut.kinds.flatMap((k, i) => (k === "smooth" ? [i] : []));
    expect(smooth).toHaveLength(4);
    expect(r.validation.checked).toEqual(smooth);
    for (const i of smooth) {
      // measured ≤ 2.9e-9, the known connection's at the same λ ≤ 3.0e-9; target 1e-3
      expect(r.monodromy.variation[i]).toBeLessThan(1e-6);
      expect(r.reference.variation[i]).toBeLessThan(1e-6);
      // the untrained connection's trace changes (measured 0.020 to 1.9)
      expect(startMonodromy.variation[i]).toBeGreaterThan(CONNECTION_TARGETS.monodromyVariation);
    }
    expect(r.validation.passed).toBe(true);
  });

  it("spans a non-solvable algebra, as the known connection does (Cartan's criterion)", () => {
    const learned = cartanRatio(r.connection.Ax(held.f));
    expect(learned).toBeGreaterThan(CARTAN_FLOOR);
    // the ratio does not see a constant rotation, a reflection or the scale: it is the known
    // connection's on the same points (measured 0.53303 for both, 6e-10 apart)
    const known = cartanRatio(heisenbergConnection(1).Ax(held.f));
    expect(Math.abs(learned - known)).toBeLessThan(1e-6 * known);
  });
});
