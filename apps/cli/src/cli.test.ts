import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  BETA_C,
  couplings,
  dualCoupling,
  enumerate,
  kaufman,
  onsagerEnergyPerSite,
  onsagerMagnetization,
  STANDARD_SHAPES,
  squareLattice,
  standardSquareTerms,
} from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { runCaptured as run } from "../test/run-captured.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** Runs the CLI in a child process (native code writes to the real stderr) with `env` on top of a GPU-free environment. */
function spawnCli(argv: string[], env: Record<string, string> = {}) {
  const base = { ...process.env };
  for (const k of [
    "VK_ICD_FILENAMES",
    "VK_DRIVER_FILES",
    "VK_ADD_DRIVER_FILES",
    "PHYSML_BACKEND",
    "PHYSML_DEBUG",
  ])
    delete base[k];
  const r = spawnSync(
    process.execPath,
    ["--conditions=@physml/source", "--import", "tsx", "apps/cli/src/main.ts", ...argv],
    { cwd: ROOT, env: { ...base, ...env }, encoding: "utf8", timeout: 60_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI in-process and captures stdout, stderr and the exit code. */
/** Runs with --json and checks that stdout is exactly one JSON object. */
async function runJson(...argv: string[]) {
  const r = await run(...argv, "--json");
  expect(r.code).toBe(0);
  expect(r.stdout.endsWith("\n")).toBe(true);
  expect(r.stdout.trim().split("\n").length).toBe(1);
  return JSON.parse(r.stdout);
}

describe("physml exact energy", () => {
  it("--json prints Kaufman's finite-torus values and Onsager's infinite-lattice ones", async () => {
    const j = await runJson("exact", "energy", "--L", "16", "--Ly", "8", "--beta", "0.4");
    const k = kaufman(16, 8, 0.4);
    expect(j.L).toBe(16);
    expect(j.Ly).toBe(8);
    expect(j.kaufman.lnZ).toBe(k.lnZ);
    expect(j.kaufman.specificHeatPerSite).toBe(k.specificHeatPerSite);
    expect(j.onsager.energyPerSite).toBe(onsagerEnergyPerSite(0.4));
    expect(j.onsager.magnetization).toBe(0);
    expect(j.betaC).toBe(BETA_C);
    const cold = await runJson("exact", "energy", "--L", "64", "--beta", "0.6");
    expect(cold.Ly).toBe(64);
    expect(cold.onsager.magnetization).toBe(onsagerMagnetization(0.6));
    // Far from β_c, 64×64 is already within 1e-10 of the infinite lattice.
    expect(Math.abs(cold.kaufman.energyPerSite - cold.onsager.energyPerSite)).toBeLessThan(1e-10);
  });

  it("prints a human table without --json", async () => {
    const r = await run("exact", "energy", "--L", "8", "--beta", "0.3");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("8×8 torus");
    expect(r.stdout).toContain(kaufman(8, 8, 0.3).energyPerSite.toPrecision(12));
  });

  it("bad or missing flags exit 2 with a message naming the flag and range", async () => {
    for (const [argv, msg] of [
      [["--L", "1", "--beta", "0.3"], /--L: expected an integer in \[2, 32768\], got "1"/],
      [["--L", "8", "--beta", "nan"], /--beta: expected a number in \[0, 50\], got "nan"/],
      [["--L", "8", "--beta=-1"], /--beta: expected a number in \[0, 50\]/],
      // node's parseArgs reads "-1" after a flag as an option; the message still names the flag.
      [["--L", "8", "--beta", "-1"], /--beta/],
      [["--L", "8"], /--beta: expected .* got nothing/],
      [["--beta", "0.3"], /--L: expected .* got nothing/],
      [["--L", "8", "--beta", "0.3", "--bogus", "1"], /bogus/],
    ] as [string[], RegExp][]) {
      const r = await run("exact", "energy", ...argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(msg);
    }
  });
});

describe("physml exact enumerate", () => {
  it("--json gives Z, energy, |m|, m², m⁴, C, χ, U₄ and the 13 named features, equal to enumerate()", async () => {
    const j = await runJson(
      "exact",
      "enumerate",
      "--L",
      "4",
      "--beta",
      "0.3",
      "--plaquette",
      "0.1",
      "--nnn=-0.05",
      "--field",
      "0.02",
    );
    const r = enumerate(squareLattice(4), couplings({ nn: 0.3, plaquette: 0.1, nnn: -0.05, field: 0.02 }));
    expect(j.states).toBe(65536);
    expect(j.lnZ).toBe(r.lnZ);
    expect(j.reducedEnergyPerSite).toBe(r.reducedEnergyPerSite);
    expect(j.absMagnetization).toBe(r.absMagnetization);
    expect(j.m2).toBe(r.m2);
    expect(j.m4).toBe(r.m4);
    expect(j.specificHeatPerSite).toBe(r.specificHeatPerSite);
    expect(j.susceptibility).toBe(r.susceptibility);
    expect(j.binderCumulant).toBe(r.binderCumulant);
    expect(Object.keys(j.features)).toEqual(STANDARD_SHAPES.map((s) => s.name));
    expect(j.features.plaquette).toBe(1);
    expect(j.features.h).toBe(r.features[0]);
    expect(j.termMeans.field).toBe(r.termMeans[3]);
  });

  it("C, χ and U₄ equal Kaufman's C on the nn torus and a brute-force sum over the states", async () => {
    // Kaufman's C is accurate to 1e-10 at 4×4 for β ≤ 0.8 (lattice-core README); enumeration's
    // Var(H) to ≈ 1e-13 here.
    for (const beta of [0.3, BETA_C]) {
      const e = await runJson("exact", "enumerate", "--L", "4", "--beta", String(beta));
      expect(e.specificHeatPerSite).toBeCloseTo(kaufman(4, 4, beta).specificHeatPerSite, 9);
    }
    // 3×3 with every coupling: H, M and their moments summed state by state from coordinates.
    const [L, c] = [3, { nn: 0.31, plaquette: -0.17, nnn: 0.12, field: 0.09 }];
    const N = L * L;
    const s = (k: number, x: number, y: number) => ((k >> (((x + L) % L) + L * ((y + L) % L))) & 1 ? -1 : 1);
    let [z, h, h2, am, m2, m4] = [0, 0, 0, 0, 0, 0];
    for (let k = 0; k < 2 ** N; k++) {
      let [nn, plaq, nnn, M] = [0, 0, 0, 0];
      for (let x = 0; x < L; x++)
        for (let y = 0; y < L; y++) {
          nn += s(k, x, y) * (s(k, x + 1, y) + s(k, x, y + 1));
          plaq += s(k, x, y) * s(k, x + 1, y) * s(k, x + 1, y + 1) * s(k, x, y + 1);
          nnn += s(k, x, y) * (s(k, x + 1, y + 1) + s(k, x + 1, y - 1));
          M += s(k, x, y);
        }
      const H = -(c.nn * nn + c.plaquette * plaq + c.nnn * nnn + c.field * M);
      const w = Math.exp(-H);
      const m = M / N;
      [z, h, h2, am, m2, m4] = [
        z + w,
        h + w * H,
        h2 + w * H * H,
        am + w * Math.abs(m),
        m2 + w * m * m,
        m4 + w * m ** 4,
      ];
    }
    [h, h2, am, m2, m4] = [h / z, h2 / z, am / z, m2 / z, m4 / z];
    const flags = ["--plaquette", "-0.17", "--nnn", "0.12", "--field", "0.09"];
    const e = await runJson("exact", "enumerate", "--L", "3", "--beta", "0.31", ...flags);
    expect(e.m4).toBeCloseTo(m4, 12);
    expect(e.specificHeatPerSite).toBeCloseTo((h2 - h * h) / N, 10);
    expect(e.susceptibility).toBeCloseTo(N * (m2 - am * am), 10);
    expect(e.binderCumulant).toBeCloseTo(1 - m4 / (3 * m2 * m2), 10);
    // `exact model` of the same description runs the same enumerator: the same numbers, bit for bit.
    const dir = mkdtempSync(join(tmpdir(), "physml-exact-enumerate-"));
    const file = join(dir, "standard.json");
    writeFileSync(
      file,
      JSON.stringify({ spin: "ising", lattice: { square: [3, 3] }, terms: standardSquareTerms(c) }),
    );
    const d = await runJson("exact", "model", "--model-file", file);
    for (const key of [
      "lnZ",
      "reducedEnergyPerSite",
      "m4",
      "specificHeatPerSite",
      "susceptibility",
      "binderCumulant",
    ])
      expect(d[key], key).toBe(e[key]);
  });

  it("nn-only enumeration agrees with `exact energy` (Kaufman) on the same torus", async () => {
    const e = await runJson("exact", "enumerate", "--L", "4", "--Ly", "3", "--beta", "0.35");
    const k = await runJson("exact", "energy", "--L", "4", "--Ly", "3", "--beta", "0.35");
    expect(Math.abs(e.lnZ / k.kaufman.lnZ - 1)).toBeLessThan(1e-12);
    expect(e.reducedEnergyPerSite).toBeCloseTo(0.35 * k.kaufman.energyPerSite, 12);
  });

  it("issue 12, case 4: one key, one meaning — energyPerSite is ⟨−Σ ss⟩/N, reducedEnergyPerSite ⟨H⟩/N", async () => {
    // L = 2, β = 0.4: the two commands printed `energyPerSite` −1.6022 and −0.6409.
    const e = await runJson("exact", "enumerate", "--L", "2", "--beta", "0.4");
    const k = await runJson("exact", "energy", "--L", "2", "--beta", "0.4");
    const r = enumerate(squareLattice(2), couplings({ nn: 0.4 }));
    expect(e).not.toHaveProperty("energyPerSite");
    expect(e.reducedEnergyPerSite).toBeCloseTo(0.4 * k.kaufman.energyPerSite, 12);
    expect(k.kaufman.energyPerSite).toBeCloseTo(-r.termMeans[0] / 4, 12);
    // The free energy is named for what it is: −ln Z/N = βf.
    expect(k.kaufman.reducedFreeEnergyPerSite).toBeCloseTo(-k.kaufman.lnZ / 4, 14);
    expect(k.kaufman).not.toHaveProperty("freeEnergyPerSite");
    expect(k.onsager).not.toHaveProperty("freeEnergyPerSite");
    const human = await run("exact", "energy", "--L", "2", "--beta", "0.4");
    expect(human.stdout).toMatch(/βf = −ln Z\/N/);
    expect(human.stdout).toMatch(/energy\/site ⟨−Σ s_i s_j⟩\/N/);
    expect(human.stdout).not.toMatch(/free energy/);
  });

  it("issue 12, case 3: extreme couplings are refused with a range, or give finite numbers, never null", async () => {
    let r = await run("exact", "enumerate", "--L", "4", "--beta", "1e308", "--json");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/--beta: expected a number in \[-1e\+250, 1e\+250\], got "1e308"/);
    // β = 50: Z = e^1600 leaves the double range; ln Z does not. Z is absent with the reason.
    const big = await runJson("exact", "enumerate", "--L", "4", "--beta", "50");
    expect(JSON.stringify(big)).not.toMatch(/null|NaN|Infinity/);
    expect(big).not.toHaveProperty("Z");
    expect(big.ZUnavailable).toMatch(/exceeds the double range/);
    expect(big.reducedEnergyPerSite).toBe(-100);
    r = await run("dual", "--beta", "400");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--beta: expected a number in \[1e-300, 350\], got "400"/);
    const edge = await runJson("dual", "--beta", "350");
    expect(edge.sinhProduct).toBeCloseTo(1, 12);
    // The specific heat at β = 50 underflows: it is 0 with its precision, never negative.
    const cold = await runJson("exact", "energy", "--L", "8", "--beta", "50");
    expect(cold.kaufman.specificHeatPerSite).toBe(0);
    expect(cold.kaufman.specificHeatPerSitePrecision).toBeGreaterThan(0);
    expect(cold.kaufman.specificHeatPerSitePrecision).toBeLessThan(1e-8);
    const text = await run("exact", "energy", "--L", "8", "--beta", "50");
    expect(text.stdout).toMatch(
      /specific heat\/site β²Var\(Σss\)\/N 0 \(< 1\.1e-10, below double precision\)/,
    );
    // Where it is measurable it is untouched (β = 3 on 8×8: 2.175e−8, far above its precision).
    const warm = await runJson("exact", "energy", "--L", "8", "--beta", "3");
    expect(warm.kaufman.specificHeatPerSite).toBeGreaterThan(1e3 * warm.kaufman.specificHeatPerSitePrecision);
  });

  it("too many sites or bad couplings exit 2 naming the limit or flag", async () => {
    let r = await run("exact", "enumerate", "--L", "5", "--Ly", "6", "--beta", "0.3");
    expect(r.code).toBe(2);
    // the flag that set the size, not an internal field
    expect(r.stderr).toBe(
      'physml exact enumerate: --Ly: expected at most 5 (5 × Ly ≤ 25 sites for exact enumeration), got "6"\n',
    );
    r = await run("exact", "enumerate", "--L", "6", "--beta", "0.3");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'physml exact enumerate: --L: expected at most 5 (L × L ≤ 25 sites for exact enumeration), got "6"\n',
    );
    expect((await run("exact", "enumerate", "--L", "25", "--Ly", "1", "--beta", "0.3")).code).toBe(0);
    r = await run("exact", "enumerate", "--L", "26", "--Ly", "1", "--beta", "0.3");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--L: expected an integer in \[1, 25\]/);
    r = await run("exact", "enumerate", "--L", "3", "--beta", "0.3", "--field", "Infinity");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--field: expected a number/);
  });
});

