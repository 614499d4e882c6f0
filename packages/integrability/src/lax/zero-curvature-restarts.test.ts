import { saveParams } from "@physml/autodiff/nn";
import { describe, expect, it } from "vitest";
import { expectRefused } from "../../test/refused.js";
import { connectionOutcome, TINY_KDV_CONNECTION } from "../../test/tiny-kdv-connection.js";
import {
  type ConnectionCheckpoint,
  type ConnectionMetrics,
  connectionCheckpointStep,
} from "./connection-checkpoint.js";
import { type LearnConnectionConfig, learnKdvConnection, STALL_LOSS } from "./zero-curvature-learn.js";

// A run this small never gets 𝓛_ZC below STALL_LOSS, so every attempt stalls and all three run;
// each checkpoints at Adam steps 10, 20, 30 and after the polish.
const BASE: LearnConnectionConfig = { ...TINY_KDV_CONNECTION, polishIter: 2, restarts: 2 };

describe("learnKdvConnection with restarts", () => {
  const all: ConnectionCheckpoint[] = [];
  const whole = learnKdvConnection({
    ...BASE,
    onCheckpoint: (cp) => all.push(JSON.parse(JSON.stringify(cp))),
  });

  it("restarts after each stall and keeps the attempt with the lowest training 𝓛_ZC", () => {
    expect(whole.attemptLosses).toHaveLength(3);
    for (const v of whole.attemptLosses) expect(v).toBeGreaterThanOrEqual(STALL_LOSS);
    // the attempts start from different initialisations
    expect(new Set(whole.attemptLosses).size).toBe(3);
    const best = Math.min(...whole.attemptLosses);
    expect(whole.final.lax).toBe(best);
    expect(whole.attemptLosses[whole.attempt]).toBe(best);
    const lastOf = (k: number) => all.filter((cp) => (cp.attempt ?? 0) === k).at(-1);
    expect(saveParams(whole.params)).toBe(lastOf(whole.attempt)?.params);
    expect(whole.history.filter((m) => m.step === 0).map((m) => m.attempt)).toEqual([undefined, 1, 2]);
  });

  it("files each attempt's checkpoints after the earlier attempts' (the run directory's order)", () => {
    expect(all.map((cp) => [cp.attempt ?? 0, cp.phase, cp.step])).toEqual(
      [0, 1, 2].flatMap((k) => [
        [k, "adam", 10],
        [k, "adam", 20],
        [k, "adam", 30],
        [k, "polished", 30 + BASE.polishIter],
      ]),
    );
    const keys = all.map(connectionCheckpointStep);
    for (let i = 1; i < keys.length; i++) expect(keys[i]).toBeGreaterThan(keys[i - 1]);
  });

  // in the second attempt's Adam, after its polish, and after the last attempt (a checkpoint is
  // what an interrupted process leaves behind: the run is deterministic up to it)
  it.each([6, 8, 12])("resumed from checkpoint %i: the same choice bit for bit", (k) => {
    const last = all[k - 1];
    const more: ConnectionMetrics[] = [];
    const resumed = learnKdvConnection({ ...BASE, resume: last, onMetrics: (m) => more.push(m) });
    expect(connectionOutcome(resumed)).toEqual(connectionOutcome(whole));
    // what the run directory replays on resume, then what the resumed run logs: the whole history
    const replayed = [...(last.earlier ?? []).flatMap((e) => e.history), ...last.history];
    expect([...replayed, ...more]).toEqual(whole.history);
  });

  it("refuses an attempt beyond the restarts, or earlier attempts that do not match it", () => {
    const cp = all[5];
    expect(cp.attempt).toBe(1);
    const refused = (c: Partial<LearnConnectionConfig>, resume: unknown, field: string) =>
      expectRefused(
        () => learnKdvConnection({ ...BASE, ...c, resume: resume as ConnectionCheckpoint }),
        field,
      );
    refused({ restarts: 0 }, cp, "resume.attempt");
    refused({}, { ...cp, earlier: [] }, "resume.earlier");
    refused({}, { ...cp, earlier: [{ ...cp.earlier?.[0], params: "{}" }] }, "resume.earlier.0.params");
  });
});
