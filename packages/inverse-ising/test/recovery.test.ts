// Recovery of known couplings from samples drawn exactly from the Boltzmann weights (lattice-core's
// state table: an independent truth, no Markov chain), within 3 jackknife standard errors.
import {
  defineModel,
  type ModelInput,
  nearestNeighbourShapes,
  STANDARD_SQUARE_SHAPES,
} from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { exactSamples, inverseIsing } from "../src/index.js";

function squareModel(L: number, c: { nn: number; nnn: number; plaquette: number }, twist?: boolean[]) {
  const input: ModelInput = {
    spin: "ising",
    lattice: { square: [L, L], ...(twist ? { twist } : {}) },
    terms: (["nn", "nnn", "plaquette"] as const).map((name) => ({
      name,
      coupling: c[name],
      shapes: STANDARD_SQUARE_SHAPES[name],
    })),
  };
  return defineModel(input);
}

function expectRecovered(model: ReturnType<typeof defineModel>, r: ReturnType<typeof inverseIsing>) {
  expect(r.converged).toBe(true);
  r.terms.forEach((t, k) => {
    const truth = model.terms[k].coupling;
    expect(t.error).toBeGreaterThan(0);
    expect(Math.abs(t.value - truth), `${t.name}: ${t.value} ± ${t.error} vs ${truth}`).toBeLessThan(
      3 * t.error,
    );
  });
}

describe("inverse Ising from exact samples", () => {
  it("recovers nn, nnn and plaquette couplings on 4×4 within 3σ", () => {
    const model = squareModel(4, { nn: 0.25, nnn: 0.08, plaquette: 0.1 });
    const spins = exactSamples(model, 20000, 7);
    const r = inverseIsing(model, spins, { blocks: 20 });
    expectRecovered(model, r);
    // The errors shrink like 1/√M: 20000 samples of 16 sites pin β to better than 2%.
    expect(r.terms[0].error).toBeLessThan(0.006);
    expect(r.iterations).toBeLessThan(12);
  });

  it("recovers negative and frustrated couplings on 3×3 within 3σ", () => {
    const model = squareModel(3, { nn: -0.25, nnn: 0.2, plaquette: -0.1 });
    const r = inverseIsing(model, exactSamples(model, 20000, 3), { blocks: 20 });
    expectRecovered(model, r);
  });

  it("recovers the coupling of a twisted (antiperiodic) torus, whose stencil carries signs", () => {
    const model = squareModel(4, { nn: 0.35, nnn: 0.05, plaquette: 0 }, [true, false]);
    const r = inverseIsing(model, exactSamples(model, 20000, 11), { blocks: 20 });
    expectRecovered(model, r);
    // The same data read as the periodic torus give a biased answer: the signs matter.
    const periodic = squareModel(4, { nn: 0.35, nnn: 0.05, plaquette: 0 });
    const wrong = inverseIsing(periodic, exactSamples(model, 20000, 11), { blocks: 20 });
    expect(Math.abs(wrong.terms[0].value - 0.35)).toBeGreaterThan(5 * wrong.terms[0].error);
  });

  it("handles a term that visits a site twice on a tiny lattice (full term sums)", () => {
    // On a 3-site ring s_x s_{x+3} s_{x+1} = s_{x+1}: a field in disguise.
    const model = defineModel({
      spin: "ising",
      lattice: { chain: 3 },
      terms: [
        { name: "nn", coupling: 0.4, shapes: nearestNeighbourShapes(1) },
        { name: "wrapped", coupling: 0.2, sites: [[0], [3], [1]] },
      ],
    });
    const r = inverseIsing(model, exactSamples(model, 20000, 5), { blocks: 20 });
    expectRecovered(model, r);
  });
});
