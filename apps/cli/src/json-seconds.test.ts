// One JSON key, one meaning (root README, "Conventions"): `seconds` is the wall time of the
// work, a number, in every command; stage times sit beside it as `<stage>Seconds` and add up to
// it where a command splits its work into stages.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCaptured as run } from "../test/run-captured.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const outDir = async () => {
  const d = await mkdtemp(join(tmpdir(), "physml-seconds-"));
  dirs.push(d);
  return join(d, "run");
};

const TINY_CONNECTION = [
  ...["--steps", "0", "--polish-iter", "0", "--restarts", "0", "--samples", "64", "--trajectories", "2"],
  ...["--grid-points", "64", "--snapshots", "2", "--trajectory-time", "0.01"],
];

describe("--json: `seconds` is a number in every command", () => {
  it.each([
    [["mcmc", "--L", "4", "--beta", "0.3", "--chains", "1", "--sweeps", "4", "--backend", "cpu"], []],
    [["inverse", "ising", "--beta", "0.3", "--L", "4", "--samples-count", "64", "--chains", "2"], []],
    [
      [
        "duality",
        "kw",
        "--L",
        "4",
        "--chains",
        "16",
        "--explore-steps",
        "0",
        "--steps",
        "2",
        "--backend",
        "cpu",
      ],
      [],
    ],
    [
      ["symmetry", "potential", "--per-class", "10", "--quiet"],
      ["sample", "train", "neighbours"],
    ],
    [
      ["integrability", "kdv", ...TINY_CONNECTION, "--quiet"],
      ["train", "evaluate"],
    ],
    [
      ["integrability", "connection", "--system", "sine-gordon", ...TINY_CONNECTION, "--quiet"],
      ["train", "evaluate"],
    ],
  ])("%s", async (argv, stages) => {
    const needsOut = ["symmetry", "integrability", "duality"].includes(argv[0]);
    const r = await run(...argv, ...(needsOut ? ["--out", await outDir()] : []), "--json");
    expect([0, 3], r.stderr).toContain(r.code);
    const j = JSON.parse(r.stdout);
    expect(typeof j.seconds).toBe("number");
    expect(j.seconds).toBeGreaterThan(0);
    if (stages.length === 0) return;
    const parts = stages.map((s) => j[`${s}Seconds`]);
    for (const p of parts) expect(typeof p).toBe("number");
    expect(j.seconds).toBeCloseTo(
      parts.reduce((a: number, b: number) => a + b, 0),
      12,
    );
  });
});
