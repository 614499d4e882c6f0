import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readNpy } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";

const fresh = async () => join(await mkdtemp(join(tmpdir(), "physml-integ-")), "run");
const json = async (dir: string, file: string) => JSON.parse(await readFile(join(dir, file), "utf8"));

describe("physml integrability", () => {
  it("simulate --json writes an @physml/runs run: arrays/*.npy, config with provenance, report, result", async () => {
    const out = await fresh();
    const r = await run(
      "integrability",
      "simulate",
      "--system",
      "toda",
      "--trajectories",
      "2",
      "--trajectory-time",
      "1",
      "--out",
      out,
      "--json",
    );
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const j = JSON.parse(r.stdout);
    expect(j.drift.energy).toBeLessThan(1e-6);
    expect(j.arrays.states).toEqual([2, 51, 6]);
    expect((await readdir(out)).sort()).toEqual([
      "arrays",
      "config.json",
      "metrics.jsonl",
      "report.html",
      "result.json",
    ]);
    expect((await readdir(join(out, "arrays"))).sort()).toEqual(["states.npy", "times.npy"]);
    const states = await readNpy(join(out, "arrays", "states.npy"));
    expect(states.shape).toEqual([2, 51, 6]);
    const cfg = await json(out, "config.json");
    expect([cfg.kind, cfg.package, cfg.config.system, cfg.config.trajectories]).toEqual([
      "integrability-simulate",
      "@physml/integrability",
      "toda",
      2,
    ]);
    expect(await json(out, "result.json")).toEqual(j);
    // one key, one meaning: `system` is the name given, as in config.json and lax
    expect(j.system).toBe(cfg.config.system);
  });

  it("lax --json has the issue's keys; the run holds the loss history, the learned state and the report", async () => {
    const out = await fresh();
    const r = await run(
      "integrability",
      "lax",
      "--system",
      "ho",
      "--steps",
      "5",
      "--lbfgs",
      "0",
      "--samples",
      "32",
      "--out",
      out,
      "--json",
      "--quiet",
    );
    // five Adam steps learn no pair: the result is written and reported, and the run exits 3
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(r.stderr).toBe(
      `warning: the learned Lax pair of ho FAILED its own checks and should not be trusted: ${j.validation.failures.join("; ")} (exit code 3)\n`,
    );
    expect(j.validation.passed).toBe(false);
    for (const k of [
      "laxResidual",
      "conservedVariation",
      "trL2VsH",
      "traceIndependence",
      "loss",
      "formulas",
      "rungs",
      "hidden",
      "out",
    ])
      expect(j).toHaveProperty(k);
    expect(j.conservedVariation).toHaveLength(2);
    expect(j.hidden).toEqual(j.rungs[j.rungs.length - 1].hidden);
    for (const g of j.rungs) expect(typeof g.trainingResidual).toBe("number");
    // the budgets given, and the polish the oscillator resolved to without a --polish flag;
    // config.json keeps the flags as given
    expect(j.budgets).toEqual({ adamSteps: 5, polish: "lbfgs", polishIterations: 0 });
    expect((await json(out, "config.json")).polish).toBeUndefined();
    // one metrics line per recorded step of every model tried, the kept model's last
    const lines = (await readFile(join(out, "metrics.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(new Set(lines.map((l) => l.rung)).size).toBe(j.rungs.length);
    expect(lines[lines.length - 1].total).toBe(j.loss.total);
    // the newest checkpoint is the learned state: the parameter trees of L and M as autodiff's
    // saveParams writes them
    const ckpt = (await readdir(join(out, "checkpoint"))).sort().at(-1) as string;
    const state = (await json(join(out, "checkpoint"), ckpt)).state;
    const params = JSON.parse(state.params) as Record<
      "L" | "M",
      { w: { shape: number[]; data: unknown[] } }[]
    >;
    expect(params.L.length).toBe(params.M.length);
    for (const layer of [...params.L, ...params.M])
      expect(layer.w.data.length).toBe(layer.w.shape.reduce((a, b) => a * b, 1));
    expect(state.hidden).toEqual(j.hidden);
    const conserved = await readNpy(join(out, "arrays", "conserved.npy"));
    expect(conserved.shape[0]).toBe(2);
    const html = await readFile(join(out, "report.html"), "utf8");
    expect(html.match(/<svg/g)?.length).toBe(2);
  });

  it("perturbation --json writes the separation table and its plot", async () => {
    const out = await fresh();
    const r = await run(
      "integrability",
      "perturbation",
      "--seeds",
      "1",
      "--base-steps",
      "5",
      "--base-polish",
      "1",
      "--steps",
      "5",
      "--polish-iter",
      "1",
      "--out",
      out,
      "--json",
      "--quiet",
    );
    const j = JSON.parse(r.stdout);
    expect(j.rows.map((row: { epsilon: number }) => row.epsilon)).toEqual([0.1, 0.3]);
    for (const row of j.rows) expect(row.ratio).toBeCloseTo(row.nonIntegrable / row.integrable, 10);
    expect(j.separated).toBe(j.minRatio >= 10);
    // a test that does not separate is its own failed check: written, then exit 3 with a warning
    expect(r.code).toBe(j.separated ? 0 : 3);
    if (!j.separated)
      expect(r.stderr).toMatch(
        /^warning: the perturbation test FAILED its own checks and should not be trusted: the Lax loss does not separate .* \(exit code 3\)\n$/m,
      );
    expect((await readFile(join(out, "metrics.jsonl"), "utf8")).trim().split("\n")).toHaveLength(2);
    expect((await readFile(join(out, "report.html"), "utf8")).match(/<svg/g)?.length).toBe(1);
  });

  it("bad input: one line naming the flag and its range, exit 2, no run directory", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["lax", "--system", "burgers"],
        /^physml integrability lax: --system: expected one of ho \| ho2d \| toda \| henon-heiles \(on the command line also sine-gordon \| heisenberg \| kdv, whose Lax connections physml integrability connection learns\), got "burgers"\n$/,
      ],
      [["simulate", "--system", "toda", "--perturbation", "h1"], /--perturbation/],
      [
        ["scnn", "--batch", "0"],
        /^physml integrability scnn: --batch: expected an integer in \[1, 65536\], got "0"\n$/,
      ],
      [["scnn", "--conservation-weight", "-1"], /--conservation-weight: expected a number in \[0, 100000\]/],
      [["kdv", "--grid-points", "100"], /--grid-points: expected one of 64 \| 128 \| 256 \| 512 \| 1024/],
      [
        ["connection", "--system", "heisenberg", "--grid-points", "1024"],
        /^physml integrability connection: --grid-points: expected one of 64 \| 128 \| 256 \| 512 with --system heisenberg, got "1024"\n$/,
      ],
      [["kdv", "--trajectories", "1"], /--trajectories: expected an integer in \[2, 24\]/],
      [
        ["kdv", "--hidden", "8,0"],
        /--hidden: expected .*1 to 4 widths, each an integer in \[1, 256\], got "8,0"/,
      ],
      [
        ["kdv", "--hidden", "64,64"],
        /--hidden: expected at most 4000 parameters with --polish lm \(these widths give 10192/,
      ],
    ];
    for (const [args, message] of cases) {
      const out = await fresh();
      const r = await run("integrability", ...args, "--out", out);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(existsSync(out), args.join(" ")).toBe(false);
    }
  });

  it("two runs never share a directory: a second run is refused (exit 2), and so is a concurrent one", async () => {
    const out = await fresh();
    const args = [
      "integrability",
      "simulate",
      "--system",
      "ho",
      "--trajectories",
      "1",
      "--trajectory-time",
      "1",
      "--out",
      out,
    ];
    expect((await run(...args)).code).toBe(0);
    const again = await run(...args);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--out: expected an empty or new directory \(pass --resume .* or --force/);
    // two writers at once: the second finds the first one's lock
    const both = await fresh();
    const lax = ["integrability", "lax", "--system", "ho", "--steps", "2", "--lbfgs", "0", "--samples", "16"];
    const [a, b] = await Promise.all([
      run(...lax, "--out", both, "--quiet"),
      run(...lax, "--out", both, "--quiet"),
    ]);
    // the first run ends (two Adam steps learn no pair: exit 3), the second is refused
    expect([a.code, b.code]).toEqual([3, 2]);
    expect(b.stderr).toMatch(/--out: expected a run directory no other process is writing/);
    // --force archives the run there and starts anew
    const forced = await run(...args, "--force", "--json");
    expect(forced.code).toBe(0);
    expect((await readdir(join(out, ".."))).some((d) => d.startsWith("run.archived-"))).toBe(true);
  });
});
