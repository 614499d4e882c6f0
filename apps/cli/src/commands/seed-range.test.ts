// Commands whose derived seeds are sums or products (seed + offset, seed · factor + epoch) run at the largest seed, 2^53 − 1, where
// every derived seed wraps (those limited to seeds below 2^31 before, and some that failed there),
// and refuse a negative one like every command: one line naming the flag and the range, exit 2.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";

const TOP = String(2 ** 53 - 1);
const dirs: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(join(tmpdir(), "physml-seed-"));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A short, quiet run of each command (its smallest settings in the command's own tests). */
const COMMANDS: [string, (out: string) => string[]][] = [
  [
    "dualrep ising2d",
    (out) => [
      ...["dualrep", "ising2d", "--L", "4", "--temperatures", "1.5", "--samples", "64", "--chains", "4"],
      ...["--warmup", "50", "--every", "1", "--epochs", "2", "--hidden", "4", "--out", out, "--quiet"],
    ],
  ],
  [
    "inverse line",
    () => [
      "inverse",
      "line",
      "--beta",
      "0.3",
      "--plaquette",
      "0.05",
      "--L",
      "4",
      "--samples-count",
      "64",
      "--dual-samples",
      "4",
    ],
  ],
  [
    "duality lines",
    (out) => [
      ...["duality", "lines", "--L", "8", "--beta", "0.3", "--dual", "--chains", "32", "--samples", "32"],
      ...["--warmup", "200", "--blocks", "16", "--landscape-points", "36", "--out", out, "--quiet"],
    ],
  ],
  // Commands that took the seed but failed near the top: restarts, exploration groups and held-out
  // data derived from seed + offset left the safe integers.
  [
    "duality kw",
    (out) => [
      ...["duality", "kw", "--L", "4", "--chains", "16", "--explore-steps", "2", "--steps", "2"],
      ...["--backend", "cpu", "--out", out, "--quiet"],
    ],
  ],
  [
    "integrability lax",
    (out) => [
      ...["integrability", "lax", "--system", "ho", "--steps", "2", "--lbfgs", "0", "--samples", "16"],
      ...["--out", out, "--quiet"],
    ],
  ],
  // Per-epoch batch orders from seed · 100003 + epoch.
  [
    "symmetry potential",
    (out) => ["symmetry", "potential", "--dim", "2", "--per-class", "30", "--out", out, "--quiet"],
  ],
];

describe("seeds up to 2^53 − 1", () => {
  for (const [cmd, args] of COMMANDS) {
    it(`${cmd} runs at --seed 2^53 − 1 and refuses --seed -1 naming the range`, {
      timeout: 120_000,
    }, async () => {
      const dir = await tmp();
      const r = await run(...args(join(dir, "top")), "--seed", TOP, "--json");
      // 3: the run's own physics check failed (these runs are tiny), never 2, bad input
      expect([0, 3], r.stderr).toContain(r.code);
      expect(JSON.parse(r.stdout)).toBeTypeOf("object");
      const bad = await run(...args(join(dir, "bad")), "--seed", "-1");
      expect(bad.code).toBe(2);
      expect(bad.stdout).toBe("");
      expect(bad.stderr).toBe(`physml ${cmd}: --seed: expected an integer in [0, 2^53 − 1], got "-1"\n`);
    });
  }
});
