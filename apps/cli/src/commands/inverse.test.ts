import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeNpy } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { runCli } from "../main.js";

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe("physml inverse ising", () => {
  it("samples, recovers the couplings within 3σ and prints finite JSON numbers only", async () => {
    const r = await run(
      "inverse",
      "ising",
      "--beta",
      "0.3",
      "--nnn",
      "0.05",
      "--L",
      "8",
      "--samples-count",
      "1024",
      "--chains",
      "32",
      "--json",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/null|NaN/);
    const j = JSON.parse(r.stdout);
    expect(j.terms.map((t: { name: string }) => t.name)).toEqual(["nn", "nnn", "plaquette"]);
    for (const t of j.terms) expect(Math.abs(t.pull)).toBeLessThan(3);
    expect(j.terms[2].relativeError).toBeUndefined(); // truth 0: no relative error
  });

  it("reads a .npy file; a file of the wrong shape exits 2 naming it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "physml-inverse-"));
    try {
      const path = join(dir, "c.npy");
      await writeNpy(path, new Int8Array(4 * 36).fill(1), [4, 6, 6]);
      const bad = await run("inverse", "ising", "--samples", path, "--L", "8", "--json");
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/c\.npy shape/);
      const both = await run("inverse", "ising", "--samples", path, "--beta", "0.3", "--L", "6");
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/--beta/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("line: at κ = 0 the nn-only dual is Kramers–Wannier's β̃ within 4σ, exit code follows the check", async () => {
    const r = await run(
      "inverse",
      "line",
      "--beta",
      "0.3",
      "--L",
      "4",
      "--samples-count",
      "1024",
      "--dual-samples",
      "32",
      "--json",
    );
    expect(r.stdout).not.toMatch(/null|NaN/);
    const j = JSON.parse(r.stdout);
    expect(j.boundary).toBe("twist-sum");
    const err = j.dualNnOnly.tNnError;
    expect(Math.abs(j.dualNnOnly.tNn - j.kw.dualBeta)).toBeLessThan(4 * err);
    expect(r.code).toBe(j.kwCheck.passed ? 0 : 3);
    const bad = await run(
      "inverse",
      "line",
      "--beta",
      "0.3",
      "--plaquette",
      "0.1",
      "--boundary",
      "twist-sum",
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--boundary/);
  });
});
