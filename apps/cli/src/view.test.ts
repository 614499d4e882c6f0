// `physml view` as a user starts it: a process serving one runs directory on 127.0.0.1 until
// SIGTERM; bad arguments are one line and exit 2.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRun } from "@physml/runs";
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
    const run = openRun({
      dir: join(root, "kw"),
      kind: "duality-kw",
      input: { beta: 0.3, L: 8 },
      resolve: (i) => i as object,
      provenance: { package: "@physml/duality-learner", version: "0.1.0", git: null },
    });
    run.appendMetric({ step: 0, loss: 0.5 });
    run.close();
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
    expect(list.runs).toMatchObject([{ dir: "kw", metricsLines: 1 }]);
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
