// The symmetry commands' memory estimate against what a run retains, and the refusal before any
// point is drawn.
import { PhysmlInputError } from "@physml/lattice-core";
import { expect, test } from "vitest";
import { POTENTIALS } from "./data/potentials.js";
import { estimateSymmetryMemory } from "./memory.js";
import { embedData, embedPotential } from "./pipeline/potential.js";

test("the estimate covers the arrays a run keeps per point, with room for its full-batch passes", () => {
  const pot = POTENTIALS["double-well"](3);
  const stage = embedPotential(pot, { perClass: 50, seed: 1, classifier: { maxEpochs: 1 } });
  const n = stage.data.n;
  const kept = [stage.data.x, stage.data.labels, stage.embedding, stage.predicted].reduce(
    (b, a) => b + a.byteLength,
    0,
  );
  // One full-batch pass holds at least the 64-wide hidden layers' activations (2 × 64 × 8 B).
  const passes = 2 * 64 * 8 * n;
  expect(estimateSymmetryMemory(n, 3)).toBeGreaterThan(kept + passes);
});

test("a run above --max-memory is refused naming perClass before a point is drawn", () => {
  const pot = POTENTIALS["double-well"](6);
  const t = performance.now();
  const refuse = () => embedPotential(pot, { perClass: 1_000_000, seed: 1, maxMemory: "4G" });
  expect(refuse).toThrow(PhysmlInputError);
  expect(refuse).toThrow(
    /^perClass: expected a run that fits in the memory limit of 4\.00 GB \(--max-memory\): 6000000 points in R\^6 needs ≈ 2\d\.\d GB; lower --per-class/,
  );
  // Sampling 6·10⁶ points alone takes seconds: the refusal comes first.
  expect(performance.now() - t).toBeLessThan(500);
});

test("user data above --max-memory is refused naming the points (group)", () => {
  const n = 1000;
  const data = { x: new Float64Array(2 * n), labels: new Int32Array(n), n, dim: 2, classes: 1 };
  expect(() => embedData(data, { seed: 1, maxMemory: "1M" })).toThrow(
    /^group: expected a run that fits in the memory limit of 1\.00 MB \(--max-memory\): 1000 points in R\^2 needs ≈ 3\.97 MB; use fewer points, got 1000 points$/,
  );
});
