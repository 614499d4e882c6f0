import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Tensor, tensor } from "@physml/autodiff";
import { loadParams } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";
import { RunExistsError } from "@physml/runs";
import { afterAll, describe, expect, it } from "vitest";
import { inIntegrabilityRun, saveLearnedState } from "./run.js";

const root = await mkdtemp(join(tmpdir(), "integrability-run-"));
afterAll(() => rm(root, { recursive: true, force: true }));

interface Cfg {
  steps: number;
}
const resolve = (i: unknown): Cfg => {
  const c = { steps: 3, ...(i as object) } as Cfg;
  if (!Number.isInteger(c.steps) || c.steps < 1)
    throw new PhysmlInputError("steps", "an integer ≥ 1", c.steps);
  return c;
};
// a learner's state with values JSON cannot hold exactly in decimal short form
const weights = Float64Array.from([0.1 + 0.2, Math.PI, -1 / 3, 2 ** -1074]);
let calls = 0;
const body = async (c: Cfg, run: Parameters<Parameters<typeof inIntegrabilityRun<Cfg, object>>[4]>[1]) => {
  calls++;
  for (let step = 0; step < c.steps; step++) run.appendMetric({ step, loss: 1 / (step + 1) });
  saveLearnedState(run, c.steps, { w: tensor(weights, [2, 2]) }, { hidden: [8] });
  return { result: { steps: c.steps, overflow: Number.POSITIVE_INFINITY }, report: "<html></html>" };
};

describe("inIntegrabilityRun (@physml/runs' openRun)", () => {
  it("writes the run; the checkpoint restores the learned state bit for bit; resume returns the stored result without running", async () => {
    const out = join(root, "a");
    const r = await inIntegrabilityRun("integrability-test", { steps: 4 }, resolve, { out }, body);
    expect(r).toEqual({ result: { steps: 4, overflow: "Infinity", out }, resumed: false });
    const cfg = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    expect([cfg.kind, cfg.package, cfg.config]).toEqual([
      "integrability-test",
      "@physml/integrability",
      { steps: 4 },
    ]);
    expect(readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(4);
    expect(readFileSync(join(out, "result.json"), "utf8")).toContain('"overflow": "Infinity"');
    const [file] = readdirSync(join(out, "checkpoint"));
    const { step, state } = JSON.parse(readFileSync(join(out, "checkpoint", file), "utf8"));
    expect([step, state.hidden]).toEqual([4, [8]]);
    const w = (loadParams(state.params) as { w: Tensor }).w;
    expect(Array.from(w.toFloat64Array())).toEqual(Array.from(weights));
    expect(existsSync(join(out, "run.lock"))).toBe(false);
    await expect(inIntegrabilityRun("integrability-test", {}, resolve, { out }, body)).rejects.toThrow(
      RunExistsError,
    );
    const before = calls;
    const again = await inIntegrabilityRun("integrability-test", {}, resolve, { out, resume: true }, body);
    expect(again).toEqual({ result: r.result, resumed: true });
    expect(calls).toBe(before);
  });

  it("an invalid configuration creates nothing; --force with --resume is refused", async () => {
    const bad = join(root, "b");
    await expect(
      inIntegrabilityRun("integrability-test", { steps: 0 }, resolve, { out: bad }, body),
    ).rejects.toThrow(/^steps:/);
    expect(existsSync(bad)).toBe(false);
    await expect(
      inIntegrabilityRun("integrability-test", {}, resolve, { out: bad, force: true, resume: true }, body),
    ).rejects.toThrow(/^force/);
  });
});
