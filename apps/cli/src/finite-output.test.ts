// A non-finite number never reaches stdout as null or NaN: in JSON its key is left out and
// `…Unavailable` says why; in text it reads n/a.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inRun } from "@physml/runs";
import { describe, expect, it } from "vitest";
import { finiteJson, finiteText, NOT_FINITE, NOT_FINITE_TEXT } from "./finite-output.js";
import { emit } from "./flags.js";

describe("finiteJson", () => {
  it("leaves finite results as JSON.stringify would print them", () => {
    const r = { a: 1, b: [1, 2, [3]], c: { d: "x", e: [{ f: 0.5 }] }, g: true, h: null };
    expect(JSON.stringify(finiteJson(r))).toBe(JSON.stringify(r));
    const typed = { v: Float64Array.from([1, 2]) };
    expect(JSON.stringify(finiteJson(typed))).toBe(JSON.stringify(typed));
  });

  it("replaces a non-finite number, or an array holding one at any depth, by …Unavailable", () => {
    const r = {
      laxResidual: Number.NaN,
      conservedVariation: [1e-3, Number.POSITIVE_INFINITY],
      formulas: { L: [[{ r2: Number.NaN, formula: "q" }]] },
      loss: { total: 1, lax: Number.NEGATIVE_INFINITY },
      seconds: 2,
    };
    const out = finiteJson(r);
    expect(out).toEqual({
      laxResidualUnavailable: NOT_FINITE,
      conservedVariationUnavailable: NOT_FINITE,
      formulas: { L: [[{ r2Unavailable: NOT_FINITE, formula: "q" }]] },
      loss: { total: 1, laxUnavailable: NOT_FINITE },
      seconds: 2,
    });
    expect(JSON.stringify(out)).not.toContain("null");
  });
});

describe("finiteJson on a result a run directory gave back", () => {
  it("treats the texts result.json stores for non-finite numbers as such (inRun's result, runs show)", async () => {
    const out = mkdtempSync(join(tmpdir(), "physml-finite-"));
    try {
      const { result } = await inRun(
        "finite-test",
        { package: "@physml/cli", version: "0", git: null },
        {},
        () => ({}),
        { out: join(out, "run") },
        async () => ({
          result: {
            residual: Number.NaN,
            byPart: [{ kind: "a", r: Number.POSITIVE_INFINITY }],
            label: "NaNo",
          },
          report: "",
        }),
      );
      // what the command gets back holds texts: printed as they are, stdout would carry "NaN"
      expect(result).toMatchObject({ residual: "NaN", byPart: [{ r: "Infinity" }] });
      const printed = JSON.stringify(finiteJson(result));
      expect(printed).not.toMatch(/NaN"|Infinity|null/);
      expect(finiteJson(result)).toMatchObject({
        residualUnavailable: NOT_FINITE,
        byPart: [{ kind: "a", rUnavailable: NOT_FINITE }],
        label: "NaNo",
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("finiteText", () => {
  it("replaces every way a command formats a non-finite number, and nothing else", () => {
    const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (const v of bad) {
      for (const s of [v.toFixed(3), v.toExponential(2), v.toPrecision(4), String(v)]) {
        expect(finiteText(`loss ${s}, R² ${s}`)).toBe(`loss ${NOT_FINITE_TEXT}, R² ${NOT_FINITE_TEXT}`);
        expect(finiteText(`(${s}±${s})`)).toBe(`(${NOT_FINITE_TEXT}±${NOT_FINITE_TEXT})`);
      }
    }
    const fine = "loss 1.000e-3, trNaNce NaNo Infinityx run-NaN_1 x.NaN passed";
    expect(finiteText(fine)).toBe(fine);
  });
});

describe("emit", () => {
  it("prints neither null nor NaN, in JSON or in text", () => {
    let out = "";
    const io = { stdout: (s: string) => (out += s) };
    emit(io, true, { loss: Number.NaN }, () => "");
    emit(io, false, {}, () => `loss ${Number.NaN.toExponential(3)}`);
    expect(out).toBe(`{"lossUnavailable":"${NOT_FINITE}"}\nloss ${NOT_FINITE_TEXT}\n`);
  });
});
