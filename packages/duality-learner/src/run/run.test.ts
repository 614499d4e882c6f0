import { dualCoupling } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { type SweepRow, sweepReport } from "./report.js";
import {
  gridPointNames,
  gridPoints,
  MAX_SWEEP_POINTS,
  parseBetas,
  parsePlaquettes,
  pointNames,
} from "./runner.js";

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

describe("(β, κ) grids", () => {
  test("κ lists allow 0 and negatives; every β at every κ, κ-major; names distinct", () => {
    expect(parsePlaquettes("0")).toEqual([0]);
    expect(parsePlaquettes("-0.1:0.1:0.1")).toEqual([-0.1, 0, 0.1]);
    expect(Object.is(parsePlaquettes("-0.1:0.1:0.1")[1], 0)).toBe(true);
    for (const bad of ["0.1:-0.1:0.1", "0,0", "x", "0.1:0.2:0"])
      expect(() => parsePlaquettes(bad), bad).toThrow(/plaquettes: expected/);
    expect(() => parseBetas("-0.3")).toThrow(/betas: expected/);
    const points = gridPoints({ betas: [0.3, 0.6], plaquettes: [0, 0.05] });
    expect(points).toEqual([
      { beta: 0.3, plaquette: 0 },
      { beta: 0.6, plaquette: 0 },
      { beta: 0.3, plaquette: 0.05 },
      { beta: 0.6, plaquette: 0.05 },
    ]);
    expect(gridPointNames(points)).toEqual([
      "beta-0.300-kappa-0.000",
      "beta-0.600-kappa-0.000",
      "beta-0.300-kappa-0.050",
      "beta-0.600-kappa-0.050",
    ]);
    expect(gridPointNames(gridPoints({ betas: [0.3, 0.6] }))).toEqual(pointNames([0.3, 0.6]));
    const withNnn = gridPoints({ betas: [0.3], nnns: [0, 0.05] });
    expect(withNnn).toEqual([
      { beta: 0.3, plaquette: 0, nnn: 0 },
      { beta: 0.3, plaquette: 0, nnn: 0.05 },
    ]);
    expect(gridPointNames(withNnn)).toEqual(["beta-0.300-nnn-0.000", "beta-0.300-nnn-0.050"]);
    expect(() =>
      gridPoints({
        betas: [0.1, 0.2],
        plaquettes: [0, 0.1],
        nnns: Array.from({ length: 2501 }, (_, k) => k),
      }),
    ).toThrow(/betas × plaquettes × nnns: expected at most 10000 points/);
    expect(gridPointNames(gridPoints({ betas: [0.3], plaquettes: [0.0501, 0.0504] }))).toEqual([
      "beta-0.300-kappa-0.0501",
      "beta-0.300-kappa-0.0504",
    ]);
  });
});

describe("reports", () => {
  test("(β, κ) sweep report: one family per κ, the extra coupling, the loss comparison and the attention figure", async () => {
    const rows: SweepRow[] = [0, 0.1].flatMap((kappa) =>
      [0.2, 0.6].map((beta) => ({
        beta,
        plaquette: kappa,
        t0: 0.5,
        t0Error: 0.01,
        learned: { plaquette: { value: kappa / 2, error: 0.005 } },
        finalLoss: 1e-3,
        finalLossError: 2e-4,
        nnOnly: { t0: 0.52, t0Error: 0.01, finalLoss: 2e-3, finalLossError: 3e-4, validated: true },
        attentionByDiagonal: { diagonal: 0.1, antiDiagonal: 0.6, axis: 0.3 },
        chosenKind: "perp(-1/2,+1/2) (dual-crossing)",
        validated: true,
        validationFailures: [],
        seconds: 1,
      })),
    );
    const html = await sweepReport(rows, 8);
    for (const text of [
      "learned |t0| (κ = 0.1)",
      "learned dual plaquette coupling",
      "nn only (κ = 0)",
      "nn + plaquette (κ = 0.1)",
      "anti-diagonal (κ = 0)",
      "Dual sweep over β and the deformation, L = 8",
    ])
      expect(html, text).toContain(text);
    // 4 charts × 4 rows of markers each (t0: 4; plaquette: 4; losses: 8; attention: 8).
    expect(html.match(/aria-roledescription="point"/g)).toHaveLength(24);
  });

  test("sweep report: the exact curve, one marker and one ±1σ bar per β, axis titles, offline", async () => {
    const rows: SweepRow[] = [0.2, 0.3, 0.7].map((beta) => ({
      beta,
      t0: dualCoupling(beta) * 1.01,
      t0Error: 0.002,
      validated: true,
      validationFailures: [],
      exact: dualCoupling(beta),
      relativeError: 0.01,
      chosenKind: "perp(-1/2,-1/2) (dual-crossing)",
      seconds: 1,
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