describe("physml exact model", () => {
  const file = (model: object) => {
    const dir = mkdtempSync(join(tmpdir(), "physml-exact-model-"));
    const path = join(dir, "model.json");
    writeFileSync(path, JSON.stringify(model));
    return path;
  };

  it("a 50-site nn ring by transfer matrix: ln Z = ln((2 cosh β)^L + (2 sinh β)^L)", async () => {
    const beta = 0.4;
    const path = file({
      spin: "ising",
      lattice: { chain: 50 },
      terms: [{ name: "nn", coupling: beta, sites: [[0], [1]] }],
    });
    const r = await run("exact", "model", "--model-file", path, "--json");
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.method).toBe("transfer matrix");
    const exact = Math.log((2 * Math.cosh(beta)) ** 50 + (2 * Math.sinh(beta)) ** 50);
    expect(Math.abs(j.lnZ - exact) / exact).toBeLessThan(1e-12);
    expect(j.termMeans.nn / 50).toBeCloseTo(Math.tanh(beta), 6);
  });

  it("a 4×4 nn torus by enumeration equals Kaufman's ln Z; O(n) spins and large lattices are refused", async () => {
    const path = file({
      spin: "ising",
      lattice: { square: [4, 4] },
      terms: [
        {
          name: "nn",
          coupling: 0.3,
          shapes: [
            [
              [0, 0],
              [1, 0],
            ],
            [
              [0, 0],
              [0, 1],
            ],
          ],
        },
      ],
    });
    const r = await run("exact", "model", "--model-file", path, "--json");
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.method).toBe("enumeration");
    expect(Math.abs(j.lnZ - kaufman(4, 4, 0.3).lnZ)).toBeLessThan(1e-10);
    // the fluctuations under the keys physml mcmc uses: C equals Kaufman's, χ and U₄ their moments
    expect(Math.abs(j.specificHeatPerSite - kaufman(4, 4, 0.3).specificHeatPerSite)).toBeLessThan(1e-9);
    expect(j.susceptibility).toBeCloseTo(16 * (j.m2 - j.absMagnetization ** 2), 12);
    expect(j.binderCumulant).toBeCloseTo(1 - j.m4 / (3 * j.m2 ** 2), 12);
    expect(r.stdout).not.toMatch(/NaN|null/);
    const xy = file({
      spin: "xy",
      lattice: { chain: 8 },
      terms: [{ name: "nn", coupling: 1, sites: [[0], [1]] }],
    });
    const bad = await run("exact", "model", "--model-file", xy);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--model-file: expected a description with Ising spins, got .* \(O\(2\) spins\)/,
    );
    const big = file({
      spin: "ising",
      lattice: { square: [6, 6] },
      terms: [
        {
          name: "nn",
          coupling: 1,
          sites: [
            [0, 0],
            [1, 0],
          ],
        },
      ],
    });
    const refused = await run("exact", "model", "--model-file", big);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--model-file: expected at most 25 sites, or a chain .* \(36 sites\)/);
  });
});

