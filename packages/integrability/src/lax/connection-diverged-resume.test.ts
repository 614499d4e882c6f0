// A connection run whose attempt diverged (loss NaN, a normal event: a restart follows) resumes
// through a real run directory: its checkpoints carry the NaN records and the NaN training 𝓛_ZC
// of the diverged attempt, which plain JSON would have written as null and the learner's check
// then refused, so the run could not continue at all.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRun } from "@physml/runs";
import { CheckpointKill, killedAtCheckpoint, timelessCheckpoint } from "@physml/runs/testing";
import { describe, expect, it } from "vitest";
import { connectionOutcome, TINY_KDV_CONNECTION } from "../../test/tiny-kdv-connection.js";
import { type ConnectionCheckpoint, connectionCheckpointStep } from "./connection-checkpoint.js";
import { type LearnConnectionConfig, learnKdvConnection } from "./zero-curvature-learn.js";

// Adam steps of 1e300 overflow the network: from step 10 on every loss is NaN, so both attempts
// diverge and the restart runs (measured: 𝓛 NaN at steps 10, 20, 30 of each). Checkpoints at
// Adam steps 10, 20, 30 and after the polish, per attempt: 8 in all.
const DIVERGING: LearnConnectionConfig = { ...TINY_KDV_CONNECTION, lr: 1e300, polishIter: 2, restarts: 1 };

/** The learner in the run directory `out`, continuing its newest checkpoint when `resume`. */
function connectionRun(out: string, resume: boolean, log: string[] = []) {
  const run = openRun({
    dir: out,
    kind: "integrability-connection-test",
    input: {},
    resolve: (i) => i as object,
    mode: resume ? "resume" : "new",
    provenance: { package: "@physml/integrability", version: "0.0.0", git: null },
    log: (m) => log.push(m),
  });
  try {
    const last = run.loadCheckpoint((s) => s as ConnectionCheckpoint);
    return learnKdvConnection({
      ...DIVERGING,
      ...(last ? { resume: last.state } : {}),
      onCheckpoint: (cp) => run.saveCheckpoint(connectionCheckpointStep(cp), cp),
    });
  } finally {
    run.close();
  }
}

describe("a connection run with a diverged attempt", () => {
  const dir = mkdtempSync(join(tmpdir(), "integrability-diverged-"));
  const whole = connectionRun(join(dir, "whole"), false);

  it("diverges: NaN records in both attempts, NaN training 𝓛_ZC", () => {
    expect(whole.attemptLosses).toEqual([Number.NaN, Number.NaN]);
    expect(whole.history.filter((m) => Number.isNaN(m.total)).map((m) => [m.attempt ?? 0, m.step])).toEqual([
      [0, 10],
      [0, 20],
      [0, 30],
      [1, 10],
      [1, 20],
      [1, 30],
    ]);
  });

  // after a NaN record of attempt 0, and in attempt 1 (its earlier attempt's 𝓛_ZC NaN)
  it.each([1, 5])("killed as it writes checkpoint %i + 1: resumes to the uninterrupted result", async (k) => {
    const out = join(dir, `killed-${k}`);
    await expect(killedAtCheckpoint(k, async () => connectionRun(out, false))).rejects.toThrow(
      CheckpointKill,
    );
    // the checkpoint to continue from (the killed run's newest) holds NaN, read back as NaN
    const newest = readdirSync(join(out, "checkpoint")).sort().at(-1) ?? "none";
    const cp = timelessCheckpoint(join(out, "checkpoint", newest)).state as ConnectionCheckpoint;
    expect([cp.attempt ?? 0, cp.step]).toEqual(k === 1 ? [0, 10] : [1, 10]);
    expect(k === 1 ? cp.history[1].total : cp.earlier?.[0].lax).toBeNaN();
    const log: string[] = [];
    const resumed = connectionRun(out, true, log);
    expect(log.filter((l) => /unreadable|falling back/.test(l))).toEqual([]);
    expect(connectionOutcome(resumed)).toEqual(connectionOutcome(whole));
  });
});
