import { readFileSync } from "node:fs";
import { saveParams } from "@physml/autodiff/nn";
import { describe, expect, it } from "vitest";
import { expectRefused } from "../../test/refused.js";
import { stoppedAtCheckpoint } from "../../test/stopped.js";
import { type LaxCheckpoint, laxCheckpointStep } from "./checkpoint.js";
import { type LearnLaxConfig, type LearnLaxResult, learnLax } from "./learn.js";
import type { LaxMetrics } from "./train.js";

// Two rungs (neither exact after 30 Adam steps and 3 L-BFGS iterations), a checkpoint every 10
// Adam steps: per rung at Adam steps 10, 20, 30 (the end of Adam), then after the polish.
const BASE: LearnLaxConfig = {
  system: "ho",
  adamSteps: 30,
  lbfgsIter: 3,
  samples: 32,
  ladder: [[], [4]],
  seed: 0,
  logEvery: 10,
  checkpointEvery: 10,
  evaluate: false,
};

/**
 * The run of `config` (default BASE, which takes `total` = 8 checkpoints), stopped when its
 * checkpoint number `k + 1` is taken (or, with k = total, after its last checkpoint, as by a kill
 * during the evaluation): what was stored before it, through JSON.
 */
function interrupted(
  k: number,
  config: LearnLaxConfig = BASE,
  total = 8,
): { checkpoints: LaxCheckpoint[]; metrics: [LaxMetrics, number][] } {
  const metrics: [LaxMetrics, number][] = [];
  const { checkpoints, result } = stoppedAtCheckpoint(k, (onCheckpoint: (cp: LaxCheckpoint) => void) =>
    learnLax({ ...config, onMetrics: (m, rung) => metrics.push([m, rung]), onCheckpoint }),
  );
  expect(result === undefined).toBe(k < total);
  expect(checkpoints).toHaveLength(k);
  return { checkpoints, metrics };
}

/** The metrics a stopped run heard up to its checkpoint `last` (those after it are heard again). */
const heardBefore = (metrics: [LaxMetrics, number][], last: LaxCheckpoint) =>
  metrics.filter(
    ([m, rung]) => rung < last.rung || (rung === last.rung && last.history.some((h) => h.step === m.step)),
  );

const exact = (r: LearnLaxResult) => ({
  params: saveParams(r.state.params),
  adam: r.state.adam,
  step: r.state.step,
  history: r.history,
  final: r.final,
  rungs: r.rungs,
  hidden: r.hidden,
  laxResidual: r.laxResidual,
});

