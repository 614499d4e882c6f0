// physml mcmc --model-file: the run prints the description under `model` exactly as `exact model`
// does (one key, one meaning), and compares its estimates (the nn energy, the whole reduced
// energy, |m|) with the exact values wherever a cheap exact method applies (transfer matrix on
// chains, enumeration on small lattices), whatever the terms are named, as the --model path does.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ModelInput } from "@physml/lattice-core";
import { triangleModel } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";

const dir = mkdtempSync(join(tmpdir(), "physml-mcmc-model-file-"));
const file = (name: string, model: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(model));
  return path;
};

/** The model with its terms renamed (`names[old]`, else kept): the same physics under other names. */
const renamed = (model: ModelInput, names: Record<string, string>): ModelInput => ({
  ...model,
  terms: model.terms.map((t) => ({ ...t, name: names[t.name] ?? t.name })),
});

// A 4×4 torus with a 3-spin term and a field: no closed form, 2^16 states to enumerate.
const TRIANGLE_4X4 = triangleModel([4, 4], { tri: 0.2, nn: 0.3, h: 0.05 });
const triangle = file("triangle.json", TRIANGLE_4X4);

const SMALL = ["--chains", "8", "--sweeps", "2000", "--thermalize", "200", "--json"];

describe("physml mcmc --model-file", () => {
  it("prints `model` as `exact model` prints it, for Ising and O(n) spins alike", async () => {
    const exact = await run("exact", "model", "--model-file", triangle, "--json");
    const mc = await run("mcmc", "--model-file", triangle, "--chains", "1", "--sweeps", "2", "--json");
    expect(exact.code, exact.stderr).toBe(0);
    expect(mc.code, mc.stderr).toBe(0);
    expect(JSON.parse(mc.stdout).model).toEqual(JSON.parse(exact.stdout).model);
    const xy = await run(
      ...["mcmc", "--model", "xy", "--lattice", "chain", "--L", "8", "--beta", "1"],
      ...["--chains", "1", "--sweeps", "2", "--json"],
    );
    expect(xy.code, xy.stderr).toBe(0);
    expect(JSON.parse(xy.stdout).model.spin).toEqual({ kind: "on", n: 2 });
  });

  it("a small lattice from a file is compared with its enumeration, and the estimate agrees within its error bar", async () => {
    const r = await run("mcmc", "--model-file", triangle, ...SMALL);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.exactUnavailable).toBeUndefined();
    const exact = JSON.parse((await run("exact", "model", "--model-file", triangle, "--json")).stdout);
    expect(j.exact.energyPerSite).toBeCloseTo(-exact.termMeans.nn / 16, 12);
    // 5σ of the autocorrelation-aware error: a wrong exact value or a biased sampler fails.
    expect(Math.abs(j.energyPerSite.mean - j.exact.energyPerSite)).toBeLessThan(5 * j.energyPerSite.error);
  });

  it("a periodic nn chain from a file gets the closed form −(t + t^(L−1))/(1 + t^L), t = tanh K", async () => {
    const L = 40;
    const K = 0.4;
    const chain = file("chain.json", {
      spin: "ising",
      lattice: { chain: L },
      terms: [{ name: "nn", coupling: K, shapes: [[[0], [1]]] }],
    });
    const r = await run("mcmc", "--model-file", chain, ...SMALL);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const t = Math.tanh(K);
    const closed = -(t + t ** (L - 1)) / (1 + t ** L);
    expect(j.exact.energyPerSite).toBeCloseTo(closed, 12);
    expect(Math.abs(j.energyPerSite.mean - closed)).toBeLessThan(5 * j.energyPerSite.error);
  });

  it("a model without a term named nn is compared with its enumeration over the whole energy and |m|, whatever its terms are named", async () => {
    // the triangle model with its nn term renamed: the same physics, so the same exact values
    const bonds = file("bonds.json", renamed(TRIANGLE_4X4, { nn: "bonds", tri: "threeSpin" }));
    const r = await run("mcmc", "--model-file", bonds, ...SMALL);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.exactUnavailable).toBeUndefined();
    // energyPerSite is the nn term's alone (README conventions): absent without one
    expect(j.energyPerSite).toBeUndefined();
    expect(j.exact.energyPerSite).toBeUndefined();
    const exact = JSON.parse((await run("exact", "model", "--model-file", triangle, "--json")).stdout);
    expect(j.exact.reducedEnergyPerSite).toBeCloseTo(exact.reducedEnergyPerSite, 12);
    expect(j.exact.absMagnetization).toBeCloseTo(exact.absMagnetization, 12);
    // 5σ of the autocorrelation-aware errors: a wrong exact value or a biased sampler fails.
    for (const key of ["reducedEnergyPerSite", "absMagnetization"]) {
      expect(Math.abs(j[key].mean - j.exact[key]), key).toBeLessThan(5 * j[key].error);
    }
  });

  it("a chain whose bond term is not named nn gets the transfer matrix: ⟨H⟩/N = −K(t + t^(L−1))/(1 + t^L), t = tanh K", async () => {
    const L = 40;
    const K = 0.4;
    const chain = file("bond-chain.json", {
      spin: "ising",
      lattice: { chain: L },
      terms: [{ name: "bonds", coupling: K, shapes: [[[0], [1]]] }],
    });
    const r = await run("mcmc", "--model-file", chain, ...SMALL);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const t = Math.tanh(K);
    // H = −K Σ s_i s_{i+1}, so ⟨H⟩/N = −K ⟨s_i s_{i+1}⟩
    const closed = (-K * (t + t ** (L - 1))) / (1 + t ** L);
    expect(j.exact.reducedEnergyPerSite).toBeCloseTo(closed, 12);
    expect(Math.abs(j.reducedEnergyPerSite.mean - closed)).toBeLessThan(5 * j.reducedEnergyPerSite.error);
  });

  it("a lattice too large to enumerate says why there is no exact value, never null", async () => {
    const big = file("big.json", triangleModel([6, 6], { tri: 0.2, nn: 0.3 }));
    const r = await run("mcmc", "--model-file", big, "--chains", "1", "--sweeps", "2", "--json");
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.exact).toBeUndefined();
    expect(j.exactUnavailable).toBe("36 sites > 20 for enumeration; no closed form with terms other than nn");
  });
});
