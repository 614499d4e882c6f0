import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import { afterAll, describe, expect, it } from "vitest";
import { killAfterFirstEpoch } from "../../test/killed-run.js";
import { runCyTrain } from "./run.js";

const root = mkdtempSync(join(tmpdir(), "cy-train-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const small = { k: 2, points: 300, evalPoints: 100, epochs: 2, batch: 150, iterations: 2, lr: 0.01 };

describe("cy train run directory", () => {
  it("a run interrupted after epoch 1 and resumed ends bit for bit where an uninterrupted run does", async () => {
    const a = await runCyTrain(small, { out: join(root, "a"), report: false });
    await killAfterFirstEpoch(small, join(root, "b"));
    const b = await runCyTrain({}, { out: join(root, "b"), resume: true, report: false });
    expect(b.sigma).toEqual(a.sigma);
    expect(b.epochs).toBe(2);
    const h = (dir: string) => readFileSync(join(root, dir, "arrays", "h.npy"));
    expect(h("b").equals(h("a"))).toBe(true);
    const lines = (dir: string) =>
      readFileSync(join(root, dir, "metrics.jsonl"), "utf8")
        .trim()
        .split("\n");
    expect(lines("b").map((l) => JSON.parse(l).sigma)).toEqual(lines("a").map((l) => JSON.parse(l).sigma));
    // training lowered σ on the held-out points from the balanced start (same points, so the
    // difference is not limited by the statistical error of either)
    expect(a.sigma.mean).toBeLessThan(a.sigmaStart.mean);
    // σ ≈ 0.27 misses the default target 0.01: said plainly
    expect(a.passed).toBe(false);
    expect(a.verdict).toMatch(/^FAILED: σ = .* is not below the target 0.01/);
  });

  it("passes a reachable target", async () => {
    const hit = await runCyTrain(
      { ...small, epochs: 1, target: 0.5 },
      { out: join(root, "hit"), report: false },
    );
    expect(hit.passed).toBe(true);
    expect(hit.sigma.mean).toBeLessThan(0.5);
  });

  it("the φ-model on a Fubini–Study base (k = 1, no balancing) trains through the same run", async () => {
    const r = await runCyTrain(
      {
        metricModel: "phi",
        k: 1,
        iterations: 0,
        hidden: [8],
        points: 100,
        evalPoints: 100,
        epochs: 1,
        batch: 50,
      },
      { out: join(root, "phi"), ricciPoints: 10 },
    );
    // with the network's last layer at zero the start is exactly Fubini–Study
    expect(r.sigmaStart.mean).toBeCloseTo(r.sigmaFS.mean, 12);
    expect(Number.isFinite(r.sigma.mean)).toBe(true);
    const html = readFileSync(join(root, "phi", "report.html"), "utf8");
    expect(html).toContain("<svg");
    expect(html).toContain(r.verdict);
  });

  it("the multiplicative model runs through the same driver, starts at Fubini–Study and resumes bit for bit", async () => {
    const mult = { metricModel: "mult", hidden: [4], points: 100, evalPoints: 100, epochs: 2, batch: 50 };
    const a = await runCyTrain(mult, { out: join(root, "mult-a"), report: false });
    expect(a.metricModel).toBe("mult");
    expect(a.sigmaStart.mean).toBeCloseTo(a.sigmaFS.mean, 12);
    await killAfterFirstEpoch(mult, join(root, "mult-b"));
    const b = await runCyTrain({}, { out: join(root, "mult-b"), resume: true, report: false });
    expect(b.sigma).toEqual(a.sigma);
    const layer = (dir: string) => readFileSync(join(root, dir, "arrays", "layer1-w.npy"));
    expect(layer("mult-b").equals(layer("mult-a"))).toBe(true);
  });

  it("refuses a checkpoint whose parameters and Adam moments are number lists (the format before saveParams/saveAdamState), naming the field", async () => {
    const mult = { metricModel: "mult", hidden: [4], points: 100, evalPoints: 100, epochs: 2, batch: 50 };
    const out = join(root, "old-adam");
    await killAfterFirstEpoch(mult, out);
    const dir = join(out, "checkpoint");
    for (const name of readdirSync(dir)) {
      const cp = JSON.parse(readFileSync(join(dir, name), "utf8"));
      const lists = (s: string) => JSON.parse(s).map((t: { data: number[] }) => t.data);
      const { adam, params } = cp.state.learner;
      cp.state.learner.params = JSON.parse(params).map(
        (l: { w: { data: number[] }; b: { data: number[] } }) => ({
          w: l.w.data,
          b: l.b.data,
        }),
      );
      cp.state.learner.adam = { step: adam.step, m: lists(adam.m), v: lists(adam.v) };
      writeFileSync(join(dir, name), JSON.stringify(cp));
    }
    const e = await runCyTrain({}, { out, resume: true, report: false }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PhysmlInputError);
    const message = (e as Error).message;
    expect(message).toContain("resume.learner.params: expected parameters written by saveParams");
    expect(message).not.toContain("\n");
  });
});
