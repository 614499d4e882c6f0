// `physml duality kw|sweep` end to end through the CLI entry: --json prints one result object,
// the run directory holds every artefact, and bad values fail with the field and its range.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dualCoupling } from "@physml/lattice-core";
import { expect, test } from "vitest";
import { runCli } from "../../apps/cli/src/main.ts";

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, sink: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) } };
}

const tiny = ["--L", "6", "--steps", "3", "--explore-steps", "6", "--chains", "16", "--backend", "cpu"];

test("duality kw --json writes a complete run directory; a run too short to converge exits 3 with a warning", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "physml-cli-")), "kw");
  const o = io();
  const code = await runCli(["duality", "kw", "--beta", "0.3", ...tiny, "--out", dir, "--json"], o.sink);
  // 3 training steps on a 6×6 torus cannot fit the map: the learner's own check says so (exit 3),
  // after one retry from the next exploration start.
  expect(code, o.err.join("")).toBe(3);
  expect(o.err.join("")).toMatch(
    /^warning: the learned dual coupling t0 = \S+ \(β = 0.3, L = 6, seed 1\) FAILED its own checks and should not be trusted: .*; try more steps \(--steps\), more chains \(--chains\) or another --seed \(exit code 3\)$/m,
  );
  expect(o.out).toHaveLength(1);
  const r = JSON.parse(o.out[0]);
  expect(r.exact.dualBeta).toBe(dualCoupling(0.3));
  expect(Number.isFinite(r.t0)).toBe(true);
  for (const f of [
    "config.json",
    "target.json",
    "metrics.jsonl",
    "checkpoint",
    "result.json",
    "report.html",
  ]) {
    expect(existsSync(join(dir, f)), f).toBe(true);
  }
  const lines = readFileSync(join(dir, "metrics.jsonl"), "utf8").trim().split("\n");
  // exploration (6) + training (3) + the retry's training (3)
  expect(lines).toHaveLength(12);
  expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("<svg");
  // A finished run resumes to the same result.
  const o2 = io();
  expect(await runCli(["duality", "kw", "--out", dir, "--resume", "--json"], o2.sink)).toBe(3);
  expect(JSON.parse(o2.out[0]).t0).toBe(r.t0);
  expect(r.validation.passed).toBe(false);
  expect(r.failedAttempts).toHaveLength(1);
  expect(r.validation.failures.length).toBeGreaterThan(0);
  expect(r.validation.targets).toEqual({ maxChi2PerDof: 9, maxPull: 10 });
  expect(r.failedAttempts[0].failures.length).toBeGreaterThan(0);

  // A result.json written before the validation's parts were named `failures` and `targets`
  // (`reasons` and `limits`, also `reasons` in each failed attempt) resumes under the new names.
  const stored = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
  const { failures, targets, ...validation } = stored.validation;
  stored.validation = { ...validation, reasons: failures, limits: targets };
  stored.failedAttempts = stored.failedAttempts.map(({ failures: f, ...a }: { failures: string[] }) => ({
    ...a,
    reasons: f,
  }));
  writeFileSync(join(dir, "result.json"), JSON.stringify(stored));
  const o3 = io();
  expect(await runCli(["duality", "kw", "--out", dir, "--resume", "--json"], o3.sink)).toBe(3);
  const old = JSON.parse(o3.out[0]);
  expect(old.validation).toEqual(r.validation);
  expect(old.failedAttempts).toEqual(r.failedAttempts);
  expect(o3.err.join("")).toContain(`should not be trusted: ${r.validation.failures.join("; ")}`);
  const o4 = io();
  expect(await runCli(["duality", "kw", "--out", dir, "--resume"], o4.sink)).toBe(3);
  expect(o4.out.join("")).toMatch(/validation: FAILED .*\(limit 9\), worst pull .*\(limit 10σ\)/);
  // The runs readers show it under the new names too (the stored file keeps the old ones).
  const o5 = io();
  expect(await runCli(["runs", "show", dir, "--json"], o5.sink)).toBe(0);
  const shown = JSON.parse(o5.out[0]).result;
  expect(shown.validation).toEqual(r.validation);
  expect(shown.failedAttempts).toEqual(r.failedAttempts);
  const o6 = io();
  expect(await runCli(["runs", "export", dir], o6.sink)).toBe(0);
  const head = o6.out.join("").split("\n")[0].split(",");
  expect(head).toContain("result.validation.failures");
  expect(head).not.toContain("result.validation.reasons");
  expect(readFileSync(join(dir, "result.json"), "utf8")).toContain('"reasons"');
}, 120_000);

