// describeAllowed, unwrapOption, optionAt and parseOptions branch by branch: the words for each
// kind of field, the wrappers looked through (and only those), the field a path reaches, and the
// one-line refusal for each kind of issue.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { refusal, refusalMessage } from "../testing/refusal.js";
import { describeAllowed, optionAt, parseOptions, unwrapOption } from "./schema.js";

const unit = () => z.number().min(0).max(1);

describe("describeAllowed", () => {
  it("words each kind of field", () => {
    expect(describeAllowed(z.boolean())).toBe("a switch (no value)");
    expect(describeAllowed(z.string())).toBe("a text");
    expect(describeAllowed(z.object({}))).toBe("a value");
    expect(describeAllowed(z.number())).toBe("a number in [-Infinity, Infinity]");
    expect(describeAllowed(z.number().int().min(-3).max(7))).toBe("an integer in [-3, 7]");
    expect(
      describeAllowed(
        z
          .number()
          .int()
          .min(0)
          .max(2 ** 53 - 2),
      ),
    ).toBe("an integer in [0, 9007199254740990]");
    // an excluded end (gt, lt) is written open, so the range shown never includes a refused value
    expect(describeAllowed(z.number().gt(0).max(1))).toBe("a number in (0, 1]");
    expect(describeAllowed(z.number().min(-1).lt(1))).toBe("a number in [-1, 1)");
    expect(describeAllowed(z.number().positive())).toBe("a number in (0, Infinity]");
    expect(parseOptions(z.object({ lr: z.number().gt(0).max(1) }), { lr: 1 })).toEqual({ lr: 1 });
    expect(refusalMessage(() => parseOptions(z.object({ lr: z.number().gt(0).max(1) }), { lr: 0 }))).toBe(
      "lr: expected a number in (0, 1], got 0",
    );
    expect(describeAllowed(z.union([z.enum(["all", "none"]), z.array(z.number())]))).toBe(
      "all | none or a comma-separated list",
    );
    expect(describeAllowed(z.union([z.array(z.number()), z.enum(["auto"])]))).toBe(
      "auto or a comma-separated list",
    );
    expect(describeAllowed(z.union([z.literal("a").optional(), z.literal(2)]))).toBe("one of a | 2");
    expect(describeAllowed(z.union([z.enum(["x"]), z.number()]))).toBe("a value");
    expect(describeAllowed(z.union([z.number(), z.string()]))).toBe("a value");
    expect(describeAllowed(z.union([z.literal("a"), z.string()]))).toBe("a value");
    expect(describeAllowed(z.array(z.number().min(0).optional()))).toBe(
      "a comma-separated list of numbers in [0, Infinity]",
    );
    // a list names its elements' range and its count, so a flag need not restate them
    expect(describeAllowed(z.array(z.number().int().min(2).max(12)).min(1).max(11))).toBe(
      "a comma-separated list of up to 11 integers in [2, 12]",
    );
    expect(describeAllowed(z.array(z.number().min(0).max(1e6)).length(4))).toBe(
      "a comma-separated list of 4 numbers in [0, 1000000]",
    );
    expect(describeAllowed(z.array(z.number()).min(2).max(5))).toBe(
      "a comma-separated list of 2 to 5 numbers",
    );
    expect(describeAllowed(z.array(z.number().int()).min(3))).toBe(
      "a comma-separated list of at least 3 integers",
    );
    const even = z
      .number()
      .int()
      .min(4)
      .refine((v) => v % 2 === 0, "even");
    expect(describeAllowed(z.array(even))).toBe("a comma-separated list of even integers in [4, 2^53 − 1]");
    expect(describeAllowed(z.array(z.string()))).toBe("a value");
    // the list's own rules follow it
    const distinct = z
      .array(z.number().int().min(2).max(12))
      .max(11)
      .refine((l) => new Set(l).size === l.length, "distinct");
    expect(describeAllowed(distinct)).toBe(
      "a comma-separated list of up to 11 integers in [2, 12], distinct",
    );
    expect(() => parseOptions(z.object({ n: distinct }), { n: [2, 2] })).toThrow(
      "n: expected a comma-separated list of up to 11 integers in [2, 12], distinct, got",
    );
  });

  it("names a number's refinements before its type, and not its messages for min and max", () => {
    const even = (v: number) => v % 2 === 0;
    expect(
      describeAllowed(
        z
          .number()
          .int()
          .min(2)
          .max(8)
          .refine(even, "even")
          .refine((v) => v > 3, "large"),
      ),
    ).toBe("an even, large integer in [2, 8]");
    expect(describeAllowed(unit().refine((v) => v !== 0.5, "non-half"))).toBe("a non-half number in [0, 1]");
    // a rule worded as a noun phrase follows the range (not "an a multiple of 4 integer")
    const fourth = z
      .number()
      .int()
      .min(8)
      .max(256)
      .refine((v) => v % 4 === 0, "a multiple of 4");
    expect(describeAllowed(fourth)).toBe("an integer in [8, 256], a multiple of 4");
    expect(describeAllowed(z.array(fourth))).toBe(
      "a comma-separated list of integers in [8, 256], each a multiple of 4",
    );
    expect(describeAllowed(z.number().min(0, "at least 0").max(1, "at most 1"))).toBe("a number in [0, 1]");
    expect(describeAllowed(z.number().int().min(0, "at least 0").max(9))).toBe("an integer in [0, 9]");
    // A refinement without a message has no words to add.
    expect(describeAllowed(unit().refine((v) => v !== 0.5))).toBe("a number in [0, 1]");
  });

  it("looks through default, prefault, optional, nullable and readonly, and through nothing else", () => {
    for (const s of [
      unit().default(0),
      unit().prefault(0),
      unit().optional(),
      unit().nullable(),
      unit().readonly(),
    ]) {
      expect(describeAllowed(s)).toBe("a number in [0, 1]");
    }
    expect(describeAllowed(unit().optional().nullable().default(null))).toBe("a number in [0, 1]");
    expect(describeAllowed(unit().catch(0))).toBe("a value");
    expect(describeAllowed(unit().transform((v) => 2 * v))).toBe("a value");
  });

  it("takes the meta's allowed words first, from any layer", () => {
    expect(describeAllowed(z.string().meta({ allowed: "a size" }).optional())).toBe("a size");
    expect(describeAllowed(z.string().optional().meta({ allowed: "a path" }))).toBe("a path");
  });
});

