import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeNpy, parseOptions } from "@physml/lattice-core";
import {
  CheckpointKill,
  killedAtCheckpoint,
  setCheckpointSeconds,
  timelessCheckpoint,
} from "@physml/runs/testing";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { runSimulation } from "../data/catalogue.js";
import { simulateOptionsSchema } from "../options.js";
import { inIntegrabilityRun } from "./run.js";
import { simulateInRun } from "./simulate-run.js";

// Small runs that checkpoint after every unit (checkpointSeconds 0): 10 steps of an ODE system (a
// snapshot after each), 10 snapshot intervals of a field, so 9 checkpoints and the finished one.
/** Options as given (`{}` resumes the stored run). */
type Input = Partial<z.input<typeof simulateOptionsSchema>>;

const CASES: [string, Input][] = [
  ["toda (Yoshida)", { system: "toda", trajectories: 3, time: 0.2, seed: 5 }],
  [
    "ho2d + h1 (midpoint)",
    {
      system: "ho2d",
      perturbation: { kind: "h1", epsilon: 0.3 },
      integrator: "midpoint",
      trajectories: 4,
      time: 0.2,
    },
  ],
  ["two-body", { system: "two-body", trajectories: 2, time: 0.1, seed: 1 }],
  ["kdv", { system: "kdv", time: 0.025 }],
  ["sine-gordon", { system: "sine-gordon", time: 0.1 }],
  ["heisenberg", { system: "heisenberg", time: 0.01 }],
];

/** `physml integrability simulate`'s run: the same body the command runs, checkpointing as told. */
function simulateRun(
  out: string,
  input: Input,
  opts: {
    resume?: boolean;
    checkpointSeconds?: number;
    progress?: (done: number) => void;
    log?: string[];
  } = {},
) {
  return inIntegrabilityRun(
    "integrability-simulate",
    input,
    (i) => parseOptions(simulateOptionsSchema, i),
    { out, resume: opts.resume ?? false, log: (m) => opts.log?.push(m) },
    (o, run) =>
      simulateInRun(o, run, {
        checkpointSeconds: opts.checkpointSeconds ?? 0,
        ...(opts.progress ? { progress: (done: number) => opts.progress?.(done) } : {}),
        log: (m) => opts.log?.push(m),
      }),
  );
}

const fresh = () => mkdtempSync(join(tmpdir(), "simulate-resume-"));
const bytes = (dir: string, file: string) => readFileSync(join(dir, file));
const withoutTimes = ({ seconds: _s, out: _o, ...rest }: { seconds: number; out: string }) => rest;
const checkpoints = (dir: string) => readdirSync(join(dir, "checkpoint")).sort();

/** The files a resumed run must share byte for byte with the uninterrupted one. */
function expectSameRun(resumed: string, whole: string): void {
  const arrays = readdirSync(join(whole, "arrays")).sort();
  expect(readdirSync(join(resumed, "arrays")).sort()).toEqual(arrays);
  for (const a of arrays)
    expect(bytes(resumed, join("arrays", a)).equals(bytes(whole, join("arrays", a))), a).toBe(true);
  expect(bytes(resumed, "report.html").equals(bytes(whole, "report.html"))).toBe(true);
  const result = (dir: string) => withoutTimes(JSON.parse(bytes(dir, "result.json").toString()));
  expect(JSON.stringify(result(resumed))).toBe(JSON.stringify(result(whole)));
  // the same last two checkpoints (the finished one and the one before it), no snapshot file left
  expect(checkpoints(resumed)).toEqual(checkpoints(whole));
  for (const f of checkpoints(whole))
    expect(timelessCheckpoint(join(resumed, "checkpoint", f))).toEqual(
      timelessCheckpoint(join(whole, "checkpoint", f)),
    );
  expect(checkpoints(whole).some((f) => f.startsWith("snapshots-"))).toBe(false);
}

