// Are `physml mcmc`'s error bars calibrated? Over independent seeds the pulls
// z = (estimate − exact)/error of an honest error bar are distributed like N(0, 1), so for N seeds
// Σ z² follows χ²_N. The pass band is χ²_N's 0.5 % and 99.5 % points (Wilson–Hilferty): a
// calibrated error bar fails it 1 % of the time for a random choice of seeds, these seeds are
// fixed, and an error bar off by a factor k moves Σ z² to ≈ N/k² (halved: 4N = 160, far above
// the band's 67 for N = 40). The exact values are enumeration's (4 × 4 torus, 2^16 states) and
// Kaufman's specific heat; the fluctuations (C, χ, U₄) carry blocked-jackknife error bars.
import { describe, expect, it } from "vitest";
import { runCaptured as run } from "../test/run-captured.js";

const SEEDS = 40;

/** χ²_df's quantile z standard normal deviations out, by Wilson–Hilferty (to < 1 % at df = 40). */
function chiSquareQuantile(df: number, z: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

/** z = ±2.576: the 0.5 % and 99.5 % points. */
const BAND = [chiSquareQuantile(SEEDS, -2.576), chiSquareQuantile(SEEDS, 2.576)] as const;

type Estimate = { mean: number; error: number; tauInt: number; untrusted?: string };

/** Σ z² over SEEDS seeds of each estimate that has an exact value, and how many runs warned. */
async function pullSquares(args: string[]): Promise<{ sums: Record<string, number>; warned: number }> {
  const sums: Record<string, number> = {};
  let warned = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const argv = ["mcmc", ...args, "--seed", String(seed), "--backend", "cpu", "--workers", "1", "--json"];
    const r = await run(...argv);
    expect(r.code, r.stderr).toBe(0);
    if (r.stderr.includes("cannot be trusted")) warned++;
    const out = JSON.parse(r.stdout) as Record<string, unknown> & { exact: Record<string, number> };
    for (const [key, exact] of Object.entries(out.exact)) {
      const e = out[key] as Estimate;
      expect(e, `${key}: ${out[`${key}Unavailable`]}`).toBeDefined();
      sums[key] = (sums[key] ?? 0) + ((e.mean - exact) / e.error) ** 2;
    }
  }
  return { sums, warned };
}

describe("physml mcmc error bars are calibrated against enumeration (4 × 4, 40 seeds)", () => {
  it("nn only at β_c: energy, |m|, C, χ and U₄", async () => {
    const { sums, warned } = await pullSquares([
      "--L",
      "4",
      "--beta",
      "0.4407",
      "--chains",
      "4",
      "--sweeps",
      "500",
      "--thermalize",
      "200",
    ]);
    expect(Object.keys(sums).sort()).toEqual([
      "absMagnetization",
      "binderCumulant",
      "energyPerSite",
      "reducedEnergyPerSite",
      "specificHeatPerSite",
      "susceptibility",
    ]);
    for (const [key, s] of Object.entries(sums)) {
      expect(s, key).toBeGreaterThan(BAND[0]);
      expect(s, key).toBeLessThan(BAND[1]);
    }
    expect(warned).toBe(0);
  }, 120_000);

  it("in a field (β = 0.5, h = 0.05): the energy's τ_int includes the magnetisation's slow tail", async () => {
    // Summed over the energy's own Sokal window only, ⟨H⟩/N's error bar was 1.8× too small here
    // (Σ z² ≈ 3.2 N over 100 seeds; one 4·10⁵-sweep chain: τ_int 1.76 in its own window, 5–6
    // summed over the magnetisation's).
    const { sums } = await pullSquares([
      "--L",
      "4",
      "--beta",
      "0.5",
      "--field",
      "0.05",
      "--chains",
      "4",
      "--sweeps",
      "2000",
      "--thermalize",
      "500",
    ]);
    for (const [key, s] of Object.entries(sums)) {
      expect(s, key).toBeGreaterThan(BAND[0]);
      expect(s, key).toBeLessThan(BAND[1]);
    }
  }, 120_000);

  it("says when an error bar cannot be trusted: too few independent samples, or an unresolved slow mode", async () => {
    const short = await run(
      "mcmc",
      "--L",
      "4",
      "--beta",
      "0.4407",
      "--chains",
      "1",
      "--sweeps",
      "50",
      "--thermalize",
      "100",
      "--backend",
      "cpu",
      "--json",
    );
    expect(short.code).toBe(0);
    const s = JSON.parse(short.stdout);
    expect(s.energyPerSite.untrusted).toMatch(
      /^only \d+ effectively independent samples \(n\/\(2τ_int\) with n = 50, /,
    );
    expect(short.stderr).toMatch(
      /^physml mcmc: warning: the error bar of energyPerSite cannot be trusted: only \d+ effectively independent samples/m,
    );
    // β = 0.6, h = 0.1: the magnetisation tunnels against the field every few hundred sweeps.
    const slow = await run(
      "mcmc",
      "--L",
      "4",
      "--beta",
      "0.6",
      "--field",
      "0.1",
      "--chains",
      "4",
      "--sweeps",
      "500",
      "--thermalize",
      "500",
      "--backend",
      "cpu",
      "--json",
    );
    const f = JSON.parse(slow.stdout);
    expect(f.energyPerSite.untrusted).toMatch(
      /^the magnetisation, which a term odd under s → −s couples to every observable, /,
    );
    // A long enough run at β = 0.3 has nothing to warn about.
    const ok = await run(
      "mcmc",
      "--L",
      "4",
      "--beta",
      "0.3",
      "--chains",
      "4",
      "--sweeps",
      "1000",
      "--backend",
      "cpu",
      "--json",
    );
    expect(ok.stderr).toBe("");
    expect(JSON.parse(ok.stdout).energyPerSite.untrusted).toBeUndefined();
  }, 60_000);
});