test("duality sweep writes one run per β and the t0(β) report", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "physml-cli-")), "sweep");
  const o = io();
  const code = await runCli(
    ["duality", "sweep", "--betas", "0.3,0.7", ...tiny, "--out", dir, "--json"],
    o.sink,
  );
  // Both tiny runs fail their own check: the sweep marks them and exits 3.
  expect(code, o.err.join("")).toBe(3);
  const r = JSON.parse(o.out[0]);
  expect(r.rows.map((row: { beta: number }) => row.beta)).toEqual([0.3, 0.7]);
  expect(r.rows.map((row: { validated: boolean }) => row.validated)).toEqual([false, false]);
  expect(o.err.join("")).toMatch(
    /^warning: the learned dual coupling at 2 of 2 points FAILED its own checks and should not be trusted: β = 0.3 \(.*\); β = 0.7 \(.*\); try .* \(exit code 3\)$/m,
  );
  // each failed point's row says why, and the warning repeats it
  for (const row of r.rows as { validationFailures: string[] }[]) {
    expect(row.validationFailures.length).toBeGreaterThan(0);
    expect(o.err.join("")).toContain(row.validationFailures.join("; "));
  }
  expect(existsSync(join(dir, "beta-0.300", "result.json"))).toBe(true);
  // t0(β): 2 markers; the attention figure: anti-diagonal and diagonal weight per β, 4 more.
  expect(readFileSync(join(dir, "report.html"), "utf8").match(/aria-roledescription="point"/g)).toHaveLength(
    6,
  );
}, 120_000);

test("duality sweep over a (β, κ) grid with an extra dual term: one run per point plus its nn-only comparison", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "physml-cli-")), "grid");
  const o = io();
  const code = await runCli(
    [
      "duality",
      "sweep",
      "--betas",
      "0.3",
      "--plaquettes",
      "0,0.1",
      "--dual-terms",
      "nn,plaquette",
      ...tiny,
      "--out",
      dir,
      "--json",
    ],
    o.sink,
  );
  expect(code, o.err.join("")).toBe(3);
  const r = JSON.parse(o.out[0]);
  expect(r.rows.map((row: { plaquette: number }) => row.plaquette)).toEqual([0, 0.1]);
  for (const row of r.rows) {
    expect(Number.isFinite(row.learned.plaquette.value)).toBe(true);
    expect(Number.isFinite(row.finalLoss)).toBe(true);
    expect(Number.isFinite(row.nnOnly.finalLoss)).toBe(true);
    const w = row.attentionByDiagonal;
    expect(w.diagonal + w.antiDiagonal + w.axis).toBeCloseTo(1, 9);
  }
  expect(r.rows[0].exact).toBe(dualCoupling(0.3));
  expect(r.rows[1].exact).toBeUndefined();
  for (const d of ["beta-0.300-kappa-0.000", "beta-0.300-kappa-0.000-nn-only", "beta-0.300-kappa-0.100"])
    expect(existsSync(join(dir, d, "result.json")), d).toBe(true);
  expect(readFileSync(join(dir, "report.html"), "utf8")).toContain(
    "does the extra dual term buy a better dual?",
  );
}, 240_000);

test("duality kw --nnn: the NNN-deformed original has no exact dual; the result names its coupling (on --workers 1)", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "physml-cli-")), "nnn");
  const o = io();
  const code = await runCli(
    ["duality", "kw", "--beta", "0.3", "--nnn", "0.05", ...tiny, "--workers", "1", "--out", dir, "--json"],
    o.sink,
  );
  expect([0, 3]).toContain(code);
  const r = JSON.parse(o.out[0]);
  expect(r.nnn).toBe(0.05);
  expect(r.exact).toBeUndefined();
  expect(r.targetBoundary).toBe("periodic");
  const cfg = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
  expect(JSON.stringify(cfg)).toContain('"nnn":0.05');
  // --workers reaches the sampler and is no part of the stored configuration
  expect(r.adapter).toMatch(/\(1 thread, /);
  expect(JSON.stringify(cfg)).not.toContain("workers");
}, 120_000);

