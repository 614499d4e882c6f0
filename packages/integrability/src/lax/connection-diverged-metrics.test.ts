// A diverged loss record is a recorded fact, not a crash: the connection learner with a learning
// rate that overflows (loss NaN from Adam step 10 on, in both attempts) writes every record to a
// real run directory's metrics.jsonl, as the CLI does, and goes on to its restart and its end.
// The NaN records are stored as the text "NaN" (never null); a run killed after a NaN record
// resumes, writing its checkpoint's records (NaN among them) again first, and ends with the
// uninterrupted run's metrics.jsonl.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRun, type Run } from "@physml/runs";
import { CheckpointKill, killedAtCheckpoint } from "@physml/runs/testing";
import { describe, expect, it } from "vitest";
import { connectionOutcome, TINY_KDV_CONNECTION } from "../../test/tiny-kdv-connection.js";
import {
  type ConnectionCheckpoint,
  type ConnectionMetrics,
  connectionCheckpointStep,
} from "./connection-checkpoint.js";
import { type LearnConnectionConfig, learnKdvConnection } from "./zero-curvature-learn.js";

// As in connection-diverged-resume.test.ts: 𝓛 NaN at Adam steps 10, 20, 30 of each attempt.
const DIVERGING: LearnConnectionConfig = { ...TINY_KDV_CONNECTION, lr: 1e300, polishIter: 2, restarts: 1 };

/** The checkpoint's records, as a resumed CLI run writes them again before continuing. */
function replay(run: Run<object>, cp: ConnectionCheckpoint): void {
  for (const m of [...(cp.earlier ?? []).flatMap((e) => e.history), ...cp.history]) run.appendMetric(m);
}

/** The learner in the run directory `out`, every record to metrics.jsonl; continues its newest checkpoint when `resume`. */
function connectionRun(out: string, resume: boolean) {
  const run = openRun({
    dir: out,
    kind: "integrability-connection-test",
    input: {},
    resolve: (i) => i as object,
    mode: resume ? "resume" : "new",
    provenance: { package: "@physml/integrability", version: "0.0.0", git: null },
  });
  try {
    // a resumed run's metrics are those of its checkpoint (inRun empties the file the same way)
    run.truncateMetrics(0);
    const last = resume ? run.loadCheckpoint((s) => s as ConnectionCheckpoint) : null;
    if (last) replay(run, last.state);
    return learnKdvConnection({
      ...DIVERGING,
      ...(last ? { resume: last.state } : {}),
      onMetrics: (m) => run.appendMetric(m),
      onCheckpoint: (cp) => run.saveCheckpoint(connectionCheckpointStep(cp), cp),
    });
  } finally {
    run.close();
  }
}

const metricsText = (out: string) => readFileSync(join(out, "metrics.jsonl"), "utf8");

describe("a diverged connection run's metrics.jsonl", () => {
  const dir = mkdtempSync(join(tmpdir(), "integrability-diverged-metrics-"));
  const wholeDir = join(dir, "whole");
  const whole = connectionRun(wholeDir, false);

  it("holds every record, the diverged ones with the text NaN, and the run reaches its end", () => {
    expect(whole.attemptLosses).toEqual([Number.NaN, Number.NaN]);
    const lines = metricsText(wholeDir).trim().split("\n");
    expect(lines).toHaveLength(whole.history.length);
    expect(lines.join("\n")).not.toMatch(/null/);
    const stored = lines.map((l) => JSON.parse(l) as ConnectionMetrics);
    // each record as the learner reported it, a NaN as its text
    stored.forEach((m, i) => {
      const h = whole.history[i];
      expect([m.attempt ?? 0, m.step]).toEqual([h.attempt ?? 0, h.step]);
      expect(m.total).toBe(Number.isNaN(h.total) ? "NaN" : h.total);
    });
    expect(stored.filter((m) => m.total === ("NaN" as unknown)).map((m) => [m.attempt ?? 0, m.step])).toEqual(
      [
        [0, 10],
        [0, 20],
        [0, 30],
        [1, 10],
        [1, 20],
        [1, 30],
      ],
    );
  });

  // killed after attempt 0's first NaN record (checkpoint at step 10) and in attempt 1 (its
  // earlier attempt's NaN records replayed from the checkpoint's `earlier`)
  it.each([1, 5])("killed as it writes checkpoint %i + 1: resumes, replaying the NaN records", async (k) => {
    const out = join(dir, `killed-${k}`);
    await expect(killedAtCheckpoint(k, async () => connectionRun(out, false))).rejects.toThrow(
      CheckpointKill,
    );
    expect(metricsText(out)).toMatch(/"total":"NaN"/);
    const resumed = connectionRun(out, true);
    expect(connectionOutcome(resumed)).toEqual(connectionOutcome(whole));
    expect(metricsText(out)).toBe(metricsText(wholeDir));
  });
});
