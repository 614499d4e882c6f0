import { saveParams } from "@physml/autodiff/nn";
import { describe, expect, it } from "vitest";
import { expectRefused } from "../../test/refused.js";
import type { TwoBodyCheckpoint } from "./checkpoint.js";
import { compareTwoBody, type TwoBodyConfig, type TwoBodyResult } from "./compare.js";

// Minibatches of 5 of the 12 training states (a new permutation every 2 steps: a resumed run's
// minibatches must continue where they were) and
// a checkpoint every 5 Adam steps: at steps 5, 10, 15, 20 of each of the three models.
const BASE: TwoBodyConfig = {
  trainOrbits: 2,
  testOrbits: 1,
  time: 1,
  steps: 20,
  lr: 3e-3,
  hidden: [4],
  cyclic: 2,
  poissonWeight: 1,
  batch: 5,
  boost: { offset: 0.5, velocity: 0.1 },
  seed: 0,
  checkpointEvery: 5,
};

class Interrupt extends Error {}
type Loss = [string, number, number];

/** The checkpoints (through JSON) and losses of the comparison, stopped when checkpoint `k + 1` is taken. */
function interrupted(k: number): { checkpoints: TwoBodyCheckpoint[]; losses: Loss[] } {
  const checkpoints: TwoBodyCheckpoint[] = [];
  const losses: Loss[] = [];
  expect(() =>
    compareTwoBody({
      ...BASE,
      onLoss: (m, s, l) => losses.push([m, s, l]),
      onCheckpoint: (cp) => {
        if (checkpoints.length === k) throw new Interrupt();
        checkpoints.push(JSON.parse(JSON.stringify(cp)));
      },
    }),
  ).toThrow(Interrupt);
  return { checkpoints, losses };
}

const exact = ({ scnnParams, ...rest }: TwoBodyResult) => ({ ...rest, scnnParams: saveParams(scnnParams) });

describe("compareTwoBody resumed from a checkpoint", () => {
  const heard: Loss[] = [];
  const all: TwoBodyCheckpoint[] = [];
  const whole = compareTwoBody({
    ...BASE,
    onLoss: (m, s, l) => heard.push([m, s, l]),
    onCheckpoint: (cp) => all.push(cp),
  });

  it("checkpoints every 5 steps of each model; the last one is the SCNN's learned state", () => {
    expect(all.map((cp) => [cp.model, cp.step, cp.done.length])).toEqual(
      ["baseline", "hnn", "scnn"].flatMap((m, k) => [5, 10, 15, 20].map((s) => [m, s, k])),
    );
    expect(all[11].params).toBe(saveParams(whole.scnnParams));
  });

  // in the baseline's training, at its end (its rollout is redone), in the HNN's, in the SCNN's
  it.each([2, 4, 6, 11])("stopped after checkpoint %i, resumed: the same comparison bit for bit", (k) => {
    const { checkpoints, losses } = interrupted(k);
    const last = checkpoints[k - 1];
    const more: Loss[] = [];
    const resumed = compareTwoBody({ ...BASE, resume: last, onLoss: (m, s, l) => more.push([m, s, l]) });
    expect(exact(resumed)).toEqual(exact(whole));
    // the losses heard up to the checkpoint, then the resumed run's: each once
    const upTo = losses.filter(
      ([m, s]) =>
        last.done.length > ["baseline", "hnn", "scnn"].indexOf(m) || (m === last.model && s < last.step),
    );
    expect([...upTo, ...more]).toEqual(heard);
  });

  it("with the cyclic Q's gradient network, stopped in the SCNN's training and resumed: the same; an SCNN without it is refused", () => {
    const G: TwoBodyConfig = {
      ...BASE,
      cyclic: 4,
      cyclicQ: "gradients",
      conservation: "cosine",
      conservationWeight: 10,
    };
    const cps: TwoBodyCheckpoint[] = [];
    const full = compareTwoBody({ ...G, onCheckpoint: (cp) => cps.push(JSON.parse(JSON.stringify(cp))) });
    expect(Object.keys(full.scnnParams)).toEqual(["T", "H", "Q"]);
    expect(exact(compareTwoBody({ ...G, resume: cps[10] }))).toEqual(exact(full));
    expectRefused(
      () => compareTwoBody({ ...G, resume: JSON.parse(JSON.stringify(all[10])) }),
      "resume.params",
    );
  });

  it("with a point T (relative frame), stopped in the SCNN's training and resumed: the same; a general T's checkpoint is refused", () => {
    const P: TwoBodyConfig = {
      ...BASE,
      cyclic: 3,
      cyclicQ: "gradients",
      frame: "relative",
      transform: "point",
    };
    const cps: TwoBodyCheckpoint[] = [];
    const full = compareTwoBody({ ...P, onCheckpoint: (cp) => cps.push(JSON.parse(JSON.stringify(cp))) });
    expect(Object.keys(full.scnnParams)).toEqual(["T", "H", "Q"]);
    expect(exact(compareTwoBody({ ...P, resume: cps[10] }))).toEqual(exact(full));
    const general: TwoBodyCheckpoint[] = [];
    compareTwoBody({
      ...P,
      transform: "general",
      onCheckpoint: (cp) => general.push(JSON.parse(JSON.stringify(cp))),
    });
    expectRefused(() => compareTwoBody({ ...P, resume: general[10] }), "resume.params");
  });

  it("refuses a checkpoint that does not fit the comparison, naming the field", () => {
    const cp = all[5]; // the HNN at step 10
    const refused = (c: Partial<TwoBodyConfig>, resume: unknown, field: string) =>
      expectRefused(
        () => compareTwoBody({ ...BASE, ...c, resume: JSON.parse(JSON.stringify(resume)) }),
        field,
      );
    refused({ hidden: [5] }, cp, "resume.hidden");
    refused({ steps: 8 }, cp, "resume.done.0.losses.1.step");
    refused({ steps: 25 }, cp, "resume.done.0.losses");
    refused({}, { ...cp, model: "mlp" }, "resume.model");
    refused({}, { ...cp, done: [] }, "resume.done");
    refused({}, { ...cp, model: "scnn" }, "resume.done");
    // the HNN's parameters as the SCNN's
    refused({}, { ...cp, done: [...cp.done, cp.done[0]], model: "scnn" }, "resume.params");
    refused({}, { ...cp, adam: all[9].adam }, "resume.adam.m");
  });
});

