// A connection run whose attempts diverge (loss NaN, a normal event: a restart follows) through a
// real run directory, as the CLI runs it: the learner with a learning rate that overflows (loss
// NaN from Adam step 10 on, in both attempts) writes every record to metrics.jsonl, the diverged
// ones as the text "NaN" (never null), and goes on to its restart and its end. Its checkpoints
// carry the NaN records and the diverged attempt's NaN 𝓛_ZC and read back as NaN (plain JSON
// would have written null, which the learner's check refused, so the run could not continue); a
// run killed after a NaN record resumes from its newest checkpoint, writing that checkpoint's
// records again first, and ends as the uninterrupted run, metrics.jsonl byte for byte.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRun, type Run } from "@physml/runs";
import { CheckpointKill, killedAtCheckpoint, timelessCheckpoint } from "@physml/runs/testing";
import { describe, expect, it } from "vitest";
import { connectionOutcome, TINY_KDV_CONNECTION } from "../../test/tiny-kdv-connection.js";
import {
  type ConnectionCheckpoint,
  type ConnectionMetrics,
  connectionCheckpointStep,
} from "./connection-checkpoint.js";
import { type LearnConnectionConfig, learnKdvConnection } from "./zero-curvature-learn.js";

// Adam steps of 1e300 overflow the network: 𝓛 NaN at Adam steps 10, 20, 30 of each attempt.
// Checkpoints at Adam steps 10, 20, 30 and after the polish, per attempt: 8 in all.
const DIVERGING: LearnConnectionConfig = { ...TINY_KDV_CONNECTION, lr: 1e300, polishIter: 2, restarts: 1 };

/** The checkpoint's records, as a resumed CLI run writes them again before continuing. */
function replay(run: Run<object>, cp: ConnectionCheckpoint): void {
  for (const m of [...(cp.earlier ?? []).flatMap((e) => e.history), ...cp.history]) run.appendMetric(m);
}

/** The learner in the run directory `out`, every record to metrics.jsonl; continues its newest checkpoint when `resume`. */
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

describe("a connection run with diverged attempts", () => {
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
  it.each([1, 5])(
    "killed as it writes checkpoint %i + 1: resumes from its newest checkpoint, replaying the NaN records",
    async (k) => {
      const out = join(dir, `killed-${k}`);
      await expect(killedAtCheckpoint(k, async () => connectionRun(out, false))).rejects.toThrow(
        CheckpointKill,
      );
      expect(metricsText(out)).toMatch(/"total":"NaN"/);
      // the checkpoint to continue from (the killed run's newest) holds NaN, read back as NaN
      const newest = readdirSync(join(out, "checkpoint")).sort().at(-1) ?? "none";
      const cp = timelessCheckpoint(join(out, "checkpoint", newest)).state as ConnectionCheckpoint;
      expect([cp.attempt ?? 0, cp.step]).toEqual(k === 1 ? [0, 10] : [1, 10]);
      expect(k === 1 ? cp.history[1].total : cp.earlier?.[0].lax).toBeNaN();
      const log: string[] = [];
      const resumed = connectionRun(out, true, log);
      expect(log.filter((l) => /unreadable|falling back/.test(l))).toEqual([]);
      expect(connectionOutcome(resumed)).toEqual(connectionOutcome(whole));
      expect(metricsText(out)).toBe(metricsText(wholeDir));
    },
  );
});