describe("physml dual", () => {
  it("--json gives β̃ with sinh 2β sinh 2β̃ = 1 and the phases", async () => {
    const j = await runJson("dual", "--beta", "0.3");
    expect(j.dualBeta).toBe(dualCoupling(0.3));
    expect(j.sinhProduct).toBeCloseTo(1, 14);
    expect(j.phase).toBe("disordered");
    expect(j.dualPhase).toBe("ordered");
    const back = await runJson("dual", "--beta", String(j.dualBeta));
    expect(back.dualBeta).toBeCloseTo(0.3, 13);
  });

  it("human output, help, and bad β", async () => {
    const h = await run("dual", "--beta", "0.3");
    expect(h.stdout).toContain("β̃ = 0.616679159416103");
    const help = await run("dual", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--beta");
    for (const b of ["0", "-0.2", "x"]) {
      const r = await run("dual", `--beta=${b}`);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--beta: expected a number/);
    }
    expect((await run("dual")).stderr).toMatch(/--beta: expected .* got nothing/);
  });
});

describe("issue 12, case 5: resources are checked before they are taken", () => {
  it("a run above the memory limit is refused before any allocation, naming the largest part", async () => {
    // 32768² sites: the lattice tables alone are ~112 GB (the process used to be killed).
    let r = await run("mcmc", "--L", "32768", "--chains", "64", "--beta", "0.4");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /--L: expected a run that fits in the memory limit of .* this one needs ≈ 128 GB \(lattice tables 112 GB, spins 16.0 GB/,
    );
    // 2^20 chains × 10 000 sweeps: the measurements alone are ~1.9 TB (it used to hang): 136 bytes
    // per sample and chain as measured, 8 series of 8 bytes built from them (mcmc.ts, seriesHeld).
    r = await run("mcmc", "--L", "64", "--chains", "1048576", "--beta", "0.4");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sweeps: expected a run that fits .* measurements 1.91 TB\), got "10000"/);
    // --max-memory sets the limit.
    const small = ["mcmc", "--L", "16", "--chains", "16", "--beta", "0.4", "--sweeps", "200"];
    r = await run(...small, "--max-memory", "100K");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/memory limit of 100 KB \(--max-memory\): this one needs ≈ 657 KB/);
    r = await run(...small, "--max-memory", "lots");
    expect(r.stderr).toMatch(
      /--max-memory: expected a size such as 4G, 512M or 1000000 \(bytes\), got "lots"/,
    );
    const ok = await runJson(...small, "--thermalize", "10", "--max-memory", "1M", "--backend", "cpu");
    expect(ok.samplesPerChain).toBe(200);
  });
});

