// The learner on Monte Carlo samples at L = 8: the loss of O = s_i s_j is zero, a generic table's
// is significantly positive (pair differences many σ from 0), and from random starts the learner
// recovers the Z2 line along links and, on samples of the dual coupling β̃, the disorder line
// e^{−2β̃ s s} across links; validated on fresh samples against the exact angles.
import { sampleModel } from "@physml/inverse-ising";
import { defineModel, dualCoupling, STANDARD_SQUARE_SHAPES } from "@physml/lattice-core";
import { beforeAll, describe, expect, it } from "vitest";
import { meanHistograms, type PathHistogram, pathHistograms } from "../src/data/histograms.js";
import { validateLine } from "../src/eval/validate.js";
import { DEFAULT_GROUPS, type Geometry, pathPairs } from "../src/paths/paths.js";
import { learnLine } from "../src/train/learn.js";
import { disorderAngle, pathLoss, Z2_ANGLE } from "../src/train/table.js";

const L = 8;
const { paths, pairs } = pathPairs(DEFAULT_GROUPS);
const exclusion = (5 * Math.PI) / 180;

async function histograms(K: number, seed: number, g: Geometry): Promise<PathHistogram[]> {
  const model = defineModel({
    spin: "ising",
    lattice: { square: [L, L] },
    terms: [{ name: "nn", coupling: K, shapes: STANDARD_SQUARE_SHAPES.nn }],
  });
  const d = await sampleModel(model, { chains: 32, samplesPerChain: 32, warmupSweeps: 200, every: 2, seed });
  return pathHistograms(d.spins, L, paths, g);
}

const candidates = (K: number) => [
  { name: "Z2", angle: Z2_ANGLE },
  { name: "disorder", angle: disorderAngle(K) },
];

describe("learner on Ising samples (L = 8)", () => {
  const beta = 0.3;
  let train: PathHistogram[];
  let fresh: PathHistogram[];
  beforeAll(async () => {
    train = await histograms(beta, 1, "links");
    fresh = await histograms(beta, 2, "links");
  });

  it("O = s_i s_j has zero loss; a generic table's pair differences are > 5σ", () => {
    expect(pathLoss(meanHistograms(train), pairs, Z2_ANGLE).loss).toBeLessThan(1e-28);
    const v = validateLine(fresh, pairs, (100 * Math.PI) / 180, candidates(beta), {
      blocks: 16,
      pullLimit: 3,
    });
    expect(Math.max(...v.pairs.map((p) => Math.abs(p.difference / p.error)))).toBeGreaterThan(5);
    expect(v.pathIndependent).toBe(false);
    expect(v.verdict).toMatch(/^failed/);
  });

  it.each([1, 2, 3])("recovers O ∝ s_i s_j from random starts (seed %i)", (seed) => {
    const r = learnLine({
      means: meanHistograms(train),
      pairs,
      starts: 4,
      steps: 300,
      lr: 0.05,
      exclusion,
      seed,
    });
    expect(r.phi).toBeDefined();
    const v = validateLine(fresh, pairs, r.phi as number, candidates(beta), { blocks: 16, pullLimit: 3 });
    expect(v.verdict).toBe("Z2");
    expect(Math.abs((r.phi as number) - Z2_ANGLE)).toBeLessThan(1e-6);
  });

  it("on samples at β̃ finds the disorder line e^{−2β̃ s s} across links", async () => {
    const K = dualCoupling(beta);
    const tr = await histograms(K, 3, "crossing");
    const fr = await histograms(K, 4, "crossing");
    const r = learnLine({
      means: meanHistograms(tr),
      pairs,
      starts: 4,
      steps: 300,
      lr: 0.05,
      exclusion,
      seed: 7,
    });
    const v = validateLine(fr, pairs, r.phi as number, candidates(K), { blocks: 16, pullLimit: 3 });
    expect(v.verdict).toBe("disorder");
    // The match is a real measurement: the angle error is small against the Z2–disorder distance.
    expect(v.angleErrorDeg).toBeLessThan(5);
  });
});
