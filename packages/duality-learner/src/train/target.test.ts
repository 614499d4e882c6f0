// Target features from the Monte Carlo sampler against exact enumeration on a 4×4 torus.
import { enumerateExpectations, squareLattice } from "@physml/lattice-core";
import { expect, test } from "vitest";
import { resolveConfig } from "../config.js";
import { featuresBatch, linkVariablesBatch, shapeTables } from "../model/features.js";
import { EXTENDED_SHAPES } from "../model/shapes.js";
import { measureTarget } from "./target.js";

test.each([0.3, 0.6])("target ⟨ψ_a⟩ at β = %s matches enumeration within 4σ", async (beta) => {
  const lat = squareLattice(4);
  const config = resolveConfig({
    beta,
    L: 4,
    seed: 3,
    backend: "cpu",
    target: { chains: 32, warmupSweeps: 100, samples: 400, every: 2 },
  });
  const t = await measureTarget(config, lat, EXTENDED_SHAPES);
  const tables = shapeTables(lat, EXTENDED_SHAPES);
  const exact = enumerateExpectations(lat, { nn: beta, plaquette: 0, nnn: 0, field: 0 }, (s) =>
    featuresBatch(lat, tables, linkVariablesBatch(lat, s, 1), 1),
  );
  expect(t.shapes).toEqual(EXTENDED_SHAPES.map((s) => s.name));
  for (let a = 0; a < EXTENDED_SHAPES.length; a++) {
    if (EXTENDED_SHAPES[a].name === "plaquette") {
      expect(t.mean[a]).toBe(1); // the product of link variables around a plaquette is 1
      continue;
    }
    expect(t.error[a]).toBeGreaterThan(0);
    expect(Math.abs(t.mean[a] - exact[a]), EXTENDED_SHAPES[a].name).toBeLessThan(4 * t.error[a]);
  }
});
