// @physml/runs/testing: a run killed as it writes checkpoint k + 1 keeps the k before it, and the
// resumed run continues from the last of them; saveCheckpoint is itself again afterwards.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inRun } from "./dir/in-run.js";
import { provenanceOf } from "./dir/provenance.js";
import { Run } from "./dir/run.js";
import { CheckpointKill, killedAtCheckpoint, setCheckpointSeconds, timelessCheckpoint } from "./testing.js";

const root = await mkdtemp(join(tmpdir(), "runs-testing-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const provenance = provenanceOf(import.meta.url);
const resolve = (i: unknown) => ({ steps: 5, ...(i as object) }) as { steps: number };

/** Counts to `steps`, checkpointing the count after each step and continuing from the last one. */
const counting = (out: string, resume: boolean) =>
  inRun("testing-test", provenance, {}, resolve, { out, resume }, async (c, run) => {
    let n = run.loadCheckpoint((s) => s as number)?.state ?? 0;
    const from = n;
    while (n < c.steps) {
      n++;
      run.appendMetric({ step: n });
      run.saveCheckpoint(n, n);
    }
    return { result: { n, from, seconds: run.workSeconds() }, report: "" };
  });

describe("killedAtCheckpoint", () => {
  it("dies writing checkpoint k + 1; the run resumes after checkpoint k", async () => {
    const out = join(root, "a");
    const save = Run.prototype.saveCheckpoint;
    const killed = killedAtCheckpoint(3, () => counting(out, false));
    await expect(killed).rejects.toThrow(CheckpointKill);
    await expect(killed).rejects.toMatchObject({ checkpoint: 4 });
    expect(Run.prototype.saveCheckpoint).toBe(save);
    const resumed = await counting(out, true);
    expect(resumed.result).toMatchObject({ n: 5, from: 3 });
  });

  it("returns the body's value when it never reaches checkpoint k + 1", async () => {
    const r = await killedAtCheckpoint(10, () => counting(join(root, "b"), false));
    expect(r.result).toMatchObject({ n: 5, from: 0 });
  });
});

describe("setCheckpointSeconds, timelessCheckpoint", () => {
  it("a resumed run carries the seconds set on its newest checkpoint; the checkpoint without them is step and state", async () => {
    const out = join(root, "c");
    await expect(killedAtCheckpoint(3, () => counting(out, false))).rejects.toThrow(CheckpointKill);
    const file = setCheckpointSeconds(out, 1000);
    expect(file).toBe(join(out, "checkpoint", "step-00000003.json"));
    expect(timelessCheckpoint(file)).toEqual({ step: 3, state: 3 });
    const resumed = await counting(out, true);
    expect(resumed.result).toMatchObject({ n: 5, from: 3 });
    expect(resumed.result.seconds).toBeGreaterThanOrEqual(1000);
    expect(resumed.result.seconds).toBeLessThan(1100);
  });
});