describe("learnLax resumed from a checkpoint", () => {
  const emitted: [LaxMetrics, number][] = [];
  const all: LaxCheckpoint[] = [];
  const whole = learnLax({
    ...BASE,
    onMetrics: (m, rung) => emitted.push([m, rung]),
    onCheckpoint: (cp) => all.push(cp),
  });

  it("checkpoints every 10 Adam steps and after each polish, at non-decreasing run steps", () => {
    expect(whole.rungs.map((r) => r.hidden)).toEqual([[], [4]]);
    expect(all.map((cp) => [cp.rung, cp.phase, cp.step])).toEqual([
      [0, "adam", 10],
      [0, "adam", 20],
      [0, "adam", 30],
      [0, "polished", whole.rungs[0].final.step],
      [1, "adam", 10],
      [1, "adam", 20],
      [1, "adam", 30],
      [1, "polished", whole.rungs[1].final.step],
    ]);
    const steps = all.map(laxCheckpointStep);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThanOrEqual(steps[i - 1]);
    // the last checkpoint is the kept model's learned state
    expect(all[all.length - 1].params).toBe(saveParams(whole.state.params));
  });

  // interrupted in rung 0's Adam, at the end of its Adam (its polish reruns), between the rungs,
  // in rung 1's Adam, and after the last polish (only the evaluation is left)
  it.each([1, 3, 4, 5, 8])("stopped after checkpoint %i, resumed: the same run bit for bit", (k) => {
    const { checkpoints, metrics } = interrupted(k);
    const last = checkpoints[k - 1];
    const more: [LaxMetrics, number][] = [];
    const resumed = learnLax({ ...BASE, resume: last, onMetrics: (m, rung) => more.push([m, rung]) });
    expect(exact(resumed)).toEqual(exact(whole));
    // the metrics heard before the checkpoint, then those of the resumed run: each entry once
    expect([...heardBefore(metrics, last), ...more]).toEqual(emitted);
  });

  it("reads a checkpoint written before autodiff's state readers, and writes the same one today", () => {
    // checkpoint 5 of this run (rung 1, Adam step 10) as written at commit a83a8cd, when the
    // trainer checkpoint still encoded the Adam moments itself
    const url = new URL("../../test/fixtures/lax-checkpoint-a83a8cd.json", import.meta.url);
    const stored = JSON.parse(readFileSync(url, "utf8")) as LaxCheckpoint;
    // today's also records each finished rung's training residual (read back when absent)
    const today = JSON.parse(JSON.stringify(all[4])) as LaxCheckpoint;
    for (const r of today.rungs) {
      expect(r.trainingResidual).toBeGreaterThan(0);
      delete r.trainingResidual;
    }
    expect(today).toEqual(stored);
    // the old checkpoint's finished rung keeps its record as written (its parameters are gone);
    // everything else comes out as today's run
    const fromOld = exact(learnLax({ ...BASE, resume: stored }));
    const expected = exact(whole);
    expect(fromOld.rungs[0].trainingResidual).toBeUndefined();
    expect(fromOld).toEqual({
      ...expected,
      rungs: expected.rungs.map((r, i) => (i === 0 ? { ...r, trainingResidual: undefined } : r)),
    });
  });

  it("refuses a checkpoint that does not fit the run, naming the field", () => {
    const { checkpoints } = interrupted(6);
    const cp = checkpoints[5]; // rung 1, Adam step 20
    const refused = (c: Partial<LearnLaxConfig>, resume: unknown, field: string) =>
      expectRefused(() => learnLax({ ...BASE, ...c, resume: resume as LaxCheckpoint }), field);
    refused({ ladder: [[], [5]] }, cp, "resume.hidden");
    refused({ ladder: [[8], [4]] }, cp, "resume.rungs.0.hidden");
    refused({ ladder: [[]] }, cp, "resume.rung");
    refused({ adamSteps: 15 }, cp, "resume.step");
    refused({}, { ...cp, params: checkpoints[0].params }, "resume.params");
    refused({}, { ...cp, adam: { ...cp.adam, m: checkpoints[0].adam.m } }, "resume.adam.m");
    refused({}, { ...cp, adam: { ...cp.adam, step: 3 } }, "resume.adam.step");
    refused({}, { ...cp, phase: "lbfgs" }, "resume.phase");
    refused({}, { ...cp, rungs: [] }, "resume.rungs");
    refused({}, { ...cp, history: [...cp.history].reverse() }, "resume.history.1.step");
  });

  it("resumed after an exact rung's polish, trains no further rung", () => {
    // the oscillator's affine pair is exact after the polish: the ladder stops there
    const exactRun: LearnLaxConfig = { ...BASE, adamSteps: 100, lbfgsIter: 150, samples: 64, seed: 0 };
    const cps: LaxCheckpoint[] = [];
    const first = learnLax({ ...exactRun, onCheckpoint: (cp) => cps.push(JSON.parse(JSON.stringify(cp))) });
    expect(first.rungs).toHaveLength(1);
    const last = cps[cps.length - 1];
    expect([last.rung, last.phase]).toEqual([0, "polished"]);
    const heard: LaxMetrics[] = [];
    const resumed = learnLax({ ...exactRun, resume: last, onMetrics: (m) => heard.push(m) });
    expect(heard).toEqual([]);
    expect(exact(resumed)).toEqual(exact(first));
  });
});

// Inside the polish: L-BFGS on a [4] MLP, 70 iterations in rounds of 50, a checkpoint every 20
// (after Adam step 10, at polish iterations 20, 40 and 60 — the last one 10 into the second
// round — and after the polish); Levenberg–Marquardt on the affine model, a checkpoint every 2
// (Adam steps 2–10, LM iterations 2 and 4; it stops at rounding after 5).
const LBFGS: LearnLaxConfig = { ...BASE, hidden: [4], adamSteps: 10, lbfgsIter: 70, checkpointEvery: 20 };
const LM: LearnLaxConfig = {
  ...BASE,
  hidden: [],
  adamSteps: 10,
  lbfgsIter: 6,
  polish: "lm",
  checkpointEvery: 2,
};

/** A checkpoint's place: phase, step, and the polish iterations before its round and in it. */
const place = (cp: LaxCheckpoint) => {
  const p = cp.polish;
  return [cp.phase, cp.step, p?.method === "lbfgs" ? [p.roundStart, p.round.iterations] : p?.iterations];
};

