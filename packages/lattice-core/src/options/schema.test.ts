// Option schemas: parseOptions names the field and its range, describeAllowed words a field's
// allowed values, and the exact-result schemas accept exactly what the functions accept.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PhysmlInputError } from "../errors.js";
import { dualCoupling } from "../exact/duality.js";
import { enumerate } from "../exact/enumerate.js";
import { kaufman } from "../exact/kaufman.js";
import { squareLattice } from "../lattice/square.js";
import { couplings } from "../operator/couplings.js";
import { refusal } from "../testing/refusal.js";
import { dualOptionsSchema, exactEnergyOptionsSchema, exactEnumerateOptionsSchema } from "./exact.js";
import { describeAllowed, optionAt, parseOptions } from "./schema.js";

describe("describeAllowed", () => {
  it("words numbers, integers with rules, enums, literals, lists and meta overrides", () => {
    expect(describeAllowed(z.number().min(0).max(50))).toBe("a number in [0, 50]");
    expect(
      describeAllowed(
        z
          .number()
          .int()
          .min(0)
          .max(2 ** 53 - 1)
          .default(1),
      ),
    ).toBe("an integer in [0, 2^53 − 1]");
    expect(
      describeAllowed(
        z
          .number()
          .int()
          .min(4)
          .max(512)
          .refine((v) => v % 2 === 0, "even")
          .optional(),
      ),
    ).toBe("an even integer in [4, 512]");
    expect(describeAllowed(z.enum(["cold", "hot"]))).toBe("one of cold | hot");
    expect(describeAllowed(z.union([z.literal(1), z.literal(2)]))).toBe("one of 1 | 2");
    expect(describeAllowed(z.array(z.number()))).toBe("a comma-separated list of numbers");
    expect(describeAllowed(z.string().meta({ allowed: "a size such as 4G" }))).toBe("a size such as 4G");
  });
});

describe("parseOptions", () => {
  const schema = z
    .object({
      n: z.number().int().min(1).max(10).default(3),
      kind: z.enum(["a", "b"]).optional(),
      nested: z.object({ x: z.number().min(0).max(1).default(0.5) }).prefault({}),
    })
    .strict()
    .superRefine((o, ctx) => {
      if (o.kind === "b" && o.n > 5)
        ctx.addIssue({ code: "custom", path: ["n"], message: "at most 5 with kind b", input: o.n });
    });

  it("fills defaults and names the bad field (dotted path) with its range or the rule's words", () => {
    expect(parseOptions(schema, {})).toEqual({ n: 3, nested: { x: 0.5 } });
    let e = refusal(() => parseOptions(schema, { n: 11 }));
    expect([e.field, e.allowed, e.received]).toEqual(["n", "an integer in [1, 10]", 11]);
    e = refusal(() => parseOptions(schema, { nested: { x: 2 } }));
    expect([e.field, e.allowed, e.received]).toEqual(["nested.x", "a number in [0, 1]", 2]);
    e = refusal(() => parseOptions(schema, { kind: "b", n: 7 }));
    expect([e.field, e.allowed]).toEqual(["n", "at most 5 with kind b"]);
    e = refusal(() => parseOptions(schema, { m: 1 }));
    expect(e.allowed).toBe("no unknown keys (m)");
    expect(optionAt(schema, ["nested", "x"])).not.toBeNull();
  });
});

describe("the exact-result schemas have the functions' ranges", () => {
  it("exact energy: accepted at the edges by both, refused just outside by both", () => {
    expect(() => kaufman(2, 2, 50)).not.toThrow();
    expect(parseOptions(exactEnergyOptionsSchema, { L: 2, beta: 50 })).toEqual({ L: 2, beta: 50 });
    for (const [L, beta] of [
      [1, 0.3],
      [4, 50.001],
      [4, -0.001],
      [32769, 0.3],
    ]) {
      expect(() => kaufman(L, L, beta)).toThrow(PhysmlInputError);
      expect(() => parseOptions(exactEnergyOptionsSchema, { L, beta })).toThrow(PhysmlInputError);
    }
  });

  it("enumerate and dual likewise", () => {
    const c = 1e250;
    expect(() => enumerate(squareLattice(2, 2), couplings({ nn: c }))).not.toThrow();
    expect(parseOptions(exactEnumerateOptionsSchema, { L: 2, beta: c }).beta).toBe(c);
    expect(() => enumerate(squareLattice(2, 2), couplings({ nn: 2 * c }))).toThrow(PhysmlInputError);
    expect(() => parseOptions(exactEnumerateOptionsSchema, { L: 2, beta: 2 * c })).toThrow(PhysmlInputError);
    // Inside the dual range β̃ and sinh 2β̃ are normal doubles (the range's reason); outside, refused.
    for (const beta of [350, 1e-300]) {
      const s = Math.sinh(2 * dualCoupling(beta));
      expect(Number.isFinite(s) && s >= 2.2250738585072014e-308).toBe(true);
      expect(parseOptions(dualOptionsSchema, { beta }).beta).toBe(beta);
    }
    expect(Math.sinh(2 * dualCoupling(360))).toBeLessThan(2.2250738585072014e-308);
    expect(() => parseOptions(dualOptionsSchema, { beta: 351 })).toThrow(PhysmlInputError);
    expect(() => parseOptions(dualOptionsSchema, { beta: 0 })).toThrow(PhysmlInputError);
  });
});
