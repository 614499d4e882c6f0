// physml mcmc: memory is estimated before anything is allocated on both paths (the square fast
// path and the generic model sampler), and both paths print one JSON shape with finite numbers.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";

/** Every number in a JSON value is finite, and there is no null anywhere. */
function finiteEverywhere(v: unknown, where = "$"): void {
  if (v === null) throw new Error(`${where} is null`);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`${where} is ${v}`);
  } else if (typeof v === "object") {
    for (const [k, x] of Object.entries(v as object)) finiteEverywhere(x, `${where}.${k}`);
  }
}

const MiB = 2 ** 20;

describe("physml mcmc --model-file: an error inside the file is the file's, not an option's", () => {
  it("a bad lattice or unparsable JSON names the field in the file and the file, never --lattice or --model", async () => {
    const dir = mkdtempSync(join(tmpdir(), "physml-mcmc-model-"));
    const hex = join(dir, "hex.json");
    writeFileSync(hex, JSON.stringify({ spin: "ising", lattice: { hex: 3 }, terms: [] }));
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{");
    for (const [file, field] of [
      [hex, "lattice"],
      [broken, "model"],
    ]) {
      const r = await run("mcmc", "--model-file", file, "--json");
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.startsWith(`physml mcmc: ${field} (in the model file ${file}): expected `)).toBe(true);
      expect(r.stderr).not.toMatch(/--lattice|--model:/);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

describe("physml mcmc with --model/--lattice/--model-file: memory is checked before it is taken", () => {
  it("a huge lattice is refused at once, naming --L, with the parts of the estimate", async () => {
    // Heisenberg on a 256³ torus: 3 nn shapes of 2 sites → 6 table entries + 6 neighbour pairs +
    // 1 colour = 13 Int32 per site = 832 MiB of tables; one chain of 3 Float64 per site = 384 MiB.
    const sites = 256 ** 3;
    expect((13 * 4 * sites) / MiB).toBe(832);
    expect((3 * 8 * sites) / MiB).toBe(384);
    const r = await run(
      "mcmc",
      "--model",
      "heisenberg",
      "--lattice",
      "cubic",
      "--L",
      "256",
      "--chains",
      "1",
      "--beta",
      "1",
      "--max-memory",
      "1G",
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^physml mcmc: --L: expected a run that fits in the memory limit of 1.00 GB \(--max-memory\): this one needs ≈ 1.\d+ GB \(lattice tables 832 MB, spins 384 MB, measurements [\d.]+ MB\), got "256"\n$/,
    );
    expect(r.ms).toBeLessThan(3000);
  });

  it("many chains or long measurements name --chains or --sweeps", async () => {
    const base = ["mcmc", "--model", "xy", "--lattice", "chain", "--L", "32768", "--beta", "1"];
    let r = await run(...base, "--chains", "65536", "--sweeps", "2", "--max-memory", "8G");
    expect(r.code).toBe(2);
    // 65536 chains × 32768 sites × 2 Float64 = 32 GiB of spins.
    expect(r.stderr).toMatch(/--chains: expected .* spins 32.0 GB, .*got "65536"/);
    r = await run(...base, "--chains", "16", "--sweeps", "100000000", "--max-memory", "8G");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sweeps: expected .*got "100000000"/);
  });

  it("a model file with a huge lattice is refused naming --model-file, before any table is built", async () => {
    const dir = mkdtempSync(join(tmpdir(), "physml-mcmc-"));
    const file = join(dir, "big.json");
    writeFileSync(
      file,
      JSON.stringify({
        spin: "xy",
        lattice: { cubic: 4096 },
        terms: [
          {
            name: "nn",
            coupling: 1,
            sites: [
              [0, 0, 0],
              [1, 0, 0],
            ],
          },
        ],
      }),
    );
    const r = await run("mcmc", "--model-file", file, "--chains", "1");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^physml mcmc: --model-file: expected a run that fits in the memory limit of .* TB/,
    );
    expect(r.ms).toBeLessThan(3000);
  });
});

describe("physml mcmc --json: one result shape, finite numbers only", () => {
  it("the square fast path and the model sampler print the same keys around their estimates, none null or NaN", async () => {
    const small = ["--chains", "1", "--sweeps", "2", "--thermalize", "0", "--json"];
    const square = await run("mcmc", "--L", "4", "--beta", "0.3", "--backend", "cpu", ...small);
    const chain = await run(
      "mcmc",
      "--model",
      "ising",
      "--lattice",
      "chain",
      "--L",
      "6",
      "--beta",
      "0.3",
      ...small,
    );
    const xy = await run(
      "mcmc",
      "--model",
      "xy",
      "--lattice",
      "square",
      "--L",
      "4",
      "--beta",
      "0.3",
      ...small,
    );
    const shared = ["chains", "sweeps", "thermalize", "every", "seed", "samplesPerChain"];
    const tail = ["backend", "adapter", "kernel", "colours", "seconds", "flipsPerNs"];
    for (const r of [square, chain, xy]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/null|NaN|Infinity/);
      const j = JSON.parse(r.stdout);
      finiteEverywhere(j);
      const keys = Object.keys(j).filter((k) => k !== "proposalWidth");
      const head = keys.indexOf("chains");
      expect(keys.slice(head, head + shared.length)).toEqual(shared);
      expect(keys.slice(-tail.length)).toEqual(tail);
      expect(j.energyPerSite.error).toBeGreaterThan(0);
    }
    // Where no exact value exists the result says so in words instead of `exact: null`.
    const x = JSON.parse(xy.stdout);
    expect(x.exact).toBeUndefined();
    expect(x.exactUnavailable).toBe("the O(n) closed form is for the nn-only periodic chain, not this model");
    expect(JSON.parse(square.stdout).exact.energyPerSite).toBeLessThan(0);
  });
});

describe("physml mcmc --kernel on the model path", () => {
  it("packed on an Ising chain runs the packed rule and agrees with the transfer matrix; O(n) spins are refused", async () => {
    const r = await run(
      ...["mcmc", "--model", "ising", "--lattice", "chain", "--L", "64", "--beta", "0.3", "--chains", "32"],
      ...["--sweeps", "1000", "--thermalize", "200", "--kernel", "packed", "--json"],
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.kernel).toBe("ising-packed");
    const { mean, error } = j.energyPerSite;
    expect(Math.abs(mean - j.exact.energyPerSite)).toBeLessThan(4 * error);
    const bad = await run(
      "mcmc",
      "--model",
      "xy",
      "--lattice",
      "chain",
      "--L",
      "64",
      "--beta",
      "0.3",
      "--kernel",
      "packed",
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--kernel: expected only with Ising spins/);
  });
});
