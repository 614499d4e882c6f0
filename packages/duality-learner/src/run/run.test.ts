import { dualCoupling } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { type SweepRow, sweepReport } from "./report.js";
import { MAX_SWEEP_POINTS, parseBetas, pointNames } from "./runner.js";

describe("β lists", () => {
  test("ranges are inclusive and lists parse", () => {
    expect(parseBetas("0.1:0.8:0.05")).toHaveLength(15);
    expect(parseBetas("0.1:0.8:0.05").at(-1)).toBeCloseTo(0.8, 12);
    expect(parseBetas("0.2, 0.35,0.7")).toEqual([0.2, 0.35, 0.7]);
    for (const bad of [
      "0.8:0.1:0.1",
      "0.1:0.2",
      "0:1:0.1",
      "a,b",
      "0.1:0.2:0",
      "0x1,0.2",
      "0.3,,0.4",
      "0.3,0.3",
    ]) {
      expect(() => parseBetas(bad), bad).toThrow(/betas: expected/);
    }
  });

  test("the point limit is named in the error", () => {
    expect(() => parseBetas("0.001:3:0.0001")).toThrow(
      new RegExp(`at most ${MAX_SWEEP_POINTS} points.*29991 points`),
    );
  });

  test("distinct β get distinct directories (three decimals when they suffice)", () => {
    expect(pointNames([0.3, 0.7])).toEqual(["beta-0.300", "beta-0.700"]);
    expect(pointNames([0.3001, 0.3004])).toEqual(["beta-0.3001", "beta-0.3004"]);
  });
});

describe("reports", () => {
  test("sweep report: the exact curve, one marker and one ±1σ bar per β, axis titles, offline", async () => {
    const rows: SweepRow[] = [0.2, 0.3, 0.7].map((beta) => ({
      beta,
      t0: dualCoupling(beta) * 1.01,
      t0Error: 0.002,
      validated: true,
      validationReasons: [],
      exact: dualCoupling(beta),
      relativeError: 0.01,
      chosenKind: "perp(-1/2,-1/2) (dual-crossing)",
      wallTimeMs: 1000,
    }));
    const html = await sweepReport(rows, 16);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.match(/aria-roledescription="point"/g)).toHaveLength(3);
    expect(html.match(/aria-roledescription="rule mark"/g)).toHaveLength(3);
    expect(html).toContain("exact β̃(β)");
    expect(html).toContain("β (original coupling, dimensionless)");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // offline: no external resources
  });
});
