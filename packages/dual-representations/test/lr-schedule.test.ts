// The learning-rate schedule (`--lr-schedule`): cosine against ½(1 + cos(π t / T)) written here
// over the fit's T = epochs · ⌈rows / batch⌉ Adam steps, a cosine fit continued from its state
// after some epochs equal to the uninterrupted one (the schedule reads Adam's step count), and
// the flag's range.
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { resolveChainConfig, resolveFourierConfig } from "../src/config.js";
import type { Labelled } from "../src/train/dataset.js";
import { type FitState, fitBinary, learningRate } from "../src/train/fit.js";
import { mlpClassifier } from "../src/train/models.js";

const rows = (n: number, phase: number): Labelled => {
  const d = 3;
  const x = Float64Array.from({ length: n * d }, (_, i) => Math.sin(1.7 * i + phase));
  const y = Float64Array.from({ length: n }, (_, r) => (x[r * d] + x[r * d + 1] * x[r * d + 2] > 0 ? 1 : 0));
  return { x, y, n, d };
};
const data = { train: rows(50, 0.2), test: rows(20, 1.1) };

describe("learning-rate schedule", () => {
  it("constant is --lr; cosine falls from --lr to 0 over epochs · ⌈rows / batch⌉ steps", () => {
    const o = { epochs: 5, batch: 16, lr: 0.02, seed: 1 };
    expect(learningRate(o, 50)).toBe(0.02);
    expect(learningRate({ ...o, lrSchedule: "constant" }, 50)).toBe(0.02);
    const cos = learningRate({ ...o, lrSchedule: "cosine" }, 50);
    if (typeof cos === "number") throw new Error("cosine is a schedule");
    const T = 5 * 4; // ⌈50 / 16⌉ = 4 batches per epoch
    for (const t of [0, 1, 7, 10, 19, 20, 25])
      expect(cos(t)).toBeCloseTo(0.02 * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, T)) / T)), 15);
    expect(cos(10)).toBeCloseTo(0.01, 15);
  });

  it("a cosine fit continued from its state after 2 epochs equals the uninterrupted one, and differs from constant", () => {
    const opts = { epochs: 5, batch: 16, lr: 0.05, seed: 3, lrSchedule: "cosine" as const };
    const net = mlpClassifier(3, [4], 7);
    let after2: { state: FitState<typeof net.params>; history: never[] } | undefined;
    const whole = fitBinary(net.model, net.params, data, opts, undefined, {
      afterEpoch: (state, history) => {
        if (state.epoch === 2) after2 = { state, history: history.slice() as never[] };
      },
    });
    if (after2 === undefined) throw new Error("no state after 2 epochs");
    const resumed = fitBinary(net.model, net.params, data, opts, undefined, { from: after2 });
    expect(resumed.history).toEqual(whole.history);
    const flat = (p: typeof net.params) =>
      p.flatMap((l) => [...l.w.toFloat64Array(), ...l.b.toFloat64Array()]);
    expect(flat(resumed.params)).toEqual(flat(whole.params));
    const constant = fitBinary(net.model, net.params, data, { ...opts, lrSchedule: "constant" });
    expect(constant.history[4].loss).not.toBe(whole.history[4].loss);
  });

  it("config: --lr-schedule is constant by default, cosine allowed, anything else refused", () => {
    expect(resolveChainConfig({}).lrSchedule).toBe("constant");
    expect(resolveFourierConfig({ lrSchedule: "cosine" }).lrSchedule).toBe("cosine");
    expect(() => resolveChainConfig({ lrSchedule: "step" })).toThrow(PhysmlInputError);
  });
});
