// A group's stored form for each update rule: the layout of earlier versions (every rule's
// fields, in their order, the other rules' at fixed values), the Gumbel and MLP groups through
// JSON and back, and a stored group of another rule refused by the field it lacks. (The exact
// rule's round trip is in ./steps-state.test.ts.)
import { beforeAll, expect, test } from "vitest";
import { candidateSamples, ofRule, stepContext } from "../../test/steps-fixture.js";
import type { DualityConfigInput } from "../config.js";
import { restoreGroup, saveGroup } from "./group-checkpoint.js";
import { initGroup } from "./group-state.js";
import type { StepContext } from "./step-context.js";
import type { StepData } from "./step-data.js";
import { stepGroup } from "./steps.js";

const throughJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

/** The stored fields, in the order the single group type of earlier versions wrote them. */
const FIELDS = [
  "t",
  "tAdam",
  "logits",
  "logitState",
  "heads",
  "slotLoss",
  "slotLossUnbiased",
  "params",
  "paramState",
  "mlpSign",
  "memory",
  "gramAvg",
];

const gumbel: Partial<DualityConfigInput> = {
  observable: { mode: "gumbel", theta2Init: -0.3, theta3Init: 0.8 },
};
const mlp: Partial<DualityConfigInput> = { observable: { kind: "mlp", hidden: [3] } };

let data: Pick<StepData, "x" | "terms" | "samples">;
beforeAll(async () => {
  data = await candidateSamples(stepContext().lattice, 0.45, 4, 2, 41);
});

const stored = (ctx: StepContext) => throughJson(saveGroup(ctx, initGroup(ctx, 0.5, 0)));

test("every rule stores every field of earlier versions, in their order, the other rules' at fixed values", () => {
  const ctx = stepContext();
  const K = ctx.slots.length;
  const none = Array(K).fill(null);
  const exact = stored(ctx);
  expect(Object.keys(exact)).toEqual(FIELDS);
  expect(exact).toMatchObject({ t: [0.5, 0, 0, 0], tAdam: { m: [0, 0, 0, 0], v: [0, 0, 0, 0], n: 0 } });
  // no slot solved yet: no head, infinite losses stored as null
  expect([exact.heads, exact.slotLoss, exact.slotLossUnbiased]).toEqual([none, none, none]);
  expect([exact.params, exact.paramState, exact.mlpSign, exact.memory, exact.gramAvg]).toEqual([
    null,
    null,
    1,
    [],
    null,
  ]);
  expect((exact.logits as { shape: number[] }).shape).toEqual([K]);
  for (const [over, rule] of [
    [gumbel, "gumbel"],
    [mlp, "mlp"],
  ] as const) {
    const s = stored(stepContext(over));
    expect(Object.keys(s), rule).toEqual(FIELDS);
    expect([s.logits, s.logitState, s.heads, s.slotLoss, s.slotLossUnbiased, s.memory, s.gramAvg]).toEqual([
      null,
      null,
      none,
      none,
      none,
      [],
      null,
    ]);
    expect(s.mlpSign).toBe(1);
    expect((s.paramState as { step: number }).step).toBe(0);
  }
  expect(stored(stepContext(gumbel)).params).toMatchObject({ theta: { $tensor: [-0.3, 0.8], shape: [2] } });
  expect((stored(stepContext(mlp)).params as { w: { shape: number[] } }[]).map((l) => l.w.shape)).toEqual([
    [K, 3],
    [3, 1],
  ]);
});

test.each([
  ["gumbel", gumbel, "ferro"],
  ["mlp", mlp, "antiferro"],
] as const)(
  "a %s group after a step comes back from its JSON and takes the same next step",
  (_, over, sign) => {
    const ctx = stepContext({
      ...over,
      sign,
      explore: { starts: [0.5], steps: 0 },
      optimizer: { freezeFraction: 0 },
    });
    const gs = initGroup(ctx, 0.5, 0);
    stepGroup(ctx, gs, { ...data, step: 0, trainStep: 0 });
    const back = restoreGroup(ctx, throughJson(saveGroup(ctx, gs)));
    expect(back.rule).toBe(gs.rule);
    // (through JSON, as every stored number: a −0 comes back as 0)
    expect(throughJson([back.t, back.tAdam])).toEqual(throughJson([gs.t, gs.tAdam]));
    // the antiferro image flipped the MLP's input sign at the step
    if (gs.rule === "mlp") expect([gs.mlpSign, ofRule(back, "mlp").mlpSign]).toEqual([-1, -1]);
    const next = { ...data, step: 1, trainStep: 1 };
    expect(stepGroup(ctx, back, next)).toEqual(stepGroup(ctx, gs, next));
    expect(back.t).toEqual(gs.t);
    expect(throughJson(saveGroup(ctx, back))).toEqual(throughJson(saveGroup(ctx, gs)));
  },
);

test("a stored group without a field of the run's rule is refused by that field", () => {
  const exact = stepContext();
  const g = stepContext(gumbel);
  const m = stepContext(mlp);
  expect(() => restoreGroup(exact, stored(g))).toThrow(/^field logits: absent, the exact rule needs it$/);
  expect(() => restoreGroup(g, stored(exact))).toThrow(/^field params: absent, the gumbel rule needs it$/);
  expect(() => restoreGroup(m, stored(g))).toThrow(
    /^field params: the attention's, the mlp rule needs an MLP's$/,
  );
  expect(() => restoreGroup(g, stored(m))).toThrow(
    /^field params: an MLP's, the gumbel rule needs the attention's$/,
  );
  const { mlpSign: _, ...noSign } = stored(m);
  expect(() => restoreGroup(m, noSign)).toThrow(/^field mlpSign: absent, the mlp rule needs it$/);
});
