import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dualCoupling } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { formatProgress } from "./progress.js";
import { type SweepRow, sweepReport } from "./report.js";
import { atomicWrite, RunDir } from "./rundir.js";
import { parseBetas } from "./runner.js";
import { barChart, linePlot } from "./svg.js";

describe("run directory", () => {
  test("atomic writes leave no temporary file; metrics survive a torn last line", () => {
    const dir = mkdtempSync(join(tmpdir(), "physml-rundir-"));
    const run = new RunDir(dir);
    run.writeJson("config.json", { a: 1 });
    atomicWrite(join(dir, "x.txt"), "hello");
    expect(readdirSync(dir).sort()).toEqual(["config.json", "x.txt"]);
    expect(run.readJson<{ a: number }>("config.json").a).toBe(1);
    for (let s = 0; s < 5; s++) run.appendMetric({ step: s, loss: s / 10 });
    appendFileSync(run.file("metrics.jsonl"), '{"step": 5, "lo'); // killed mid-write
    expect(run.readMetrics().map((m) => m.step)).toEqual([0, 1, 2, 3, 4]);
    run.truncateMetrics(3);
    expect(run.readMetrics().map((m) => m.step)).toEqual([0, 1, 2]);
    expect(readFileSync(run.file("metrics.jsonl"), "utf8").endsWith("}\n")).toBe(true);
  });
});

describe("β lists", () => {
  test("ranges are inclusive and lists parse", () => {
    expect(parseBetas("0.1:0.8:0.05")).toHaveLength(15);
    expect(parseBetas("0.1:0.8:0.05").at(-1)).toBeCloseTo(0.8, 12);
    expect(parseBetas("0.2, 0.35,0.7")).toEqual([0.2, 0.35, 0.7]);
    for (const bad of ["0.8:0.1:0.1", "0.1:0.2", "0:1:0.1", "a,b", "0.1:0.2:0"]) {
      expect(() => parseBetas(bad), bad).toThrow(/betas: expected/);
    }
  });
});

describe("reports", () => {
  test("line plot maps data into the frame, one polyline per line series", () => {
    const svg = linePlot({
      title: "t",
      xLabel: "x",
      yLabel: "y",
      series: [
        { x: [0, 1, 2], y: [1, 4, 9], label: "a", color: "#000" },
        { x: [0, 2], y: [0, 0], label: "b", color: "#f00", dashed: true },
      ],
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    const pts = [...svg.matchAll(/points="([^"]+)"/g)].flatMap((m) =>
      m[1].split(" ").map((p) => p.split(",").map(Number)),
    );
    for (const [x, y] of pts) {
      expect(x).toBeGreaterThanOrEqual(64);
      expect(x).toBeLessThanOrEqual(560 - 16);
      expect(y).toBeGreaterThanOrEqual(28);
      expect(y).toBeLessThanOrEqual(320 - 44);
    }
    const bars = barChart({
      title: "w",
      labels: ["a", "b"],
      values: [0.25, 1],
      colors: ["#0f0", "#f00"],
      max: 1,
    });
    const heights = [...bars.matchAll(/<rect[^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights[1] / heights[0]).toBeCloseTo(4, 6);
  });

  test("sweep report contains the exact curve and one marker per β", () => {
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
    const html = sweepReport(rows, 16);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.match(/<circle/g)).toHaveLength(3);
    expect(html).toContain("exact β̃(β)");
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // offline: no external resources
  });

  test("progress line shows step, loss, t0 and ETA", () => {
    const line = formatProgress({ step: 50, total: 100, loss: 1.5e-3, t0: 0.61234 }, 30_000);
    expect(line).toContain("step 50/100");
    expect(line).toContain("loss 1.50e-3");
    expect(line).toContain("t0 0.6123");
    expect(line).toContain("ETA 0:30");
  });
});