describe.each([
  [
    "L-BFGS",
    LBFGS,
    [
      ["adam", 10, undefined],
      ["polish", 30, [0, 20]],
      ["polish", 50, [0, 40]],
      ["polish", 70, [50, 10]],
      ["polished", 80, undefined],
    ],
    [2, 3, 4],
  ],
  [
    "Levenberg–Marquardt",
    LM,
    [
      ...[2, 4, 6, 8, 10].map((s) => ["adam", s, undefined]),
      ["polish", 12, 2],
      ["polish", 14, 4],
      ["polished", 15, undefined],
    ],
    [6, 7],
  ],
] as const)("learnLax resumed inside its %s polish", (_, config, places, stops) => {
  const emitted: [LaxMetrics, number][] = [];
  const all: LaxCheckpoint[] = [];
  const whole = learnLax({
    ...config,
    onMetrics: (m, rung) => emitted.push([m, rung]),
    onCheckpoint: (cp) => all.push(JSON.parse(JSON.stringify(cp))),
  });

  it("checkpoints every checkpointEvery polish iterations, without changing the run", () => {
    expect(all.map(place)).toEqual(places);
    const { checkpointEvery: _every, ...plain } = config;
    expect(exact(learnLax(plain))).toEqual(exact(whole));
  });

  it.each(stops)(
    "stopped after checkpoint %i, resumed: the same run and later checkpoints bit for bit",
    (k) => {
      const { checkpoints, metrics } = interrupted(k, config, places.length);
      const last = checkpoints[k - 1];
      expect(last).toEqual(all[k - 1]);
      const more: [LaxMetrics, number][] = [];
      const later: LaxCheckpoint[] = [];
      const resumed = learnLax({
        ...config,
        resume: last,
        onMetrics: (m, rung) => more.push([m, rung]),
        onCheckpoint: (cp) => later.push(JSON.parse(JSON.stringify(cp))),
      });
      expect(exact(resumed)).toEqual(exact(whole));
      expect(later).toEqual(all.slice(k));
      // in the polish no metrics are recorded until its end: the resumed run adds only the final one
      expect([...heardBefore(metrics, last), ...more]).toEqual(emitted);
      expect(more).toEqual([[whole.final, 0]]);
    },
  );
});

describe("learnLax refuses a checkpoint inside the polish that does not fit the run", () => {
  it("naming the field under resume.", () => {
    const cps = (config: LearnLaxConfig, k: number) =>
      interrupted(k, config, Number.POSITIVE_INFINITY).checkpoints;
    const lbfgsCps = cps(LBFGS, 4);
    const [lbfgsCp, lmCp] = [lbfgsCps[3], cps(LM, 7)[6]]; // polish iteration 50 + 10; LM iteration 4
    const [p, q, lm] = [lbfgsCp.polish, lbfgsCps[2].polish, lmCp.polish];
    if (p?.method !== "lbfgs" || q?.method !== "lbfgs" || lm?.method !== "lm")
      throw new Error("checkpoints 3 and 4 of LBFGS and 7 of LM are inside the polish");
    const refused = (c: LearnLaxConfig, resume: unknown, field: string) =>
      expectRefused(() => learnLax({ ...c, resume: resume as LaxCheckpoint }), field);
    const withPolish = (polish: unknown) => ({ ...lbfgsCp, polish });
    refused(LBFGS, withPolish(undefined), "resume.polish");
    refused({ ...LM, polish: "lbfgs" }, lmCp, "resume.polish.method");
    refused(LBFGS, withPolish({ ...p, roundStart: 70 }), "resume.polish.roundStart");
    refused(LBFGS, withPolish({ ...p, roundStart: 40 }), "resume.step");
    refused(
      LBFGS,
      withPolish({ ...p, roundStart: 0, round: { ...p.round, iterations: 51 } }),
      "resume.polish.round.iterations",
    );
    refused(
      LBFGS,
      withPolish({ ...p, round: { ...p.round, y: p.round.y.slice(1) } }),
      "resume.polish.round.y",
    );
    refused(
      LBFGS,
      withPolish({ ...p, round: { ...p.round, params: q.round.params } }),
      "resume.polish.round.params",
    );
    refused(LBFGS, { ...lbfgsCp, adam: { ...lbfgsCp.adam, step: 9 } }, "resume.adam.step");
    refused(LM, { ...lmCp, polish: { ...lm, lambda: 0 } }, "resume.polish.lambda");
    refused({ ...LM, lbfgsIter: 3 }, lmCp, "resume.step");
    refused(LM, { ...lmCp, polish: { ...lm, iterations: 3 } }, "resume.step");
  });
});