describe("issue 12, case 7: quiet without a GPU", () => {
  it("auto without a Vulkan driver prints one line, no driver noise; --debug shows it", () => {
    // 200 sweeps: long enough for every error bar (the fluctuations' jackknife needs 20 blocks of
    // 20 τ_int), so stderr holds the backend line alone.
    const args = ["mcmc", "--L", "8", "--beta", "0.3", "--sweeps", "200", "--thermalize", "0", "--json"];
    const r = spawnCli(args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("physml: no GPU adapter; using the CPU backend\n");
    expect(JSON.parse(r.stdout).backend).toBe("cpu");
  });

  it("a bad PHYSML_BACKEND is a usage error naming the variable and its values", () => {
    for (const cmd of [
      ["mcmc", "--L", "8", "--beta", "0.3"],
      ["duality", "kw", "--L", "8"],
    ]) {
      const r = spawnCli(cmd, { PHYSML_BACKEND: "bogus" });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /PHYSML_BACKEND \(environment variable\): expected one of auto\|cpu\|webgpu, got bogus\n$/,
      );
      expect(r.stderr).not.toMatch(/GPU no-adapter/);
    }
    // Two CLI start-ups: under a loaded machine each can take tens of seconds.
  }, 180_000);

  it("a bad PHYSML_THREADS is a usage error naming the variable and its range", () => {
    const r = spawnCli(["mcmc", "--L", "8", "--beta", "0.3", "--json"], { PHYSML_THREADS: "0" });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^physml mcmc: PHYSML_THREADS \(environment variable\): expected an integer in \[1, 256\], got 0\n$/m,
    );
  }, 120_000);
});

describe("--config files that cannot be used", () => {
  it("name --config and the file, with the reason in brackets, on one line (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "physml-config-"));
    const text = join(dir, "text.json");
    writeFileSync(text, "not json at all\n");
    const list = join(dir, "list.json");
    writeFileSync(list, "[1, 2]");
    const missing = join(dir, "missing.json");
    for (const [file, message] of [
      [
        text,
        `expected a readable JSON file, got "${text}" (Unexpected token 'o', "not json at all " is not valid JSON)`,
      ],
      [list, `expected a JSON object, got "${list}" (an array)`],
      [missing, `expected a readable JSON file, got "${missing}" (ENOENT)`],
    ]) {
      const r = await run("duality", "kw", "--config", file, "--out", join(dir, "run"));
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`physml duality kw: --config: ${message}\n`);
    }
  });
});
