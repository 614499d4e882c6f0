// The validation on real runs: a deliberately broken run (too few steps, t still far from β̃)
// must fail its own check; the CLI-facing fields carry no NaN.
import { dualCoupling } from "@physml/lattice-core";
import { expect, test } from "vitest";
import { learnDuality } from "../train/learner.js";

const small = {
  beta: 0.3,
  L: 6,
  seed: 2,
  backend: "cpu" as const,
  target: { chains: 16, samples: 50, warmupSweeps: 200 },
  candidate: { chains: 16, warmupSweeps: 50 },
};

test("a run stopped after 5 steps from t0 = 0.5 fails validation, with the correlators as the reason", async () => {
  const r = await learnDuality({ ...small, explore: { steps: 0 }, optimizer: { steps: 5 } });
  // t has hardly moved from its start: far from β̃ = 0.617.
  expect(Math.abs(r.t0 - dualCoupling(0.3))).toBeGreaterThan(0.05);
  expect(r.validation.passed).toBe(false);
  expect(r.validation.chi2PerDof).toBeGreaterThan(r.validation.targets.maxChi2PerDof);
  expect(r.validation.failures.join(" ")).toMatch(/do not reproduce the target correlators/);
  expect(r.validation.samples).toBe(16 * 50);
  // 5 steps give an error bar (tail of 2); 1 step gives none and says why (issue 12, case 2).
  expect(Number.isFinite(r.t0Error)).toBe(true);
  const one = await learnDuality({ ...small, explore: { steps: 0 }, optimizer: { steps: 1 } });
  expect(one.t0Error).toBeUndefined();
  expect(one.t0ErrorUnavailable).toBe("n/a (1 training step): an error bar needs at least 2");
  // No number is NaN or null (the object-valued `exploration` is null without exploration).
  const json = JSON.stringify(one);
  expect(json).not.toMatch(/NaN/);
  expect(json.replace('"exploration":null', "")).not.toMatch(/null/);
}, 60_000);

test("issue 12, case 8: the exploration log says which loss is which and why it keeps its start", async () => {
  const logs: string[] = [];
  const r = await learnDuality(
    {
      ...small,
      explore: { steps: 6, starts: [0.3, 0.6] },
      optimizer: { steps: 2 },
      validation: { retries: 0 },
    },
    { hooks: { log: (m) => logs.push(m) } },
  );
  const line = logs.find((l) => l.startsWith("exploration")) ?? "";
  expect(line).toMatch(/loss: split-half estimate, unbiased, so it can be negative/);
  expect(line).toMatch(/in brackets the loss with sampling noise included, which ranks the starts/);
  expect(line).toMatch(/t0 0.3 \(loss -?\d\.\d\de[-+]\d+ \[\d\.\d\de[-+]\d+\]\), t0 0.6 \(loss/);
  expect(line).toMatch(
    /; keeping start 0\.[36]: (lowest loss with sampling noise included|tied within noise)/,
  );
  // The result carries the same numbers and reason.
  expect(r.exploration?.why).toBe(line.slice(line.lastIndexOf("; ") + 2));
  expect(r.exploration?.lossesWithNoise).toHaveLength(2);
  for (let g = 0; g < 2; g++)
    expect(r.exploration?.lossesWithNoise[g]).toBeGreaterThanOrEqual(r.exploration?.losses[g] as number);
});
