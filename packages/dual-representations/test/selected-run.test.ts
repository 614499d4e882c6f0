// The autoencoder runs of a chain point, and the one picked by its training loss alone.
import { describe, expect, it } from "vitest";
import { chainPoint, lowestLossRun } from "../src/chain/task.js";
import { resolveChainConfig } from "../src/config.js";

describe("the run picked by its final training loss", () => {
  it("is the smallest loss, the earliest of equals", () => {
    expect(lowestLossRun([2, 1, 1, 3])).toBe(1);
    expect(lowestLossRun([0.5])).toBe(0);
    expect(lowestLossRun([3, 2, 1])).toBe(2);
  });

  it("a chain point reports every run's loss and σ overlap, and the picked run's own numbers", () => {
    const c = resolveChainConfig({
      sites: 8,
      n: [3],
      epochs: 3,
      perClass: 32,
      hidden: 8,
      autoencoderRuns: 3,
      width: 8,
    });
    const a = chainPoint(c, 3).autoencoder;
    expect(a).toBeDefined();
    if (!a) return;
    expect(a.finalLossByRun).toHaveLength(3);
    expect(a.sigmaOverlapByRun).toHaveLength(3);
    // the runs start from different initialisations, so their losses differ
    expect(new Set(a.finalLossByRun).size).toBe(3);
    const k = a.selected.run;
    for (const l of a.finalLossByRun) expect(a.finalLossByRun[k]).toBeLessThanOrEqual(l);
    expect(a.selected.bestTest).toBe(a.bestTestByRun[k]);
    expect(a.selected.sigmaOverlap).toBe(a.sigmaOverlapByRun[k]);
    expect(a.sigmaOverlap).toBeCloseTo(a.sigmaOverlapByRun.reduce((s, v) => s + v, 0) / 3, 14);
    for (const v of a.sigmaOverlapByRun) expect(v >= 0 && v <= 1).toBe(true);
  });
});
