// `physml cy donaldson` killed mid-run and resumed: no finished degree of --k a..b is balanced
// again, no stored iteration is repeated, and the .npy files and σ are the uninterrupted run's bits.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { donaldson, dworkQuintic, type SigmaKRow, samplePoints, sectionBasis } from "@physml/cy-metrics";
import { openRun } from "@physml/runs";
import { CheckpointKill, killedAtCheckpoint } from "@physml/runs/testing";
import { afterAll, describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";
import {
  type Balancing,
  balanceInRun,
  checkDonaldsonState,
  type DonaldsonState,
} from "./cy-donaldson-resume.js";

const dirs: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(join(tmpdir(), "cy-donaldson-resume-"));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const bytes = (dir: string, name: string) => readFileSync(join(dir, name));
const withoutTimes = (j: { sigmaK: SigmaKRow[] }) => {
  const {
    out: _o,
    seconds: _s,
    files: _f,
    ...rest
  } = j as typeof j & { out: string; seconds: number; files: object };
  return { ...rest, sigmaK: j.sigmaK.map(({ balanceSeconds: _b, ...r }) => r) };
};

const RANGE = ["cy", "donaldson", "--k", "1..3", "--points", "1000", "--eval", "300", "--iterations", "2"];

describe("cy donaldson --resume", () => {
  it("--k a..b killed as it checkpoints its 3rd degree resumes with k = 3 only: same σ rows and .npy bytes", async () => {
    const whole = join(await tmp(), "whole");
    const ref = await run(...RANGE, "--out", whole, "--json", "--quiet");
    expect(ref.code, ref.stderr).toBe(0);
    const out = join(await tmp(), "killed");
    // a degree's checkpoint is written once its .npy files are on disk; the 3rd one dies
    const killed = await killedAtCheckpoint(2, () => run(...RANGE, "--out", out, "--json", "--quiet"));
    expect(killed.code).not.toBe(0);
    expect(existsSync(join(out, "result.json"))).toBe(false);
    const resumed = await run("cy", "donaldson", "--out", out, "--resume", "--json");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("resuming from checkpoint/step-00000006.json: k = 1, 2 finished");
    expect(resumed.stderr.match(/k = \d, iteration \d/g)).toEqual([
      "k = 3, iteration 1",
      "k = 3, iteration 2",
    ]);
    expect(withoutTimes(JSON.parse(resumed.stdout))).toEqual(withoutTimes(JSON.parse(ref.stdout)));
    for (const k of [1, 2, 3]) {
      expect(bytes(out, `h-k${k}.npy`).equals(bytes(whole, `h-k${k}.npy`)), `h-k${k}.npy`).toBe(true);
      expect(bytes(out, `sections-k${k}.npy`).equals(bytes(whole, `sections-k${k}.npy`))).toBe(true);
    }
  });

  it("a degree's balancing killed after 2 of 4 iterations continues from its stored G to the uninterrupted bits; a G of the wrong size falls back", async () => {
    const q = dworkQuintic({ re: 0, im: 0 });
    const points = samplePoints(q, 500, 1);
    const whole = donaldson(q, { k: 2, iterations: 4, integrationPoints: points });
    const dir = join(await tmp(), "run");
    const said: string[] = [];
    const open = (mode: "new" | "resume") =>
      openRun({
        dir,
        kind: "cy-donaldson-test",
        input: {},
        resolve: () => ({}),
        mode,
        provenance: { package: "test", version: "0", git: null },
        log: (m) => said.push(m),
      });
    const balance = (r: ReturnType<typeof open>, from?: Balancing) =>
      balanceInRun({
        run: r,
        quintic: q,
        ks: [2],
        index: 0,
        iterations: 4,
        points,
        rows: [],
        ...(from ? { from } : {}),
        onIteration: (it) => seen.push(it.iteration),
        every: 0,
      });
    const seen: number[] = [];
    const first = open("new");
    await expect(killedAtCheckpoint(2, async () => balance(first))).rejects.toThrow(CheckpointKill);
    first.close();
    const again = open("resume");
    const check = (raw: unknown) => checkDonaldsonState(raw, [2], 4, (k) => sectionBasis(q, k).size);
    // the newest checkpoint (after iteration 2) with a G of another degree's size is refused
    const newest = join(dir, "checkpoint", "step-00000002.json");
    const good = readFileSync(newest, "utf8");
    const bad = JSON.parse(good) as { state: DonaldsonState };
    bad.state.balancing?.re.pop();
    writeFileSync(newest, JSON.stringify(bad));
    expect(again.loadCheckpoint(check)?.step).toBe(1);
    expect(said).toEqual([
      "checkpoint/step-00000002.json is unreadable (its balancing is not one of k = 2 with 4 iterations at most)",
      "falling back to checkpoint/step-00000001.json",
    ]);
    writeFileSync(newest, good);
    const stored = again.loadCheckpoint(check);
    expect(stored?.state.balancing?.history.map((h) => h.iteration)).toEqual([1, 2]);
    seen.length = 0;
    const resumed = balance(again, stored?.state.balancing);
    again.close();
    expect(seen).toEqual([3, 4]);
    expect(Buffer.from(resumed.metric.G.re.buffer).equals(Buffer.from(whole.metric.G.re.buffer))).toBe(true);
    expect(Buffer.from(resumed.metric.G.im.buffer).equals(Buffer.from(whole.metric.G.im.buffer))).toBe(true);
    expect(resumed.history.map((h) => h.change)).toEqual(whole.history.map((h) => h.change));
  });
});
