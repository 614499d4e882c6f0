import { PhysmlInputError, parseOptions } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import {
  cyDonaldsonOptionsSchema,
  cySampleOptionsSchema,
  cyTrainOptionsSchema,
  MAX_DWORK_PSI,
  parseComplex,
  resolveCyDonaldsonConfig,
  resolveCySampleConfig,
} from "./options.js";

describe("parseComplex", () => {
  it("reads a, a,b, a+bi, a−bi and bi; refuses anything else", () => {
    expect(parseComplex("0")).toEqual({ re: 0, im: 0 });
    expect(parseComplex("10,3")).toEqual({ re: 10, im: 3 });
    expect(parseComplex("10+3i")).toEqual({ re: 10, im: 3 });
    expect(parseComplex(" -1.5e1 - 2i ")).toEqual({ re: -15, im: -2 });
    expect(parseComplex("-i")).toEqual({ re: 0, im: -1 });
    expect(parseComplex("2.5i")).toEqual({ re: 0, im: 2.5 });
    for (const bad of ["", "ten", "1+", "0x10", "1,2,3", "Infinity", "1e400"])
      expect(parseComplex(bad), bad).toBeNull();
  });
});

describe("cy option schemas", () => {
  it("ψ is parsed by the schema; |ψ| beyond the limit and bad text are refused naming psi", () => {
    expect(parseOptions(cySampleOptionsSchema, { psi: "3+4i" }).psi).toEqual({ re: 3, im: 4 });
    expect(parseOptions(cySampleOptionsSchema, {})).toEqual({
      psi: { re: 0, im: 0 },
      points: 100_000,
      seed: 1,
    });
    for (const psi of [`${MAX_DWORK_PSI},1`, "ten"]) {
      const e = (() => {
        try {
          parseOptions(cySampleOptionsSchema, { psi });
        } catch (x) {
          return x as PhysmlInputError;
        }
      })();
      expect(e).toBeInstanceOf(PhysmlInputError);
      expect(e?.field).toBe("psi");
      expect(e?.allowed).toMatch(/a complex number with \|ψ\| ≤ 1e6/);
    }
  });

  it("donaldson: defaults and ranges", () => {
    expect(parseOptions(cyDonaldsonOptionsSchema, {})).toMatchObject({
      k: [4],
      points: 50_000,
      evalPoints: 20_000,
      iterations: 10,
    });
    expect(parseOptions(cyDonaldsonOptionsSchema, { k: 6 }).k).toEqual([6]);
    expect(parseOptions(cyDonaldsonOptionsSchema, { k: "3" }).k).toEqual([3]);
    expect(parseOptions(cyDonaldsonOptionsSchema, { k: "1..4" }).k).toEqual([1, 2, 3, 4]);
    for (const k of [9, 0, 2.5, "9", "0..3", "4..2", "3..3", "1..9", "1-4", "a"]) {
      expect(() => parseOptions(cyDonaldsonOptionsSchema, { k }), String(k)).toThrow(
        /^k: expected an integer 1–8, or a range a\.\.b with 1 ≤ a < b ≤ 8 \(every k from a to b\), got [^\n]*$/,
      );
    }
  });

  it("train: the mult and add models and four non-negative loss weights", () => {
    expect(parseOptions(cyTrainOptionsSchema, { metricModel: "mult" })).toMatchObject({
      metricModel: "mult",
      alpha: [1, 1, 1, 1],
    });
    expect(parseOptions(cyTrainOptionsSchema, { metricModel: "add", alpha: [1, 0, 2, 0.5] }).alpha).toEqual([
      1, 0, 2, 0.5,
    ]);
    expect(() => parseOptions(cyTrainOptionsSchema, { alpha: [1, 1, 1] })).toThrow(/alpha/);
    expect(() => parseOptions(cyTrainOptionsSchema, { alpha: [1, -1, 1, 1] })).toThrow(/alpha/);
  });
});

describe("stored configurations of cy sample and cy donaldson (what a run's --resume reads back)", () => {
  it("resolve their own resolved form to the same configuration; a list of degrees that is no range is refused", () => {
    for (const input of [{}, { psi: "10-3i", points: 50, seed: 7 }, { psi: "1e-3+2e1i" }]) {
      const once = resolveCySampleConfig(input);
      expect(resolveCySampleConfig(JSON.parse(JSON.stringify(once)))).toEqual(once);
    }
    for (const input of [{}, { k: 3, psi: "0.5" }, { k: "2..5", psi: "-2.5i", evalPoints: 300 }]) {
      const once = resolveCyDonaldsonConfig(input);
      expect(resolveCyDonaldsonConfig(JSON.parse(JSON.stringify(once)))).toEqual(once);
    }
    expect(resolveCyDonaldsonConfig({ k: "2..5" }).k).toEqual([2, 3, 4, 5]);
    expect(() => resolveCyDonaldsonConfig({ k: [1, 3] })).toThrow(PhysmlInputError);
  });
});
