import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readNpy } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";
import { withOldScnnDefaults } from "../../test/scnn-old-defaults.js";
import { TINY_HEISENBERG_FAMILY, TINY_KDV_FAMILY, TINY_SINE_GORDON_FAMILY } from "../../test/tiny-runs.js";

const fresh = async () => join(await mkdtemp(join(tmpdir(), "physml-integ-")), "run");
const lines = async (file: string) =>
  (await readFile(file, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("physml integrability scnn | kdv | connection | lax --system toda (small runs)", () => {
  it("lax --system sine-gordon (the issue's interface names the field theories under lax) runs connection's learner and says so", async () => {
    const out = await fresh();
    const tiny = [
      ...["--trajectories", "3", "--grid-points", "64", "--trajectory-time", "0.05", "--snapshots", "3"],
      ...["--samples", "64", "--steps", "2", "--polish-iter", "1", "--restarts", "0"],
    ];
    const r = await run("integrability", "lax", "--system", "sine-gordon", ...tiny, "--out", out, "--json");
    expect([0, 3]).toContain(r.code);
    expect(r.stderr.split("\n")[0]).toBe(
      "physml integrability lax: --system sine-gordon is a field theory: its Lax connection is learned by physml integrability connection",
    );
    const j = JSON.parse(r.stdout);
    expect(j.system).toBe("sine-gordon");
    expect(j.cartanRatio).toEqual(expect.any(Number));
    const config = JSON.parse(await readFile(join(out, "config.json"), "utf8"));
    expect(config.kind).toBe("integrability-connection");
    expect(config.config).toMatchObject({ system: "sine-gordon", samples: 64, adamSteps: 2 });
    // --quiet leaves the line out (a failed check's warning stays)
    const quiet = await run(
      "integrability",
      "lax",
      "--system",
      "sine-gordon",
      ...tiny,
      "--out",
      `${out}-q`,
      "--quiet",
    );
    expect(quiet.stderr).not.toContain("is a field theory");
  });

  it("lax --system toda: a pair that misses Toda's targets is written and reported, exit 3", async () => {
    const out = await fresh();
    const r = await run(
      "integrability",
      "lax",
      "--system",
      "toda",
      "--steps",
      "2",
      "--lbfgs",
      "0",
      "--samples",
      "16",
      "--out",
      out,
      "--json",
      "--quiet",
    );
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.validation.passed).toBe(false);
    // each failure names a measured value of the result against its target
    expect(j.validation.failures.some((f: string) => f.startsWith("held-out residual"))).toBe(
      !(j.laxResidual < 0.01),
    );
    expect(j.validation.failures.some((f: string) => f.startsWith("tr L² vs H"))).toBe(!(j.trL2VsH > 0.999));
    expect(r.stderr).toBe(
      `warning: the learned Lax pair of toda FAILED its own checks and should not be trusted: ${j.validation.failures.join("; ")} (exit code 3)\n`,
    );
    expect(JSON.parse(await readFile(join(out, "result.json"), "utf8"))).toEqual(j);
  });

  it("scnn --json: the models' errors, the cyclic momenta's readout against P_x, P_y, L, H and its held-out verdict (exit 3)", async () => {
    const out = await fresh();
    const r = await run(
      ...withOldScnnDefaults(
        "integrability",
        "scnn",
        "--steps",
        "5",
        "--orbits",
        "2",
        "--test-orbits",
        "1",
        "--orbit-time",
        "1",
        "--batch",
        "16",
        "--cyclic",
        "2",
        "--out",
        out,
        "--json",
        "--quiet",
      ),
    );
    // 5 Adam steps conserve no cyclic momentum on the held-out orbits: written, then exit 3
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.validation.passed).toBe(false);
    for (const k of [
      "energyMse",
      "stateMse",
      "loss",
      "poissonLoss",
      "momentumVariation",
      "momentumFormulas",
      "momenta",
    ])
      expect(j).toHaveProperty(k);
    const m = j.momenta;
    expect(m.onInvariants).toHaveLength(2);
    expect(m.onInvariantPolynomials).toHaveLength(2);
    expect(Object.keys(m.spanR2)).toEqual(["Px", "Py", "L"]);
    // the linear fit's dictionary is {1, P_x, P_y, L, H}; its R² cannot exceed the degree-2 one's
    for (const [i, f] of m.onInvariants.entries()) {
      expect(f.formula).not.toMatch(/[xy][12]/);
      expect(f.r2).toBeLessThanOrEqual(m.onInvariantPolynomials[i].r2 + 1e-9);
    }
    expect(m.variation).toEqual(j.momentumVariation);
    // per P_i the rms cosine of ∇P_i with the true flow, at most 1
    expect(m.flowCosine).toHaveLength(2);
    for (const c of m.flowCosine) expect(c >= 0 && c <= 1).toBe(true);
    expect(typeof m.lBeyondEnergy).toBe("number");
    // one metrics line per logged step of each model, in order; the last of each is its final loss
    const log = await lines(join(out, "metrics.jsonl"));
    for (const model of ["baseline", "hnn", "scnn"]) {
      const own = log.filter((l) => l.model === model);
      expect(own.map((l) => l.modelStep)).toEqual([0, 4]);
      expect(own[1].loss).toBe(j.loss[model]);
    }
    const cfg = JSON.parse(await readFile(join(out, "config.json"), "utf8")).config;
    expect([cfg.batch, cfg.boost, cfg.conservationWeight]).toEqual([16, { offset: 0.5, velocity: 0.1 }, 10]);
    // a checkpoint at the end of each model's 5 steps, the newest two kept: the SCNN's is the last
    const ckpts = (await readdir(join(out, "checkpoint"))).sort();
    expect(ckpts).toEqual(["step-00000010.json", "step-00000015.json"]);
    const newest = JSON.parse(await readFile(join(out, "checkpoint", ckpts[1]), "utf8")).state;
    expect([newest.model, newest.step, newest.hidden]).toEqual(["scnn", 5, [64, 64]]);
    const html = await readFile(join(out, "report.html"), "utf8");
    expect(html).toContain("P_x, P_y, L fitted on degree ≤ 2 in the learned momenta");
  });

  it("kdv --json: held-out residual, monodromy and a verdict (exit 3 when it fails); --resume of the finished run does no work", async () => {
    const out = await fresh();
    const args = [
      "integrability",
      "kdv",
      "--trajectories",
      "3",
      "--grid-points",
      "64",
      "--snapshots",
      "3",
      "--samples",
      "64",
      "--steps",
      "4",
      "--polish-iter",
      "1",
      "--hidden",
      "4",
      "--lift",
      "none",
      "--restarts",
      "0",
      "--out",
      out,
      "--json",
    ];
    const r = await run(...args);
    const j = JSON.parse(r.stdout);
    // 6 Adam steps cannot give a Lax connection: the verdict says so and the exit code is 3
    expect(j.validation.passed).toBe(false);
    expect(r.code).toBe(3);
    expect(j.verdict).toMatch(/^FAILED: .*held-out residual/);
    // the last stderr line, after the training's progress
    expect(r.stderr.trimEnd().split("\n").at(-1)).toBe(
      `warning: the learned KdV connection FAILED its own checks and should not be trusted: ${j.validation.failures.join("; ")}; the default model (affine on the features and their products, no hidden layers) contains the AKNS connection (exit code 3)`,
    );
    expect(j.laxResidual).toBeGreaterThan(j.validation.targets.residual);
    expect(j).not.toHaveProperty("residual");
    expect(j.monodromy.kinds).toEqual(["soliton", "two-solitons", "smooth"]);
    expect(j.monodromy.checked).toEqual([1, 2]);
    expect(j.residualByTrajectory).toHaveLength(3);
    expect(j.parameters).toBe(2 * (4 * 4 + 5 * 4 + 3 * 4));
    const traces = await readNpy(join(out, "arrays", "monodromy-traces.npy"));
    expect(traces.shape).toEqual([3, 3]);
    // the stored variation is (max − min)/|mean| of the stored traces
    for (let b = 0; b < 3; b++) {
      const t = Array.from(traces.data as Float64Array).slice(3 * b, 3 * b + 3);
      const mean = (t[0] + t[1] + t[2]) / 3;
      expect(j.monodromy.variation[b]).toBeCloseTo((Math.max(...t) - Math.min(...t)) / Math.abs(mean), 12);
    }
    const log = await lines(join(out, "metrics.jsonl"));
    expect(log[log.length - 1].total).toBe(j.loss.total);
    expect((await readFile(join(out, "report.html"), "utf8")).match(/<svg/g)?.length).toBe(2);
    // --resume of the finished run: the stored result, no training, nothing rewritten
    const before = await Promise.all(["metrics.jsonl", "result.json"].map((f) => stat(join(out, f))));
    const again = await run("integrability", "kdv", "--out", out, "--resume", "--json");
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout)).toEqual(j);
    expect(again.stderr).toMatch(/nothing was run/);
    expect(again.stderr).not.toMatch(/step \d/);
    const after = await Promise.all(["metrics.jsonl", "result.json"].map((f) => stat(join(out, f))));
    expect(after.map((s) => s.mtimeMs)).toEqual(before.map((s) => s.mtimeMs));
    // a run written when the residual's key was `residual` reports it as `laxResidual`
    const { laxResidual, ...rest } = JSON.parse(await readFile(join(out, "result.json"), "utf8"));
    await writeFile(join(out, "result.json"), JSON.stringify({ ...rest, residual: laxResidual }));
    const old = await run("integrability", "kdv", "--out", out, "--resume", "--json");
    expect(JSON.parse(old.stdout)).toEqual(j);
    // and so do the runs readers
    const shown = JSON.parse((await run("runs", "show", out, "--json")).stdout);
    expect(shown.result.laxResidual).toBe(laxResidual);
    expect(shown.result).not.toHaveProperty("residual");
    const listed = JSON.parse((await run("runs", "ls", dirname(out), "--json")).stdout);
    expect(listed.runs.find((r: { kind: string }) => r.kind === "integrability-kdv").result.laxResidual).toBe(
      laxResidual,
    );
    // a resume with another value is refused naming the field
    const other = await run("integrability", "kdv", "--out", out, "--resume", "--samples", "128");
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/samples 64 → 128/);
  });

  it("connection --system heisenberg --json: the lax keys, the known connection's monodromy, exit 3 when it fails", async () => {
    const out = await fresh();
    const args = [
      "integrability",
      "connection",
      "--system",
      "heisenberg",
      "--trajectories",
      "3",
      "--grid-points",
      "64",
      "--trajectory-time",
      "0.05",
      "--snapshots",
      "3",
      "--samples",
      "64",
      "--steps",
      "3",
      "--polish-iter",
      "1",
      "--out",
      out,
      "--json",
      "--quiet",
    ];
    const r = await run(...args);
    const j = JSON.parse(r.stdout);
    // 3 Adam steps and one LM iteration cannot give a Lax connection: FAILED and exit 3
    expect(j.validation.passed).toBe(false);
    expect(r.code).toBe(3);
    expect(j.verdict).toMatch(/^FAILED: not a Lax connection of heisenberg/);
    expect(r.stderr).toBe(
      `warning: the learned heisenberg connection FAILED its own checks and should not be trusted: ${j.validation.failures.join("; ")} (exit code 3)\n`,
    );
    for (const k of ["laxResidual", "conservedVariation", "formulas", "loss"]) expect(j).toHaveProperty(k);
    expect(j.validation.failures.some((f: string) => f.startsWith("held-out residual"))).toBe(
      !(j.laxResidual < 0.01),
    );
    // the spin waves only translate: not checked
    expect(j.monodromy.kinds).toEqual(["spin-wave", "smooth", "smooth"]);
    expect(j.monodromy.checked).toEqual([1, 2]);
    // 3×3 affine maps of the 6 features and their 21 products
    expect([j.size, j.lift, j.antisymmetric, j.parameters]).toEqual([3, "quadratic", true, 2 * 28 * 9]);
    // the known so(3) connection at the λ read off the learned one, on the same trajectories
    expect(j.monodromy.reference.parameter).toBe("λ");
    expect(j.monodromy.reference.value).toBeGreaterThan(0);
    expect(j.monodromy.reference.variation).toHaveLength(3);
    for (const v of j.monodromy.reference.variation) expect(Number.isFinite(v)).toBe(true);
    const traces = await readNpy(join(out, "arrays", "monodromy-traces.npy"));
    expect(traces.shape).toEqual([3, 3]);
    for (let b = 0; b < 3; b++) {
      const t = Array.from(traces.data as Float64Array).slice(3 * b, 3 * b + 3);
      const mean = (t[0] + t[1] + t[2]) / 3;
      expect(j.conservedVariation[b]).toBeCloseTo((Math.max(...t) - Math.min(...t)) / Math.abs(mean), 12);
    }
    expect(j.formulas.Ax).toHaveLength(3);
    expect(JSON.parse(await readFile(join(out, "result.json"), "utf8"))).toEqual(j);
  });

  it("connection --system kdv --spectral-range --json: the fixed-λ keys at their worst, the per-λ breakdown, exit 3 when it fails", async () => {
    const out = await fresh();
    const r = await run(...TINY_KDV_FAMILY, "--steps", "3", "--out", out, "--json", "--quiet");
    const j = JSON.parse(r.stdout);
    // 3 Adam steps and one LM iteration cannot give the family: FAILED and exit 3
    expect(j.validation.passed).toBe(false);
    expect(r.code).toBe(3);
    expect(j.verdict).toMatch(/^FAILED: not a Lax connection of kdv \(the family A\(λ\)\)/);
    const held = j.spectral.heldOut;
    // two held-out λ outside [−0.5, 0.5], three inside
    expect(held.map((h: { lambda: number }) => h.lambda)).toEqual(
      [-0.7, -0.35, -0.05, 0.3, 0.7].map((v) => expect.closeTo(v, 12)),
    );
    expect(j.spectral.range).toEqual([-0.5, 0.5]);
    expect(j.spectral.degrees).toEqual({ Ax: 1, At: 2 });
    // (2 + 3) affine maps of the 9 lifted features onto 2×2 matrices
    expect([j.size, j.lift, j.parameters]).toEqual([2, "quadratic", 5 * 10 * 4]);
    expect(j.laxResidual).toBe(Math.max(...held.map((h: { laxResidual: number }) => h.laxResidual)));
    for (const [b, v] of j.conservedVariation.entries())
      expect(v).toBe(Math.max(...held.map((h: { conservedVariation: number[] }) => h.conservedVariation[b])));
    for (const h of held) {
      expect(h.reference.value).toBe(h.lambdaHat);
      expect(h.reference.variation).toHaveLength(3);
      for (const f of h.failures)
        expect(j.validation.failures).toContain(`at λ = ${h.lambda.toPrecision(3)}: ${f}`);
    }
    const traces = await readNpy(join(out, "arrays", "monodromy-traces.npy"));
    expect(traces.shape).toEqual([5, 3, 3]);
    expect(JSON.parse(await readFile(join(out, "result.json"), "utf8"))).toEqual(j);
  });

  it("connection --system sine-gordon --spectral-range --json: A(k) with powers k⁻¹ to k¹, k held out in log |k|, exit 3 when it fails", async () => {
    const out = await fresh();
    const r = await run(...TINY_SINE_GORDON_FAMILY, "--steps", "3", "--out", out, "--json", "--quiet");
    const j = JSON.parse(r.stdout);
    expect(j.validation.passed).toBe(false);
    expect(r.code).toBe(3);
    expect(j.verdict).toMatch(/^FAILED: not a Lax connection of sine-gordon \(the family A\(k\)\)/);
    const held = j.spectral.heldOut;
    // 0.5·4^q at q = −0.2, 0.15, 0.45, 0.8, 1.2: two outside [0.5, 2], none at 0
    expect(held.map((h: { lambda: number }) => h.lambda)).toEqual(
      [-0.2, 0.15, 0.45, 0.8, 1.2].map((q) => expect.closeTo(0.5 * 4 ** q, 12)),
    );
    expect([j.spectral.parameter, j.spectral.range]).toEqual(["k", [0.5, 2]]);
    expect([j.spectral.degrees, j.spectral.lowest]).toEqual([
      { Ax: 1, At: 1 },
      { Ax: -1, At: -1 },
    ]);
    // (3 + 3) affine maps of the 4 features onto 2×2 matrices
    expect([j.size, j.lift, j.parameters]).toEqual([2, "none", 6 * 5 * 4]);
    for (const h of held) {
      expect(h.reference.parameter).toBe("k");
      expect(h.reference.value).toBe(h.lambdaHat);
      expect(h.reference.connection).toMatch(/^the known sine-Gordon connection at k = k̂/);
    }
    const traces = await readNpy(join(out, "arrays", "monodromy-traces.npy"));
    expect(traces.shape).toEqual([5, 3, 3]);
    expect(JSON.parse(await readFile(join(out, "result.json"), "utf8"))).toEqual(j);
  });

  it("connection --system heisenberg --spectral-range --json: so(3) A(λ) with A_x power λ¹, A_t powers λ¹ to λ², λ held out in log |λ|, exit 3 when it fails", async () => {
    const out = await fresh();
    // from its random draw (the default start, the fixed-λ connection, trains that one first)
    const r = await run(
      ...TINY_HEISENBERG_FAMILY,
      "--start",
      "random",
      "--steps",
      "3",
      "--out",
      out,
      "--json",
      "--quiet",
    );
    const j = JSON.parse(r.stdout);
    expect(j.validation.passed).toBe(false);
    expect(r.code).toBe(3);
    expect(j.verdict).toMatch(/^FAILED: not a Lax connection of heisenberg \(the family A\(λ\)\)/);
    expect([j.spectral.start, j.spectral.fixed]).toEqual(["random", undefined]);
    const held = j.spectral.heldOut;
    // 0.5·4^q at q = −0.2, 0.15, 0.45, 0.8, 1.2: two outside [0.5, 2], none at 0
    expect(held.map((h: { lambda: number }) => h.lambda)).toEqual(
      [-0.2, 0.15, 0.45, 0.8, 1.2].map((q) => expect.closeTo(0.5 * 4 ** q, 12)),
    );
    expect([j.spectral.parameter, j.spectral.range]).toEqual(["λ", [0.5, 2]]);
    expect([j.spectral.degrees, j.spectral.lowest]).toEqual([
      { Ax: 1, At: 2 },
      { Ax: 1, At: 1 },
    ]);
    // (1 + 2) affine maps of the 27 lifted features onto the 3 entries of an antisymmetric 3×3
    expect([j.size, j.lift, j.antisymmetric, j.parameters]).toEqual([3, "quadratic", true, 3 * 28 * 3]);
    for (const h of held) {
      expect(h.reference.parameter).toBe("λ");
      expect(h.reference.value).toBe(h.lambdaHat);
      expect(h.reference.connection).toMatch(/^the known so\(3\) Heisenberg connection at λ = λ̂/);
    }
    expect(JSON.parse(await readFile(join(out, "result.json"), "utf8"))).toEqual(j);
  });

  it("connection --spectral-range: a bad range or another system names the flag and its rule, exit 2", async () => {
    for (const [args, rule] of [
      [["--system", "kdv", "--spectral-range", "0.5,-0.5"], /-2 <= a < b <= 2, only with --system kdv/],
      [["--system", "kdv", "--spectral-range", "-3,0"], /-2 <= a < b <= 2, only with --system kdv/],
      [["--system", "kdv", "--spectral-range", "0.5"], /-2 <= a < b <= 2, only with --system kdv/],
      [
        ["--system", "kdv", "--spectral-range", "-0.5,0.5", "--hidden", "4"],
        /-2 <= a < b <= 2, only with --system kdv/,
      ],
      // k = 0 is a pole of sine-Gordon's connection: the range lies on one side of it
      [
        ["--system", "sine-gordon", "--spectral-range", "-0.5,0.5"],
        /1\/3 <= a < b <= 3 or -3 <= a < b <= -1\/3/,
      ],
      [["--system", "sine-gordon", "--spectral-range", "0,1"], /k = 0 is a pole/],
      [["--system", "sine-gordon", "--spectral-range", "0.5,5"], /1\/3 <= a < b <= 3/],
      [
        ["--system", "sine-gordon", "--spectral-range", "0.5,2", "--lift", "quadratic"],
        /--system sine-gordon's default model/,
      ],
      // λ = 0 is the trivial connection A = 0: the range lies on one side of it
      [
        ["--system", "heisenberg", "--spectral-range", "-0.5,0.5"],
        /1\/3 <= a < b <= 3 or -3 <= a < b <= -1\/3/,
      ],
      [["--system", "heisenberg", "--spectral-range", "0,1"], /A = 0 at λ = 0/],
      [
        ["--system", "heisenberg", "--spectral-range", "0.5,2", "--size", "4"],
        /--system heisenberg's default model/,
      ],
    ] as const) {
      const r = await run("integrability", "connection", ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/--spectral-range/);
      expect(r.stderr, args.join(" ")).toMatch(rule);
    }
  });

  it("connection --start fixed: only with --spectral-range, exit 2 otherwise", async () => {
    for (const args of [
      ["--system", "heisenberg", "--start", "fixed"],
      ["--system", "kdv", "--start", "fixed"],
      ["--system", "sine-gordon", "--start", "fixed"],
      ["--system", "heisenberg", "--spectral-range", "0.5,2", "--start", "known"],
    ]) {
      const r = await run("integrability", "connection", ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(/--start/);
      expect(r.stderr, args.join(" ")).toMatch(/random/);
    }
  });

  it("connection: bad input names the field and its range, exit 2", async () => {
    const bad = await run("integrability", "connection", "--system", "toda");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--system/);
    expect(bad.stderr).toMatch(/sine-gordon/);
    const wide = await run("integrability", "connection", "--system", "heisenberg", "--hidden", "64,64");
    expect(wide.code).toBe(2);
    expect(wide.stderr).toMatch(/at most 4000 parameters with --polish lm/);
  });
});
