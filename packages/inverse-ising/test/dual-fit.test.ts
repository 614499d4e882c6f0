// The moment matching of the dual fit against exact enumeration: given the exact nn and diagonal
// correlators of a known nn + nnn model on the 4×4 torus, it must return that model's couplings.
import { defineModel, enumerateModel, STANDARD_SQUARE_SHAPES } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { matchDualCouplings } from "../src/index.js";

describe("dual fit by moment matching", () => {
  it("recovers (t_nn, t_nnn) from exact correlators within 3σ", async () => {
    const truth = { nn: 0.3, nnn: 0.1 };
    const e = enumerateModel(
      defineModel({
        spin: "ising",
        lattice: { square: [4, 4] },
        terms: [
          { name: "nn", coupling: truth.nn, shapes: STANDARD_SQUARE_SHAPES.nn },
          { name: "nnn", coupling: truth.nnn, shapes: STANDARD_SQUARE_SHAPES.nnn },
        ],
      }),
    );
    const target = { g1: e.termMeans[0] / 32, g2: e.termMeans[1] / 32, cov: [0, 0, 0, 0] };
    const r = await matchDualCouplings(4, target, { seed: 3, chains: 32, samplesPerChain: 64 });
    expect(Math.abs(r.tNn - truth.nn)).toBeLessThan(3 * r.tNnError);
    expect(Math.abs(r.tNnn - truth.nnn)).toBeLessThan(3 * r.tNnnError);
    expect(r.tNnError).toBeLessThan(0.08);
    const nnOnly = await matchDualCouplings(4, target, {
      seed: 3,
      chains: 32,
      samplesPerChain: 64,
      nnn: false,
    });
    expect(nnOnly.tNnn).toBe(0);
    // Without the diagonal term the nn coupling absorbs it: clearly above 0.3.
    expect(nnOnly.tNn - truth.nn).toBeGreaterThan(3 * nnOnly.tNnError);
  });
});
