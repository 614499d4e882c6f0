// The hostile cases of issue 19 on `duality kw`/`duality sweep` run directories, each a test,
// and the "flags say their rules" cases of issue 12 (item 6), through the CLI entry.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import {
  DUALITY_RUN_KIND,
  type DualityConfigInput,
  learnDuality,
  resolveConfig,
  runDuality,
  type StepMetrics,
} from "@physml/duality-learner";
import { openRun } from "@physml/runs";
import { describe, expect, test } from "vitest";
import { runCli } from "../../apps/cli/src/main.ts";

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

// A run of a few seconds: tiny target, no exploration, six steps, a checkpoint every two.
const TINY = {
  L: 4,
  backend: "cpu",
  target: { chains: 4, warmupSweeps: 20, samples: 10, every: 1 },
  candidate: { chains: 4, warmupSweeps: 10 },
  explore: { steps: 0 },
  optimizer: { steps: 6 },
  checkpointEvery: 2,
} as const;
const tmp = () => mkdtempSync(join(tmpdir(), "physml-hostile-"));
function tinyFile(extra: object = {}): string {
  const f = join(tmp(), "tiny.json");
  writeFileSync(f, JSON.stringify({ ...TINY, ...extra }));
  return f;
}
const metricSteps = (dir: string) =>
  readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).step);
class Killed extends Error {}
const killAt = (step: number) => ({
  onStep: (m: StepMetrics) => {
    if (m.step === step) throw new Killed("killed");
  },
});

