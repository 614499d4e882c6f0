import { saveParams } from "@physml/autodiff/nn";
import { describe, expect, it } from "vitest";
import { expectRefused } from "../../test/refused.js";
import { stoppedAtCheckpoint } from "../../test/stopped.js";
import { connectionOutcome, TINY_KDV_CONNECTION } from "../../test/tiny-kdv-connection.js";
import type { ConnectionCheckpoint, ConnectionMetrics } from "./connection-checkpoint.js";
import { type LearnConnectionConfig, learnKdvConnection } from "./zero-curvature-learn.js";

// A checkpoint every 10 Adam steps: at 10, 20, 30 (the end of Adam), then after the LM polish.
const BASE: LearnConnectionConfig = TINY_KDV_CONNECTION;

/** The checkpoints (through JSON) and metrics of the run, stopped when its checkpoint `k + 1` is taken. */
function interrupted(k: number): { checkpoints: ConnectionCheckpoint[]; metrics: ConnectionMetrics[] } {
  const metrics: ConnectionMetrics[] = [];
  const { checkpoints, result } = stoppedAtCheckpoint(k, (onCheckpoint: (cp: ConnectionCheckpoint) => void) =>
    learnKdvConnection({ ...BASE, onMetrics: (m) => metrics.push(m), onCheckpoint }),
  );
  expect(result === undefined).toBe(k < 4);
  expect(checkpoints).toHaveLength(k);
  return { checkpoints, metrics };
}

// everything but the wall times

describe("learnKdvConnection resumed from a checkpoint", () => {
  const emitted: ConnectionMetrics[] = [];
  const all: ConnectionCheckpoint[] = [];
  const whole = learnKdvConnection({
    ...BASE,
    onMetrics: (m) => emitted.push(m),
    onCheckpoint: (cp) => all.push(cp),
  });

  it("checkpoints every 10 Adam steps and after the polish; the last one is the learned state", () => {
    expect(all.map((cp) => [cp.phase, cp.step])).toEqual([
      ["adam", 10],
      ["adam", 20],
      ["adam", 30],
      ["polished", whole.final.step],
    ]);
    expect(all[3].params).toBe(saveParams(whole.params));
    for (let i = 1; i < all.length; i++) expect(all[i].seconds).toBeGreaterThanOrEqual(all[i - 1].seconds);
  });

  // in Adam, at its end (the polish reruns), and after the polish (only the evaluation is left)
  it.each([1, 3, 4])(
    "stopped after checkpoint %i, resumed: the same connection and checks bit for bit",
    (k) => {
      const { checkpoints, metrics } = interrupted(k);
      const last = checkpoints[k - 1];
      const more: ConnectionMetrics[] = [];
      const resumed = learnKdvConnection({ ...BASE, resume: last, onMetrics: (m) => more.push(m) });
      expect(connectionOutcome(resumed)).toEqual(connectionOutcome(whole));
      const kept = metrics.filter((m) => last.history.some((h) => h.step === m.step));
      expect([...kept, ...more]).toEqual(emitted);
      // the training time is summed over both processes
      expect(resumed.seconds.train).toBeGreaterThanOrEqual(last.seconds);
    },
  );

  it("refuses a checkpoint that does not fit the run, naming the field", () => {
    const cp = all[1];
    const refused = (c: Partial<LearnConnectionConfig>, resume: unknown, field: string) =>
      expectRefused(
        () => learnKdvConnection({ ...BASE, ...c, resume: JSON.parse(JSON.stringify(resume)) }),
        field,
      );
    refused({ hidden: [5] }, cp, "resume.hidden");
    refused({ order: 3 }, cp, "resume.params");
    refused({ adamSteps: 15 }, cp, "resume.step");
    refused({}, { ...cp, phase: "lm" }, "resume.phase");
    refused({}, { ...cp, seconds: -1 }, "resume.seconds");
    refused({}, { ...cp, adam: { ...cp.adam, step: 11 } }, "resume.adam.step");
  });
});
