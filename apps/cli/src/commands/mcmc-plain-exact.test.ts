// physml mcmc with the plain flags (--L --beta --plaquette --nnn --field, the square fast path):
// a lattice small enough to enumerate is compared with its exact values whatever its couplings,
// checked here against a brute-force sum over all 2^16 states of a 4×4 torus written in the test;
// a larger one has no `exact` and says why.
import { kaufman } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";

interface Couplings {
  beta: number;
  plaquette: number;
  nnn: number;
  field: number;
}

/**
 * ⟨−S_nn⟩/N, ⟨H⟩/N, ⟨|M|⟩/N, C = Var(H)/N, χ = N(⟨m²⟩ − ⟨|m|⟩²) and U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²)
 * (m = M/N) on an L×L torus by summing every state, with
 * H = −β S_nn − κ S_plaq − k₂ S_nnn − h M (each sum once per site: right and up bonds, the
 * plaquette to the upper right, both diagonals to the right).
 */
function bruteForce(L: number, k: Couplings) {
  const N = L * L;
  const s = (c: number, x: number, y: number) =>
    ((c >> (((y + L) % L) * L + ((x + L) % L))) & 1) === 1 ? 1 : -1;
  const states = 2 ** N;
  const [w, nn, h, m] = [0, 0, 0, 0].map(() => new Float64Array(states));
  for (let c = 0; c < states; c++) {
    let sNn = 0;
    let sPlaq = 0;
    let sNnn = 0;
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++) {
        const v = s(c, x, y);
        m[c] += v;
        sNn += v * (s(c, x + 1, y) + s(c, x, y + 1));
        sPlaq += v * s(c, x + 1, y) * s(c, x + 1, y + 1) * s(c, x, y + 1);
        sNnn += v * (s(c, x + 1, y + 1) + s(c, x + 1, y - 1));
      }
    nn[c] = -sNn;
    h[c] = -k.beta * sNn - k.plaquette * sPlaq - k.nnn * sNnn - k.field * m[c];
    w[c] = Math.exp(-h[c]);
  }
  let Z = 0;
  for (const v of w) Z += v;
  const mean = (f: (c: number) => number) => {
    let a = 0;
    for (let c = 0; c < states; c++) a += w[c] * f(c);
    return a / Z;
  };
  const H = mean((c) => h[c]);
  const absM = mean((c) => Math.abs(m[c]));
  const M2 = mean((c) => m[c] ** 2);
  // Variances summed about the mean (no cancellation of two large moments).
  return {
    energyPerSite: mean((c) => nn[c]) / N,
    reducedEnergyPerSite: H / N,
    absMagnetization: absM / N,
    specificHeatPerSite: mean((c) => (h[c] - H) ** 2) / N,
    susceptibility: mean((c) => (Math.abs(m[c]) - absM) ** 2) / N,
    binderCumulant: 1 - mean((c) => m[c] ** 4) / (3 * M2 * M2),
  };
}

const KEYS = [
  "energyPerSite",
  "reducedEnergyPerSite",
  "absMagnetization",
  "specificHeatPerSite",
  "susceptibility",
  "binderCumulant",
] as const;

/**
 * How closely an exact value must equal the brute-force sum: 1e-12 for means; 1e-11 for the
 * fluctuations, differences of moments whose sums (2^16 rescaled weights, or Kaufman's sector
 * sums) round to a few 1e-12 once the cancelling parts are taken away (3.4e-12 seen for C).
 */
const tolerance = (key: (typeof KEYS)[number]) =>
  key === "specificHeatPerSite" || key === "susceptibility" || key === "binderCumulant" ? 1e-11 : 1e-12;

const flags = (k: Couplings) => [
  ...["--beta", String(k.beta), "--plaquette", String(k.plaquette)],
  ...["--nnn", String(k.nnn), "--field", String(k.field)],
];

