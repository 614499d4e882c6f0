import { random, type Tensor, tensor } from "@physml/autodiff";
import { checkGrads } from "@physml/autodiff/testing";
import { describe, expect, it } from "vitest";
import { doubleWell } from "../data/potentials.js";
import { samplePotential } from "../data/sample.js";
import { neighbourAnalysis } from "../eval/neighbours.js";
import { Classifier, crossEntropy, embeddings, trainClassifier } from "./classifier.js";

describe("classifier", () => {
  it("cross-entropy equals −mean log softmax at the label", () => {
    const z = [
      [1, 2, 0.5],
      [-1, 0, 3],
    ];
    const y = Int32Array.from([1, 2]);
    const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const want = -(z[0][1] - lse(z[0]) + (z[1][2] - lse(z[1]))) / 2;
    expect(crossEntropy(tensor(z), y).item()).toBeCloseTo(want, 14);
  });

  it("has gradients that match finite differences", () => {
    const net = new Classifier(2, 3, { hidden: [5], embedding: 4, seed: 3 });
    const x = random.normal(random.key(4), [6, 2]);
    const y = Int32Array.from([0, 1, 2, 0, 1, 2]);
    const p = net.init();
    const first = (w: Tensor) =>
      crossEntropy(net.logits({ ...p, body: [{ ...p.body[0], w }, p.body[1]] }, x), y);
    checkGrads(first, [p.body[0].w], { order: 1 });
    const head = (w: Tensor) => crossEntropy(net.logits({ ...p, head: { ...p.head, w } }, x), y);
    checkGrads(head, [p.head.w], { order: 1 });
  });

  it("separates the 2d double-well shells above 95% and its embedding groups them", () => {
    const data = samplePotential(doubleWell(2), { perClass: 150, seed: 5 });
    const t = trainClassifier(data, { seed: 6, hidden: [32, 32], embedding: 8, lr: 1e-2, batch: 64 });
    expect(t.converged).toBe(true);
    expect(t.accuracy).toBeGreaterThan(0.95);
    const emb = embeddings(t, data);
    expect(emb.length).toBe(data.n * 8);
    const r = neighbourAnalysis(emb, data.labels, { k: 100 });
    expect(r.meanScore).toBeGreaterThan(0.9);
    // same seed, same network
    const t2 = trainClassifier(data, { seed: 6, hidden: [32, 32], embedding: 8, lr: 1e-2, batch: 64 });
    expect(embeddings(t2, data)).toEqual(emb);
  });
});
