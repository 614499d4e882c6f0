// `physml mcmc --model/--lattice/--model-file` end to end: the XY ring's energy against the
// exact finite ring, and a bad model file failing with the field, exit code 2.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { xyChainExact } from "@physml/lattice-core";
import { TRIANGLE_SITES } from "@physml/lattice-core/testing";
import { expect, test } from "vitest";
import { runCli } from "../../apps/cli/src/main.ts";

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, sink: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) } };
}

test("mcmc --model xy --lattice chain agrees with the exact ring within 4σ", async () => {
  const o = io();
  const args = ["mcmc", "--model", "xy", "--lattice", "chain", "--L", "32", "--beta", "1.5"];
  const code = await runCli(
    [...args, "--chains", "4", "--sweeps", "1500", "--thermalize", "200", "--json"],
    o.sink,
  );
  expect(code, o.err.join("")).toBe(0);
  const r = JSON.parse(o.out[0]);
  const exact = -xyChainExact(1.5, 32).bond;
  expect(r.exact.energyPerSite).toBeCloseTo(exact, 12);
  expect(Math.abs(r.energyPerSite.mean - exact)).toBeLessThan(4 * r.energyPerSite.error);
  expect(Number.isFinite(r.helicityModulus.mean)).toBe(true);
  expect(r.vortexDensity).toBeUndefined();
});

test("mcmc --model-file runs a 3-spin model and names the bad field of a broken file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "physml-model-"));
  const good = join(dir, "tri.json");
  const model = {
    spin: "ising",
    lattice: { square: [4, 4] },
    terms: [{ name: "tri", coupling: 0.3, sites: TRIANGLE_SITES }],
  };
  writeFileSync(good, JSON.stringify(model));
  const o = io();
  expect(
    await runCli(
      ["mcmc", "--model-file", good, "--chains", "2", "--sweeps", "200", "--thermalize", "10", "--json"],
      o.sink,
    ),
  ).toBe(0);
  // The triangular interaction graph needs 3 | L for 3 colours; on 4×4 the 2×2 sublattice (4) is proper.
  expect(JSON.parse(o.out[0]).colours).toBe(4);
  const bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ ...model, terms: [{ ...model.terms[0], sites: [[0, 0], [1]] }] }));
  const e = io();
  expect(await runCli(["mcmc", "--model-file", bad], e.sink)).toBe(2);
  expect(e.err.join("")).toMatch(/terms\[0\]\.sites\[1\]/);
});