describe("issue 19: run directories under hostile use", () => {
  test("1. finished run, then a forced new run with other flags killed early: --resume continues the new one", async () => {
    const out = join(tmp(), "run");
    const cfg = tinyFile();
    expect((await cli("duality", "kw", "--beta", "0.3", "--config", cfg, "--out", out, "--quiet")).code).toBe(
      0,
    );
    await expect(runDuality({ ...TINY, beta: 0.5 }, { out, force: true, hooks: killAt(2) })).rejects.toThrow(
      "killed",
    );
    const r = await cli("duality", "kw", "--out", out, "--resume", "--json", "--quiet");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).beta).toBe(0.5);
    expect(metricSteps(out)).toEqual([0, 1, 2, 3, 4, 5]);
  }, 60_000);

  test("2. a second run into a finished --out without --resume is refused and overwrites nothing", async () => {
    const out = join(tmp(), "run");
    const cfg = tinyFile();
    const first = await cli("duality", "kw", "--config", cfg, "--out", out, "--json", "--quiet");
    const before = readFileSync(join(out, "result.json"), "utf8");
    const r = await cli("duality", "kw", "--config", cfg, "--beta", "0.4", "--out", out, "--quiet");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out: .*--resume.*--force.*finished run/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(readFileSync(join(out, "result.json"), "utf8")).toBe(before);
    expect(JSON.parse(first.stdout).beta).toBe(0.3);
  }, 60_000);

  test("3. two writers of one --out: the second is refused naming the holder's pid and host", async () => {
    const out = join(tmp(), "run");
    const a = runDuality({ ...TINY, beta: 0.3 }, { out });
    const b = await cli("duality", "kw", "--config", tinyFile(), "--out", out, "--resume", "--quiet");
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`locked by pid ${process.pid} on host ${hostname()}`);
    await a;
    expect(metricSteps(out)).toEqual([0, 1, 2, 3, 4, 5]);
  }, 60_000);

  test("4. a kill right after a checkpoint is written leaves no gap in the metrics", async () => {
    const out = join(tmp(), "run");
    const open = (mode: "new" | "resume") =>
      openRun({
        dir: out,
        kind: DUALITY_RUN_KIND,
        input: { ...TINY, beta: 0.3 },
        resolve: (i) => resolveConfig(i as DualityConfigInput),
        mode,
        provenance: { package: "test", version: "0", git: null },
      });
    const run = open("new");
    const save = run.saveCheckpoint.bind(run);
    run.saveCheckpoint = (step, state) => {
      save(step, state);
      if (step === 4) throw new Killed("killed after the checkpoint of step 4");
    };
    await expect(learnDuality(run.config, { run })).rejects.toThrow("killed");
    run.close();
    // Every step the checkpoint claims has its metrics line.
    expect(metricSteps(out)).toEqual([0, 1, 2, 3]);
    const again = open("resume");
    await learnDuality(again.config, { run: again });
    again.close();
    expect(metricSteps(out)).toEqual([0, 1, 2, 3, 4, 5]);
  }, 60_000);

  test("5. --resume with other flags lists the differing fields instead of continuing", async () => {
    const out = join(tmp(), "run");
    await expect(runDuality({ ...TINY, beta: 0.3 }, { out, hooks: killAt(2) })).rejects.toThrow("killed");
    const r = await cli("duality", "kw", "--out", out, "--resume", "--beta", "0.4", "--L", "6");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--resume: .*differs in L 4 → 6, beta 0\.3 → 0\.4/);
    expect(readFileSync(join(out, "config.json"), "utf8")).toContain('"beta": 0.3');
  }, 60_000);

  test("6. --config values are not overridden by defaults; null and arrays are refused", async () => {
    const out = join(tmp(), "run");
    const r = await cli(
      "duality",
      "kw",
      "--config",
      tinyFile({ beta: 0.5 }),
      "--out",
      out,
      "--json",
      "--quiet",
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ beta: 0.5, L: 4 });
    for (const bad of ["null", "[1, 2]"]) {
      const f = join(tmp(), "c.json");
      writeFileSync(f, bad);
      const e = await cli("duality", "kw", "--config", f, "--out", join(tmp(), "x"));
      expect(e.code).toBe(2);
      expect(e.stderr).toMatch(/--config: expected a JSON object/);
    }
    const missing = await cli("duality", "kw", "--config", "/nonexistent.json");
    expect(missing.stderr).toMatch(/--config: expected a readable JSON file.*ENOENT/);
  }, 60_000);

  test("7. sweep points 0.3001 and 0.3004 get their own directories and results", async () => {
    const out = join(tmp(), "sweep");
    const r = await cli(
      "duality",
      "sweep",
      "--betas",
      "0.3001,0.3004",
      "--config",
      tinyFile(),
      "--out",
      out,
      "--json",
      "--quiet",
    );
    expect(r.code, r.stderr).toBe(0);
    expect(
      readdirSync(out)
        .filter((n) => n.startsWith("beta-"))
        .sort(),
    ).toEqual(["beta-0.3001", "beta-0.3004"]);
    const rows = JSON.parse(r.stdout).rows;
    expect(rows.map((x: { beta: number }) => x.beta)).toEqual([0.3001, 0.3004]);
    expect(JSON.parse(readFileSync(join(out, "beta-0.3004", "result.json"), "utf8")).beta).toBe(0.3004);
    const dup = await cli("duality", "sweep", "--betas", "0.3,0.3", "--out", join(tmp(), "s"));
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/--betas: .*a β appears twice/);
  }, 60_000);

  test("8. a truncated checkpoint falls back to the previous one and says so; none readable names the file and --force", async () => {
    const out = join(tmp(), "run");
    await expect(runDuality({ ...TINY, beta: 0.3 }, { out, hooks: killAt(4) })).rejects.toThrow("killed");
    const ck = join(out, "checkpoint");
    expect(readdirSync(ck).sort()).toEqual(["step-00000002.json", "step-00000004.json"]);
    const latest = join(ck, "step-00000004.json");
    writeFileSync(latest, readFileSync(latest, "utf8").slice(0, 1000));
    const r = await cli("duality", "kw", "--out", out, "--resume", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/checkpoint\/step-00000004\.json is unreadable \(.*JSON.*\)/);
    expect(r.stderr).toMatch(/falling back to checkpoint\/step-00000002\.json/);
    expect(metricSteps(out)).toEqual([0, 1, 2, 3, 4, 5]);
    // A mis-shaped checkpoint (both of them): the reason, the file and the way out.
    const out2 = join(tmp(), "run");
    await expect(runDuality({ ...TINY, beta: 0.3 }, { out: out2, hooks: killAt(4) })).rejects.toThrow(
      "killed",
    );
    for (const s of [2, 4]) {
      writeFileSync(
        join(out2, "checkpoint", `step-0000000${s}.json`),
        JSON.stringify({ step: s, state: { version: 2 } }),
      );
    }
    const e = await cli("duality", "kw", "--out", out2, "--resume");
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/checkpoint: expected a readable checkpoint \(or start anew with --force\)/);
    expect(e.stderr).toMatch(/step-00000004\.json: field step: /);
  }, 90_000);

  test("9. bad --out values are one-line errors, a failed start leaves nothing, killed writes leave no temp file", async () => {
    const file = join(tmp(), "f");
    writeFileSync(file, "x");
    const outs = ["", file, ...(existsSync("/proc/self") ? ["/proc/physml-out"] : [])];
    for (const out of outs) {
      const r = await cli("duality", "kw", "--out", out, "--steps", "1");
      expect(r.code, out).toBe(2);
      expect(r.stderr).toMatch(/^physml duality kw: --out: expected a path to a directory/);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    const out = join(tmp(), "run");
    const bad = await cli("duality", "kw", "--config", tinyFile(), "--shapes", "h,nonsense", "--out", out);
    expect(bad.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    await expect(runDuality({ ...TINY, beta: 0.3 }, { out, hooks: killAt(2) })).rejects.toThrow("killed");
    writeFileSync(join(out, "checkpoint", ".step-00000004.json.tmp-999999-ab"), '{"step":4');
    expect((await cli("duality", "kw", "--out", out, "--resume", "--quiet")).code).toBe(0);
    expect(readdirSync(join(out, "checkpoint")).filter((n) => n.includes(".tmp-"))).toEqual([]);
  }, 60_000);

  test("10. group help, did-you-mean, -h and --version", async () => {
    for (const group of ["exact", "duality", "runs"]) {
      const r = await cli(group);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`physml ${group} —`);
    }
    const typo = await cli("duality", "kww");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown command "duality kww" \(did you mean "physml duality kw"\?\)/);
    const h = await cli("-h");
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("Commands:");
    expect((await cli("duality", "kw", "-h")).stdout).toContain("--beta");
    const v = await cli("--version");
    expect(v.stdout).toMatch(/^physml \d+\.\d+\.\d+\n$/);
  });

  test("11. report plots: a log loss axis with real values, a titled attention axis, markers with their own legend", async () => {
    const out = join(tmp(), "run");
    expect((await cli("duality", "kw", "--config", tinyFile(), "--out", out, "--quiet")).code).toBe(0);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).not.toMatch(/log10/);
    expect(html).toContain("pooled loss Σ_a (⟨ψ_a⟩ − T_a)² (dimensionless, log scale)");
    expect(html).toContain("attention weight (probability)");
    expect(html).toContain("exact ±β̃");
    const sweep = join(tmp(), "sweep");
    expect(
      (await cli("duality", "sweep", "--betas", "0.3,0.7", "--config", tinyFile(), "--out", sweep, "--quiet"))
        .code,
    ).toBe(0);
    const s = readFileSync(join(sweep, "report.html"), "utf8");
    expect(s).toContain("measured (±1σ)"); // the markers' legend, drawn with circles
    // t0(β): 2 markers; the attention figure: anti-diagonal and diagonal weight per β, 4 more.
    expect(s.match(/aria-roledescription="point"/g)).toHaveLength(6);
    expect(s).not.toMatch(/clip-path/); // end markers are not clipped
  }, 90_000);
});

