import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeNpy } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";

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
      // The flag that gave the file, the file, and what is wrong with its contents.
      expect(bad.stderr).toBe(
        `physml inverse ising: --samples: expected an array of shape [M, 8, 8] or [M, 64] for the model's lattice, got "${path}" (shape (4, 6, 6), dtype |i1)\n`,
      );
      const threes = join(dir, "threes.npy");
      await writeNpy(threes, new Int8Array(4 * 36).fill(1).fill(3, 40, 41), [4, 6, 6]);
      const notSpins = await run("inverse", "ising", "--samples", threes, "--L", "6", "--json");
      expect(notSpins.code).toBe(2);
      expect(notSpins.stderr).toBe(
        `physml inverse ising: --samples: expected ±1 (Ising spins), got "${threes}" (3 at sample 1, site 4; dtype |i1)\n`,
      );
      const both = await run("inverse", "ising", "--samples", path, "--beta", "0.3", "--L", "6");
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/--beta/);
      // a missing file, and a file that is not .npy: one line naming --samples and the path
      const text = join(dir, "text.npy");
      await writeFile(text, "not numpy\n");
      for (const [file, why] of [
        [
          join(dir, "missing.npy"),
          /--samples: expected a readable \.npy file, got ".*missing\.npy" \(ENOENT\)/,
        ],
        [
          text,
          /--samples: expected a \.npy file \(NumPy format version 1 to 3\), got ".*text\.npy" \(npy bytes: /,
        ],
      ] as [string, RegExp][]) {
        const r = await run("inverse", "ising", "--samples", file, "--L", "6");
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(why);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a run above the memory limit is refused before sampling or reading, naming the flag", async () => {
    // 4·10⁶ configurations of 1024² spins: terabytes, beyond any default limit.
    const big = await run("inverse", "ising", "--beta", "0.3", "--L", "1024", "--samples-count", "4194304");
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(
      /^physml inverse ising: --samples-count: expected a run that fits in the memory limit of .* \(80% of the free memory; --max-memory\): 4194304 configurations of 1048576 sites needs ≈ [\d.]+ TB; lower --samples-count or the lattice, got "4194304"\n$/,
    );
    const dir = await mkdtemp(join(tmpdir(), "physml-inverse-"));
    try {
      const path = join(dir, "c.npy");
      await writeNpy(path, new Int8Array(64 * 36).fill(1), [64, 6, 6]);
      const r = await run("inverse", "ising", "--samples", path, "--L", "6", "--max-memory", "4K");
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /--samples: expected a run that fits in the memory limit of 4\.00 KB \(--max-memory\): reading this file needs ≈ 7\.\d+ KB/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // Two runs of the line duality: tens of seconds on a loaded machine.
  it("line: at κ = 0 the nn-only dual is Kramers–Wannier's β̃ within 4σ, exit code follows the check", {
    timeout: 180_000,
  }, async () => {
    // One small run, read once as JSON and once as text.
    const line = [
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
    ];
    const r = await run(...line, "--json");
    expect(r.stdout).not.toMatch(/null|NaN/);
    const j = JSON.parse(r.stdout);
    expect(j.boundary).toBe("twist-sum");
    const err = j.dualNnOnly.tNnError;
    expect(Math.abs(j.dualNnOnly.tNn - j.kw.dualBeta)).toBeLessThan(4 * err);
    expect(r.code).toBe(j.kwCheck.passed ? 0 : 3);
    // The nn + nnn couplings' covariance: 2 × 2, its diagonal the printed errors squared; 1 × 1 for nn only.
    const m = j.dual.covariance.matrix;
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    expect(rel(m[0][0], j.dual.tNnError ** 2)).toBeLessThan(1e-12);
    expect(rel(m[1][1], j.dual.tNnnError ** 2)).toBeLessThan(1e-12);
    expect(Math.abs(j.dual.covariance.correlation)).toBeLessThanOrEqual(1);
    const one = j.dualNnOnly.covariance.matrix;
    expect(one.length).toBe(1);
    expect(rel(one[0][0], j.dualNnOnly.tNnError ** 2)).toBeLessThan(1e-12);
    const text = await run(...line);
    expect(text.stdout).toMatch(/correlation -?\d\.\d{4}; flat direction/);
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
    // The diagonal (nnn) deformation of the original: the exact twist sum is refused there too.
    const badNnn = await run("inverse", "line", "--beta", "0.3", "--nnn", "0.05", "--boundary", "twist-sum");
    expect(badNnn.code).toBe(2);
    expect(badNnn.stderr).toMatch(/--boundary/);
  });

  it("line --json: the plaquette coupling is `plaquette` (`kappa` is Calabi–Yau's κ elsewhere), axis errors are `error`", async () => {
    const r = await run(
      ...["inverse", "line", "--beta", "0.3", "--plaquette", "0.05", "--L", "4"],
      ...["--samples-count", "64", "--dual-samples", "4", "--json"],
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.plaquette).toBe(0.05);
    expect(j).not.toHaveProperty("kappa");
    // The error along each principal axis of the dual couplings' covariance is `error`, as every
    // error bar (`sigma` is Calabi–Yau's σ): its square is the covariance's eigenvalue.
    const c = j.dual.covariance;
    const [[a, b], [, d]] = c.matrix;
    const lambda = (a + d) / 2 + Math.hypot((a - d) / 2, b);
    expect(c.flatDirection.error ** 2).toBeCloseTo(lambda, 12);
    for (const axis of [c.flatDirection, c.sharpDirection]) expect(axis).not.toHaveProperty("sigma");
  });

  it("line shows its progress on stderr, one line per sector and per dual fit (none with --quiet); stdout keeps the one JSON object", async () => {
    const args = [
      "inverse",
      "line",
      "--beta",
      "0.3",
      "--L",
      "4",
      "--samples-count",
      "64",
      "--dual-samples",
      "4",
    ];
    const r = await run(...args, "--json");
    // so few samples may miss the Kramers–Wannier check (exit 3, its warning after the progress)
    expect([0, 3], r.stderr).toContain(r.code);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const lines = r.stderr
      .trim()
      .split("\n")
      .filter((l) => !l.startsWith("warning: "));
    // twist-sum at κ = λ = 0: the four boundary sectors, then the two dual fits
    expect(lines.slice(0, 4).map((l) => /sector (\d)\/4: \d+ configurations sampled/.exec(l)?.[1])).toEqual([
      "1",
      "2",
      "3",
      "4",
    ]);
    expect(lines.slice(4)).toEqual([
      expect.stringMatching(/^physml inverse line: dual nn\+nnn fitted \([\d.]+ s\)$/),
      expect.stringMatching(/^physml inverse line: dual nn only fitted \([\d.]+ s\)$/),
    ]);
    const quiet = await run(...args, "--json", "--quiet");
    expect(quiet.code).toBe(r.code);
    expect(quiet.stderr).not.toMatch(/physml inverse line:/);
  });

  it("line --dual-terms nn+nnn+d2: the d2 coupling with its error, the three correlations, g4", {
    timeout: 180_000,
  }, async () => {
    const args = ["inverse", "line", "--beta", "0.6", "--nnn", "0.05", "--L", "4", "--samples-count", "256"];
    const r = await run(...args, "--dual-samples", "16", "--dual-terms", "nn+nnn+d2");
    expect(r.code).toBe(0);
    // Every fitted coupling with its error, as the JSON of the same run (same seeds) carries them.
    const j = JSON.parse(
      (await run(...args, "--dual-samples", "16", "--dual-terms", "nn+nnn+d2", "--json")).stdout,
    );
    const pm = (v: number, e: number) => `${v.toFixed(5)} ± ${e.toFixed(5)}`;
    const d = j.dual;
    expect(r.stdout).toContain(
      `dual nn + nnn + d2: t_nn = ${pm(d.tNn, d.tNnError)}, t_nnn = ${pm(d.tNnn, d.tNnnError)}, t_d2 = ${pm(d.tD2, d.tD2Error)}\n`,
    );
    expect(r.stdout).toContain(`dual nn only:  t_nn = ${pm(j.dualNnOnly.tNn, j.dualNnOnly.tNnError)}\n`);
    expect(r.stdout).toMatch(/^dual nn \+ nnn \+ d2: .* t_d2 = -?\d\.\d{5} ± \d\.\d{5}$/m);
    expect(r.stdout).toMatch(
      /covariance: correlations nn–nnn -?\d\.\d{4}, nn–d2 -?\d\.\d{4}, nnn–d2 -?\d\.\d{4}$/m,
    );
    expect(r.stdout).toMatch(/g4 -?\d\.\d{5} ± \d\.\d{5} \(half endpoints\)/);
    expect(r.stdout).not.toMatch(/NaN|null/);
  });
});
