import { DUALITY_RUN_KIND } from "@physml/duality-learner";
import type { RunSummary } from "@physml/runs";
import { describe, expect, it } from "vitest";
import { currentSummary } from "./stored-fields.js";

const summary = (kind: string, result: Record<string, unknown>, config: unknown = {}): RunSummary => ({
  dir: "r",
  kind,
  status: "finished",
  createdAt: "",
  package: "",
  version: "",
  metricsLines: 0,
  config,
  result,
});

describe("currentSummary: old stored field names read as the current ones", () => {
  it.each([
    [
      DUALITY_RUN_KIND,
      { validation: { reasons: ["x"], limits: { maxPull: 10 } } },
      { validation: { failures: ["x"], targets: { maxPull: 10 } } },
    ],
    ["duality-lines", { kappa: 0.1, dual: true }, { plaquette: 0.1, sampleDual: true }],
    [
      "duality-lines",
      {
        checksPassed: false,
        failures: ["links: every start ended on the trivial line (expected the Z2 line s_i s_j)"],
        geometries: [
          { geometry: "links", expected: "Z2 line s_i s_j", starts: [], verdict: "failed", passed: false },
          {
            geometry: "crossing",
            learned: { angleDeg: 80 },
            starts: [],
            validation: {
              verdict: "disorder line e^{-2β s_i s_j}",
              pathIndependent: true,
              freshAngleDeg: 73,
              freshAngleErrorDeg: 2,
            },
            verdict: "disorder line e^{-2β s_i s_j}",
            passed: true,
          },
        ],
      },
      {
        geometries: [
          { geometry: "links", starts: [] },
          { geometry: "crossing", learned: { angleDeg: 80 }, starts: [] },
        ],
        validation: {
          passed: false,
          failures: ["links: every start ended on the trivial line (expected the Z2 line s_i s_j)"],
          geometries: [
            { geometry: "links", expected: "Z2 line s_i s_j", verdict: "failed", passed: false },
            {
              geometry: "crossing",
              verdict: "disorder line e^{-2β s_i s_j}",
              passed: true,
              fresh: { pathIndependent: true, angleDeg: 73, angleErrorDeg: 2 },
            },
          ],
        },
      },
    ],
    [
      "duality-lines",
      {
        validation: {
          passed: true,
          failures: [],
          geometries: [
            {
              geometry: "crossing",
              verdict: "failed",
              passed: true,
              fresh: { verdict: "failed", freshTable: [1], freshTableError: [0.1] },
            },
          ],
        },
      },
      {
        validation: {
          passed: true,
          failures: [],
          geometries: [
            {
              geometry: "crossing",
              verdict: "failed",
              passed: true,
              fresh: { table: [1], tableError: [0.1] },
            },
          ],
        },
      },
    ],
    [
      "dualrep-chain",
      { points: [{ accuracy: { bestTest: 0.9 } }] },
      { rows: [{ accuracies: { bestTest: 0.9 } }] },
    ],
    [
      "dualrep-ising2d",
      { points: [], checksPassed: false, failures: ["T=1.5000: …"] },
      { rows: [], validation: { passed: false, failures: ["T=1.5000: …"] } },
    ],
    [
      "dualrep-fourier",
      { points: [], checksPassed: true, failures: [] },
      { rows: [], validation: { passed: true, failures: [] } },
    ],
    ["cy-train", { model: "dense" }, { metricModel: "dense" }],
    ["symmetry-cicy", { model: "mlp" }, { architecture: "mlp" }],
    ["integrability-kdv", { residual: 0.01 }, { laxResidual: 0.01 }],
    ["integrability-scnn", { formulas: [] }, { momentumFormulas: [] }],
  ])("%s", async (kind, stored, current) => {
    expect((await currentSummary(summary(kind, stored))).result).toEqual(current);
  });

  it("renames a stored config where the command reads its config under new names", async () => {
    expect((await currentSummary(summary("cy-train", {}, { model: "dense", steps: 3 }))).config).toEqual({
      metricModel: "dense",
      steps: 3,
    });
  });

  it("shows a kdv, scnn or connection config written before a field was added with the value its run had, as --resume reads it", async () => {
    // kdv as written on 3 Dec: tanh [8, 8] on the features, before --lift, --restarts and
    // --loss-terms existed
    const kdv = await currentSummary(summary("integrability-kdv", {}, { order: 2, hidden: [8, 8] }));
    expect(kdv.config).toEqual({ order: 2, hidden: [8, 8], lift: "none", restarts: 0, lossTerms: "paper" });
    const scnn = await currentSummary(summary("integrability-scnn", {}, { steps: 2000, cyclic: 3 }));
    expect(scnn.config).toMatchObject({ steps: 2000, warmup: 0, frame: "bodies", pointStart: "identity" });
    // a connection family written before --start existed had started from its random draw
    const family = { system: "heisenberg", spectralRange: [0.5, 2] };
    const before = await currentSummary(summary("integrability-connection", {}, family));
    expect(before.config).toEqual({ ...family, start: "random" });
    const fixed = { ...family, start: "fixed" };
    expect((await currentSummary(summary("integrability-connection", {}, fixed))).config).toEqual(fixed);
    // fields a config holds are shown as stored
    // from 4 Dec (--lift) until --loss-terms the command trained on the field learners' weights
    const dec5 = { lift: "quadratic", restarts: 2 };
    expect((await currentSummary(summary("integrability-kdv", {}, dec5))).config).toEqual({
      ...dec5,
      lossTerms: "field",
    });
    const today = { lift: "quadratic", restarts: 2, lossTerms: "field" };
    expect((await currentSummary(summary("integrability-kdv", {}, today))).config).toEqual(today);
  });

  it("leaves other kinds, and a field given under its current name, as stored", async () => {
    const other = summary("mcmc", { residual: 1 });
    expect(await currentSummary(other)).toEqual(other);
    const both = summary("integrability-kdv", { residual: 1, laxResidual: 2 });
    expect((await currentSummary(both)).result).toEqual({ laxResidual: 2 });
    const checks = summary("dualrep-chain", {
      checksPassed: true,
      validation: { passed: false, failures: ["x"] },
    });
    expect((await currentSummary(checks)).result).toEqual({ validation: { passed: false, failures: ["x"] } });
    const lines = summary("duality-lines", { failures: [], validation: { passed: true, failures: [] } });
    expect((await currentSummary(lines)).result).toEqual({ validation: { passed: true, failures: [] } });
  });
});
