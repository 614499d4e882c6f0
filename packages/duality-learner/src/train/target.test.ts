// Target features from the Monte Carlo sampler against exact enumeration on a 4×4 torus: the
// plain periodic torus, and the twist-summed one (every twist enumerated with its own weight).
import { enumerateExpectations, squareLattice } from "@physml/lattice-core";
import { expect, test } from "vitest";
import { resolveConfig } from "../config.js";
import { featuresBatch, linkVariablesBatch, shapeTables } from "../model/features.js";
import { EXTENDED_SHAPES } from "../model/shapes.js";
import { measureTarget, targetBoundary } from "./target.js";

const lat = squareLattice(4);
const tables = shapeTables(lat, EXTENDED_SHAPES);
const features = (s: Int8Array, twist: boolean[] = []) =>
  featuresBatch(lat, tables, linkVariablesBatch(lat, s, 1, twist), 1);

/** ⟨ψ_a⟩ of the torus summed over its four twists, each weighted by its own Σ exp(β Σ x). */
function twistSummedExact(beta: number): number[] {
  const A = EXTENDED_SHAPES.length;
  const acc = new Float64Array(A);
  let Z = 0;
  const s = new Int8Array(16);
  for (const twist of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    for (let c = 0; c < 1 << 16; c++) {
      for (let i = 0; i < 16; i++) s[i] = (c >> i) & 1 ? -1 : 1;
      const x = linkVariablesBatch(lat, s, 1, twist);
      let sum = 0;
      for (const v of x) sum += v;
      const w = Math.exp(beta * sum);
      Z += w;
      const f = featuresBatch(lat, tables, x, 1);
      for (let a = 0; a < A; a++) acc[a] += w * f[a];
    }
  }
  return Array.from(acc, (v) => v / Z);
}

const config = (beta: number, boundary: "periodic" | "auto") =>
  resolveConfig({
    beta,
    L: 4,
    seed: 3,
    backend: "cpu",
    target: { chains: 32, warmupSweeps: 100, samples: 400, every: 2, boundary },
  });

function expectWithin4Sigma(t: { mean: number[]; error: number[] }, exact: ArrayLike<number>): void {
  for (let a = 0; a < EXTENDED_SHAPES.length; a++) {
    if (EXTENDED_SHAPES[a].name === "plaquette") {
      expect(t.mean[a]).toBeCloseTo(1, 12); // the product of link variables around a plaquette is 1
      continue;
    }
    expect(t.error[a]).toBeGreaterThan(0);
    expect(Math.abs(t.mean[a] - exact[a]), EXTENDED_SHAPES[a].name).toBeLessThan(4 * t.error[a]);
  }
}

test.each([0.3, 0.6])("periodic target ⟨ψ_a⟩ at β = %s matches enumeration within 4σ", async (beta) => {
  const t = await measureTarget(config(beta, "periodic"), lat, EXTENDED_SHAPES);
  expect(t.boundary).toBe("periodic");
  expect(t.shapes).toEqual(EXTENDED_SHAPES.map((s) => s.name));
  expectWithin4Sigma(
    t,
    enumerateExpectations(lat, { nn: beta, plaquette: 0, nnn: 0, field: 0 }, (s) => features(s)),
  );
});

test.each([0.3, 0.6])("twist-summed target ⟨ψ_a⟩ at β = %s matches enumeration within 4σ", async (beta) => {
  const t = await measureTarget(config(beta, "auto"), lat, EXTENDED_SHAPES);
  expect(t.boundary).toBe("twist-sum");
  expect(t.sectorWeights?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  expectWithin4Sigma(t, twistSummedExact(beta));
  // The two boundaries differ far beyond the errors on 4×4 (nearest-neighbour link ⟨x⟩).
  const periodic = enumerateExpectations(lat, { nn: beta, plaquette: 0, nnn: 0, field: 0 }, (s) =>
    features(s),
  );
  expect(Math.abs(t.mean[0] - periodic[0])).toBeGreaterThan(8 * t.error[0]);
});

test("the twist-summed target needs the nearest-neighbour model without tempering", () => {
  expect(targetBoundary(resolveConfig({ beta: 0.3, plaquette: 0.1 }))).toBe("periodic");
  expect(() =>
    targetBoundary(resolveConfig({ beta: 0.3, plaquette: 0.1, target: { boundary: "twist-sum" } })),
  ).toThrow(/target\.boundary/);
  expect(targetBoundary(resolveConfig({ beta: 0.3 }))).toBe("twist-sum");
});