describe("compareTwoBody with SCNN restarts", () => {
  // the relative frame and 4 cyclic coordinates: T moves P₃, P₄. A threshold no 20-step draw meets
  // makes every draw fail, so all 3 are trained; checkpoints at steps 5…20 of each model and draw
  const R: TwoBodyConfig = { ...BASE, frame: "relative", cyclic: 4, restarts: 2, restartWithin: 1e-9 };
  type Heard = [string, number, number, number];
  const heard: Heard[] = [];
  const all: TwoBodyCheckpoint[] = [];
  const whole = compareTwoBody({
    ...R,
    onLoss: (m, s, l, d) => heard.push([m, s, l, d]),
    onCheckpoint: (cp) => all.push(JSON.parse(JSON.stringify(cp))),
  });

  it("trains draws of seeds 0, 100, 200 while none passes, reports each one's shares and keeps the best, not the last", () => {
    const r = whole.scnn.restarts;
    expect(r?.draws.map((d) => [d.seed, d.passed, d.within.length])).toEqual([
      [0, false, 2],
      [100, false, 2],
      [200, false, 2],
    ]);
    for (const d of r?.draws ?? []) for (const w of d.within) expect(w).toBeGreaterThan(1e-9);
    // the draws differ; draw 1 has the smallest share, so keeping the last would report draw 2
    expect(new Set(r?.draws.map((d) => d.within[0])).size).toBe(3);
    const smallest = r?.draws.map((d) => Math.min(...d.within)) ?? [];
    expect(smallest[1]).toBeLessThan(Math.min(smallest[0], smallest[2]));
    expect([r?.passed, r?.kept]).toEqual([false, 1]);
    expect(all.map((cp) => [cp.model, cp.restarts?.length ?? -1, cp.best?.draw ?? -1]).slice(8)).toEqual(
      [
        [0, -1],
        [1, 0],
        [2, 1],
      ].flatMap(([a, b]) => Array(4).fill(["scnn", a, b])),
    );
    // the reported parameters are draw 1's at its end, carried in the later checkpoints
    expect(saveParams(whole.scnnParams)).toBe(all[15].params);
    expect(all.at(-1)?.best?.params).toBe(all[15].params);
    expect(all.at(-1)?.params).not.toBe(all[15].params);
    // and its rollout and readout are those of a run that stops after draw 1
    const two = compareTwoBody({ ...R, restarts: 1 });
    expect(two.scnn.restarts?.kept).toBe(1);
    expect(exact(whole)).toEqual(exact({ ...two, scnn: { ...two.scnn, restarts: whole.scnn.restarts } }));
  });

  it("draw 0 is the run without restarts; a draw that passes ends them", () => {
    const plain = compareTwoBody({ ...BASE, frame: "relative", cyclic: 4 });
    // P₁, P₂ are the total momentum, passed through T and conserved by the integrator to rounding
    // (relative 1e-15, so a share of order 1e-30); a 20-step T's P₃, P₄ are far from conserved
    const [px, py, p3, p4] = plain.scnn.orbitShare;
    expect(Math.max(px, py)).toBeLessThan(1e-20);
    expect(Math.min(p3, p4)).toBeGreaterThan(0.01);
    expect(plain.scnn.restarts?.draws.map((d) => d.within)).toEqual([whole.scnn.restarts?.draws[0].within]);
    const first = compareTwoBody({ ...R, restartWithin: 1 });
    expect([first.scnn.restarts?.passed, first.scnn.restarts?.kept]).toEqual([true, 0]);
    expect(first.scnn.restarts?.draws).toHaveLength(1);
    expect(exact(first)).toEqual(exact({ ...plain, scnn: { ...plain.scnn, restarts: first.scnn.restarts } }));
  });

  // at the end of draw 0 (its verdict not yet taken), inside draw 1, inside and at the end of the
  // last draw (the best, draw 1, then comes from the checkpoint)
  it.each([12, 14, 18, 20])("stopped after checkpoint %i, resumed: the same comparison and losses", (k) => {
    const last = all[k - 1];
    const more: Heard[] = [];
    const resumed = compareTwoBody({ ...R, resume: last, onLoss: (m, s, l, d) => more.push([m, s, l, d]) });
    expect(exact(resumed)).toEqual(exact(whole));
    const draw = last.restarts?.length ?? 0;
    // the losses heard up to the checkpoint, then the resumed run's: each once
    const after = heard.findIndex(
      ([m, s, , d]) => m === "scnn" && (d > draw || (d === draw && s >= last.step)),
    );
    expect([...heard.slice(0, after < 0 ? heard.length : after), ...more]).toEqual(heard);
  });

  it("refuses restarts where they are not judged, a bad threshold, and a checkpoint whose draws do not fit", () => {
    expectRefused(() => compareTwoBody({ ...BASE, restarts: 1 }), "restarts");
    expectRefused(() => compareTwoBody({ ...R, cyclic: 2 }), "restarts");
    expectRefused(() => compareTwoBody({ ...R, restartWithin: 0 }), "restartWithin");
    const cp = all[13]; // draw 1 at step 10: one finished draw
    const d0 = cp.restarts?.[0];
    const refused = (c: Partial<TwoBodyConfig>, resume: unknown, field: string) =>
      expectRefused(() => compareTwoBody({ ...R, ...c, resume: JSON.parse(JSON.stringify(resume)) }), field);
    refused({}, { ...cp, restarts: [{ ...d0, seed: 1 }] }, "resume.restarts.0.seed");
    refused({}, { ...cp, restarts: [{ ...d0, passed: true }] }, "resume.restarts.0.passed");
    refused({}, { ...cp, restarts: [{ ...d0, within: [2, 0.5] }] }, "resume.restarts.0.within");
    refused({}, { ...cp, restarts: [{ ...d0, losses: [] }] }, "resume.restarts.0.losses");
    refused({ restarts: 0 }, cp, "resume.restarts");
    refused({}, { ...all[2], restarts: [] }, "resume.restarts");
    refused({}, { ...cp, restarts: {} }, "resume.restarts");
    // the best finished draw: there with finished draws only, the one their shares pick, SCNN-shaped
    const late = all[17]; // draw 2 at step 10: draws 0 and 1 finished, draw 1 the best
    refused({}, { ...cp, best: undefined }, "resume.best");
    refused({}, { ...late, best: { ...late.best, draw: 0 } }, "resume.best.draw");
    refused({}, { ...late, best: { ...late.best, params: all[5].params } }, "resume.best.params");
    refused({}, { ...all[9], best: late.best }, "resume.best");
    // a checkpoint without the field (written before draws were recorded) is in draw 0
    const { restarts: _, ...older } = all[9];
    expect(exact(compareTwoBody({ ...R, resume: older }))).toEqual(exact(whole));
  });
});
