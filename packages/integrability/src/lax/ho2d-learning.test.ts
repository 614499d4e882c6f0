// The 2D isotropic oscillator at the command's defaults (its own model: symmetric affine pair,
// Levenberg–Marquardt from each draw, restarts until a draw's training traces are 2 independent
// ones), against its targets and against the oscillator's conserved quantities. A learned pair is
// not unique (gauge, L → f(L), and the oscillator's U(2) symmetry, which maps pairs to pairs), so
// it is compared through its traces: every conserved polynomial of degree ≤ 2 of the isotropic
// oscillator is a combination of 1, H_x, H_y, L_z = q_x p_y − q_y p_x and K = q_x q_y + p_x p_y, so
// tr L̃² of an exact affine pair (degree 2 in the state) must be affine in them, and tr L̃⁴ a
// polynomial of degree ≤ 2 in them. The known pair is one case: tr L² = 4H.
import { tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { samplePhaseSpace } from "../data/sampling.js";
import { harmonicOscillator } from "../data/systems.js";
import { leastSquares, tracePowers } from "../eval/linalg-small.js";
import type { LaxCheckpoint } from "./checkpoint.js";
import { EXACT_RESIDUAL, type LearnLaxConfig, learnLax } from "./learn.js";
import { LaxModel, type LaxParams } from "./model.js";
import { laxSetup } from "./systems.js";

const setup = laxSetup("ho2d");
const own = setup.model as NonNullable<typeof setup.model>;
// seed 3: its first draw is an exact pair of one quadratic invariant, its second has 2
// independent traces (measured; MEASUREMENTS "Independent traces")
const DEFAULTS: LearnLaxConfig = {
  system: "ho2d",
  adamSteps: own.adamSteps,
  lbfgsIter: own.lbfgsIter,
  polish: own.polish,
  seed: 3,
};

/** R² of tr L̃² on the conserved quadratics and of tr L̃⁴ on their products, at held-out states. */
function tracesOnInvariants(model: LaxModel, params: LaxParams): { r2: number; r4: number; slope: number } {
  const m = 200;
  const s = samplePhaseSpace(harmonicOscillator(2), m, 77);
  const L = model.L(params, tensor(s.x, [m, 4])).toFloat64Array();
  const X2 = new Float64Array(m * 5);
  const X4 = new Float64Array(m * 15);
  const [y2, y4]: number[][] = [[], []];
  for (let i = 0; i < m; i++) {
    const [qx, qy, px, py] = s.x.subarray(4 * i, 4 * i + 4);
    const inv = [(qx * qx + px * px) / 2, (qy * qy + py * py) / 2, qx * py - qy * px, qx * qy + px * py];
    const deg2 = [1, ...inv];
    X2.set(deg2, 5 * i);
    const products = inv.flatMap((a, j) => inv.slice(j).map((b) => a * b));
    X4.set([...deg2, ...products], 15 * i);
    // the traceless part's traces from tr Lᵏ (n = 4, shift c = tr L / 4)
    const [t1, t2, t3, t4] = tracePowers(L.subarray(16 * i, 16 * i + 16), 4, 4);
    const c = t1 / 4;
    y2.push(t2 - 4 * c * c);
    y4.push(t4 - 4 * c * t3 + 6 * c * c * t2 - 4 * c ** 3 * t1 + 4 * c ** 4);
  }
  const f2 = leastSquares(X2, y2, m, 5);
  const f4 = leastSquares(X4, y4, m, 15);
  return { r2: f2.r2, r4: f4.r2, slope: Math.max(...Array.from(f2.coef.subarray(1), Math.abs)) };
}

describe("learnLax on the 2D oscillator at its defaults", () => {
  const checkpoints: LaxCheckpoint[] = [];
  const r = learnLax({ ...DEFAULTS, onCheckpoint: (cp) => checkpoints.push(cp) });

  it("keeps a valid pair with 2 independent traces, after rejecting an exact pair of one invariant", () => {
    expect(r.validation?.passed).toBe(true);
    expect(r.traceIndependence?.independent).toBeGreaterThanOrEqual(2);
    expect(r.model.structure).toBe("symmetric");
    expect(r.hidden).toEqual([]);
    // the first draw is exact (on held-out data too) and yet rejected: its traces on the
    // training states are functions of one quantity
    expect(r.rungs).toHaveLength(2);
    expect(r.rungs[0].laxResidual).toBeLessThan(EXACT_RESIDUAL);
    expect(r.rungs[0].independentTraces).toBe(1);
    expect(r.rungs[1].independentTraces).toBeGreaterThanOrEqual(2);
    expect(r.laxResidual).toBeLessThan(EXACT_RESIDUAL);
  });

  it("has the traces of a pair of the oscillator's conserved quadratics; an untrained pair has not", () => {
    const learned = tracesOnInvariants(r.model, r.state.params);
    expect(learned.r2).toBeGreaterThan(1 - 1e-9);
    expect(learned.r4).toBeGreaterThan(1 - 1e-9);
    // tr L̃² is not a constant (that would be a constant spectrum)
    expect(learned.slope).toBeGreaterThan(1e-3);
    const untrained = new LaxModel({
      inputs: 4,
      size: 4,
      hidden: [],
      seed: 3,
      structure: "symmetric",
      linear: false,
    });
    const start = tracesOnInvariants(untrained, untrained.init());
    expect(start.r2).toBeLessThan(0.99);
    expect(start.r4).toBeLessThan(0.99);
  });

  it("without the independence test the restarts keep the first draw, which fails validation", () => {
    const restarts = { ...(setup.restarts as NonNullable<typeof setup.restarts>) };
    delete restarts.independentTraces;
    const loose = learnLax({ ...DEFAULTS, restarts, validate: false });
    expect(loose.rungs).toHaveLength(1);
    expect(loose.rungs[0].independentTraces).toBeUndefined();
    expect(loose.final).toEqual(r.rungs[0].final);
    expect(loose.traceIndependence?.independent).toBe(1);
    expect(loose.validation?.passed).toBe(false);
    expect(loose.validation?.failures.join("; ")).toMatch(/1 of the traces tr Lᵏ independent/);
  });

  it("resumed after the rejected draw (its count stored, or left out by an older checkpoint), ends as the whole run", () => {
    // the checkpoint taken after the first draw's polish
    const polished = checkpoints.find((cp) => cp.phase === "polished" && cp.rung === 0) as LaxCheckpoint;
    expect(polished.rungs[0].independentTraces).toBe(1);
    const older = structuredClone(polished);
    delete older.rungs[0].independentTraces;
    for (const cp of [polished, older]) {
      const resumed = learnLax({ ...DEFAULTS, resume: JSON.parse(JSON.stringify(cp)) });
      expect(resumed.rungs).toEqual(r.rungs);
      expect(resumed.final).toEqual(r.final);
      expect(resumed.laxResidual).toBe(r.laxResidual);
    }
  });

  it("refuses a restarts independence count that is not an integer >= 1", () => {
    for (const independentTraces of [0, 1.5])
      expect(() =>
        learnLax({
          ...DEFAULTS,
          lbfgsIter: 0,
          restarts: { max: 0, invariant: 1e-6, independentTraces },
          evaluate: false,
        }),
      ).toThrow(/restarts\.independentTraces/);
  });
});
