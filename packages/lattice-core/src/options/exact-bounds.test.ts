// The exact-result option schemas field by field: each edge value accepted, one step outside
// refused with the exact one-line message parseOptions gives, defaults filled in, and every flag
// with a name and a line of help (the command line builds its flags and help from these).
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { MAX_ENUMERATION_SITES } from "../exact/enumerate-model.js";
import { MAX_TRANSFER_RANGE } from "../exact/transfer-matrix.js";
import { refusalMessage } from "../testing/refusal.js";
import {
  dualOptionsSchema,
  exactEnergyOptionsSchema,
  exactEnumerateOptionsSchema,
  exactModelOptionsSchema,
} from "./exact.js";
import { parseOptions, unwrapOption } from "./schema.js";

const refused = (schema: z.ZodType, input: unknown) => refusalMessage(() => parseOptions(schema, input));

describe("physml exact energy", () => {
  const s = exactEnergyOptionsSchema;
  it("L and Ly in [2, 32768], β in [0, 50]", () => {
    expect(parseOptions(s, { L: 2, beta: 0 })).toEqual({ L: 2, beta: 0 });
    expect(parseOptions(s, { L: 32768, Ly: 2, beta: 50 })).toEqual({ L: 32768, Ly: 2, beta: 50 });
    expect(parseOptions(s, { L: 3, Ly: 32768, beta: 0.44 })).toEqual({ L: 3, Ly: 32768, beta: 0.44 });
    for (const L of [1, 32769, 2.5])
      expect(refused(s, { L, beta: 1 })).toBe(`L: expected an integer in [2, 32768], got ${L}`);
    for (const Ly of [1, 32769, 3.5])
      expect(refused(s, { L: 4, Ly, beta: 1 })).toBe(`Ly: expected an integer in [2, 32768], got ${Ly}`);
    for (const beta of [-1e-9, 50.000001])
      expect(refused(s, { L: 4, beta })).toBe(`beta: expected a number in [0, 50], got ${beta}`);
    expect(refused(s, { L: 4 })).toBe("beta: expected a number in [0, 50], got undefined");
    expect(refused(s, { L: 4, beta: 1, Lx: 4 })).toBe("options: expected no unknown keys (Lx), got Lx");
  });
});

describe("physml exact enumerate", () => {
  const s = exactEnumerateOptionsSchema;
  it("L and Ly in [1, 25], couplings in [−1e250, 1e250], plaquette, nnn and field default to 0", () => {
    expect(parseOptions(s, { L: 1, beta: -1e250 })).toEqual({
      L: 1,
      beta: -1e250,
      plaquette: 0,
      nnn: 0,
      field: 0,
    });
    expect(
      parseOptions(s, { L: 25, Ly: 1, beta: 1e250, plaquette: -1e250, nnn: 1e250, field: -1e250 }),
    ).toEqual({
      L: 25,
      Ly: 1,
      beta: 1e250,
      plaquette: -1e250,
      nnn: 1e250,
      field: -1e250,
    });
    for (const L of [0, 26, 1.5])
      expect(refused(s, { L, beta: 0 })).toBe(`L: expected an integer in [1, 25], got ${L}`);
    for (const Ly of [0, 26])
      expect(refused(s, { L: 1, Ly, beta: 0 })).toBe(`Ly: expected an integer in [1, 25], got ${Ly}`);
    for (const key of ["beta", "plaquette", "nnn", "field"]) {
      for (const v of [2e250, -2e250]) {
        expect(refused(s, { L: 2, beta: 0, [key]: v })).toBe(
          `${key}: expected a number in [-1e+250, 1e+250], got ${v}`,
        );
      }
    }
    expect(refused(s, { L: 2 })).toBe("beta: expected a number in [-1e+250, 1e+250], got undefined");
  });
});

describe("physml exact model and physml dual", () => {
  it("a non-empty model file name; β in [1e-300, 350]", () => {
    expect(parseOptions(exactModelOptionsSchema, { modelFile: "m.json" })).toEqual({ modelFile: "m.json" });
    expect(refused(exactModelOptionsSchema, { modelFile: "" })).toBe(
      "modelFile: expected a path to a model JSON file, got ",
    );
    expect(refused(exactModelOptionsSchema, {})).toBe(
      "modelFile: expected a path to a model JSON file, got undefined",
    );
    expect(parseOptions(dualOptionsSchema, { beta: 1e-300 })).toEqual({ beta: 1e-300 });
    expect(parseOptions(dualOptionsSchema, { beta: 350 })).toEqual({ beta: 350 });
    for (const beta of [0, 9.9e-301, 350.00001]) {
      expect(refused(dualOptionsSchema, { beta })).toBe(
        `beta: expected a number in [1e-300, 350], got ${beta}`,
      );
    }
    expect(refused(dualOptionsSchema, { beta: 1, L: 2 })).toBe(
      "options: expected no unknown keys (L), got L",
    );
  });
});

describe("flags and help of the exact-result commands", () => {
  const flags = (schema: z.ZodObject) =>
    Object.entries(schema.shape).map(([key, field]) => {
      const { meta } = unwrapOption(field as z.ZodType);
      expect(meta.description ?? "").not.toBe("");
      return [key, meta.flag];
    });

  it("every field is a flag of the same name (model-file in kebab case) with a description", () => {
    expect(flags(exactEnergyOptionsSchema)).toEqual([
      ["L", "L"],
      ["Ly", "Ly"],
      ["beta", "beta"],
    ]);
    expect(flags(exactEnumerateOptionsSchema)).toEqual([
      ["L", "L"],
      ["Ly", "Ly"],
      ["beta", "beta"],
      ["plaquette", "plaquette"],
      ["nnn", "nnn"],
      ["field", "field"],
    ]);
    expect(flags(exactModelOptionsSchema)).toEqual([["modelFile", "model-file"]]);
    expect(flags(dualOptionsSchema)).toEqual([["beta", "beta"]]);
  });

  it("Ly says it defaults to L, and the rules name the site and range limits", () => {
    expect(unwrapOption(exactEnergyOptionsSchema.shape.Ly).meta.defaultText).toBe("L");
    const ly = unwrapOption(exactEnumerateOptionsSchema.shape.Ly).meta;
    expect(ly.defaultText).toBe("L");
    expect(ly.rule).toBe(`Lx·Ly ≤ ${MAX_ENUMERATION_SITES}`);
    const rule = unwrapOption(exactModelOptionsSchema.shape.modelFile).meta.rule ?? "";
    expect(rule).toContain(`at most ${MAX_ENUMERATION_SITES} sites`);
    expect(rule).toContain(`span at most ${MAX_TRANSFER_RANGE} sites`);
  });
});
