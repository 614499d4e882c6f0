// kill -9 at random moments of a run, 20 times: no file is ever torn, every step a checkpoint
// claims has its metrics line, and --resume ends with exactly the numbers of an unkilled run.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeNpy } from "@physml/lattice-core";
import { seededUniform } from "@physml/lattice-core/testing";
import { expect, test } from "vitest";
import { toyRun } from "./fixtures/toy-learner.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const script = join(here, "fixtures", "toy-learner.ts");
// Steps paced at 1 ms in the killed process: 20 kills at most 40 ms after start-up finish at most
// ~800 of the 1000 steps, so every one of the 20 runs is killed, however fast the machine is.
const STEPS = 1000;
const STEP_MS = 1;

/** Starts the toy learner on `dir` and SIGKILLs it `delayMs` after it has opened the run. */
function runAndKill(dir: string, delayMs: number): Promise<"killed" | "finished"> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@physml/source", "--import", "tsx", script, dir, String(STEPS), String(STEP_MS)],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      if (String(d).includes("ready")) setTimeout(() => child.kill("SIGKILL"), delayMs);
    });
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve("killed");
      else if (code === 0) resolve("finished");
      else reject(new Error(`toy learner exited ${code}: ${err}`));
    });
  });
}

/** Every file of the run is whole: JSON parses, .npy decodes, metrics end with a newline. */
function checkWhole(dir: string): { metricsSteps: number[]; checkpointStep: number } {
  const files = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)],
    );
  let checkpointStep = 0;
  for (const f of files(dir)) {
    if (f.includes(".tmp-")) continue; // a temp file of the killed write: removed on the next open
    const text = readFileSync(f, "utf8");
    if (f.endsWith(".json")) {
      const v = JSON.parse(text);
      if (f.includes("checkpoint")) checkpointStep = Math.max(checkpointStep, v.step);
    } else if (f.endsWith(".npy")) decodeNpy(new Uint8Array(readFileSync(f)));
    else if (f.endsWith("metrics.jsonl")) expect(text === "" || text.endsWith("\n"), f).toBe(true);
  }
  const metricsSteps = existsSync(join(dir, "metrics.jsonl"))
    ? readFileSync(join(dir, "metrics.jsonl"), "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l).step as number)
    : [];
  return { metricsSteps, checkpointStep };
}

test("20 kill -9s at random moments: no torn file, no lost step, same numbers as an unkilled run", async () => {
  const ref = join(mkdtempSync(join(tmpdir(), "physml-kill-ref-")), "run");
  const expected = toyRun(ref, { steps: STEPS, seed: 7, checkpointEvery: 7 });
  const dir = join(mkdtempSync(join(tmpdir(), "physml-kill-")), "run");
  // A seeded spread of kill delays: some during start-up, most during the steps.
  const rand = seededUniform(12345);
  let kills = 0;
  for (let k = 0; k < 20; k++) {
    const outcome = await runAndKill(dir, Math.floor(rand() * 40));
    if (outcome === "killed") kills++;
    const { metricsSteps, checkpointStep } = checkWhole(dir);
    // Every step the newest checkpoint claims has its metrics line, in order.
    expect(metricsSteps.slice(0, checkpointStep)).toEqual(
      Array.from({ length: checkpointStep }, (_, i) => i),
    );
    if (outcome === "finished") break;
  }
  expect(kills).toBe(20);
  const got = toyRun(dir, { steps: STEPS, seed: 7, checkpointEvery: 7 });
  expect(got).toEqual(expected);
  const lines = (d: string) => readFileSync(join(d, "metrics.jsonl"), "utf8");
  expect(lines(dir)).toBe(lines(ref));
  expect(readdirSync(dir).filter((n) => n.includes(".tmp-"))).toEqual([]);
}, 120_000);
