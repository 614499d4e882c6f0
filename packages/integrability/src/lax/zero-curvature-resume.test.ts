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

// A polish long enough to be checkpointed: at Adam steps 5 and 10, at polish iterations 5 and 10
// (steps 15 and 20), then after the polish; a loss record at each.
const LONG_POLISH: LearnConnectionConfig = {
  ...BASE,
  adamSteps: 10,
  polishIter: 12,
  logEvery: 5,
  checkpointEvery: 5,
};

describe("learnKdvConnection resumed inside its Levenberg–Marquardt polish", () => {
  const emitted: ConnectionMetrics[] = [];
  const all: ConnectionCheckpoint[] = [];
  const whole = learnKdvConnection({
    ...LONG_POLISH,
    onMetrics: (m) => emitted.push(m),
    onCheckpoint: (cp) => all.push(JSON.parse(JSON.stringify(cp))),
  });

  it("checkpoints and records the polish every 5 iterations, with its iterations and damping", () => {
    expect(all.map((cp) => [cp.phase, cp.step, cp.polish?.iterations])).toEqual([
      ["adam", 5, undefined],
      ["adam", 10, undefined],
      ["polish", 15, 5],
      ["polish", 20, 10],
      ["polished", 22, undefined],
    ]);
    expect(whole.final.step).toBe(22);
    // the polish's records are the progress a long polish shows
    expect(emitted.map((m) => m.step)).toEqual([0, 5, 10, 15, 20, 22]);
    for (const cp of all.slice(2, 4)) expect(cp.polish?.lambda).toBeGreaterThan(0);
  });

  it.each([3, 4])(
    "stopped after checkpoint %i (inside the polish), resumed: the same connection bit for bit",
    (k) => {
      const checkpoints: ConnectionCheckpoint[] = [];
      const metrics: ConnectionMetrics[] = [];
      const { result } = stoppedAtCheckpoint(k, (onCheckpoint: (cp: ConnectionCheckpoint) => void) =>
        learnKdvConnection({
          ...LONG_POLISH,
          onMetrics: (m) => metrics.push(m),
          onCheckpoint: (cp) => {
            onCheckpoint(cp);
            checkpoints.push(JSON.parse(JSON.stringify(cp)));
          },
        }),
      );
      expect(result).toBeUndefined();
      const last = checkpoints[k - 1];
      expect(last.phase).toBe("polish");
      const more: ConnectionMetrics[] = [];
      const resumed = learnKdvConnection({ ...LONG_POLISH, resume: last, onMetrics: (m) => more.push(m) });
      expect(connectionOutcome(resumed)).toEqual(connectionOutcome(whole));
      // no finished polish iteration is trained again: the resumed run records only what came after
      expect(more.map((m) => m.step)).toEqual(emitted.filter((m) => m.step > last.step).map((m) => m.step));
      expect([...metrics.filter((m) => m.step <= last.step), ...more]).toEqual(emitted);
    },
  );

  it("refuses a polish checkpoint that does not fit the run, naming the field", () => {
    const cp = all[2];
    const refused = (c: Partial<LearnConnectionConfig>, resume: unknown, field: string) =>
      expectRefused(
        () => learnKdvConnection({ ...LONG_POLISH, ...c, resume: JSON.parse(JSON.stringify(resume)) }),
        field,
      );
    refused({}, { ...cp, polish: undefined }, "resume.polish");
    refused({}, { ...cp, polish: { ...cp.polish, method: "lbfgs" } }, "resume.polish.method");
    refused({}, { ...cp, polish: { ...cp.polish, lambda: 0 } }, "resume.polish.lambda");
    refused({}, { ...cp, polish: { ...cp.polish, iterations: 6 } }, "resume.step");
    refused({ polishIter: 4 }, cp, "resume.step");
    // an L-BFGS run checkpoints no polish, so it cannot continue one
    refused({ polish: "lbfgs" }, cp, "resume.phase");
    refused({}, { ...cp, adam: { ...cp.adam, step: 9 } }, "resume.adam.step");
  });
});