describe("issue 12, item 6: flags say their rules", () => {
  test("help shows range, default and rule of every duality flag", async () => {
    const h = (await cli("duality", "kw", "--help")).stdout;
    expect(h).toMatch(/--beta <value> .*\[a number in \[0\.01, 3\]; default 0\.3\]/);
    expect(h).toMatch(/--L <value> .*\[an even integer in \[4, 512\]; default 16\]/);
    expect(h).toMatch(/--seed <value> .*\[an integer in \[0, 2\^53 − 1\]; default 1\]/);
    expect(h).toMatch(
      /--chains <value> .*\[an integer in \[2, 4096\]; a multiple of 2 × the number of exploration starts \(16 .*\); default 128\]/,
    );
    const s = (await cli("duality", "sweep", "--help")).stdout;
    expect(s).toMatch(/--betas <value> .*at most 10000 points/);
  });

  test("one range per flag: errors state the range the help shows", async () => {
    const r = await cli("duality", "kw", "--chains", "5000");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--chains: expected an integer in \[2, 4096\], got "5000"/);
    const m = await cli("duality", "kw", "--chains", "20");
    expect(m.stderr).toMatch(
      /--chains: expected a multiple of 2 × \(number of exploration starts\) = 16, got "20"/,
    );
  });

  test("the sweep's point limit is named in its error", async () => {
    const r = await cli("duality", "sweep", "--betas", "0.001:3:0.0001");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--betas: expected .*at most 10000 points.*\(29991 points\)/);
  });

  test("numbers parse strictly and a repeated flag is an error", async () => {
    for (const [argv, msg] of [
      [["duality", "kw", "--seed", "0x10"], /--seed: expected an integer in \[0, 2\^53 − 1\], got "0x10"/],
      [["duality", "kw", "--seed="], /--seed: expected an integer .*, got ""/],
      [["duality", "kw", "--beta", " "], /--beta: expected a number in \[0\.01, 3\], got " "/],
      [
        ["exact", "energy", "--L", "0x10", "--beta", "0.3"],
        /--L: expected an integer in \[2, 32768\], got "0x10"/,
      ],
      [["mcmc", "--L", "8", "--beta", "0.3", "--seed", ""], /--seed: expected an integer/],
      [["duality", "kw", "--L", "8", "--L", "10"], /--L is given more than once/],
      [["exact", "energy", "--L", "8", "--beta", "0.3", "--beta", "0.4"], /--beta is given more than once/],
      [["duality", "kw", "--bta", "0.3"], /unknown flag --bta \(did you mean --beta\?\)/],
      [["duality", "kw", "--json=1"], /--json is a switch and takes no value/],
    ] as [string[], RegExp][]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr, argv.join(" ")).toMatch(msg);
      expect(r.stderr.trim().split("\n"), argv.join(" ")).toHaveLength(1);
      expect(r.stdout).toBe("");
    }
  });

  test("no stack trace unless --debug", async () => {
    const r = await cli("duality", "kw", "--steps", "0");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const d = await cli("duality", "kw", "--steps", "0", "--debug");
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/\n\s+at /);
  });
});
