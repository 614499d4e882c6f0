// End to end (CI-sized): the learner rediscovers the Kramers–Wannier dual on an 8×8 torus in the
// disordered phase, with the attention on a dual-crossing link, within 5% and two minutes of CPU
// time (process CPU time, all threads: on a shared machine the wall time says more about the
// other processes than about the learner).

import { learnDuality } from "@physml/duality-learner";
import { dualCoupling } from "@physml/lattice-core";
import { expect, test } from "vitest";

test("L = 8, β = 0.3: learned t0 within 5% of β̃, attention on the dual link", async () => {
  const start = process.cpuUsage();
  const r = await learnDuality({ beta: 0.3, L: 8, seed: 2, backend: "cpu" });
  const used = process.cpuUsage(start);
  const cpuMs = (used.user + used.system) / 1000;
  const exact = dualCoupling(0.3);
  expect(r.exact?.dualBeta).toBe(exact);
  // The learner's value is an average of its own iterates, never the reference.
  expect(r.t0).not.toBe(exact);
  expect(Math.abs(Math.abs(r.t0) - exact) / exact).toBeLessThan(0.05);
  expect(r.attention.chosen.kind).toBe("dual-crossing");
  // and the learner's own check agrees: fresh samples of the learned model reproduce the target.
  expect(r.validation.passed, r.validation.failures.join("; ")).toBe(true);
  expect(r.validation.chi2PerDof).toBeLessThan(r.validation.targets.maxChi2PerDof);
  expect(r.attention.byKind["dual-crossing"]).toBeGreaterThan(0.9);
  // The head approaches exp(−2β̃x) = cosh 2β̃ − sinh 2β̃·x (up to the x → −x image).
  const sign = r.image === "ferro" ? 1 : -1;
  expect(Math.abs(r.theta2 - sign * r.exact!.theta2)).toBeLessThan(0.1 * Math.abs(r.exact!.theta2));
  expect(Math.abs(r.theta3 - r.exact!.theta3)).toBeLessThan(0.1 * r.exact!.theta3);
  expect(cpuMs).toBeLessThan(120_000);
}, 600_000);