test("issue 12, case 2: one training step prints '± n/a (1 training step)', and --json has no NaN or null", async () => {
  const dir = mkdtempSync(join(tmpdir(), "physml-cli-"));
  const args = [
    "duality",
    "kw",
    "--beta",
    "0.3",
    "--L",
    "6",
    "--steps",
    "1",
    "--explore-steps",
    "0",
    "--backend",
    "cpu",
  ];
  const h = io();
  expect(await runCli([...args, "--out", join(dir, "human")], h.sink)).toBe(3);
  expect(h.out.join("")).toMatch(
    /learned t0 = 0\.50000 ± n\/a \(1 training step\): an error bar needs at least 2/,
  );
  expect(h.out.join("")).not.toMatch(/NaN/);
  const j = io();
  expect(await runCli([...args, "--out", join(dir, "json"), "--json"], j.sink)).toBe(3);
  expect(j.out.join("")).not.toMatch(/NaN/);
  expect(j.out.join("")).not.toMatch(/null/);
  const r = JSON.parse(j.out[0]);
  expect(r).not.toHaveProperty("t0Error");
  expect(r.t0ErrorUnavailable).toMatch(/^n\/a \(1 training step\)/);
}, 120_000);

test("issue 15: --dual-terms learns several dual couplings; with a plaquette coupling the JSON has no exact value, says why, and has no null", async () => {
  const dir = mkdtempSync(join(tmpdir(), "physml-cli-"));
  const args = [
    "duality",
    "kw",
    "--beta",
    "0.3",
    "--plaquette",
    "0.1",
    "--dual-terms",
    "nn,plaquette",
    "--L",
    "6",
    "--steps",
    "4",
    "--explore-steps",
    "0",
    "--backend",
    "cpu",
  ];
  const j = io();
  await runCli([...args, "--out", join(dir, "json"), "--json"], j.sink);
  expect(j.out.join("")).not.toMatch(/null|NaN/);
  const r = JSON.parse(j.out[0]);
  expect(r.dualTerms).toEqual(["nn", "plaquette"]);
  expect(r.learnedError.plaquette).toBeGreaterThan(0);
  expect(r.learned.plaquette).not.toBe(0); // it moved from its initial value 0
  expect(r).not.toHaveProperty("exact");
  expect(r).not.toHaveProperty("relativeError");
  expect(r.exactUnavailable).toMatch(/^no exact dual coupling: the plaquette or nnn coupling is not 0/);
  const h = io();
  await runCli([...args, "--out", join(dir, "human")], h.sink);
  expect(h.out.join("")).toContain(`\n${r.exactUnavailable}\n`);
  expect(h.out.join("")).toMatch(/also learned: plaquette coupling -?\d\.\d{5} ± \d\.\d{5}/);
}, 120_000);

test.each([
  [["duality", "kw", "--beta", "7"], /--beta: expected a number in \[0.01, 3\]/],
  [["duality", "kw", "--L", "7"], /--L: expected an even integer in \[4, 512\], got "7"/],
  [["duality", "kw", "--mode", "fast"], /--mode: expected one of exact \| gumbel, got "fast"/],
  [["duality", "kw", "--workers", "0"], /--workers: expected an integer in \[1, 256\], got "0"/],
  [["duality", "kw", "--workers", "257"], /--workers: expected an integer in \[1, 256\], got "257"/],
  [
    ["duality", "kw", "--dual-terms", "plaquette"],
    /--dual-terms: expected a comma-separated list with nn of/,
  ],
  [["duality", "sweep", "--betas", "0.8:0.1:0.1"], /--betas: expected/],
  [["duality", "sweep", "--plaquettes", "0,0"], /--plaquettes: expected .*a κ appears twice/],
  [["duality", "sweep", "--plaquettes", "3"], /--plaquettes: expected a number in \[-2, 2\]/],
])("bad input %j exits 2 naming the field", async (argv, message) => {
  const o = io();
  expect(await runCli(argv, o.sink)).toBe(2);
  expect(o.err.join("")).toMatch(message);
});

test("issue 12: a duality run too large for the memory limit is refused at once, naming --L (exit 2)", async () => {
  const o = io();
  const t0 = Date.now();
  const code = await runCli(
    [
      "duality",
      "kw",
      "--beta",
      "0.3",
      "--L",
      "512",
      "--chains",
      "4096",
      "--max-memory",
      "2G",
      "--backend",
      "cpu",
    ],
    o.sink,
  );
  expect(code).toBe(2);
  expect(o.out).toEqual([]);
  expect(o.err.join("")).toMatch(
    /^physml duality kw: --L: expected a run that fits in the memory limit of 2(\.00)? GB/,
  );
  expect(o.err.join("").trim().split("\n")).toHaveLength(1);
  expect(Date.now() - t0).toBeLessThan(5000);
});
