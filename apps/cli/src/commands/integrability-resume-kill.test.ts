// `physml integrability lax` killed (SIGKILL) in a child process mid-training, then --resume.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";

const fresh = async () => join(await mkdtemp(join(tmpdir(), "physml-lax-kill-")), "run");
const text = (dir: string, file: string) => readFile(join(dir, file), "utf8");
const withoutOut = <T extends { out: string }>({ out: _, ...rest }: T) => rest;
const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "main.ts");
const LAX = ["integrability", "lax", "--system", "ho", "--steps", "400", "--lbfgs", "20", "--samples", "32"];

/** Starts the CLI in a child process and SIGKILLs it once its first checkpoint is on disk. */
function killAfterFirstCheckpoint(out: string): Promise<{ finished: boolean; checkpoints: string[] }> {
  const child = spawn(
    process.execPath,
    ["--conditions=@physml/source", "--import", "tsx", CLI, ...LAX, "--out", out, "--quiet"],
    {
      stdio: "ignore",
    },
  );
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const dir = join(out, "checkpoint");
      // a checkpoint counts once renamed into place: the atomic write's temp file (".step-….tmp-…")
      // sits in the same directory while it is written, and a kill then leaves nothing to resume
      if (!existsSync(dir) || !readdirSync(dir).some((f) => /^step-\d+\.json$/.test(f))) return;
      clearInterval(poll);
      const finished = existsSync(join(out, "result.json"));
      child.kill("SIGKILL");
      child.on("exit", () => resolve({ finished, checkpoints: readdirSync(dir) }));
    }, 20);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(poll);
      if (code !== null) reject(new Error(`the run ended by itself (exit ${code}) before it was killed`));
    });
  });
}

describe("physml integrability lax killed mid-training", () => {
  it("--resume after a SIGKILL ends as the uninterrupted run", async () => {
    const out = await fresh();
    const killed = await killAfterFirstCheckpoint(out);
    expect(killed.finished).toBe(false);
    expect(killed.checkpoints.length).toBeGreaterThan(0);
    const resumed = await run("integrability", "lax", "--out", out, "--resume", "--json");
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/removing the stale lock of pid \d+/);
    expect(resumed.stderr).toMatch(
      /resuming from checkpoint\/step-\d+\.json: model 1 of the ladder \(hidden \[\]\), Adam step \d+/,
    );

    const whole = await fresh();
    const ref = await run(...LAX, "--out", whole, "--json", "--quiet");
    expect(ref.code).toBe(0);
    expect(withoutOut(JSON.parse(resumed.stdout))).toEqual(withoutOut(JSON.parse(ref.stdout)));
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
  }, 60_000);
});
