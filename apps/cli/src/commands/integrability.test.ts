import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readNpy } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";

describe("physml integrability", () => {
  it("simulate --json writes the trajectories as .npy and reports the energy drift", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "physml-integ-")), "run");
    const r = await run(
      "integrability",
      "simulate",
      "--system",
      "toda",
      "--trajectories",
      "2",
      "--time",
      "1",
      "--out",
      out,
      "--json",
    );
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const j = JSON.parse(r.stdout);
    expect(j.drift.energy).toBeLessThan(1e-6);
    expect(j.arrays.states).toEqual([2, 51, 6]);
    expect((await readdir(out)).sort()).toEqual(["result.json", "states.npy", "times.npy"]);
    const states = await readNpy(join(out, "states.npy"));
    expect(states.shape).toEqual([2, 51, 6]);
  });
  it("lax --json has the issue's keys", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "physml-integ-")), "run");
    const r = await run(
      "integrability",
      "lax",
      "--system",
      "ho",
      "--steps",
      "5",
      "--lbfgs",
      "0",
      "--samples",
      "32",
      "--out",
      out,
      "--json",
      "--quiet",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const k of ["laxResidual", "conservedVariation", "trL2VsH", "loss", "formulas"])
      expect(j).toHaveProperty(k);
    expect(j.conservedVariation).toHaveLength(2);
    const files = await readdir(out);
    for (const f of ["checkpoint.json", "loss.svg", "conserved.svg"]) expect(files).toContain(f);
    expect(j.hidden).toEqual(j.rungs[j.rungs.length - 1].hidden);
  });
  it("perturbation --json writes the separation table and its plot", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "physml-integ-")), "run");
    const r = await run(
      "integrability",
      "perturbation",
      "--seeds",
      "1",
      "--base-steps",
      "5",
      "--base-polish",
      "1",
      "--steps",
      "5",
      "--polish-iter",
      "1",
      "--out",
      out,
      "--json",
      "--quiet",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rows.map((row: { epsilon: number }) => row.epsilon)).toEqual([0.1, 0.3]);
    for (const row of j.rows) expect(row.ratio).toBeCloseTo(row.nonIntegrable / row.integrable, 10);
    expect(j.separated).toBe(j.minRatio >= 10);
    const files = await readdir(out);
    for (const f of ["report.md", "losses.svg", "metrics.json"]) expect(files).toContain(f);
  });
  it("bad flags exit 2 naming the flag and the allowed values", async () => {
    const r = await run("integrability", "lax", "--system", "kdv");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--system: expected one of ho \| ho2d \| toda \| henon-heiles/);
    const p = await run("integrability", "simulate", "--system", "toda", "--perturbation", "h1");
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/--perturbation/);
  });
});
