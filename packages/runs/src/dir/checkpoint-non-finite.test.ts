// Checkpoints (and a run's state files) keep NaN and ±Infinity, which plain JSON writes as null:
// a learner whose state holds a diverged loss must resume from it.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { NON_FINITE_KEY, stateToJson } from "../fs/state-json.js";
import { CheckpointStore } from "./checkpoint.js";
import { openRun } from "./run.js";

const tmp = () => mkdtempSync(join(tmpdir(), "physml-runs-nonfinite-"));
const keep = (s: unknown) => s;
const noWarn = (m: string) => {
  throw new Error(`unexpected warning: ${m}`);
};

/** Every number of `v` at any depth with its path, in order. */
function numbers(v: unknown, path = "state"): [string, number][] {
  if (typeof v === "number") return [[path, v]];
  if (typeof v !== "object" || v === null) return [];
  return Object.entries(v).flatMap(([k, x]) => numbers(x, `${path}.${k}`));
}

const diverged = () => ({
  history: [
    { step: 0, loss: 0.5 },
    { step: 1, loss: Number.NaN },
    { step: 2, loss: Number.POSITIVE_INFINITY },
  ],
  attempts: [[1, Number.NEGATIVE_INFINITY, -0], [Number.NaN], []],
  best: { loss: Number.POSITIVE_INFINITY, nested: { deeper: [Number.NEGATIVE_INFINITY, 5e-324] } },
  tiny: Number.MIN_VALUE,
  big: Number.MAX_VALUE,
  minusZero: -0,
  label: "NaN",
  none: null,
});

