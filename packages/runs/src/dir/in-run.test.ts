import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import { afterAll, describe, expect, it } from "vitest";
import { RunExistsError } from "../errors.js";
import { inRun } from "./in-run.js";
import { provenanceOf } from "./provenance.js";

const root = await mkdtemp(join(tmpdir(), "in-run-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const provenance = provenanceOf(import.meta.url);
const resolve = (i: unknown): { n: number } => {
  const c = { n: 2, ...(i as object) } as { n: number };
  if (!Number.isInteger(c.n) || c.n < 1) throw new PhysmlInputError("n", "an integer ≥ 1", c.n);
  return c;
};

describe("inRun", () => {
  it("runs once, stores non-finite numbers as text, returns the stored result on resume and refuses a second run", async () => {
    const out = join(root, "a");
    let calls = 0;
    const body = async (c: { n: number }) => {
      calls++;
      return { result: { n: c.n, ratio: c.n / 0, bad: [Number.NaN, 1] }, report: "<html></html>" };
    };
    const first = await inRun("in-run-test", provenance, { n: 3 }, resolve, { out }, body);
    expect(first).toEqual({ result: { n: 3, ratio: "Infinity", bad: ["NaN", 1], out }, resumed: false });
    expect(JSON.parse(readFileSync(join(out, "result.json"), "utf8"))).toEqual(first.result);
    expect(existsSync(join(out, "report.html"))).toBe(true);
    const again = await inRun("in-run-test", provenance, {}, resolve, { out, resume: true }, body);
    expect(again).toEqual({ result: first.result, resumed: true });
    expect(calls).toBe(1);
    await expect(inRun("in-run-test", provenance, { n: 3 }, resolve, { out }, body)).rejects.toThrow(
      RunExistsError,
    );
    await expect(
      inRun("in-run-test", provenance, {}, resolve, { out, resume: true, force: true }, body),
    ).rejects.toThrow(/^force/);
  });

  it("a body that throws leaves no finished run", async () => {
    const out = join(root, "b");
    const boom = async (): Promise<{ result: object; report: string }> => {
      throw new Error("boom");
    };
    await expect(inRun("in-run-test", provenance, {}, resolve, { out }, boom)).rejects.toThrow("boom");
    expect(existsSync(join(out, "result.json"))).toBe(false);
  });
});