describe("physml mcmc --L --beta with other couplings: exact values wherever the model is small", () => {
  it.each([
    ["plaquette", { beta: 0.3, plaquette: 0.15, nnn: 0, field: 0 }],
    ["field", { beta: 0.3, plaquette: 0, nnn: 0, field: 0.1 }],
    ["nnn and field", { beta: 0.25, plaquette: 0, nnn: -0.1, field: 0.05 }],
  ] as const)(
    "4×4 with %s: exact values equal the brute-force sum, and the estimates agree within 5σ",
    async (_, k) => {
      const r = await run(
        ...["mcmc", "--L", "4", ...flags(k), "--backend", "cpu", "--chains", "16"],
        ...["--sweeps", "4000", "--thermalize", "500", "--json"],
      );
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.exactUnavailable).toBeUndefined();
      const truth = bruteForce(4, k);
      // (All are even under h → −h with s → −s: they check the field's size, not its sign.)
      for (const key of KEYS) {
        expect(Math.abs(j.exact[key] - truth[key]), key).toBeLessThan(tolerance(key));
        // 5σ of the autocorrelation-aware error: a biased sampler or a wrong model description fails.
        expect(Math.abs(j[key].mean - truth[key]), key).toBeLessThan(5 * j[key].error);
      }
    },
  );

  it("a torus too large to enumerate has no `exact` key (never null), and the text says why", async () => {
    const k = { beta: 0.3, plaquette: 0.1, nnn: 0, field: 0 };
    const small = ["--backend", "cpu", "--chains", "1", "--sweeps", "2", "--thermalize", "0"];
    const r = await run("mcmc", "--L", "8", ...flags(k), ...small, "--json");
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect("exact" in j).toBe(false);
    expect(j.exactUnavailable).toBe("64 sites > 20 for enumeration; no closed form with terms other than nn");
    const text = await run("mcmc", "--L", "8", ...flags(k), ...small);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/\n {2}no exact value: 64 sites > 20 for enumeration; no closed form/);
    expect(text.stdout).not.toMatch(/exact {2}/);
    // Two samples make no jackknife blocks: each fluctuation is n/a with the reason, never NaN.
    expect(text.stdout).toMatch(
      /\n {2}C = N\(⟨e²⟩ − ⟨e⟩²\), e = H\/N +n\/a: C needs at least 2 jackknife blocks/,
    );
    expect(text.stdout).not.toMatch(/NaN/);
    expect(j.binderCumulant).toBeUndefined();
    expect(j.binderCumulantUnavailable).toMatch(/^U₄ needs at least 2 jackknife blocks/);
  });

  it("nn alone keeps Kaufman's energy and specific heat at any size, and adds ⟨H⟩/N = β·energy, |m|, χ and U₄ where it enumerates", async () => {
    const small = ["--backend", "cpu", "--chains", "1", "--sweeps", "2", "--thermalize", "0", "--json"];
    const k = { beta: 0.35, plaquette: 0, nnn: 0, field: 0 };
    const truth = bruteForce(4, k);
    const four = JSON.parse((await run("mcmc", "--L", "4", "--beta", "0.35", ...small)).stdout);
    for (const key of KEYS) expect(Math.abs(four.exact[key] - truth[key]), key).toBeLessThan(tolerance(key));
    const big = JSON.parse((await run("mcmc", "--L", "64", "--beta", "0.35", ...small)).stdout);
    expect(Object.keys(big.exact)).toEqual(["energyPerSite", "reducedEnergyPerSite", "specificHeatPerSite"]);
    expect(big.exact.reducedEnergyPerSite).toBe(0.35 * big.exact.energyPerSite);
  });

  it("8×8 at β = 0.4: the specific heat agrees with Kaufman's within 3σ of its jackknife error", async () => {
    const exact = kaufman(8, 8, 0.4).specificHeatPerSite;
    const r = await run(
      ...["mcmc", "--L", "8", "--beta", "0.4", "--backend", "cpu", "--chains", "8"],
      ...["--sweeps", "4000", "--thermalize", "500", "--json"],
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.exact.specificHeatPerSite).toBe(exact);
    expect(j.specificHeatPerSite.untrusted).toBeUndefined();
    // The error is a few % of C: the comparison is not vacuous.
    expect(j.specificHeatPerSite.error).toBeLessThan(0.05 * exact);
    expect(Math.abs(j.specificHeatPerSite.mean - exact)).toBeLessThan(3 * j.specificHeatPerSite.error);
  });
});
