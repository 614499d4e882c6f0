// The fluctuation estimates of `physml mcmc` on series whose truth is known in closed form:
// Gaussian AR(1) chains x_{t+1} = φ x_t + √(1−φ²) ξ_t (stationary, Var x = 1, ρ_x(t) = φ^t).
import { describe, expect, it } from "vitest";
import { BLOCK_TAUS, FLUCTUATION_WORK_SERIES, fluctuations } from "./mcmc-fluctuations.js";

/** A seeded uniform generator (mulberry32) and standard normals from it (Box–Muller). */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** `chains` stationary AR(1) chains of `n` samples with lag-one correlation φ. */
function ar1(chains: number, n: number, phi: number, seed: number): Float64Array[] {
  const g = normals(seed);
  const s = Math.sqrt(1 - phi * phi);
  return Array.from({ length: chains }, () => {
    const x = new Float64Array(n);
    x[0] = g();
    for (let t = 1; t < n; t++) x[t] = phi * x[t - 1] + s * g();
    return x;
  });
}

const scale = (chains: Float64Array[], f: (v: number) => number) => chains.map((c) => c.map(f));

describe("fluctuations: C, χ and U₄ with blocked-jackknife errors", () => {
  // e = x/2 on "4 sites": C = 4 Var(x/2) = Var(x) = 1. |m| = |y|/2 with y Gaussian: χ = Var|y| =
  // 1 − 2/π and U₄ = 1 − ⟨y⁴⟩/(3⟨y²⟩²) = 0.
  const phi = 0.8;
  const [chains, n] = [4, 100_000];
  const x = ar1(chains, n, phi, 1);
  const y = ar1(chains, n, 0.5, 2);
  const f = fluctuations({
    sites: 4,
    reducedEnergy: scale(x, (v) => v / 2),
    absMagnetization: scale(y, (v) => Math.abs(v) / 2),
    ising: true,
    minWindow: 0,
  });

  it("C's jackknife error equals the closed form √(2 τ_int(x²) Var(x²)/n) of AR(1)", () => {
    // x² has ρ(t) = φ^{2t}: τ_int = (1+φ²)/(2(1−φ²)); Var(x²) = 2. (⟨x⟩ ≈ 0: the ⟨x⟩² term of
    // the variance adds O(1/n).)
    const tau2 = (1 + phi * phi) / (2 * (1 - phi * phi));
    const truth = Math.sqrt((2 * tau2 * 2) / (chains * n));
    const c = f.estimates.specificHeatPerSite;
    if (!c) throw new Error(f.unavailable.specificHeatPerSiteUnavailable);
    // Blocks of b = 20 τ_int(x) ≈ 90 samples leave the variance low by 2φ²/(b(1−φ⁴)) ≈ 2.4% (1.2%
    // in the error); B ≈ 4400 blocks make the error uncertain by 1/√(2B) ≈ 1.1%: 0.92–1.05 is
    // the band (−1.2% and ±4σ), and an error bar off by 10% or halved falls outside it.
    expect(c.blockSize).toBe(Math.ceil(BLOCK_TAUS * c.tauInt));
    expect(c.nBlocks).toBeGreaterThan(4000);
    expect(c.error / truth).toBeGreaterThan(0.92);
    expect(c.error / truth).toBeLessThan(1.05);
    expect(Math.abs(c.mean - 1)).toBeLessThan(4 * truth);
    expect(c.untrusted).toBeUndefined();
  });

  it("χ = Var|y| = 1 − 2/π and U₄ = 0 for a Gaussian magnetisation, each within 4σ", () => {
    const chi = f.estimates.susceptibility;
    const u4 = f.estimates.binderCumulant;
    if (!chi || !u4) throw new Error(JSON.stringify(f.unavailable));
    expect(Math.abs(chi.mean - (1 - 2 / Math.PI))).toBeLessThan(4 * chi.error);
    expect(chi.error).toBeLessThan(0.01);
    expect(Math.abs(u4.mean)).toBeLessThan(4 * u4.error);
    expect(u4.error).toBeLessThan(0.01);
  });

  it("an ordered |m| (constant) gives χ = 0 and U₄ = 2/3; |m| = 0 leaves U₄ out with the reason, never NaN", () => {
    const e = ar1(2, 1000, 0.5, 3);
    const ordered = fluctuations({
      sites: 16,
      reducedEnergy: e,
      absMagnetization: e.map((c) => c.map(() => 0.75)),
      ising: true,
      minWindow: 0,
    });
    expect(ordered.estimates.susceptibility?.mean).toBe(0);
    // (The bias correction multiplies the block means' rounding by the number of blocks.)
    expect(ordered.estimates.binderCumulant?.mean).toBeCloseTo(2 / 3, 10);
    const zero = fluctuations({
      sites: 16,
      reducedEnergy: e,
      absMagnetization: e.map((c) => c.map(() => 0)),
      ising: true,
      minWindow: 0,
    });
    expect(zero.estimates.binderCumulant).toBeUndefined();
    expect(zero.unavailable.binderCumulantUnavailable).toMatch(/⟨m²⟩ = 0/);
    expect(zero.estimates.susceptibility?.mean).toBe(0);
  });

  it("O(n) spins have no U₄; a run too short for two blocks has none of them; an unresolved slow mode is untrusted", () => {
    const e = ar1(2, 1000, 0.5, 4);
    const on = fluctuations({ sites: 16, reducedEnergy: e, absMagnetization: e, ising: false, minWindow: 0 });
    expect(on.estimates.binderCumulant).toBeUndefined();
    expect(on.unavailable.binderCumulantUnavailable).toMatch(/Ising spins/);
    expect(on.estimates.specificHeatPerSite).toBeDefined();
    const short = ar1(1, 4, 0.5, 5);
    const s = fluctuations({
      sites: 16,
      reducedEnergy: short,
      absMagnetization: short,
      ising: true,
      minWindow: 0,
    });
    expect(Object.keys(s.estimates)).toEqual([]);
    expect(Object.keys(s.unavailable).sort()).toEqual([
      "binderCumulantUnavailable",
      "specificHeatPerSiteUnavailable",
      "susceptibilityUnavailable",
    ]);
    const unresolved = "the magnetisation relaxes more slowly than the chains are long";
    const u = fluctuations({
      sites: 16,
      reducedEnergy: e,
      absMagnetization: e,
      ising: true,
      minWindow: 0,
      unresolved,
    });
    for (const est of Object.values(u.estimates)) expect(est.untrusted).toBe(unresolved);
  });

  it("allocate FLUCTUATION_WORK_SERIES series-sized buffers, reused for C, χ and U₄, and no other array as long as a chain", () => {
    // What `physml mcmc`'s memory estimate counts for the pass: every Float64Array buffer of at
    // least one chain's length created during the call (views share their buffer). The inputs are
    // made of the counting class too, so arrays derived from them (map, slice) are seen as well.
    const [chains, n] = [3, 20_000];
    const buffers = new Set<ArrayBufferLike>();
    let counting = false;
    const global = globalThis as { Float64Array: Float64ArrayConstructor };
    const Original = global.Float64Array;
    class Counting extends Original {
      // biome-ignore lint/suspicious/noExplicitAny: forwards every constructor form
      constructor(...args: any[]) {
        super(...(args as []));
        if (counting && this.buffer.byteLength >= n * 8) buffers.add(this.buffer);
      }
    }
    global.Float64Array = Counting as unknown as Float64ArrayConstructor;
    let f: ReturnType<typeof fluctuations>;
    try {
      const input = {
        sites: 16,
        reducedEnergy: ar1(chains, n, 0.3, 5),
        absMagnetization: scale(ar1(chains, n, 0.3, 6), Math.abs),
        ising: true,
        minWindow: 0,
      };
      expect(input.reducedEnergy[0]).toBeInstanceOf(Counting);
      counting = true;
      f = fluctuations(input);
    } finally {
      counting = false;
      global.Float64Array = Original;
    }
    expect(Object.keys(f.estimates)).toEqual(["specificHeatPerSite", "susceptibility", "binderCumulant"]);
    expect(buffers.size).toBe(FLUCTUATION_WORK_SERIES);
    for (const b of buffers) expect(b.byteLength).toBe(chains * n * 8);
  });
});
