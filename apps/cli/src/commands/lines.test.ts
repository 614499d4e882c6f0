import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";

const dirs: string[] = [];

/** A check's fresh-sample statistics as they were stored before: with the check's `verdict` and the minimiser as `freshAngleDeg` ± `freshAngleErrorDeg`. */
function oldFresh(fresh: Record<string, unknown>, verdict: string): Record<string, unknown> {
  const { angleDeg, angleErrorDeg, ...rest } = fresh;
  return { ...rest, freshAngleDeg: angleDeg, freshAngleErrorDeg: angleErrorDeg, verdict };
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("physml duality lines", () => {
  it("finds the Z2 and the disorder line on dual samples; run directory with a report; finite JSON", async () => {
    const d = await mkdtemp(join(tmpdir(), "physml-lines-"));
    dirs.push(d);
    const out = join(d, "run");
    const r = await run(
      ...["duality", "lines", "--L", "8", "--beta", "0.3", "--dual", "--chains", "32", "--samples", "32"],
      ...["--warmup", "200", "--blocks", "16", "--landscape-points", "36", "--out", out, "--json", "--quiet"],
    );
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/null|NaN/);
    const j = JSON.parse(r.stdout);
    // The checks are `validation` as every command's: the run's verdict, each geometry's inside.
    expect(j.validation).toMatchObject({ passed: true, failures: [] });
    for (const key of ["checksPassed", "failures"]) expect(j).not.toHaveProperty(key);
    // --dual is `sampleDual` (`dual` is a fitted or learned dual's results in other commands).
    expect(j.sampleDual).toBe(true);
    expect(j).not.toHaveProperty("dual");
    expect(j.validation.geometries).toMatchObject([
      { geometry: "links", expected: "Z2 line s_i s_j", verdict: "Z2 line s_i s_j", passed: true },
      {
        geometry: "crossing",
        expected: "disorder line e^{-2β̃ s*_i s*_j}",
        verdict: "disorder line e^{-2β̃ s*_i s*_j}",
        passed: true,
      },
    ]);
    for (const g of j.geometries)
      for (const key of ["verdict", "passed", "validation"]) expect(g).not.toHaveProperty(key);
    // Each check says its verdict once (not again in its fresh-sample statistics), and the
    // statistics' keys do not repeat `fresh`: the fresh minimiser's angle is `fresh.angleDeg`.
    for (const c of j.validation.geometries) {
      expect(c.fresh).not.toHaveProperty("verdict");
      expect(Object.keys(c.fresh).filter((k) => k.startsWith("fresh"))).toEqual([]);
      expect(Number.isFinite(c.fresh.angleDeg) && Number.isFinite(c.fresh.angleErrorDeg)).toBe(true);
    }
    for (const f of ["config.json", "metrics.jsonl", "result.json", "report.html"])
      expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<svg");
    // The text of the same run (--resume reports it): per geometry, the covariance test the JSON
    // carries in pairCovariance (χ², dof, p, limit) and its decision pathIndependent, and the verdict.
    const text = await run("duality", "lines", "--out", out, "--resume", "--quiet");
    expect(text.code).toBe(0);
    const fresh = text.stdout.split("\n").filter((l) => l.includes("fresh samples"));
    expect(fresh).toHaveLength(j.geometries.length);
    for (const [i, g] of j.validation.geometries.entries()) {
      const t = g.fresh.pairCovariance;
      const p = t.pValue < 1e-3 ? t.pValue.toExponential(1) : t.pValue.toFixed(3);
      // The Z2 line's pair differences are exact zeros: nothing is tested (dof 0).
      expect(fresh[i]).toContain(
        t.dof
          ? `path-pair χ² ${t.chi2.toFixed(2)} / ${t.dof}, p = ${p} (rank ${t.rank} of ${t.pairs} pairs`
          : "path-pair χ² 0 / 0 (",
      );
      if (t.dof) expect(fresh[i]).toContain(`limit p = ${t.pValueLimit.toPrecision(2)}: `);
      expect(fresh[i].endsWith(t.pathIndependent ? ": path-independent" : ": NOT path-independent")).toBe(
        true,
      );
      expect(t.pathIndependent).toBe(g.fresh.pathIndependent);
      expect(text.stdout).toContain(`verdict: ${g.verdict}`);
    }
  });

  it("--chunk neighbourhood finds the Z2 line along links; finite JSON and a report", async () => {
    const d = await mkdtemp(join(tmpdir(), "physml-lines-nb-"));
    dirs.push(d);
    const out = join(d, "run");
    const r = await run(
      ...["duality", "lines", "--L", "8", "--beta", "0.3", "--chunk", "neighbourhood", "--geometry", "links"],
      ...[
        "--chains",
        "16",
        "--samples",
        "16",
        "--warmup",
        "100",
        "--blocks",
        "8",
        "--starts",
        "8",
        "--steps",
        "30",
      ],
      ...["--out", out, "--json", "--quiet"],
    );
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/null|NaN/);
    const j = JSON.parse(r.stdout);
    expect(j.chunk).toBe("neighbourhood");
    expect(j.validation.geometries[0].verdict).toBe("Z2 line s_i s_j");
    expect(j.geometries[0].starts).toHaveLength(8);
    expect(JSON.parse(readFileSync(join(out, "config.json"), "utf8")).config).toMatchObject({
      starts: 8,
      steps: 30,
    });
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<svg");
  });

  it("a run directory written with the old keys `kappa` and `dual` (config and result) and top-level `checksPassed` and `failures` resumes under `plaquette`, `sampleDual` and `validation`", async () => {
    const d = await mkdtemp(join(tmpdir(), "physml-lines-old-"));
    dirs.push(d);
    const out = join(d, "run");
    const tiny = [
      ...["--L", "4", "--chains", "4", "--samples", "4", "--warmup", "4", "--steps", "2", "--starts", "1"],
      ...["--blocks", "4", "--landscape-points", "8", "--geometry", "links", "--quiet", "--json"],
    ];
    const fresh = await run("duality", "lines", ...tiny, "--plaquette", "0.05", "--out", out);
    expect([0, 3]).toContain(fresh.code);
    const j = JSON.parse(fresh.stdout);
    expect(j).toMatchObject({ plaquette: 0.05, sampleDual: false });
    expect(j.validation.geometries[0].fresh).toBeDefined();
    expect(j).not.toHaveProperty("kappa");
    // Rewrite the directory as a run written before the renames.
    const toOld = (file: string, at: (o: Record<string, unknown>) => Record<string, unknown>) => {
      const doc = JSON.parse(readFileSync(file, "utf8"));
      const o = at(doc);
      for (const [current, old] of [
        ["plaquette", "kappa"],
        ["sampleDual", "dual"],
      ]) {
        o[old] = o[current];
        delete o[current];
      }
      writeFileSync(file, JSON.stringify(doc));
    };
    toOld(join(out, "config.json"), (doc) => doc.config as Record<string, unknown>);
    toOld(join(out, "result.json"), (doc) => doc);
    // ... and with the checks as they were: `checksPassed` and `failures` on top, each geometry's
    // check beside what it learned (its fresh-sample statistics under `validation`, with their
    // own copy of the verdict and the minimiser as `freshAngleDeg` ± `freshAngleErrorDeg`).
    const stored = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
    const { validation, geometries, ...rest } = stored;
    writeFileSync(
      join(out, "result.json"),
      JSON.stringify({
        ...rest,
        checksPassed: validation.passed,
        failures: validation.failures,
        geometries: geometries.map((g: object, i: number) => {
          const { fresh, ...check } = validation.geometries[i];
          return { ...g, ...check, ...(fresh ? { validation: oldFresh(fresh, check.verdict) } : {}) };
        }),
      }),
    );
    rmSync(join(out, "report.html"));
    expect(readFileSync(join(out, "config.json"), "utf8")).toContain('"kappa":0.05,"dual":false');
    for (const argv of [[], ["--plaquette", "0.05"]]) {
      const r = await run("duality", "lines", "--out", out, "--resume", "--quiet", "--json", ...argv);
      expect(r.code, r.stderr).toBe(fresh.code);
      const k = JSON.parse(r.stdout);
      expect(k).toMatchObject({ plaquette: 0.05, sampleDual: false });
      for (const key of ["kappa", "dual", "checksPassed", "failures"]) expect(k).not.toHaveProperty(key);
      expect(k.validation).toEqual(j.validation);
      expect(k.geometries).toEqual(j.geometries);
    }
    // its report is written again from the stored result; `runs show` reads it as --resume does
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<svg");
    const shown = await run("runs", "show", out, "--json");
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout).result.validation).toEqual(j.validation);
    // A different coupling is a mismatch against the stored (old-named) value.
    const other = await run("duality", "lines", "--out", out, "--resume", "--plaquette", "0.1", "--quiet");
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/plaquette 0\.05 → 0\.1/);
    // A result written after the checks moved under `validation`, before `fresh` lost its verdict
    // and its keys' prefix, reads alike.
    writeFileSync(
      join(out, "result.json"),
      JSON.stringify({
        ...stored,
        validation: {
          ...validation,
          geometries: validation.geometries.map((c: { fresh?: Record<string, unknown>; verdict: string }) =>
            c.fresh ? { ...c, fresh: oldFresh(c.fresh, c.verdict) } : c,
          ),
        },
      }),
    );
    const between = await run("duality", "lines", "--out", out, "--resume", "--quiet", "--json");
    expect(between.code, between.stderr).toBe(fresh.code);
    expect(JSON.parse(between.stdout).validation).toEqual(j.validation);
    // An unfinished old run (no result.json) runs again from its stored configuration.
    rmSync(join(out, "result.json"));
    const again = await run("duality", "lines", "--out", out, "--resume", "--quiet", "--json");
    expect(again.code, again.stderr).toBe(fresh.code);
    expect(JSON.parse(again.stdout).plaquette).toBe(0.05);
  });

  it("--resume of a finished run says its stored result is reported and nothing was run, as every run command does", async () => {
    const d = await mkdtemp(join(tmpdir(), "physml-lines-resume-"));
    dirs.push(d);
    const out = join(d, "run");
    const tiny = [
      ...["--L", "4", "--chains", "4", "--samples", "4", "--warmup", "4", "--steps", "2", "--starts", "1"],
      ...["--blocks", "4", "--landscape-points", "8", "--geometry", "links"],
    ];
    const fresh = await run("duality", "lines", ...tiny, "--out", out, "--json", "--quiet");
    expect([0, 3], fresh.stderr).toContain(fresh.code);
    const note = `the run in ${out} is finished: its stored result (nothing was run)\n`;
    expect(fresh.stderr).not.toContain("nothing was run");
    const before = readFileSync(join(out, "metrics.jsonl"), "utf8");
    const again = await run("duality", "lines", "--out", out, "--resume", "--json");
    expect(again.code, again.stderr).toBe(fresh.code);
    expect(again.stderr).toContain(note);
    expect(again.stderr).not.toMatch(/step \d/);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(fresh.stdout));
    expect(readFileSync(join(out, "metrics.jsonl"), "utf8")).toBe(before);
    // --quiet: no progress, and so no note either
    const quiet = await run("duality", "lines", "--out", out, "--resume", "--json", "--quiet");
    expect(quiet.stderr).not.toContain("nothing was run");
  });

  it("bad input: one line naming the flag, exit 2", async () => {
    const r = await run("duality", "lines", "--L", "2");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--L/);
    const p = await run("duality", "lines", "--dual", "--plaquette", "0.1", "--out", join(tmpdir(), "never"));
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/--plaquette/);
    // Above the memory limit: refused before sampling, naming the flag that sizes the run.
    const m = await run("duality", "lines", "--max-memory", "1MB", "--out", join(tmpdir(), "never"));
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/--samples.*memory limit/);
    const c = await run("duality", "lines", "--chunk", "network", "--out", join(tmpdir(), "never"));
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--chunk/);
  });
});
