// Did-you-mean hints for unknown flags and commands: a typo within a few edits, or a flag that
// grew a qualifier (`--time` → `--trajectory-time`) when exactly one flag ends that way.
import { describe, expect, test } from "vitest";
import { runCli } from "./main.js";
import { suggest } from "./parse.js";

describe("suggest", () => {
  test("a typo within the edit budget", () => {
    expect(suggest("bta", ["beta", "steps", "seed"])).toBe("beta");
    expect(suggest("trajectoris", ["trajectories", "h"])).toBe("trajectories");
  });

  test("a qualified flag when exactly one candidate ends in -word", () => {
    expect(suggest("time", ["trajectory-time", "trajectories", "h"])).toBe("trajectory-time");
    expect(suggest("time", ["orbit-time", "trajectory-time"])).toBeNull();
    expect(suggest("ime", ["trajectory-time"])).toBeNull();
  });

  test("nothing close: no hint", () => {
    expect(suggest("zzzzzz", ["beta", "steps"])).toBeNull();
    expect(suggest("beta", [])).toBeNull();
  });
});

test("integrability simulate --time names --trajectory-time (exit 2, one line)", async () => {
  let stderr = "";
  const code = await runCli(["integrability", "simulate", "--system", "ho", "--time", "1"], {
    stdout: () => {},
    stderr: (s) => (stderr += s),
  });
  expect(code).toBe(2);
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).toMatch(/unknown flag --time \(did you mean --trajectory-time\?\)/);
});

test("a group with flags but no command names the group and its commands, not an unknown command", async () => {
  for (const [argv, message] of [
    [
      ["exact", "--json"],
      'physml exact: expected one of its commands (energy, enumerate, model) before the flags, got "--json"; see `physml exact --help`',
    ],
    [
      ["cy", "--psi", "0"],
      'physml cy: expected one of its commands (sample, donaldson, train, eval) before the flags, got "--psi"; see `physml cy --help`',
    ],
  ] as const) {
    let stdout = "";
    let stderr = "";
    const code = await runCli([...argv], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`${message}\n`);
  }
});

test("a flag left without its value before the next flag is named, not the next flag's value", async () => {
  for (const [argv, message] of [
    [
      ["integrability", "simulate", "--system", "ho", "--trajectories", "--out", "runs/x"],
      "physml integrability simulate: --trajectories: expected a value after it (an integer in [1, 4096])",
    ],
    [
      ["integrability", "simulate", "--system", "--json"],
      "physml integrability simulate: --system: expected a value after it (one of ho | ho2d | toda | toda4 | henon-heiles | two-body | kdv | sine-gordon | heisenberg)",
    ],
  ] as const) {
    let stdout = "";
    let stderr = "";
    const code = await runCli([...argv], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`${message}\n`);
  }
});
