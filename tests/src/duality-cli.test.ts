// `physml duality kw|sweep` end to end through the CLI entry: --json prints one result object,
// the run directory holds every artefact, and bad values fail with the field and its range.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dualCoupling } from "@physml/lattice-core";
import { expect, test } from "vitest";
import { runCli } from "../../apps/cli/src/main.ts";

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, sink: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) } };
}

const tiny = ["--L", "6", "--steps", "12", "--explore-steps", "6", "--chains", "16", "--backend", "cpu"];

test("duality kw --json writes a complete run directory", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "physml-cli-")), "kw");
  const o = io();
  const code = await runCli(["duality", "kw", "--beta", "0.3", ...tiny, "--out", dir, "--json"], o.sink);
  expect(code, o.err.join("")).toBe(0);
  expect(o.out).toHaveLength(1);
  const r = JSON.parse(o.out[0]);
  expect(r.exact.dualBeta).toBe(dualCoupling(0.3));
  expect(Number.isFinite(r.t0)).toBe(true);
  for (const f of [
    "config.json",
    "target.json",
    "metrics.jsonl",
    "checkpoint",
    "result.json",
    "report.html",
  ]) {
    expect(existsSync(join(dir, f)), f).toBe(true);
  }
  const lines = readFileSync(join(dir, "metrics.jsonl"), "utf8").trim().split("\n");
  expect(lines).toHaveLength(18);
  expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("<svg");
  // A finished run resumes to the same result.
  const o2 = io();
  expect(await runCli(["duality", "kw", "--out", dir, "--resume", "--json"], o2.sink)).toBe(0);
  expect(JSON.parse(o2.out[0]).t0).toBe(r.t0);
}, 120_000);

test("duality sweep writes one run per β and the t0(β) report", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "physml-cli-")), "sweep");
  const o = io();
  const code = await runCli(
    ["duality", "sweep", "--betas", "0.3,0.7", ...tiny, "--out", dir, "--json"],
    o.sink,
  );
  expect(code, o.err.join("")).toBe(0);
  const r = JSON.parse(o.out[0]);
  expect(r.rows.map((row: { beta: number }) => row.beta)).toEqual([0.3, 0.7]);
  expect(existsSync(join(dir, "beta-0.300", "result.json"))).toBe(true);
  expect(readFileSync(join(dir, "report.html"), "utf8").match(/aria-roledescription="point"/g)).toHaveLength(
    2,
  );
}, 120_000);

test.each([
  [["duality", "kw", "--beta", "7"], /--beta: expected a number in \[0.01, 3\]/],
  [["duality", "kw", "--L", "7"], /--L: expected an even integer in \[4, 512\], got "7"/],
  [["duality", "kw", "--mode", "fast"], /--mode: expected one of exact \| gumbel, got "fast"/],
  [["duality", "sweep", "--betas", "0.8:0.1:0.1"], /--betas: expected/],
])("bad input %j exits 2 naming the field", async (argv, message) => {
  const o = io();
  expect(await runCli(argv, o.sink)).toBe(2);
  expect(o.err.join("")).toMatch(message);
});