describe("unwrapOption", () => {
  it("collects the meta of every layer, the outer layer winning", () => {
    const inner = unit().meta({ flag: "x", description: "inner", rule: "r" });
    const { inner: got, meta } = unwrapOption(
      inner.default(0.5).meta({ description: "outer", defaultText: "half" }),
    );
    expect(got).toBe(inner);
    expect(meta).toEqual({ flag: "x", description: "outer", rule: "r", defaultText: "half" });
    expect(unwrapOption(z.string()).meta).toEqual({});
  });
});

describe("optionAt", () => {
  const x = unit();
  const item = z.number().int();
  const schema = z
    .object({
      nested: z.object({ x }).prefault({ x: 0.5 }),
      list: z.array(item).optional(),
      piped: z.string().transform(Number),
      n: z.number(),
    })
    .strict();

  it("follows object keys and array items through wrappers, and gives null where nothing is", () => {
    expect(optionAt(schema, [])).toBe(schema);
    expect(optionAt(schema, ["nested", "x"])).toBe(x);
    expect(optionAt(schema, ["list", 3])).toBe(item);
    expect(optionAt(schema, ["missing"])).toBeNull();
    expect(optionAt(schema, ["missing", "deeper"])).toBeNull();
    expect(optionAt(schema, ["piped", "x"])).toBeNull();
    expect(optionAt(schema, ["n", "x"])).toBeNull();
  });
});

describe("parseOptions", () => {
  it("names the root for whole-input issues, a given root name, and unknown keys in order", () => {
    const s = z.object({ a: z.number().default(1) }).strict();
    const e = refusal(() => parseOptions(s, { b: 1, c: 2 }, "run"));
    expect(e.message).toBe("run: expected no unknown keys (b, c), got b");
    expect(e.received).toBe("b");
    const notObject = refusal(() => parseOptions(s, 5));
    expect([notObject.field, notObject.received]).toEqual(["options", 5]);
    expect(notObject.allowed).toMatch(/object/);
    expect(parseOptions(s, {})).toEqual({ a: 1 });
  });

  it("gives the received value at the issue's path, undefined through a missing parent", () => {
    const s = z.object({ o: z.object({ x: unit() }), list: z.array(unit()).default([]) });
    expect(refusalMessage(() => parseOptions(s, { o: { x: 3 } }))).toBe(
      "o.x: expected a number in [0, 1], got 3",
    );
    expect(refusalMessage(() => parseOptions(s, { o: { x: 0 }, list: [0, 1, 2] }))).toBe(
      "list.2: expected a number in [0, 1], got 2",
    );
    expect(refusal(() => parseOptions(s, {})).message).toBe("o: expected a value, got undefined");
    // The default {} of `d` is checked: the issue is at d.x while the input has no d at all.
    const d = z.object({ d: z.object({ x: unit() }).prefault({} as { x: number }) });
    expect(refusalMessage(() => parseOptions(d, {}))).toBe("d.x: expected a number in [0, 1], got undefined");
  });

  it("a field's own refinement words the field; a rule from elsewhere gives its own message", () => {
    const even = z
      .number()
      .int()
      .min(0)
      .max(10)
      .refine((v) => v % 2 === 0, "even");
    const s = z
      .object({ n: even, m: z.number().default(0) })
      .refine((o) => o.m <= o.n, { message: "m at most n", path: ["m"] })
      .refine((o) => o.n !== 4, { message: "n is not 4" });
    expect(refusalMessage(() => parseOptions(s, { n: 3 }))).toBe(
      "n: expected an even integer in [0, 10], got 3",
    );
    expect(refusalMessage(() => parseOptions(s, { n: 2, m: 3 }))).toBe("m: expected m at most n, got 3");
    const named = z.object({ name: z.string() }).superRefine((o, ctx) => {
      if (o.name === "x") ctx.addIssue({ code: "custom", path: ["name"], message: "not x", input: o.name });
    });
    expect(refusalMessage(() => parseOptions(named, { name: "x" }))).toBe("name: expected not x, got x");
    const whole = refusal(() => parseOptions(s, { n: 4 }, "cli"));
    expect([whole.field, whole.allowed]).toEqual(["cli", "n is not 4"]);
    expect(whole.received).toEqual({ n: 4 });
  });
});