describe("integrability simulate in a run directory, killed and resumed", () => {
  it.each(CASES)(
    "%s: killed as it writes checkpoint 5, resumed: no step integrated again, the uninterrupted run's bytes",
    async (_, input) => {
      const dir = fresh();
      const whole = join(dir, "whole");
      const wholeDone: number[] = [];
      const w = await simulateRun(whole, input, { progress: (d) => wholeDone.push(d) });
      // checkpointing after every unit leaves the numbers those of the in-memory simulation
      const plain = runSimulation(parseOptions(simulateOptionsSchema, input));
      for (const a of plain.arrays) {
        const stored = decodeNpy(bytes(whole, join("arrays", `${a.name}.npy`)));
        expect(stored.shape, a.name).toEqual(a.shape);
        expect(
          Buffer.from((stored.data as Float64Array).buffer).equals(Buffer.from(a.data.buffer)),
          a.name,
        ).toBe(true);
      }
      expect(w.result.steps).toBe(plain.steps);
      expect(w.result.drift).toEqual(plain.drift);

      const out = join(dir, "killed");
      const killedDone: number[] = [];
      await expect(
        killedAtCheckpoint(4, () => simulateRun(out, input, { progress: (d) => killedDone.push(d) })),
      ).rejects.toThrow(CheckpointKill);
      // the newest two of four checkpoints on disk; the fifth's snapshot file was written before the kill
      expect(checkpoints(out).filter((f) => f.startsWith("step-"))).toEqual([
        "step-00000003.json",
        "step-00000004.json",
      ]);
      expect(existsSync(join(out, "checkpoint", "snapshots-5-6.npy"))).toBe(true);
      expect(killedDone).toEqual(wholeDone.slice(0, 5));

      const log: string[] = [];
      const resumedDone: number[] = [];
      const r = await simulateRun(out, {}, { resume: true, progress: (d) => resumedDone.push(d), log });
      expect(log).toEqual(["resuming from checkpoint/step-00000004.json: step 4 of 10"]);
      // the resumed attempt integrates from snapshot 5 on: the 4 intervals before the checkpoint are not redone
      // (the 5th, integrated after it, is)
      expect(resumedDone).toEqual(wholeDone.slice(4));
      expect(withoutTimes(r.result)).toEqual(withoutTimes(w.result));
      expectSameRun(out, whole);
    },
  );

  it("a run stopped before its first checkpoint starts over, and says so; one killed at the finished checkpoint resumes from the one before", async () => {
    const input = CASES[0][1];
    const dir = fresh();
    const whole = join(dir, "whole");
    await simulateRun(whole, input);

    // a run killed before its first checkpoint (here: one too short to take one, its result removed)
    const early = join(dir, "early");
    await simulateRun(early, input, { checkpointSeconds: 30 });
    for (const f of ["result.json", "report.html"]) rmSync(join(early, f));
    const log: string[] = [];
    const done: number[] = [];
    await simulateRun(early, {}, { resume: true, log, progress: (d) => done.push(d) });
    expect(log).toEqual([
      "resuming: the run stopped before its first checkpoint, so it starts from the beginning",
    ]);
    expect(done).toHaveLength(10);
    for (const a of readdirSync(join(whole, "arrays")))
      expect(bytes(early, join("arrays", a)).equals(bytes(whole, join("arrays", a))), a).toBe(true);
    expect(bytes(early, "report.html").equals(bytes(whole, "report.html"))).toBe(true);

    // 9 checkpoints during the 10 steps, the 10th says the arrays are written: killed as it is written
    const late = join(dir, "late");
    await expect(killedAtCheckpoint(9, () => simulateRun(late, input))).rejects.toThrow(CheckpointKill);
    const lateDone: number[] = [];
    await simulateRun(late, {}, { resume: true, progress: (d) => lateDone.push(d) });
    expect(lateDone).toEqual([10 * 3]);
    expectSameRun(late, whole);
  });

  it("killed after its finished checkpoint, before result.json: resumed without integrating, snapshot files removed", async () => {
    const input = CASES[3][1];
    const dir = fresh();
    const whole = join(dir, "whole");
    await simulateRun(whole, input);
    // what a kill leaves between the finished checkpoint and result.json, with a snapshot file not yet removed
    const out = join(dir, "killed");
    await simulateRun(out, input);
    for (const f of ["result.json", "report.html"]) rmSync(join(out, f));
    writeFileSync(join(out, "checkpoint", "snapshots-0-3.npy"), "left over");
    const log: string[] = [];
    const done: number[] = [];
    await simulateRun(out, {}, { resume: true, log, progress: (d) => done.push(d) });
    expect(done).toEqual([]);
    expect(log[0]).toMatch(/: the integration is finished and its arrays written$/);
    expect(existsSync(join(out, "checkpoint", "snapshots-0-3.npy"))).toBe(false);
    expectSameRun(out, whole);
  });

  it("a snapshot file that does not read falls back to the checkpoint before it", async () => {
    const input = CASES[0][1];
    const dir = fresh();
    const whole = join(dir, "whole");
    await simulateRun(whole, input);
    const out = join(dir, "killed");
    await expect(killedAtCheckpoint(6, () => simulateRun(out, input))).rejects.toThrow(CheckpointKill);
    // the newest checkpoint (step 6) names snapshots 6 in a file of its own: broken, step 5's is used
    writeFileSync(join(out, "checkpoint", "snapshots-6-7.npy"), "not npy");
    const log: string[] = [];
    const done: number[] = [];
    await simulateRun(out, {}, { resume: true, log, progress: (d) => done.push(d) });
    expect(log.join("\n")).toMatch(/step-00000006\.json is unreadable \(.*snapshots-6-7\.npy/);
    expect(log.at(-1)).toBe("resuming from checkpoint/step-00000005.json: step 5 of 10");
    expect(done[0]).toBe(6 * 3);
    expectSameRun(out, whole);
  });

  it("seconds after a resume add the killed attempt's, up to its last checkpoint", async () => {
    const out = join(fresh(), "run");
    await expect(killedAtCheckpoint(3, () => simulateRun(out, CASES[3][1]))).rejects.toThrow(CheckpointKill);
    setCheckpointSeconds(out, 1000);
    const r = await simulateRun(out, {}, { resume: true });
    expect(r.result.seconds).toBeGreaterThanOrEqual(1000);
    expect(r.result.seconds).toBeLessThan(1000 + 60);
  });

  it("a run shorter than the checkpoint interval writes no checkpoint", async () => {
    const out = join(fresh(), "run");
    const r = await simulateRun(out, CASES[0][1], { checkpointSeconds: 30 });
    expect(existsSync(join(out, "checkpoint"))).toBe(false);
    expect(r.result.seconds).toBeGreaterThan(0);
  });
});
