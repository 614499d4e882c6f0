import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killedAtCheckpoint } from "@physml/runs/testing";
import { afterAll, describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";
import { TINY_ISING2D } from "../../test/tiny-runs.js";

const dirs: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(join(tmpdir(), "physml-dualrep-"));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

// a 4×4 ising2d run at one temperature pair, small enough for seconds

describe("physml dualrep", () => {
  it("chain: exact checks pass, a run directory with a report, finite JSON only", async () => {
    const out = join(await tmp(), "chain");
    const r = await run(
      "dualrep",
      "chain",
      "--sites",
      "10",
      "--n",
      "3,4",
      "--epochs",
      "3",
      "--out",
      out,
      "--json",
      "--quiet",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/null|NaN/);
    const j = JSON.parse(r.stdout);
    expect(j.validation).toEqual({ passed: true, failures: [] });
    expect(j).not.toHaveProperty("checksPassed");
    expect(j).not.toHaveProperty("failures");
    expect(j.rows.map((p: { n: number }) => p.n)).toEqual([3, 4]);
    for (const f of ["config.json", "metrics.jsonl", "result.json", "report.html"])
      expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<svg");
    // The directory now holds a run: refused without --force (exit 2, naming --out), accepted with it.
    const small = ["dualrep", "chain", "--sites", "10", "--n", "3", "--epochs", "1", "--out", out];
    const again = await run(...small, "--quiet");
    expect(again.code).toBe(2);
    const resumed = await run("dualrep", "chain", "--out", out, "--resume", "--json", "--quiet");
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).rows).toEqual(j.rows);
    // `rows`, not `points` (a number of points in `cy` and `symmetry`), and the checks under
    // `validation` as every command's; a run written before (result.json with `points`, and
    // `checksPassed` and `failures` on top) reports under the current keys too, its report
    // rewritten from it.
    expect(j).not.toHaveProperty("points");
    const stored = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
    const { rows, validation, ...rest } = stored;
    writeFileSync(
      join(out, "result.json"),
      JSON.stringify({
        ...rest,
        points: rows,
        checksPassed: validation.passed,
        failures: validation.failures,
      }),
    );
    rmSync(join(out, "report.html"));
    const old = await run("dualrep", "chain", "--out", out, "--resume", "--json", "--quiet");
    expect(old.code, old.stderr).toBe(0);
    expect(JSON.parse(old.stdout)).toEqual(JSON.parse(resumed.stdout));
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<svg");
    const clash = await run("dualrep", "chain", "--sites", "12", "--out", out, "--resume", "--quiet");
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/sites/);
    const forced = await run(...small, "--force", "--quiet");
    expect(forced.code).toBe(0);
  });

  it("--resume continues an interrupted run from its last finished training: same result, same metrics lines", async () => {
    const whole = join(await tmp(), "whole");
    const ref = await run(...TINY_ISING2D, "--out", whole, "--json", "--quiet");
    expect(ref.code).toBe(0);
    // four trainings (spins and structure factor, original and dual); the process dies writing the 3rd checkpoint
    const out = join(await tmp(), "cut");
    const killed = await killedAtCheckpoint(2, () => run(...TINY_ISING2D, "--out", out, "--json", "--quiet"));
    expect(killed.code).not.toBe(0);
    expect(existsSync(join(out, "result.json"))).toBe(false);
    const resumed = await run("dualrep", "ising2d", "--out", out, "--resume", "--json");
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(
      "resuming from checkpoint/step-00000004.json: 2 finished trainings kept",
    );
    // only the dual pair's two networks trained again (progress: one line per epoch)
    expect(resumed.stderr.match(/^T0=1.5 \w+ [\w ]+ epoch \d+:/gm)).toEqual([
      "T0=1.5 dual spins epoch 1:",
      "T0=1.5 dual spins epoch 2:",
      "T0=1.5 dual structure factor epoch 1:",
      "T0=1.5 dual structure factor epoch 2:",
    ]);
    const { out: _a, seconds: _s, ...a } = JSON.parse(resumed.stdout);
    const { out: _b, seconds: _t, ...b } = JSON.parse(ref.stdout);
    expect(a).toEqual(b);
    const metrics = (dir: string) => readFile(join(dir, "metrics.jsonl"), "utf8");
    expect(await metrics(out)).toBe(await metrics(whole));
  });

  it("ising2d --dft-front-end: the text output has one line per front end, the numbers of result.json", async () => {
    const out = join(await tmp(), "dft");
    const r = await run(...TINY_ISING2D, "--dft-front-end", "--head-decay", "0.05", "--out", out, "--quiet");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/null|NaN|undefined/);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("head decay 0.05");
    const j = JSON.parse(readFileSync(join(out, "result.json"), "utf8"));
    const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
    for (const pair of ["original", "dual"]) {
      const d = j.rows[0][pair].dft;
      const lines = r.stdout.split("\n");
      const at = lines.findIndex((l) => l.startsWith(`  T0=1.5 ${pair}`));
      expect(at).toBeGreaterThanOrEqual(0);
      const [handed, learned, separated] = lines.slice(at + 1, at + 4).map((l) => l.trim());
      expect(handed).toMatch(new RegExp(`^per-coordinate on the 2D DFT +${pct(d.handed.bestTest)}$`));
      for (const [line, name, x] of [
        [learned, "learned W \\(dense\\)", d.learned],
        [separated, "learned W \\(dense\\) \\+ separation", d.learnedWithSeparation],
      ] as const) {
        expect(line).toMatch(new RegExp(`^${name} +${pct(x.accuracies.bestTest)} `));
        expect(line).toContain(`bond-weight spread ${x.bondWeightSpread.toFixed(3)}`);
        expect(line).toContain(`orthogonality residual ${x.orthogonalityResidual.toFixed(3)}`);
      }
    }
    // A fit's `{bestTest, finalTest, finalTrain}` is `accuracies` (`accuracy` is one number in
    // `symmetry`); a run written before (`accuracy` nested, `points` on top) reports the same keys.
    const text = readFileSync(join(out, "result.json"), "utf8");
    expect(text).toContain('"accuracies":');
    expect(text).not.toContain('"accuracy"');
    writeFileSync(
      join(out, "result.json"),
      text.replaceAll('"accuracies":', '"accuracy":').replace('"rows":', '"points":'),
    );
    const old = await run("dualrep", "ising2d", "--out", out, "--resume", "--json", "--quiet");
    expect(old.code, old.stderr).toBe(0);
    expect(JSON.parse(old.stdout)).toEqual(j);
  });

  it("fourier --shared-hidden: result.json's shared block, its lines in the text output and the report", async () => {
    const out = join(await tmp(), "shared");
    const tiny = ["--length", "16", "--examples", "64", "--epochs", "1", "--task", "signal-noise"];
    const r = await run("dualrep", "fourier", ...tiny, "--shared-hidden", "4", "--out", out, "--quiet");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/null|NaN|undefined/);
    const s = JSON.parse(readFileSync(join(out, "result.json"), "utf8")).shared;
    expect(s.input).toBe("pair");
    expect(s.parameters).toBe(3 * 4 + 4 + 1);
    const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
    expect(r.stdout).toContain("shared classifier (one network g on every pair, 17 weights):");
    expect(r.stdout).toMatch(new RegExp(`shared, position +${pct(s.position.bestTest)}\\n`));
    expect(r.stdout).toMatch(new RegExp(`shared, DFT +${pct(s.fourier.bestTest)}\\n`));
    expect(r.stdout).toMatch(
      new RegExp(
        `shared, learned W \\+ sep\\. ${pct(s.learnedWithSeparation.accuracies.bestTest)} .*Fourier concentration ${s.learnedWithSeparation.fourierConcentration.toFixed(3)}`,
      ),
    );
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("learned W + separation (shared)");
    const plain = await run(
      "dualrep",
      "fourier",
      ...tiny,
      "--out",
      join(out, "..", "plain"),
      "--json",
      "--quiet",
    );
    expect(JSON.parse(plain.stdout).shared).toBeUndefined();
  });

  // a 10-site chain at the given n with one two-epoch autoencoder run: seconds, enough to check the output
  const tinyAutoencoderChain = (n: string) => [
    "--sites",
    "10",
    "--n",
    n,
    "--epochs",
    "2",
    "--autoencoder-runs",
    "1",
    "--per-class",
    "64",
  ];

  it("chain with --correlation-weight: the autoencoder's line reports the energy readout error of result.json", async () => {
    const out = join(await tmp(), "corr");
    const args = tinyAutoencoderChain("3");
    const r = await run("dualrep", "chain", ...args, "--correlation-weight", "5", "--out", out, "--quiet");
    expect(r.code).toBe(0);
    const ae = JSON.parse(readFileSync(join(out, "result.json"), "utf8")).rows[0].autoencoder;
    expect(ae.correlationWeight).toBe(5);
    expect(ae.correlationFunctions).toBe("energy");
    expect(r.stdout).toContain(`energy error ${ae.correlationError.toFixed(3)} at weight 5)`);
  });

  it("chain with --correlation-readout affine: result.json and the autoencoder's line say so", async () => {
    const out = join(await tmp(), "affine");
    const args = [
      ...tinyAutoencoderChain("3"),
      "--correlation-weight",
      "5",
      "--correlation-readout",
      "affine",
    ];
    const r = await run("dualrep", "chain", ...args, "--out", out, "--quiet");
    expect(r.code).toBe(0);
    const ae = JSON.parse(readFileSync(join(out, "result.json"), "utf8")).rows[0].autoencoder;
    expect(ae.correlationReadout).toBe("affine");
    expect(r.stdout).toContain(
      `energy error ${ae.correlationError.toFixed(3)} (affine readout) at weight 5)`,
    );
  });

  it("chain with --encoder conv (and --decoder conv): result.json and the autoencoder's line name the window and channels", async () => {
    const base = tinyAutoencoderChain("3,4");
    const out = join(await tmp(), "conv");
    const r = await run(
      "dualrep",
      "chain",
      ...base,
      "--encoder",
      "conv",
      "--channels",
      "4",
      "--out",
      out,
      "--quiet",
    );
    expect(r.code).toBe(0);
    const points = JSON.parse(readFileSync(join(out, "result.json"), "utf8")).rows;
    // Without --kernel each point's window is its n.
    expect(points.map((p: { autoencoder: { encoder: unknown } }) => p.autoencoder.encoder)).toEqual([
      { kind: "conv", kernel: 3, channels: 4 },
      { kind: "conv", kernel: 4, channels: 4 },
    ]);
    expect(r.stdout).toContain("autoencoder conv w=3 c=4 ");
    expect(r.stdout).toContain("autoencoder conv w=4 c=4 ");
    expect(points[0].autoencoder.decoder).toEqual({ kind: "dense" });
    const wide = join(await tmp(), "conv-wide");
    const w = await run(
      "dualrep",
      "chain",
      ...base,
      "--encoder",
      "conv",
      "--kernel",
      "7",
      "--decoder",
      "conv",
      "--out",
      wide,
      "--quiet",
    );
    expect(w.code).toBe(0);
    const wideAe = JSON.parse(readFileSync(join(wide, "result.json"), "utf8")).rows[1].autoencoder;
    const spec = { kind: "conv", kernel: 7, channels: 16 };
    expect(wideAe.encoder).toEqual(spec);
    expect(wideAe.decoder).toEqual(spec);
    expect(w.stdout).toContain("autoencoder conv w=7 c=16 conv decoder w=7 c=16 ");
  });

  it("bad input exits 2 with one line naming the flag and its range", async () => {
    const out = join(await tmp(), "bad");
    const refused = async (args: string[], flag: RegExp) => {
      const r = await run("dualrep", ...args, "--out", out);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(flag);
      return r;
    };
    await refused(["chain", "--n", "13"], /--n.*integers in \[2, 12\]/);
    await refused(["chain", "--sites", "8", "--n", "8"], /--n/);
    await refused(["chain", "--n", "4,4"], /--n.*integers in \[2, 12\], distinct, got "4,4"/);
    await refused(["chain", "--feature-matching-weight", "1", "--latent", "8"], /--latent/);
    await refused(["chain", "--correlation-weight", "1", "--latent", "8"], /--latent/);
    const corrNegative = await refused(["chain", "--correlation-weight", "-1"], /--correlation-weight.*1000/);
    expect(corrNegative.stderr.trim().split("\n")).toHaveLength(1);
    await refused(["chain", "--correlation-functions", "energy-nnn"], /--correlation-functions.*energy-nn/);
    await refused(["chain", "--correlation-readout", "linear"], /--correlation-readout.*fixed.*affine/);
    await refused(
      ["chain", "--correlation-readout", "affine"],
      /--correlation-readout.*--correlation-weight/,
    );
    const badEncoder = await refused(["chain", "--encoder", "cnn"], /--encoder.*dense.*conv/);
    expect(badEncoder.stderr.trim().split("\n")).toHaveLength(1);
    await refused(["chain", "--encoder", "conv", "--kernel", "18"], /--kernel.*below --sites/);
    await refused(["chain", "--kernel", "5"], /--kernel.*--encoder conv/);
    await refused(["chain", "--encoder", "conv", "--kernel", "0"], /--kernel/);
    await refused(["chain", "--encoder", "conv", "--channels", "257"], /--channels.*256/);
    await refused(["chain", "--encoder", "conv", "--latent", "12"], /--latent.*--sites/);
    await refused(["chain", "--decoder", "cnn"], /--decoder.*dense.*conv/);
    await refused(["fourier", "--lr-schedule", "step"], /--lr-schedule.*constant.*cosine/);
    await refused(["chain", "--decoder", "conv", "--latent", "12"], /--latent.*--sites/);
    await refused(["fourier", "--length", "30"], /--length/);
    await refused(["fourier", "--shared-input", "triple"], /--shared-input.*coordinate.*pair/);
    await refused(["fourier", "--shared-hidden", "65"], /--shared-hidden.*64/);
    const peakNegative = await refused(["fourier", "--peak-weight", "-1"], /--peak-weight.*1000/);
    expect(peakNegative.stderr.trim().split("\n")).toHaveLength(1);
    await refused(["fourier", "--peak-feature", "pair"], /--peak-feature.*--peak-weight/);
    await refused(["chain", "--per-class", "1048576", "--max-memory", "1M"], /--per-class.*memory limit/);
    await refused(["ising2d", "--samples", "100000", "--max-memory", "64M"], /--samples/);
    expect(existsSync(out)).toBe(false);
  });
});
