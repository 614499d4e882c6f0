import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { dworkQuintic, evalQuintic } from "@physml/cy-metrics";
import { readNpy } from "@physml/lattice-core";
import { afterAll, describe, expect, it } from "vitest";
import { writeWithOldFieldName } from "../../test/old-field-names.js";
import { runCaptured as run } from "../../test/run-captured.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("physml cy", () => {
  it("sample --json writes points on the quintic as .npy and reports Vol_CY and κ with errors", async () => {
    const out = await mkdtemp(join(tmpdir(), "cy-sample-"));
    dirs.push(out);
    const r = await run("cy", "sample", "--psi", "10+3i", "--points", "500", "--out", out, "--json");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const j = JSON.parse(r.stdout);
    expect(j.psi).toEqual({ re: 10, im: 3 });
    expect(j.points).toBe(500);
    expect(j.volCY.error).toBeGreaterThan(0);
    expect(j.kappa.mean * j.volCY.mean).toBeCloseTo(5, 10);
    const pts = await readNpy(j.files.points);
    expect(pts.shape).toEqual([500, 10]);
    const w = await readNpy(j.files.weights);
    expect(w.shape).toEqual([500]);
    // every row (Re z, Im z) lies on p_ψ = 0
    const q = dworkQuintic({ re: 10, im: 3 });
    const z = new Float64Array(10);
    const val = new Float64Array(2);
    const scale = new Float64Array(1);
    for (let i = 0; i < 500; i++) {
      for (let c = 0; c < 5; c++) {
        z[2 * c] = pts.data[10 * i + c] as number;
        z[2 * c + 1] = pts.data[10 * i + 5 + c] as number;
      }
      evalQuintic(q, z, 0, val, new Float64Array(10), scale);
      expect(Math.hypot(val[0], val[1]) / scale[0]).toBeLessThan(1e-12);
    }
  });

  it("donaldson --json: σ_k below the Fubini–Study σ, keys sigma {mean, error}, balancingError, sigmaWithBalancing, volCY, kappa, k, psi, seconds", async () => {
    const out = await mkdtemp(join(tmpdir(), "cy-donaldson-"));
    dirs.push(out);
    const r = await run(
      "cy",
      "donaldson",
      "--k",
      "2",
      "--points",
      "3000",
      "--eval",
      "3000",
      "--out",
      out,
      "--json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.k).toBe(2);
    expect(j.psi).toEqual({ re: 0, im: 0 });
    expect(j.sections).toBe(15);
    expect(j.seconds).toBeGreaterThan(0);
    expect(j.volCY.mean).toBeGreaterThan(0);
    expect(j.kappa.mean).toBeGreaterThan(0);
    // sigma's error is the held-out points' alone; sigmaWithBalancing adds the balancing's
    expect(j.balancingError).toBeGreaterThan(0);
    expect(j.sigmaWithBalancing.mean).toBe(j.sigma.mean);
    expect(j.sigmaWithBalancing.error).toBeCloseTo(Math.hypot(j.sigma.error, j.balancingError), 15);
    expect(j.sigmaFS.mean - j.sigma.mean).toBeGreaterThan(
      3 * Math.hypot(j.sigmaWithBalancing.error, j.sigmaFS.error),
    );
    const h = await readNpy(j.files.h);
    expect(h.shape).toEqual([15, 15, 2]);
  });

  it("sample and donaldson write @physml/runs run directories: config.json with provenance, a second run into --out refused (its files untouched), --resume reports it, --force archives it", async () => {
    const root = await mkdtemp(join(tmpdir(), "cy-run-"));
    dirs.push(root);
    for (const [cmd, file, args] of [
      ["sample", "points.npy", ["--psi", "10+3i", "--points", "50"]],
      ["donaldson", "h.npy", ["--k", "1", "--points", "200", "--eval", "200", "--iterations", "1"]],
      ["donaldson", "h-k2.npy", ["--k", "1..2", "--points", "200", "--eval", "200", "--iterations", "1"]],
    ] as const) {
      const out = join(root, `${cmd}-${file}`);
      const first = await run("cy", cmd, ...args, "--out", out, "--json", "--quiet");
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toBe("");
      const j = JSON.parse(first.stdout);
      expect(j.out).toBe(out);
      expect(first.stdout).not.toContain("null");
      // the .npy files a user loads stay beside config.json in --out
      expect(Object.values(j.files)).toContain(join(out, file));
      const config = JSON.parse(await readFile(join(out, "config.json"), "utf8"));
      expect(config.kind).toBe(`cy-${cmd}`);
      expect(config.package).toBe("@physml/cy-metrics");
      expect(config.config.psi).toEqual(cmd === "sample" ? { re: 10, im: 3 } : { re: 0, im: 0 });
      expect(config.config.points).toBe(cmd === "sample" ? 50 : 200);
      const bytes = await readFile(join(out, file));
      // the same command again (other points) is refused, one line, and writes nothing
      const again = await run("cy", cmd, ...args.slice(0, -1), "300", "--out", out);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(
        new RegExp(
          `^physml cy ${cmd}: --out: expected an empty or new directory .*\\(it holds a finished run\\)\\n$`,
        ),
      );
      expect(await readFile(join(out, file))).toEqual(bytes);
      // --resume with the stored flags reports the stored result; with other flags it is refused
      const resumed = await run("cy", cmd, ...args, "--out", out, "--resume", "--json");
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout)).toEqual(j);
      const other = await run("cy", cmd, "--seed", "2", "--out", out, "--resume");
      expect(other.code).toBe(2);
      expect(other.stderr).toMatch(
        /--resume: expected the configuration stored in the run .*differs in seed 1 → 2/,
      );
      // --force archives the run and writes a new one
      const forced = await run(
        "cy",
        cmd,
        ...args,
        "--seed",
        "2",
        "--out",
        out,
        "--force",
        "--json",
        "--quiet",
      );
      expect(forced.code, forced.stderr).toBe(0);
      expect(JSON.parse(forced.stdout).seed).toBe(2);
      const archived = (await readdir(root)).filter((n) => n.startsWith(`${cmd}-${file}.archived-`));
      expect(archived).toHaveLength(1);
      expect(await readFile(join(root, archived[0], file))).toEqual(bytes);
    }
  });

  it("warns on stderr, not stdout, when ψ is the conifold (ψ⁵ = 1): sample, donaldson and train", async () => {
    const out = await mkdtemp(join(tmpdir(), "physml-cy-conifold-"));
    dirs.push(out);
    const fifth = `${Math.cos((2 * Math.PI) / 5)},${Math.sin((2 * Math.PI) / 5)}`;
    const warning = /^warning: ψ⁵ = 1 to within 1e-5: this quintic is the conifold, with 125 nodes[^\n]*\n$/;
    const cases: [string[], boolean][] = [
      [["sample", "--psi", "1", "--points", "50"], true],
      [["sample", "--psi", fifth, "--points", "50"], true],
      [["sample", "--psi", "0", "--points", "50"], false],
      [["sample", "--psi", "10+3i", "--points", "50"], false],
      [
        ["donaldson", "--psi", "1", "--k", "1", "--points", "100", "--eval", "100", "--iterations", "1"],
        true,
      ],
      [
        ["donaldson", "--psi", "10+3i", "--k", "1", "--points", "100", "--eval", "100", "--iterations", "1"],
        false,
      ],
      [
        [
          "train",
          "--psi",
          fifth,
          "--k",
          "1",
          "--points",
          "100",
          "--eval",
          "100",
          "--epochs",
          "1",
          "--batch",
          "50",
        ],
        true,
      ],
      [
        [
          "train",
          "--psi",
          "0",
          "--k",
          "1",
          "--points",
          "100",
          "--eval",
          "100",
          "--epochs",
          "1",
          "--batch",
          "50",
        ],
        false,
      ],
    ];
    for (const [i, [[cmd, ...args], warns]] of cases.entries()) {
      const what = [cmd, ...args].join(" ");
      const r = await run("cy", cmd, ...args, "--out", join(out, String(i)), "--json", "--quiet");
      // one epoch of cy train misses its σ target: exit 3 and its own warning line, ending "(exit code 3)"
      expect(r.code, what).toBe(cmd === "train" ? 3 : 0);
      const rest = r.stderr
        .split(/(?<=\n)/)
        .filter((line) => !line.endsWith("(exit code 3)\n"))
        .join("");
      if (warns) expect(rest, what).toMatch(warning);
      else expect(rest, what).toBe("");
      // stdout is the result alone
      expect(JSON.parse(r.stdout).psi, what).toBeDefined();
    }
  });

  it("--psi accepts a, a,b, a+bi, a−bi and bi", async () => {
    const out = await mkdtemp(join(tmpdir(), "cy-psi-"));
    dirs.push(out);
    for (const [text, psi] of [
      ["0.5", { re: 0.5, im: 0 }],
      ["10,3", { re: 10, im: 3 }],
      ["1-i", { re: 1, im: -1 }],
      ["-2.5i", { re: 0, im: -2.5 }],
      ["1e-3+2e1i", { re: 0.001, im: 20 }],
    ] as const) {
      const r = await run(
        ...["cy", "sample", `--psi=${text}`, "--points", "10", "--out", join(out, text), "--json"],
      );
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).psi).toEqual(psi);
    }
  });

  it("bad flags exit 2 with one line naming the flag and the allowed range", async () => {
    for (const [argv, msg] of [
      [["cy", "donaldson", "--k", "0"], /--k: expected an integer 1–8, or a range a\.\.b with 1 ≤ a < b ≤ 8/],
      [["cy", "donaldson", "--k", "4..2"], /--k: expected an integer 1–8, or a range a\.\.b/],
      [["cy", "sample", "--psi", "ten"], /--psi: expected a complex number/],
      [["cy", "sample", "--points", "2"], /--points: expected an integer in \[10, 10000000\]/],
    ] as const) {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe("");
    }
  });
  it("an --out that cannot be a directory is refused before sampling or balancing (exit 2, one line)", async () => {
    const d = await mkdtemp(join(tmpdir(), "physml-cy-out-"));
    dirs.push(d);
    const file = join(d, "file");
    await writeFile(file, "");
    for (const cmd of [
      ["cy", "sample", "--points", "10"],
      ["cy", "donaldson", "--k", "1", "--points", "100", "--eval", "100"],
      ["cy", "donaldson", "--k", "1..2", "--points", "100", "--eval", "100"],
    ]) {
      const r = await run(...cmd, "--out", join(file, "out"));
      expect(r.code, cmd.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(
        new RegExp(
          `^physml ${cmd[0]} ${cmd[1]}: --out: expected a path to a directory that exists or can be created, got .* \\(.*file is a file, not a directory\\)`,
        ),
      );
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("an --out holding another command's run is refused, and nothing is written into the run", async () => {
    const d = await mkdtemp(join(tmpdir(), "physml-cy-out-run-"));
    dirs.push(d);
    const lines = join(d, "lines");
    const first = await run(
      ...["duality", "lines", "--L", "4", "--chains", "4", "--samples", "4", "--warmup", "4", "--steps", "2"],
      ...["--starts", "1", "--blocks", "4", "--landscape-points", "8", "--quiet", "--out", lines],
    );
    expect([0, 3], first.stderr).toContain(first.code);
    const before = (await readdir(lines)).sort();
    for (const cmd of [
      ["cy", "sample", "--points", "10"],
      ["cy", "donaldson", "--k", "1", "--points", "100", "--eval", "100"],
      ["cy", "donaldson", "--k", "1..2", "--points", "100", "--eval", "100"],
    ]) {
      const r = await run(...cmd, "--out", lines);
      expect(r.code, cmd.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(
        new RegExp(
          `^physml ${cmd[0]} ${cmd[1]}: --out: expected an empty or new directory .* \\(it holds a (finished|unfinished) run\\)\\n$`,
        ),
      );
    }
    expect((await readdir(lines)).sort()).toEqual(before);
  });
  it("refuses a run above --max-memory at once, naming --points (exit 2, one line)", async () => {
    const r = await run(
      "cy",
      "donaldson",
      "--points",
      "10000000",
      "--eval",
      "10000000",
      "--max-memory",
      "1G",
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^physml cy donaldson: --points: expected a run that fits in the memory limit of 1\.00 GB/,
    );
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("physml cy donaldson --k a..b", () => {
  it("balances every k, reports σ_k with cyjax's values for ψ = 0 and writes report.html", async () => {
    const out = await mkdtemp(join(tmpdir(), "cy-sigma-k-"));
    dirs.push(out);
    const r = await run(
      "cy",
      "donaldson",
      "--k",
      "1..2",
      "--points",
      "2000",
      "--eval",
      "2000",
      "--iterations",
      "3",
      "--out",
      out,
      "--json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ks).toEqual([1, 2]);
    expect(j.sigmaK.map((x: { k: number; sections: number }) => [x.k, x.sections])).toEqual([
      [1, 5],
      [2, 15],
    ]);
    expect(j.sigmaK.map((x: { cyjax: number }) => x.cyjax)).toEqual([0.387, 0.265]);
    const [s1, s2] = j.sigmaK.map(
      (x: { sigmaWithBalancing: { mean: number; error: number } }) => x.sigmaWithBalancing,
    );
    expect(s1.mean - s2.mean).toBeGreaterThan(3 * Math.hypot(s1.error, s2.error));
    expect((await readNpy(j.files.h2)).shape).toEqual([15, 15, 2]);
    const html = await readFile(j.files.report, "utf8");
    expect(html).toContain("cyjax (σ on 1000 points)");
    expect(html).toContain("<svg");
  });
});

describe("physml cy train | eval", () => {
  it("train --json writes a run, exits 3 when σ misses the target; eval --json reads it on fresh points", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "cy-train-")), "run");
    dirs.push(out);
    const small = ["--k", "2", "--points", "300", "--eval", "100", "--epochs", "1", "--batch", "150"];
    const r = await run("cy", "train", ...small, "--iterations", "2", "--out", out, "--json", "--quiet");
    expect(r.code).toBe(3);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const j = JSON.parse(r.stdout);
    for (const key of ["sigma", "volCY", "kappa"])
      expect(Object.keys(j[key]).sort()).toEqual(["error", "mean"]);
    expect(j.k).toBe(2);
    expect(j.psi).toEqual({ re: 0, im: 0 });
    expect(j.seconds).toBeGreaterThan(0);
    // `loss` holds loss values across the CLI; the loss function chosen has its own key
    expect(j.lossFunction).toBe("l2");
    expect(j).not.toHaveProperty("loss");
    expect(j.passed).toBe(false);
    expect(r.stderr).toMatch(
      /^warning: the trained metric FAILED its own checks and should not be trusted: σ = .* is not below the target 0\.01; try .* \(exit code 3\)\n$/,
    );
    expect((await readNpy(join(out, "arrays", "h.npy"))).shape).toEqual([15, 15, 2]);
    const e = await run(
      "cy",
      "eval",
      "--run",
      out,
      "--points",
      "200",
      "--ricci-points",
      "10",
      "--json",
      "--quiet",
    );
    expect(e.code).toBe(0);
    const k = JSON.parse(e.stdout);
    for (const key of ["sigma", "volCY", "kappa"]) expect(k[key].error).toBeGreaterThan(0);
    expect(k.ricci.model.mean).toBeGreaterThan(0);
    expect(k.ricci.points).toBe(10);
    // histograms of R: every point counted once (bins, tails in the end bins, plus non-finite)
    for (const h of [k.ricci.histogram.model, k.ricci.histogram.fubiniStudy]) {
      expect(h.counts.reduce((a: number, b: number) => a + b, 0) + h.nonFinite).toBe(10);
      expect(h.edges).toHaveLength(h.counts.length + 1);
    }
    expect(e.stdout).not.toMatch(/null|NaN/);
    expect(k.k).toBe(2);
    expect(k.seconds).toBeGreaterThan(0);
    // --ricci-points 0: no Ricci scalar, and the JSON says why instead of carrying a null.
    const skipped = await run("cy", "eval", "--run", out, "--points", "100", "--ricci-points", "0", "--json");
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).not.toMatch(/null|NaN/);
    const s = JSON.parse(skipped.stdout);
    expect(s.ricci).toBeUndefined();
    expect(s.ricciUnavailable).toMatch(/ricci-points is 0/);
    expect(s.metricModel).toBe("algebraic");
    expect(s).not.toHaveProperty("model");
    // A run written before `model` became `metricModel` (config.json and result.json) is read,
    // evaluated and resumed under the new name.
    await writeWithOldFieldName(out, "metricModel", "model");
    expect(await readFile(join(out, "config.json"), "utf8")).toContain('"model":"algebraic"');
    const old = await run("cy", "eval", "--run", out, "--points", "100", "--ricci-points", "0", "--json");
    expect(old.code, old.stderr).toBe(0);
    expect(JSON.parse(old.stdout)).toEqual({ ...s, seconds: JSON.parse(old.stdout).seconds });
    const resumed = await run(
      "cy",
      "train",
      "--out",
      out,
      "--resume",
      "--model",
      "algebraic",
      "--json",
      "--quiet",
    );
    expect(resumed.code, resumed.stderr).toBe(3);
    const rj = JSON.parse(resumed.stdout);
    expect(rj.metricModel).toBe("algebraic");
    expect(rj).not.toHaveProperty("model");
    const other = await run("cy", "train", "--out", out, "--resume", "--model", "phi", "--quiet");
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/differs in metricModel "algebraic" → "phi"/);
    // another live writer holds the run (pid 1 is always alive): refused naming --run, not "out"
    await writeFile(join(out, "run.lock"), JSON.stringify({ pid: 1, host: hostname() }));
    const locked = await run("cy", "eval", "--run", out, "--points", "100", "--ricci-points", "0");
    expect(locked.code).toBe(2);
    expect(locked.stderr).toMatch(
      /^physml cy eval: --run: expected a run directory no other process is writing, got .* \(locked by pid 1 /,
    );
    expect(locked.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("train --model add --json: the same keys, the start is Fubini–Study, the network is written", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "cy-train-add-")), "run");
    dirs.push(out);
    const small = ["--points", "100", "--eval", "100", "--epochs", "1", "--batch", "50", "--hidden", "4"];
    const r = await run("cy", "train", "--model", "add", ...small, "--out", out, "--json", "--quiet");
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    for (const key of [
      "metricModel",
      "k",
      "psi",
      "sigma",
      "sigmaStart",
      "sigmaFS",
      "volCY",
      "kappa",
      "target",
      "passed",
      "verdict",
      "seconds",
    ])
      expect(j, key).toHaveProperty(key);
    expect(j.metricModel).toBe("add");
    // `model` is the physical model description in `exact model` and `mcmc`.
    expect(j).not.toHaveProperty("model");
    expect(j.sigmaStart.mean).toBeCloseTo(j.sigmaFS.mean, 12);
    expect((await readNpy(join(out, "arrays", "layer1-w.npy"))).shape).toEqual([4, 9]);
  });

  it("train and eval of a network model (mult) name no degree k in the text and the report: --k does not apply to it", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "cy-train-mult-")), "run");
    dirs.push(out);
    const small = ["--points", "100", "--eval", "100", "--epochs", "1", "--batch", "50", "--hidden", "4"];
    const r = await run("cy", "train", "--model", "mult", ...small, "--out", out, "--quiet");
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^cy train: mult model, ψ = 0\+0i, 1 epoch on 100 points \(l2 loss\)\n/);
    expect(await readFile(join(out, "report.html"), "utf8")).not.toMatch(/k = \d/);
    const e = await run("cy", "eval", "--run", out, "--points", "100", "--ricci-points", "0", "--quiet");
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/^cy eval: .* \(mult, ψ = 0\+0i, epoch 1\) on 100 fresh points/);
  });

  it("bad train and eval flags exit 2 with one line naming the flag", async () => {
    for (const [argv, msg] of [
      [["cy", "train", "--model", "mlp"], /--model: expected one of algebraic \| phi/],
      [["cy", "train", "--points", "1000", "--batch", "2000"], /--batch: expected at most --points/],
      [["cy", "train", "--lr", "0"], /--lr: expected/],
      [["cy", "train", "--model", "mult", "--alpha", "1,1,1"], /--alpha: expected/],
      [["cy", "train", "--model", "add", "--alpha", "1,-1,1,1"], /--alpha: expected/],
      [["cy", "train", "--psi-range", "0:0.9"], /--psi-range: expected a:b with 0 ≤ a < b ≤ 0\.6/],
      [["cy", "train", "--psi-range", "0.2:0.5"], /--psi: expected a real ψ inside --psi-range/],
      [
        ["cy", "eval", "--run", "/nonexistent/cy"],
        /--run: expected a run directory written by `physml cy train`/,
      ],
      [
        ["cy", "eval", "--run", "x", "--ricci-points", "5"],
        /--ricci-points: expected an integer in \[0, 100000\], a count of 0 \(no Ricci scalar\) or at least 10, got "5"$/m,
      ],
      [
        ["cy", "train", "--points", "10000000", "--eval", "10000000", "--max-memory", "1G"],
        /--points: expected a run that fits/,
      ],
    ] as const) {
      const extra = argv[1] === "train" ? ["--out", join(tmpdir(), `cy-bad-${process.pid}`)] : [];
      const r = await run(...argv, ...extra);
      expect(r.code, String(argv)).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stdout).toBe("");
    }
  });
});
