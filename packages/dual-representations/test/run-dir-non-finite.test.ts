// A result holding a non-finite number (a fit that diverged) is stored in result.json as its
// text, never as null, and a finished run's --resume reads it back as the number a new run returns.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inRunDir } from "../src/run/run-dir.js";

const resolve = (input: unknown) => input as { tag: string };

describe("inRunDir with a non-finite number in the result", () => {
  it("stores its text (no null) and a resume returns the number, as the new run did", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "physml-dualrep-nonfinite-")), "run");
    const computed = {
      seconds: 0.25,
      chi2PerDof: Number.NaN,
      fit: { slope: Number.NEGATIVE_INFINITY, pulls: [1, Number.POSITIVE_INFINITY] },
    };
    const run = (resume: boolean) =>
      inRunDir(
        "dualrep-test",
        { tag: "a" },
        resolve,
        { out, resume },
        () => computed,
        async () => "<html></html>",
      );
    const first = await run(false);
    const stored = await readFile(join(out, "result.json"), "utf8");
    expect(stored).not.toMatch(/null/);
    expect(JSON.parse(stored)).toEqual({
      seconds: 0.25,
      chi2PerDof: "NaN",
      fit: { slope: "-Infinity", pulls: [1, "Infinity"] },
      out,
    });
    const again = await run(true);
    expect(again).toEqual(first);
    expect(again.chi2PerDof).toBeNaN();
  });
});