describe("non-finite numbers in checkpoints", () => {
  test("NaN, Infinity and -Infinity at any depth load back as the same numbers (Object.is), not null", () => {
    const store = new CheckpointStore(join(tmp(), "checkpoint"));
    const state = diverged();
    store.save(3, state, 1.5);
    const loaded = store.load(keep, noWarn);
    expect(loaded?.step).toBe(3);
    expect(loaded?.seconds).toBe(1.5);
    // -0 is finite: it reads back as JSON writes it, 0
    const want = numbers(state).map(([p, x]): [string, number] => [p, Object.is(x, -0) ? 0 : x]);
    const got = numbers(loaded?.state);
    expect(got.map(([p]) => p)).toEqual(want.map(([p]) => p));
    for (const [i, [path, x]] of want.entries())
      expect([path, Object.is(got[i][1], x)]).toEqual([path, true]);
    // on disk: one tag per non-finite number and the state's only null is its own
    const text = readFileSync(join(store.dir, "step-00000003.json"), "utf8");
    expect(text.match(/null/g)).toEqual(["null"]);
    expect(text.match(new RegExp(`\\{"\\${NON_FINITE_KEY}":"(NaN|-?Infinity)"\\}`, "g"))).toHaveLength(6);
  });

  test("a checkpoint written as plain JSON (before non-finite numbers were kept) loads unchanged", () => {
    const store = new CheckpointStore(join(tmp(), "checkpoint"));
    const text =
      '{"step":7,"seconds":2,"state":{"loss":[0.25,null,-0,1e300],"name":"Infinity","x":{"NaN":-1.5}}}';
    writeFileSync(join(store.dir, "step-00000007.json"), text);
    const state = store.load(keep, noWarn)?.state as { loss: number[] };
    expect(state).toStrictEqual(JSON.parse(text).state);
    expect(Object.is(state.loss[2], -0)).toBe(true);
  });

  test("a state without non-finite numbers is written exactly as plain JSON writes it", () => {
    const store = new CheckpointStore(join(tmp(), "checkpoint"));
    const { state } = JSON.parse(
      '{"state":{"loss":[0.25,null,-0,1e300],"name":"Infinity","x":{"NaN":-1.5}}}',
    );
    store.save(1, state, 0);
    expect(readFileSync(join(store.dir, "step-00000001.json"), "utf8")).toBe(
      JSON.stringify({ step: 1, seconds: 0, state }),
    );
  });

  test("an object that merely looks like a tag (other keys, or not a tag's text) is left alone", () => {
    const store = new CheckpointStore(join(tmp(), "checkpoint"));
    const state = {
      a: { [NON_FINITE_KEY]: "NaN", other: 1 },
      b: [{ [NON_FINITE_KEY]: "Infinity", loss: Number.NaN }],
      c: { nonFinite: "NaN" },
    };
    store.save(1, state, 0);
    const loaded = store.load(keep, noWarn)?.state as typeof state;
    expect(loaded.a).toStrictEqual({ [NON_FINITE_KEY]: "NaN", other: 1 });
    expect(loaded.b[0][NON_FINITE_KEY]).toBe("Infinity");
    expect(loaded.b[0].loss).toBeNaN();
    expect(loaded.c).toStrictEqual({ nonFinite: "NaN" });
    // a file holding a tag-shaped object whose text names no number reads it as it is
    writeFileSync(
      join(store.dir, "step-00000002.json"),
      `{"step":2,"state":{"x":{"${NON_FINITE_KEY}":"nan"}}}`,
    );
    expect(store.load(keep, noWarn)?.state).toStrictEqual({ x: { [NON_FINITE_KEY]: "nan" } });
  });

  test("a state holding an object whose only key is the reserved one is refused, naming where", () => {
    const store = new CheckpointStore(join(tmp(), "checkpoint"));
    const save = () => store.save(1, { runs: [{ x: { [NON_FINITE_KEY]: "NaN" } }] }, 0);
    expect(save).toThrow(PhysmlInputError);
    expect(save).toThrow(
      /^state\.runs\.0\.x: expected an object other than one whose only key is \$nonFinite/,
    );
    expect(store.steps()).toEqual([]);
  });

  test("values JSON converts itself (toJSON, boxed numbers, Float64Array) keep their non-finite numbers too", () => {
    const when = new Date(0);
    const state = {
      when,
      custom: { toJSON: () => ({ loss: Number.NaN }) },
      boxed: Object(Number.NEGATIVE_INFINITY) as number,
      typed: Float64Array.of(1, Number.POSITIVE_INFINITY),
    };
    const back = JSON.parse(stateToJson(state)) as Record<string, unknown>;
    expect(back.when).toBe(when.toJSON());
    expect(back.custom).toEqual({ loss: { [NON_FINITE_KEY]: "NaN" } });
    expect(back.boxed).toEqual({ [NON_FINITE_KEY]: "-Infinity" });
    expect(back.typed).toEqual({ 0: 1, 1: { [NON_FINITE_KEY]: "Infinity" } });
  });

  test("a resumed run's validator sees the NaN its last checkpoint held; writeState/readState keep them too", () => {
    const dir = tmp();
    const resolve = (i: unknown) => i as object;
    const opts = {
      dir,
      kind: "toy",
      input: {},
      resolve,
      provenance: { package: "t", version: "0", git: null },
    };
    const run = openRun(opts);
    run.saveCheckpoint(1, { history: [{ loss: Number.NaN }] });
    run.writeState("attempt-0.json", { chi2: Number.POSITIVE_INFINITY, loss: [Number.NaN, 1] });
    run.close();
    const again = openRun({ ...opts, mode: "resume" });
    const validate = (s: unknown) => {
      const loss = (s as { history: { loss: unknown }[] }).history[0].loss;
      if (typeof loss !== "number")
        throw new Error(`history.0.loss is ${JSON.stringify(loss)}, not a number`);
      return loss;
    };
    expect(again.loadCheckpoint(validate)?.state).toBeNaN();
    expect(again.readState("attempt-0.json")).toEqual({
      chi2: Number.POSITIVE_INFINITY,
      loss: [Number.NaN, 1],
    });
    again.close();
  });
});
