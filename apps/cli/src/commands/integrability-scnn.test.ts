import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killedAtCheckpoint } from "@physml/runs/testing";
import { describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";
import { withOldScnnDefaults as withOld } from "../../test/scnn-old-defaults.js";

const fresh = async () => join(await mkdtemp(join(tmpdir(), "physml-scnn-")), "run");
const SMALL = ["--steps", "5", "--orbits", "2", "--test-orbits", "1", "--orbit-time", "1", "--batch", "16"];

describe("physml integrability scnn: the defaults, --hamiltonian and the energy MSE per orbit", () => {
  it("at the defaults (the point T from the polar start, the mechanical H_θ, up to 2 restarts), reports each held-out orbit's energy MSE, whose mean is the energy MSE; a result stored without them still reads", async () => {
    const out = await fresh();
    const r = await run(
      "integrability",
      "scnn",
      ...SMALL.map((v, i) => (SMALL[i - 1] === "--test-orbits" ? "3" : v)),
      // the defaults' 200-step warm-up is longer than these 5 steps
      "--warmup",
      "0",
      "--out",
      out,
      "--json",
      "--quiet",
    );
    // 5 steps from the polar frame leave P₃ near L/|r|, not conserved in any of the 3 draws: exit 3,
    // the result written; P₁, P₂ are the total momentum, passed through T
    expect(r.code, r.stderr).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.validation.failures).toEqual([expect.stringMatching(/^P3 keeps /)]);
    expect(j.restarts.draws).toHaveLength(3);
    for (const model of ["baseline", "hnn", "scnn"]) {
      const byOrbit: number[] = j.energyMseByOrbit[model];
      expect(byOrbit).toHaveLength(3);
      const mean = byOrbit.reduce((a, v) => a + v, 0) / 3;
      expect(Math.abs(mean - j.energyMse[model])).toBeLessThanOrEqual(1e-12 * j.energyMse[model]);
    }
    const html = await readFile(join(out, "report.html"), "utf8");
    expect(html).toContain("H_θ ½ Pᵀ M(Q) P + V(Q), mechanical");
    expect(html).toContain(
      "T a point transformation (cotangent lift; momenta linear in p) from the polar frame fed",
    );
    expect(html).toContain("velocities up to 0.5 rad off the tangent, 0.5 of them clockwise");
    expect(html).toContain("per orbit: median / largest");
    const { energyMseByOrbit, ...rest } = JSON.parse(await readFile(join(out, "result.json"), "utf8"));
    await writeFile(join(out, "result.json"), JSON.stringify(rest));
    const old = await run("integrability", "scnn", "--out", out, "--resume", "--quiet");
    expect(old.code, old.stderr).toBe(3);
    expect(old.stdout).toMatch(/scnn +\S+ \(—\) \//);
  });

  it("refuses the mechanical H_θ with every coordinate cyclic, naming the flag", async () => {
    const out = await fresh();
    const r = await run(
      "integrability",
      "scnn",
      "--hamiltonian",
      "mechanical",
      "--cyclic",
      "4",
      "--out",
      out,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--hamiltonian: expected general with --cyclic 4/);
    expect(existsSync(out)).toBe(false);
  });

  it("--general-start polar: the report names the polar lift, the third momentum is L and the check passes; an unknown start is one line naming the flag", async () => {
    const out = await fresh();
    const general = [
      "--frame",
      "relative",
      "--cyclic",
      "3",
      "--cyclic-q",
      "gradients",
      "--transform",
      "general",
    ];
    const r = await run(
      "integrability",
      "scnn",
      ...SMALL.map((v, i) => (SMALL[i - 1] === "--steps" ? "1" : v)),
      ...general,
      "--general-start",
      "polar",
      "--warmup",
      "0",
      "--lr",
      "1e-6",
      "--out",
      out,
      "--json",
      "--quiet",
    );
    // one Adam step of 1e-6 from the lift leaves P₃ at L: every cyclic momentum conserved, exit 0
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("FAILED");
    const j = JSON.parse(r.stdout);
    expect(j.momenta.spanR2.L).toBeGreaterThan(0.9999);
    expect(j.validation).toEqual({ passed: true, failures: [], targets: { orbitShare: 0.0075 } });
    for (const v of j.momenta.orbitShare) expect(v).toBeLessThanOrEqual(0.0075);
    expect(await readFile(join(out, "report.html"), "utf8")).toContain(
      "T a general map from the polar lift fed",
    );
    const bad = await fresh();
    const refused = await run("integrability", "scnn", ...general, "--general-start", "spiral", "--out", bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/--general-start: expected one of identity \| polar, got "spiral"/);
    expect(existsSync(bad)).toBe(false);
  });

  it("refuses a warm-up as long as the training, naming the flag and its range", async () => {
    const out = await fresh();
    const r = await run("integrability", "scnn", "--steps", "50", "--warmup", "50", "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--warmup: expected an integer in \[0, 49\] \(less than --steps\)/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("physml integrability scnn: the Runge–Lenz readout, --inverse-square, --commutation-weight and --independence-weight", () => {
  it("refuses --inverse-square outside [0, 0.1] before making a directory", async () => {
    for (const v of ["-0.01", "0.2"]) {
      const out = await fresh();
      const r = await run("integrability", "scnn", "--inverse-square", v, "--out", out);
      expect(r.code, v).toBe(2);
      expect(r.stderr, v).toMatch(/--inverse-square: expected a number in \[0, 0\.1\]/);
      expect(existsSync(out), v).toBe(false);
    }
  });

  it("with ε/r² and 𝓛_commute, reports the momenta against A and their brackets, records both, and after 5 steps says the momenta are not conserved (exit 3)", async () => {
    const out = await fresh();
    const r = await run(
      ...withOld(
        "integrability",
        "scnn",
        ...SMALL,
        "--cyclic",
        "2",
        "--inverse-square",
        "0.05",
        "--commutation-weight",
        "100",
        "--independence-weight",
        "10",
        "--independence",
        "log",
        "--out",
        out,
        "--json",
        "--quiet",
      ),
    );
    // 5 Adam steps conserve nothing: the held-out check names each momentum above 0.75%
    expect(r.code, r.stderr).toBe(3);
    const m = JSON.parse(r.stdout).momenta;
    const { validation } = JSON.parse(r.stdout);
    expect(validation.passed).toBe(false);
    expect(validation.targets).toEqual({ orbitShare: 0.0075 });
    const over = m.orbitShare.flatMap((v: number, i: number) => (v > 0.0075 ? [i + 1] : []));
    expect(over.length).toBeGreaterThan(0);
    expect(validation.failures).toHaveLength(over.length);
    for (const [k, i] of over.entries())
      expect(validation.failures[k]).toMatch(
        new RegExp(
          `^P${i} keeps \\d+(\\.\\d+)?% of its variance along the held-out orbits \\(threshold 0\\.75%\\): not conserved$`,
        ),
      );
    expect(r.stderr).toBe(
      `warning: the SCNN's cyclic momenta FAILED its own checks and should not be trusted: ${validation.failures.join("; ")} (exit code 3)\n`,
    );
    expect(m.withRungeLenz).toHaveLength(2);
    // the dictionary with A contains the one without: its R² is at least as high
    for (const [i, r2] of m.withRungeLenz.entries())
      expect(r2).toBeGreaterThanOrEqual(m.onInvariantPolynomials[i].r2 - 1e-9);
    expect(Object.keys(m.rungeLenzSpan)).toEqual(["Ax", "Ay"]);
    // a mean of squared cosines
    expect(m.commutation >= 0 && m.commutation <= 1).toBe(true);
    // a mean of 1 − det G over Gram matrices of unit vectors
    expect(m.independence >= 0 && m.independence <= 1).toBe(true);
    // 1 − det C over a correlation matrix
    expect(m.valueIndependence >= 0 && m.valueIndependence <= 1).toBe(true);
    const cfg = JSON.parse(await readFile(join(out, "config.json"), "utf8")).config;
    expect([cfg.inverseSquare, cfg.commutationWeight, cfg.independenceWeight, cfg.independence]).toEqual([
      0.05,
      100,
      10,
      "log",
    ]);
    const html = await readFile(join(out, "report.html"), "utf8");
    expect(html).toContain("potential −1/r + 0.05/r²");
    expect(html).toContain("commutation weight 100, independence weight 10 (−log(det G + 1e-6))");
    expect(html).toContain("R², degree ≤ 2 in (P_x, P_y, L, H, A_x, A_y)");
    expect(html).toContain("validation: FAILED (P");
    // each momentum's share of its variance along the readout orbits, as in the JSON
    expect(html).toContain("share of its variance along the orbits");
    for (const v of m.orbitShare) expect(html).toContain(`<td>${v.toExponential(3)}</td>`);
    // The cyclic momenta's fits are `momentumFormulas` (`formulas` is a Lax matrix's entries in
    // `lax`, `kdv`, `connection`), one per momentum; a run written with `formulas` reports the same.
    const j = JSON.parse(r.stdout);
    expect(j.momentumFormulas).toHaveLength(2);
    expect(j).not.toHaveProperty("formulas");
    const { momentumFormulas, ...rest } = JSON.parse(await readFile(join(out, "result.json"), "utf8"));
    await writeFile(join(out, "result.json"), JSON.stringify({ ...rest, formulas: momentumFormulas }));
    const old = await run("integrability", "scnn", "--out", out, "--resume", "--json", "--quiet");
    expect(old.code, old.stderr).toBe(3);
    expect(JSON.parse(old.stdout)).toEqual(j);
    // the finished run's text: the verdict on its last line
    const text = await run("integrability", "scnn", "--out", out, "--resume", "--quiet");
    expect(text.code).toBe(3);
    expect(text.stdout.trim().split("\n").at(-1)).toBe(
      `validation: FAILED (${validation.failures.join("; ")})`,
    );
  });

  it("--restarts trains further SCNN draws while none passes, reports each one's verdict and logs their steps in turn", async () => {
    const out = await fresh();
    const flags = withOld(...SMALL, "--frame", "relative", "--cyclic", "4", "--restarts", "1");
    // a threshold no 5-step draw meets: both draws fail
    const r = await run(
      "integrability",
      "scnn",
      ...flags,
      "--restart-within",
      "1e-9",
      "--out",
      out,
      "--json",
      "--quiet",
    );
    // neither 5-step draw conserves a momentum on the held-out orbits either
    expect(r.code).toBe(3);
    const { restarts } = JSON.parse(r.stdout);
    expect(restarts.draws.map((d: { seed: number; passed: boolean }) => [d.seed, d.passed])).toEqual([
      [0, false],
      [100, false],
    ]);
    expect(restarts.passed).toBe(false);
    expect(restarts).not.toHaveProperty("chosen");
    expect(r.stdout).not.toMatch(/\bnull\b|NaN/);
    // the draw kept is the one with the smallest share, not the last
    const smallest = restarts.draws.map((d: { within: number[] }) => Math.min(...d.within));
    const best = smallest[0] <= smallest[1] ? 0 : 1;
    expect([restarts.kept, restarts.keptBecause]).toEqual([best, "best of 2, none passed"]);
    expect(restarts.verdict).toMatch(
      new RegExp(
        `^no SCNN draw passed: of 2 draws the best kept .* \\(draw ${best}, seed ${100 * best}\\), .* the momenta reported are that draw's \\(best of 2, none passed\\)`,
      ),
    );
    // each momentum's share of its variance along the readout orbits
    const { orbitShare } = JSON.parse(r.stdout).momenta;
    expect(orbitShare).toHaveLength(4);
    for (const v of orbitShare) expect(v >= 0 && v <= 1).toBe(true);
    const metrics = (await readFile(join(out, "metrics.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const steps = metrics.map((m) => m.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length);
    expect(metrics.filter((m) => m.draw === 1).map((m) => m.step)).toEqual([15, 19]);
    // every draw passes a threshold of 1: the first is kept
    const one = await run(
      "integrability",
      "scnn",
      ...flags,
      "--restart-within",
      "1",
      "--out",
      await fresh(),
      "--json",
      "--quiet",
    );
    expect(JSON.parse(one.stdout).restarts).toMatchObject({
      passed: true,
      chosen: 0,
      kept: 0,
      keptBecause: "passed",
      verdict: expect.stringMatching(/^SCNN draw 0 \(seed 0\) passed: P[34] keeps /),
    });
    const bodies = await run(
      "integrability",
      "scnn",
      ...SMALL,
      "--frame",
      "bodies",
      "--restarts",
      "1",
      "--out",
      await fresh(),
    );
    expect(bodies.code).toBe(2);
    expect(bodies.stderr).toMatch(/--restarts: expected 0 unless --frame relative and --cyclic 3 or 4/);
  });

  it("on unboosted orbits in the relative frame, says P1, P2 are constant and takes 1 − det C over the others", async () => {
    const flags = withOld(...SMALL, "--frame", "relative", "--cyclic", "4", "--boost-velocity", "0");
    const r = await run("integrability", "scnn", ...flags, "--out", await fresh(), "--json", "--quiet");
    expect(r.code).toBe(3);
    const m = JSON.parse(r.stdout).momenta;
    expect(m.constantMomenta).toEqual([1, 2]);
    // the constant total momentum is conserved; the check names only the momenta T moves
    for (const f of JSON.parse(r.stdout).validation.failures) expect(f).toMatch(/^P[34] /);
    // a correlation of two varying momenta: neither the collapse's 1 nor missing
    expect(m.valueIndependence >= 0 && m.valueIndependence < 1).toBe(true);
  });

  it("--transform point: refused with --cyclic 4 naming the flag; in the relative frame P1, P2 are the total momentum exactly", async () => {
    const refused = await run(
      ...withOld(
        "integrability",
        "scnn",
        ...SMALL,
        "--transform",
        "point",
        "--cyclic",
        "4",
        "--out",
        await fresh(),
      ),
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /--transform: expected general with --cyclic 4 \(point needs --cyclic 3 or less\)/,
    );
    const out = await fresh();
    const flags = ["--frame", "relative", "--cyclic", "3", "--cyclic-q", "gradients", "--transform", "point"];
    const r = await run(
      ...withOld("integrability", "scnn", ...SMALL, ...flags, "--out", out, "--json", "--quiet"),
    );
    // P₃ after 5 steps from the identity is not conserved: exit 3; P₁, P₂ pass
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).validation.failures).toEqual([expect.stringMatching(/^P3 keeps /)]);
    const m = JSON.parse(r.stdout).momenta;
    expect(m.onInvariants.slice(0, 2).map((f: { formula: string }) => f.formula)).toEqual([
      "1.00·Px",
      "1.00·Py",
    ]);
    expect(m.orbitShare).toHaveLength(3);
    expect(JSON.parse(await readFile(join(out, "config.json"), "utf8")).config.transform).toBe("point");
  });

  it("--resume inside a later SCNN draw keeps the finished draw's verdict and ends as the uninterrupted run", async () => {
    // checkpoints at Adam steps 50 and 60 of the baseline, the HNN and each of the 3 draws
    const flags = withOld(
      ...[
        "integrability",
        "scnn",
        "--steps",
        "60",
        "--orbits",
        "2",
        "--test-orbits",
        "1",
        "--orbit-time",
        "1",
      ],
      ...[
        "--batch",
        "8",
        "--frame",
        "relative",
        "--cyclic",
        "4",
        "--restarts",
        "2",
        "--restart-within",
        "1e-9",
      ],
    );
    const whole = await fresh();
    const ref = await run(...flags, "--out", whole, "--json", "--quiet");
    // 60 steps conserve no momentum on the held-out orbits: exit 3, as resumed
    expect(ref.code).toBe(3);
    // dies writing draw 1's checkpoint at step 60: resumed from its step 50
    const out = await fresh();
    const killed = await killedAtCheckpoint(7, () => run(...flags, "--out", out, "--json", "--quiet"));
    expect(killed.code).not.toBe(0);
    const resumed = await run("integrability", "scnn", "--out", out, "--resume", "--json");
    expect(resumed.code).toBe(3);
    expect(resumed.stderr).toContain(
      "resuming from checkpoint/step-00000230.json: the scnn model (draw 1) at Adam step 50",
    );
    const { out: _a, ...want } = JSON.parse(ref.stdout);
    const { out: _b, ...got } = JSON.parse(resumed.stdout);
    expect(got).toEqual(want);
    expect(got.restarts.draws).toHaveLength(3);
    const text = (dir: string, file: string) => readFile(join(dir, file), "utf8");
    expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
    expect(await text(out, "report.html")).toBe(await text(whole, "report.html"));
  });
});
