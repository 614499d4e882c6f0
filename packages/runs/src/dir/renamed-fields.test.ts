import { describe, expect, test } from "vitest";
import { nestFields, renameFields, renameFieldsDeep } from "./renamed-fields.js";

describe("renameFields", () => {
  const renames = { kappa: "plaquette" };

  test("moves an old field to its current name, keeping the others and their order of values", () => {
    expect(renameFields({ L: 4, kappa: 0.1, beta: 0.3 }, renames)).toEqual({
      L: 4,
      plaquette: 0.1,
      beta: 0.3,
    });
  });

  test("the current name wins over the old one, which is dropped", () => {
    expect(renameFields({ kappa: 0.1, plaquette: 0.2 }, renames)).toEqual({ plaquette: 0.2 });
  });

  test("leaves inputs without the old name, nested fields and non-objects alone", () => {
    const input = { plaquette: 0.2, nested: { kappa: 1 } };
    expect(renameFields(input, renames)).toEqual(input);
    for (const v of [null, undefined, 3, "kappa", [{ kappa: 1 }]]) expect(renameFields(v, renames)).toBe(v);
  });

  test("does not change its input", () => {
    const input = { kappa: 0.1 };
    renameFields(input, renames);
    expect(input).toEqual({ kappa: 0.1 });
  });
});

describe("nestFields", () => {
  const moved = { checksPassed: "passed", failures: "failures" };
  const nest = (v: unknown) => nestFields(v, "validation", moved, { failures: [] });

  test("gathers the old top-level fields into the group, in the order of the map, at the end", () => {
    const out = nest({ failures: ["x"], L: 4, checksPassed: false, seconds: 2 });
    expect(out).toEqual({ L: 4, seconds: 2, validation: { passed: false, failures: ["x"] } });
    expect(Object.keys(out as object)).toEqual(["L", "seconds", "validation"]);
    expect(Object.keys((out as { validation: object }).validation)).toEqual(["passed", "failures"]);
  });

  test("a default fills a field not stored or stored as null; one without a default stays absent", () => {
    expect(nest({ checksPassed: true })).toEqual({ validation: { passed: true, failures: [] } });
    expect(nest({ checksPassed: true, failures: null })).toEqual({
      validation: { passed: true, failures: [] },
    });
    expect(nest({ failures: [] })).toEqual({ validation: { failures: [] } });
  });

  test("a group already there wins, in its place, and the old fields are dropped", () => {
    const out = nest({ validation: { passed: true, failures: [] }, checksPassed: false, L: 4 });
    expect(out).toEqual({ validation: { passed: true, failures: [] }, L: 4 });
    expect(Object.keys(out as object)).toEqual(["validation", "L"]);
  });

  test("leaves inputs without any old field, and non-objects, alone; does not change its input", () => {
    const input = { validation: { passed: true }, L: 4 };
    expect(nest(input)).toBe(input);
    for (const v of [null, undefined, 3, [{ checksPassed: true }]]) expect(nest(v)).toBe(v);
    const old = { checksPassed: true, failures: [] };
    nest(old);
    expect(old).toEqual({ checksPassed: true, failures: [] });
  });
});

describe("renameFieldsDeep", () => {
  test("renames at every depth, through arrays, by the same rules", () => {
    const input = {
      accuracy: 1,
      rows: [{ dft: { learned: { accuracy: { bestTest: 0.9 } } } }, 3, null],
      both: { accuracy: 1, accuracies: 2 },
    };
    expect(renameFieldsDeep(input, { accuracy: "accuracies" })).toEqual({
      accuracies: 1,
      rows: [{ dft: { learned: { accuracies: { bestTest: 0.9 } } } }, 3, null],
      both: { accuracies: 2 },
    });
    expect(input.rows[0]).toEqual({ dft: { learned: { accuracy: { bestTest: 0.9 } } } });
  });
});
