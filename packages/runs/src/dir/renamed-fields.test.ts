import { describe, expect, test } from "vitest";
import { renameFields, renameFieldsDeep } from "./renamed-fields.js";

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
