// Exit code 3 carries its warning on stderr in every command that returns it, also with --json
// (where stdout holds only the result): runs too small to pass their own checks.
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";
import { failedCheck, verdictLine } from "../failed-check.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const outDir = async () => {
  const d = await mkdtemp(join(tmpdir(), "physml-failed-check-"));
  dirs.push(d);
  return join(d, "run");
};

/** The run failed its checks (the JSON says so), exits 3 and says why on one stderr line. */
function expectWarned(r: { code: number; stdout: string; stderr: string }, reasons: string[]): void {
  expect(r.code).toBe(3);
  expect(r.stdout).not.toMatch(/null|NaN|Infinity/);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^warning: .* FAILED its own checks .*\(exit code 3\)$/);
  for (const why of reasons) expect(lines[0]).toContain(why);
}

describe("exit code 3 with --json: the warning is on stderr", () => {
  it("duality lines on 4 configurations: the failures of result.validation", async () => {
    const r = await run(
      ...["duality", "lines", "--L", "4", "--chains", "2", "--samples", "2", "--warmup", "0"],
      ...["--starts", "1", "--steps", "1", "--landscape-points", "8", "--blocks", "4"],
      ...["--out", await outDir(), "--json", "--quiet"],
    );
    const j = JSON.parse(r.stdout);
    expect(j.validation.passed).toBe(false);
    expect(j.validation.failures.length).toBeGreaterThan(0);
    expectWarned(r, j.validation.failures);
  });

  it("dualrep ising2d without warm-up: the energy check against Kaufman", async () => {
    const r = await run(
      ...["dualrep", "ising2d", "--L", "4", "--temperatures", "1.5", "--samples", "64", "--chains", "2"],
      ...["--warmup", "0", "--epochs", "1", "--out", await outDir(), "--json", "--quiet"],
    );
    const j = JSON.parse(r.stdout);
    expect(j.validation.passed).toBe(false);
    expectWarned(r, j.validation.failures);
  });

  it("inverse line on a 3×3 torus: the nn-only dual off β̃ by more than --kw-tolerance", async () => {
    const r = await run(
      ...["inverse", "line", "--beta", "0.3", "--L", "3", "--samples-count", "64", "--dual-samples", "4"],
      ...["--json", "--quiet"],
    );
    const j = JSON.parse(r.stdout);
    expect(j.kwCheck.passed).toBe(false);
    expectWarned(r, [`${(100 * j.kw.relativeErrorNnOnly).toFixed(2)} %`, "--kw-tolerance"]);
  });

  it("sweep of that dualrep run: the failed point, and the log holding its own warning", async () => {
    const out = await outDir();
    const r = await run(
      ...["sweep", "dualrep", "ising2d", "--L", "4", "--temperatures", "1.5", "--samples", "64"],
      ...["--chains", "2", "--warmup", "0", "--grid", "epochs=1", "--out", out, "--json", "--quiet"],
    );
    const j = JSON.parse(r.stdout);
    expect(j.gridPoints.map((p: { exit: { code: number } }) => p.exit.code)).toEqual([3]);
    const log = join(out, "logs", "point-0.log");
    expectWarned(r, ["the result at 1 of 1 point", `epochs-1 (its warning in ${log})`]);
    expect(readFileSync(log, "utf8")).toMatch(/warning: dualrep ising2d FAILED its own checks/);
  });
});

describe("one wording", () => {
  it("no command returns 3 or words the warning itself: each goes through failedCheck", () => {
    const dir = new URL(".", import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    expect(sources.length).toBeGreaterThan(10);
    for (const f of sources) {
      const text = readFileSync(new URL(f, dir), "utf8");
      expect(text, f).not.toMatch(/return 3;|warning: [^`]*FAILED|[Ee]xit code 3\.|\(exit code 3\)\\n/);
    }
  });
});

describe("physml --help", () => {
  it("lists every exit code the commands return, 3 included", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Exit codes: 0 ok, 1 runtime failure, 2 bad usage, 3 a result that failed its own checks/,
    );
  });
});

describe("verdictLine", () => {
  it("words a passed verdict (with its detail) and a failed one with every failure", () => {
    expect(verdictLine({ passed: true, failures: [] })).toBe("validation: passed");
    expect(verdictLine({ passed: true, failures: [] }, "all conserved")).toBe(
      "validation: passed — all conserved",
    );
    expect(verdictLine({ passed: false, failures: ["a too big", "b not finite"] }, "unused")).toBe(
      "validation: FAILED (a too big; b not finite)",
    );
  });
});

describe("failedCheck", () => {
  it("words a diverged number in the package's reasons as the text output does", () => {
    let stderr = "";
    const code = failedCheck({ stdout: () => {}, stderr: (s) => (stderr += s) }, "the learned connection", [
      `held-out residual ${Number.NaN} (target < 0.01)`,
      `variation ${(Number.POSITIVE_INFINITY).toExponential(2)}`,
    ]);
    expect(code).toBe(3);
    expect(stderr).not.toMatch(/NaN|Infinity/);
    expect(stderr).toContain(
      "held-out residual n/a (not finite) (target < 0.01); variation n/a (not finite)",
    );
  });
});
