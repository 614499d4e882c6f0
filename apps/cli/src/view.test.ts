// `physml view` as a user starts it: a process serving one runs directory on 127.0.0.1 until
// SIGTERM; bad arguments are one line and exit 2.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRun, type RunSummary } from "@physml/runs";
import { afterAll, describe, expect, test } from "vitest";
import { runCli } from "./main.js";

const main = join(import.meta.dirname, "main.ts");
const root = mkdtempSync(join(tmpdir(), "physml-view-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe("physml view", () => {
  test("serves the runs of a directory until SIGTERM", async () => {
    /** A run directory of `kind` whose config.json stores `input` as given (no schema applied). */
    const stored = (dir: string, kind: string, input: object, pkg: string) =>
      openRun({
        dir: join(root, dir),
        kind,
        input,
        resolve: (i) => i as object,
        provenance: { package: pkg, version: "0.1.0", git: null },
      });
    const run = stored("kw", "duality-kw", { beta: 0.3, L: 8 }, "@physml/duality-learner");
    run.appendMetric({ step: 0, loss: 0.5 });
    run.close();
    const oldKw = stored("old-kw", "duality-kw", { beta: 0.3, L: 8 }, "@physml/duality-learner");
    oldKw.writeResult({ t0: 0.6, validation: { reasons: ["x"], limits: { maxPull: 10 } } });
    oldKw.close();
    // An scnn configuration as stored before restarts, frame and transform existed.
    stored("old-scnn", "integrability-scnn", { steps: 10 }, "@physml/integrability").close();
    const child = spawn(
      process.execPath,
      ["--conditions=@physml/source", "--import", "tsx", main, "view", root, "--json"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const line = await new Promise<string>((ok, fail) => {
      let out = "";
      child.stdout.on("data", (c) => {
        out += c;
        if (out.includes("\n")) ok(out.split("\n")[0]);
      });
      child.on("exit", (code) => fail(new Error(`exited ${code} before printing its URL`)));
    });
    const { url, port } = JSON.parse(line) as { url: string; port: number };
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    const list = (await (await fetch(`${url}api/runs`)).json()) as {
      runs: { dir: string; metricsLines: number }[];
    };
    expect(list.runs).toMatchObject([{ dir: "kw", metricsLines: 1 }, { dir: "old-kw" }, { dir: "old-scnn" }]);
    // Runs written before fields were renamed or added read as `physml runs show` reads them.
    const detail = async (run: string) =>
      ((await (await fetch(`${url}api/run?run=${run}`)).json()) as { summary: RunSummary }).summary;
    const kw = await detail("old-kw");
    expect(kw.result).toEqual({ t0: 0.6, validation: { failures: ["x"], targets: { maxPull: 10 } } });
    const scnn = await detail("old-scnn");
    expect(scnn.config).toMatchObject({ steps: 10, restarts: 0, frame: "bodies", transform: "general" });
    const exit = new Promise<number | null>((ok) => child.on("exit", ok));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });

  test("a missing directory, a bad or a taken port: one line, exit 2", async () => {
    const missing = await cli("view", join(root, "nope"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/<runs-dir>: expected an existing directory/);
    const bad = await cli("view", root, "--port", "70000");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port: expected an integer in \[0, 65535\]/);
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(0, "127.0.0.1", ok));
    const taken = (blocker.address() as { port: number }).port;
    const busy = await cli("view", root, "--port", String(taken));
    blocker.close();
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(/--port: expected a free port .* \(in use\)/);
  });
});
