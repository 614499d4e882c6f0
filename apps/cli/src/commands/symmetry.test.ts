import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { defaultMemoryLimit, readNpy, writeNpy } from "@physml/lattice-core";
import { Run } from "@physml/runs";
import {
  CICY_DEFAULT_PATH,
  cicyListMissing,
  estimateSymmetryMemory,
  GENERATOR_TARGETS,
  generatorMethod,
  minPointsPerClass,
} from "@physml/symmetry-finder";
import { describe, expect, it, vi } from "vitest";
import { writeWithOldFieldName } from "../../test/old-field-names.js";
import { runCaptured as run } from "../../test/run-captured.js";

// the CICY command's test reads the shared list; a machine without it skips that test and says why
const cicyMissing = cicyListMissing();
if (cicyMissing) console.warn(`physml symmetry cicy test: SKIPPED — ${cicyMissing}`);

describe("physml symmetry", () => {
  it("noscale --json: K = −3 ln(T + T̄ − φφ̄) is standard no-scale (K_A K^{AB̄} K_B̄ = 3)", async () => {
    const r = await run("symmetry", "noscale", "--kahler", "-3*log(T + conj(T) - phi*conj(phi))", "--json");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").length).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.fields).toEqual(["T", "phi"]);
    expect(Math.abs(j.kineticMean - 3)).toBeLessThan(1e-11);
    expect(j.standard).toBe(true);
    expect(j.shiftSymmetric).toEqual(["T"]);
  });

  it("noscale text: K = −ln(T + T̄) has the uniform scaling weight 1/3, printed to 6 digits like the per-field ones", async () => {
    const r = await run("symmetry", "noscale", "--kahler", "-log(T + conj(T))");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("scaling weight: 0.333333; per-field weights: T 3.00000\n");
  });

  it("bad input exits 2 with one line naming the field", async () => {
    const a = await run("symmetry", "noscale", "--kahler", "-3*log(T", "--json");
    expect(a.code).toBe(2);
    // one line naming the flag (mathjs's own reason in brackets)
    expect(a.stderr).toMatch(
      /^physml symmetry noscale: --kahler: expected an expression mathjs can parse, got "-3\*log\(T" \([^\n]+\)\n$/,
    );
    // a potential that parses but is nowhere real in the box is the flag's fault too
    const real = await run("symmetry", "noscale", "--kahler", "sqrt(T)");
    expect(real.code).toBe(2);
    expect(real.stderr).toBe(
      'physml symmetry noscale: --kahler: expected a real potential somewhere in the sampling box, got "sqrt(T)"\n',
    );
    const b = await run("symmetry", "potential", "--potential", "nope");
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--potential/);
    const c = await run("symmetry", "generators", "--group", "so7");
    expect(c.code).toBe(2);
    // .npy files that cannot be read name their own flag and path
    const dir = await mkdtemp(join(tmpdir(), "physml-sym-npy-"));
    try {
      const text = join(dir, "labels.npy");
      await writeFile(text, "not numpy\n");
      const missing = join(dir, "points.npy");
      const d = await run(
        "symmetry",
        "generators",
        "--group",
        missing,
        "--labels",
        text,
        "--out",
        join(dir, "run"),
      );
      expect(d.code).toBe(2);
      expect(d.stderr).toMatch(
        /^physml symmetry generators: --group: expected a readable \.npy file, got ".*points\.npy" \(ENOENT\)/,
      );
      await writeNpy(missing, Float64Array.of(1, 2, 3, 4), [2, 2]);
      const e = await run(
        "symmetry",
        "generators",
        "--group",
        missing,
        "--labels",
        text,
        "--out",
        join(dir, "run"),
      );
      expect(e.code).toBe(2);
      expect(e.stderr).toMatch(
        /^physml symmetry generators: --labels: expected a \.npy file .*, got ".*labels\.npy" \(npy bytes: /,
      );
      // A CICY list that is missing or not gzipped JSON names --data, the flag that gave it.
      const cicys = [join(dir, "missing.json.gz"), text];
      const f = [];
      for (const path of cicys)
        f.push(await run("symmetry", "cicy", "--data", path, "--epochs", "1", "--out", join(dir, "cicy")));
      for (const [k, r] of f.entries()) {
        expect(r.code).toBe(2);
        expect(
          r.stderr.startsWith(
            `physml symmetry cicy: --data: expected a gzipped JSON CICY list (cicy3o.json.gz), got "${cicys[k]}" (`,
          ),
        ).toBe(true);
      }
      for (const r of [d, e, ...f]) expect(r.stderr.trim().split("\n")).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("generators with fewer points per class than the search needs are refused before any work, naming --per-class and the minimum (exit 2, one line, no run directory)", async () => {
    const root = await mkdtemp(join(tmpdir(), "physml-sym-few-"));
    try {
      for (const [group, method, dim] of [
        ["so3", "planes", 3],
        ["so2xso2", "tangent", 4],
      ] as const) {
        const min = minPointsPerClass(generatorMethod(method, dim), dim);
        const out = join(root, group);
        const r = await run(
          ...["symmetry", "generators", "--group", group, "--per-class", "10", "--out", out],
        );
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(
          `physml symmetry generators: --per-class: expected at least ${min} for ${group} with the ${method} method (the points per class its generator search needs${method === "planes" ? ", estimated" : ""}), got "10"\n`,
        );
        // refused before the training (no epoch line) and before the run directory
        await expect(readFile(join(out, "config.json"))).rejects.toThrow();
      }
      // the tangent method's rule is exact: 6·4 + 2 = 26 points per class in R⁴
      expect(minPointsPerClass(generatorMethod("tangent", 4), 4)).toBe(26);
      // labelled points whose classes are all too small are refused before the training too
      const points = join(root, "few-points.npy");
      const labels = join(root, "few-labels.npy");
      await writeNpy(
        points,
        Float64Array.from({ length: 20 }, (_, i) => Math.cos(i)),
        [10, 2],
      );
      await writeNpy(
        labels,
        Int32Array.from({ length: 10 }, (_, i) => i % 2),
        [10],
      );
      const u = await run(
        ...["symmetry", "generators", "--group", points, "--labels", labels, "--out", join(root, "few")],
      );
      expect(u.code).toBe(2);
      expect(u.stderr).toMatch(
        /^physml symmetry generators: --group: expected points with a class of at least 14 points for the tangent method in R\^2, got ".*few-points\.npy" \(the largest class has 5\)\n$/,
      );
      expect(u.stderr).not.toMatch(/epoch/);
      await expect(readFile(join(root, "few", "config.json"))).rejects.toThrow();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("generators whose network's classes fail the search after training say so in one line with the way out; runs show reports the unfinished run, its checkpoint and why it failed", async () => {
    const root = await mkdtemp(join(tmpdir(), "physml-sym-after-"));
    try {
      // two classes on two parallel lines: big enough for the planes estimate (a sphere's), but
      // a line spans no plane, so the search finds no candidate once the classifier is trained
      const n = 40;
      const x = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) x.set([-1 + (4 * Math.floor(i / 2)) / n, i % 2], 2 * i);
      const points = join(root, "points.npy");
      const labels = join(root, "labels.npy");
      await writeNpy(points, x, [n, 2]);
      await writeNpy(
        labels,
        Int32Array.from({ length: n }, (_, i) => i % 2),
        [n],
      );
      const out = join(root, "run");
      const args = ["symmetry", "generators", "--group", points, "--labels", labels, "--method", "planes"];
      const r = await run(...args, "--out", out, "--quiet");
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(
        /^physml symmetry generators: --group: expected enough points per class for the planes method \(.*the network's largest class has \d+\), got .*the trained classifier stays in .* as an unfinished run: run again with --force or another --out\)\n$/,
      );
      const show = await run("runs", "show", out, "--json");
      expect(show.code).toBe(0);
      const summary = JSON.parse(show.stdout);
      expect(summary.status).toBe("unfinished");
      expect(summary.checkpointStep).toBeGreaterThan(0);
      expect(summary.result).toBeUndefined();
      // the run records why, with the category and exit code the command ended with
      expect(summary.failure).toMatchObject({ category: "input", code: r.code });
      expect(summary.failure.message).toMatch(/^group: expected enough points per class/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  // two short trainings (so3 on 60 and 400 points per class) and their reports: ~10 s alone
  it("generators says whether its generators are an algebra: 60 points per class of so3 fail (exit 3, `validation` in the JSON, result.json, text and report; --resume exits 3 again), 400 pass", {
    timeout: 300_000,
  }, async () => {
    const root = await mkdtemp(join(tmpdir(), "physml-sym-verdict-"));
    try {
      const out = join(root, "few");
      const args = ["symmetry", "generators", "--group", "so3", "--per-class", "60", "--quiet"];
      const r = await run(...args, "--out", out, "--json");
      expect(r.code, r.stderr).toBe(3);
      const j = JSON.parse(r.stdout);
      expect(j.validation.passed).toBe(false);
      // the plane method's checks: closure, the explained-variance gap, antisymmetry, the angle
      const { closureResidual, antisymmetry, angleToTrue, varianceGap } = GENERATOR_TARGETS;
      expect(j.validation.targets).toEqual({ closureResidual, varianceGap, antisymmetry, angleToTrue });
      // one sentence per failed check, naming the measured value and its threshold
      expect(j.closureResidual).toBeGreaterThan(closureResidual);
      expect(j.validation.failures).toContain(
        `the span does not close under the commutator: closure residual ${j.closureResidual.toPrecision(3)} (threshold < ${closureResidual})`,
      );
      expect(j.antisymmetry).toBeGreaterThan(antisymmetry);
      expect(j.validation.failures).toContain(
        `the generators are not antisymmetric: |G + Gᵀ|/|G| up to ${j.antisymmetry.toPrecision(3)} (threshold < ${antisymmetry})`,
      );
      expect(j.angleToTrue).toBeGreaterThan(angleToTrue);
      expect(
        j.validation.failures.some((f: string) =>
          f.startsWith(`the span is ${j.angleToTrue.toPrecision(3)} rad`),
        ),
      ).toBe(true);
      expect(r.stderr).toBe(
        `warning: the generator search on so3 FAILED its own checks and should not be trusted: ${j.validation.failures.join("; ")} (exit code 3)\n`,
      );
      // the result and report are still written
      expect(JSON.parse(await readFile(join(out, "result.json"), "utf8")).validation).toEqual(j.validation);
      const html = await readFile(join(out, "report.html"), "utf8");
      expect(html).toContain("<p>validation: FAILED (the span does not close");
      // a finished run reported again fails again
      const resumed = await run("symmetry", "generators", "--out", out, "--resume");
      expect(resumed.code).toBe(3);
      expect(resumed.stdout).toContain(`validation: FAILED (${j.validation.failures.join("; ")})\n`);

      const enough = await run(
        ...["symmetry", "generators", "--group", "so3", "--per-class", "400", "--quiet"],
        ...["--out", join(root, "enough")],
      );
      expect(enough.code, enough.stderr).toBe(0);
      expect(enough.stderr).toBe("");
      expect(enough.stdout).toMatch(/\nvalidation: passed\nrun directory: /);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("a run above the memory limit is refused naming --per-class, exit 2, no run directory", async () => {
    const out = join(tmpdir(), `physml-sym-refused-${process.pid}`);
    const r = await run(
      "symmetry",
      "potential",
      "--dim",
      "6",
      "--per-class",
      "1000000",
      "--max-memory",
      "2G",
      "--out",
      out,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^physml symmetry potential: --per-class: expected a run that fits in the memory limit of 2\.00 GB \(--max-memory\): 6000000 points in R\^6 needs ≈ [\d.]+ GB; lower --per-class, got "1000000"\n$/,
    );
    await expect(readFile(join(out, "result.json"))).rejects.toThrow();
    // The default limit is a share of the free memory: 6·10⁶ points in R⁴ (≈ 25 GB) exceed it here.
    if (estimateSymmetryMemory(6_000_000, 4) > defaultMemoryLimit()) {
      const d = await run("symmetry", "generators", "--group", "so4", "--per-class", "1000000");
      expect(d.code).toBe(2);
      expect(d.stderr).toMatch(/--per-class: .*memory limit of .* \(80% of the free memory; --max-memory\)/);
    } else console.warn("skipped the default-limit refusal: this machine has more than 25 GB free");
  });

  // training and rendering the report take ~20 s alone, minutes on the shared machine under load
  it("potential --json writes arrays/embeddings.npy into an @physml/runs run directory; a second run is refused, --resume reports it", {
    timeout: 300_000,
  }, async () => {
    const out = await mkdtemp(join(tmpdir(), "physml-sym-"));
    try {
      const args = ["potential", "--dim", "2", "--per-class", "100", "--out", out, "--json"];
      const r = await run("symmetry", ...args);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.accuracy).toBeGreaterThan(0.95);
      expect(j.neighbourAccuracy.perLabel.length).toBe(6);
      const emb = await readNpy(join(out, "arrays", "embeddings.npy"));
      expect(emb.shape).toEqual([600, 16]);
      expect(JSON.parse(await readFile(join(out, "result.json"), "utf8")).accuracy).toBe(j.accuracy);
      // an @physml/runs run: config with provenance, one metrics line per epoch
      const cfg = JSON.parse(await readFile(join(out, "config.json"), "utf8"));
      expect([cfg.kind, cfg.package, cfg.config.dim, cfg.config.perClass]).toEqual([
        "symmetry-potential",
        "@physml/symmetry-finder",
        2,
        100,
      ]);
      const lines = (await readFile(join(out, "metrics.jsonl"), "utf8")).trim().split("\n");
      expect(lines.length).toBe(j.epochs);
      // a second run into the same directory is refused; --resume reports the stored result
      const again = await run("symmetry", ...args);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/--resume/);
      const resumed = await run("symmetry", "potential", "--out", out, "--resume", "--json");
      expect(resumed.code).toBe(0);
      expect(JSON.parse(resumed.stdout)).toEqual(j);
      // the report: embedding PCA, distance curves with the cut, training curve
      const html = await readFile(join(out, "report.html"), "utf8");
      expect(html.match(/<svg/g)?.length).toBe(3);
      expect(html).toContain(`${j.accuracy.toFixed(4)} after ${j.epochs} epochs`);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("cicy --json: the network is `architecture` (`model` is the physical model elsewhere); a run written with `model` resumes", async () => {
    const out = await mkdtemp(join(tmpdir(), "physml-cicy-keys-"));
    try {
      // A made-up list (the keys' test needs no real CICYs): 24 small matrices, 3 Hodge classes.
      const list = Object.fromEntries(
        Array.from({ length: 24 }, (_, i) => [
          String(i + 1),
          {
            matrix: Array.from({ length: 1 + (i % 4) }, (_, r) =>
              Array.from({ length: 2 + (i % 3) }, (_, c) => (i + 2 * r + c) % 4),
            ),
            h11: 1 + (i % 3),
            h21: 20 + (i % 3),
          },
        ]),
      );
      const data = join(out, "list.json.gz");
      await writeFile(data, gzipSync(JSON.stringify(list)));
      const dir = join(out, "run");
      const args = ["symmetry", "cicy", "--data", data, "--epochs", "1", "--copies", "1"];
      const r = await run(...args, "--neighbour-copies", "2", "--out", dir, "--quiet", "--json");
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.architecture).toBe("mlp");
      expect(j).not.toHaveProperty("model");
      await writeWithOldFieldName(dir, "architecture", "model");
      expect(await readFile(join(dir, "config.json"), "utf8")).toContain('"model":"mlp"');
      const old = await run(
        "symmetry",
        "cicy",
        "--out",
        dir,
        "--resume",
        "--model",
        "mlp",
        "--quiet",
        "--json",
      );
      expect(old.code, old.stderr).toBe(0);
      expect(JSON.parse(old.stdout)).toEqual(j);
      const other = await run(
        "symmetry",
        "cicy",
        "--out",
        dir,
        "--resume",
        "--model",
        "equivariant",
        "--quiet",
      );
      expect(other.code).toBe(2);
      expect(other.stderr).toMatch(/differs in architecture "mlp" → "equivariant"/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it.skipIf(cicyMissing !== null)(
    "cicy --arrangements --json on a 150-CICY list: training and test accuracy, neighbour analysis, report.html",
    {
      timeout: 300_000,
    },
    async () => {
      const out = await mkdtemp(join(tmpdir(), "physml-cicy-"));
      try {
        const all = JSON.parse(gunzipSync(await readFile(CICY_DEFAULT_PATH)).toString("utf8"));
        const keys = Object.keys(all).filter((_, i) => i % 50 === 0 && i > 0);
        const data = join(out, "small.json.gz");
        await writeFile(data, gzipSync(JSON.stringify(Object.fromEntries(keys.map((k) => [k, all[k]])))));
        const r = await run(
          "symmetry",
          "cicy",
          "--data",
          data,
          "--epochs",
          "2",
          "--arrangements",
          "2",
          "--every",
          "2",
          "--neighbour-anchors",
          "1",
          "--out",
          join(out, "run"),
          "--json",
        );
        expect(r.code).toBe(0);
        const j = JSON.parse(r.stdout);
        // every 2nd of the CICYs left after the product placeholders are dropped
        expect(j.cicys).toBe(Math.ceil((keys.length - j.dropped) / 2));
        expect(j.split).toBe("permutations");
        const { h11, h11Error, n } = j.hodgeAccuracy;
        // binomial inside (0, 1); at 0 or 1 the distance to the 1σ Wilson bound, 1/(n + 1)
        expect(h11Error).toBeCloseTo(h11 % 1 === 0 ? 1 / (n + 1) : Math.sqrt((h11 * (1 - h11)) / n), 12);
        expect(n).toBe(j.testInputs);
        // the analysis runs on the fixed set, one scored arrangement per CICY
        expect(j.neighbourSet).toBe("fixed");
        expect(j.neighbourAccuracy.perLabel.length).toBe(j.cicys);
        expect(j.neighbourAccuracy.perLabel.every((p: { anchors: number }) => p.anchors === 1)).toBe(true);
        const [largest] = j.neighbourAccuracyByClass;
        expect(largest.perLabel.length).toBe(largest.cicys);
        // a pair sharing (h11, h21, c2·J) shares (h11, h21)
        expect(j.confusedSameHodge).toBeGreaterThanOrEqual(j.confusedSameInvariants);
        // the paper's fixed set: the result's training accuracy is the last epoch's metrics line
        const lines = (await readFile(join(out, "run", "metrics.jsonl"), "utf8")).trim().split("\n");
        expect(lines.length).toBe(j.epochs);
        const last = JSON.parse(lines[lines.length - 1]);
        expect(j.trainAccuracy).toEqual({ h11: last.h11Train, h21: last.h21Train });
        const html = await readFile(join(out, "run", "report.html"), "utf8");
        expect(html.match(/<svg/g)?.length).toBe(2);
        expect(html).toContain(`${h11.toFixed(4)} ± ${h11Error.toFixed(4)}`);
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    },
  );

  // three short trainings and two reports: ~15 s alone
  it("potential --resume of a run killed after its training continues from the checkpoint of its last epoch; a bad checkpoint is refused naming resume.adam.m", {
    timeout: 300_000,
  }, async () => {
    const root = await mkdtemp(join(tmpdir(), "physml-sym-resume-"));
    const args = ["potential", "--dim", "2", "--per-class", "30", "--json"];
    const timeless = (j: Record<string, unknown>) => ({
      ...Object.fromEntries(Object.entries(j).filter(([k]) => !/^seconds$|Seconds$/.test(k))),
      out: "",
    });
    /** `physml symmetry …argv` dying as it writes its first array (after the training). */
    const killedAfterTraining = async (...argv: string[]) => {
      vi.spyOn(Run.prototype, "writeArray").mockImplementation(() => {
        throw new Error("killed");
      });
      try {
        return await run("symmetry", ...argv);
      } finally {
        vi.restoreAllMocks();
      }
    };
    try {
      const whole = join(root, "whole");
      const ref = await run("symmetry", ...args, "--out", whole);
      expect(ref.code).toBe(0);
      const out = join(root, "killed");
      expect((await killedAfterTraining(...args, "--out", out)).code).toBe(1);
      const resumed = await run("symmetry", "potential", "--out", out, "--resume", "--json");
      expect(resumed.code).toBe(0);
      const epochs = JSON.parse(ref.stdout).epochs;
      // no epoch is trained again: the checkpoint of the last epoch is the trained classifier
      expect(resumed.stderr).toBe(
        `resuming from checkpoint/step-${String(epochs).padStart(8, "0")}.json after epoch ${epochs}\n`,
      );
      expect(timeless(JSON.parse(resumed.stdout))).toEqual(timeless(JSON.parse(ref.stdout)));
      const text = (dir: string, f: string) => readFile(join(dir, f), "utf8");
      expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
      const npy = (dir: string) => readFile(join(dir, "arrays/embeddings.npy"));
      expect((await npy(out)).equals(await npy(whole))).toBe(true);

      const bad = join(root, "bad");
      await killedAfterTraining(...args, "--out", bad);
      const file = join(bad, "checkpoint", `step-${String(epochs).padStart(8, "0")}.json`);
      const cp = JSON.parse(await text(bad, `checkpoint/step-${String(epochs).padStart(8, "0")}.json`));
      cp.state.adam.m = "[]";
      await writeFile(file, JSON.stringify(cp));
      const refused = await run("symmetry", "potential", "--out", bad, "--resume");
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(
        /^physml symmetry potential: resume\.adam\.m: expected \d+ vectors of sizes [\d, ]+, got 0 vectors/m,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
