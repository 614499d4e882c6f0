import { describe, expect, it } from "vitest";
import { cutAtLargestJump, neighbourAnalysis } from "./neighbours.js";

describe("cutAtLargestJump", () => {
  it("cuts before the largest gap and keeps at least one neighbour", () => {
    expect(cutAtLargestJump([0.1, 0.11, 0.12, 0.9, 0.95])).toBe(3);
    expect(cutAtLargestJump([0.1, 2, 2.1])).toBe(1);
    expect(cutAtLargestJump([0.5])).toBe(1);
  });
});

describe("neighbourAnalysis", () => {
  it("scores 1 for clusters that are separated and labelled alike", () => {
    // three tight clusters on a line, 20 points each, cluster = label
    const n = 60;
    const emb = Float64Array.from({ length: n * 2 }, (_, i) =>
      i % 2 === 0 ? 10 * Math.floor(i / 2 / 20) + ((i / 2) % 20) * 1e-3 : 0,
    );
    const labels = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 20));
    const r = neighbourAnalysis(emb, labels, { k: 30 });
    expect(r.meanScore).toBe(1);
    expect(r.shareAbove).toBe(1);
    expect([...r.cuts].every((c) => c === 19)).toBe(true);
  });

  it("counts the same-label share below the cut exactly", () => {
    // one cluster of 10 points with labels 0,0,0,0,0,1,1,1,1,1 and a far cluster of 10 points
    const emb = Float64Array.from({ length: 20 }, (_, i) => (i < 10 ? i * 1e-3 : 100 + i * 1e-3));
    const labels = Int32Array.from({ length: 20 }, (_, i) => (i < 10 ? (i < 5 ? 0 : 1) : 2));
    const r = neighbourAnalysis(emb, labels, { k: 15, anchors: [0, 12] });
    expect(r.cuts[0]).toBe(9);
    expect(r.scores[0]).toBeCloseTo(4 / 9, 15);
    expect(r.scores[1]).toBe(1);
    expect(r.perLabel).toEqual([
      { label: 0, accuracy: 4 / 9, anchors: 1 },
      { label: 2, accuracy: 1, anchors: 1 },
    ]);
    expect(r.shareAbove).toBe(0.5);
  });
});
