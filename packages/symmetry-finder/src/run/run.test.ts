import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import { RunExistsError } from "@physml/runs";
import { afterAll, describe, expect, it } from "vitest";
import { inSymmetryRun } from "./run.js";

const root = await mkdtemp(join(tmpdir(), "symmetry-run-"));
afterAll(() => rm(root, { recursive: true, force: true }));

interface Cfg {
  n: number;
  seed: number;
}
const resolve = (i: unknown): Cfg => {
  const c = { n: 3, seed: 1, ...(i as object) } as Cfg;
  if (!Number.isInteger(c.n) || c.n < 1) throw new PhysmlInputError("n", "an integer ≥ 1", c.n);
  return c;
};
// a body that counts its calls and writes what a symmetry command writes
let calls = 0;
const body = async (
  c: Cfg,
  run: Parameters<Parameters<typeof inSymmetryRun<Cfg, { sum: number }>>[4]>[1],
) => {
  calls++;
  for (let step = 0; step < c.n; step++) run.appendMetric({ step, loss: 1 / (step + 1) });
  run.writeArray(
    "squares",
    Float64Array.from({ length: c.n }, (_, i) => i * i),
    [c.n],
  );
  return { result: { sum: (c.n * (c.n - 1)) / 2 }, report: "<html></html>" };
};

describe("inSymmetryRun (@physml/runs' openRun)", () => {
  it("writes config with provenance, metrics, arrays, report and result; refuses a second run; resume returns it unrun", async () => {
    const out = join(root, "a");
    const r = await inSymmetryRun("symmetry-test", { n: 4 }, resolve, { out }, body);
    expect(r).toEqual({ result: { sum: 6, out }, resumed: false });
    const cfg = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    expect(cfg.kind).toBe("symmetry-test");
    expect(cfg.package).toBe("@physml/symmetry-finder");
    expect(cfg.config).toEqual({ n: 4, seed: 1 });
    expect(readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").length).toBe(4);
    expect(existsSync(join(out, "arrays", "squares.npy"))).toBe(true);
    expect(existsSync(join(out, "report.html"))).toBe(true);
    expect(existsSync(join(out, "run.lock"))).toBe(false);
    await expect(inSymmetryRun("symmetry-test", { n: 4 }, resolve, { out }, body)).rejects.toThrow(
      RunExistsError,
    );
    const before = calls;
    expect(await inSymmetryRun("symmetry-test", {}, resolve, { out, resume: true }, body)).toEqual({
      ...r,
      resumed: true,
    });
    expect(calls).toBe(before);
    // resume with a different value is refused, naming the field
    await expect(
      inSymmetryRun("symmetry-test", { n: 5 }, resolve, { out, resume: true }, body),
    ).rejects.toThrow(/n 4 → 5/);
  });

  it("force archives the old run; an invalid config or a failing body leaves nothing behind", async () => {
    const out = join(root, "b");
    await inSymmetryRun("symmetry-test", { n: 2 }, resolve, { out }, body);
    const r = await inSymmetryRun("symmetry-test", { n: 3 }, resolve, { out, force: true }, body);
    expect(r.result.sum).toBe(3);
    expect(readdirSync(root).some((d) => d.startsWith("b.archived-"))).toBe(true);
    const bad = join(root, "c");
    await expect(inSymmetryRun("symmetry-test", { n: 0 }, resolve, { out: bad }, body)).rejects.toThrow(
      /^n:/,
    );
    expect(existsSync(bad)).toBe(false);
    const failing = async (): Promise<{ result: { sum: number }; report: string }> => {
      throw new PhysmlInputError("perClass", "a run that fits", 1e9);
    };
    await expect(inSymmetryRun("symmetry-test", {}, resolve, { out: bad }, failing)).rejects.toThrow(
      /perClass/,
    );
    expect(existsSync(bad)).toBe(false);
    await expect(
      inSymmetryRun("symmetry-test", {}, resolve, { out: bad, force: true, resume: true }, body),
    ).rejects.toThrow(/force/);
  });
});
