import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { expandGrid, parseGridAxis } from "./grid.js";
import type { SweepManifest } from "./manifest.js";
import { arraySpec, compressIndices, shellQuote, slurmScript } from "./slurm.js";

function manifest(n: number): SweepManifest {
  const grid = [parseGridAxis(`seed=1:${n}:1`)];
  return {
    format: 1,
    createdAt: "",
    command: ["duality", "kw"],
    args: ["--L=8"],
    grid,
    worker: ["/usr/bin/node", "/opt/physml's cli/main.js", "sweep", "run-point"],
    cwd: "/home/me/work",
    points: expandGrid(grid).map((p) => ({ ...p, argv: [`--seed=${p.params.seed}`] })),
    submissions: [],
  };
}

describe("Slurm array specs", () => {
  test("indices compress to ranges; the throttle follows %", () => {
    expect(compressIndices([0, 1, 2, 3])).toBe("0-3");
    expect(compressIndices([7, 0, 2, 1, 3, 5, 8])).toBe("0-3,5,7-8");
    expect(compressIndices([4])).toBe("4");
    expect(arraySpec([0, 1, 2, 3], 2)).toBe("0-3%2");
  });

  test("shell quoting survives a round trip through bash", () => {
    for (const s of ["plain", "with space", "it's", "$HOME", 'a"b', "*"]) {
      const r = spawnSync("bash", ["-c", `printf %s ${shellQuote(s)}`], { encoding: "utf8" });
      expect(r.stdout).toBe(s);
    }
  });
});

describe("the sbatch script", () => {
  test("one array task per point, SLURM_ARRAY_TASK_ID selects the point, resources from options", () => {
    const m = manifest(4);
    const text = slurmScript({
      dir: "/shared/sweep",
      manifest: m,
      indices: [0, 1, 2, 3],
      maxParallel: 2,
      resources: { partition: "gpu", time: "30:00", mem: "4G", cpusPerTask: 2, gres: "gpu:1" },
    });
    const lines = text.split("\n");
    expect(lines[0]).toBe("#!/bin/bash");
    const sbatch = lines.filter((l) => l.startsWith("#SBATCH"));
    expect(sbatch).toEqual([
      "#SBATCH --job-name=physml-sweep",
      "#SBATCH --array=0-3%2",
      "#SBATCH --output=/shared/sweep/logs/point-%a.log",
      "#SBATCH --open-mode=append",
      "#SBATCH --chdir=/home/me/work",
      "#SBATCH --partition=gpu",
      "#SBATCH --time=30:00",
      "#SBATCH --mem=4G",
      "#SBATCH --cpus-per-task=2",
      "#SBATCH --gres=gpu:1",
    ]);
    expect(lines.at(-2)).toBe(
      `exec /usr/bin/node '/opt/physml'\\''s cli/main.js' sweep run-point /shared/sweep --index "$SLURM_ARRAY_TASK_ID"`,
    );
  });

  test("the script runs the worker with the task's index (bash, SLURM_ARRAY_TASK_ID set)", () => {
    const dir = mkdtempSync(join(tmpdir(), "physml-sbatch-"));
    const m = { ...manifest(3), worker: ["echo", "worker"], cwd: dir };
    const script = join(dir, "array.sh");
    writeFileSync(script, slurmScript({ dir, manifest: m, indices: [1, 2], maxParallel: 1 }));
    const r = spawnSync("bash", [script], {
      encoding: "utf8",
      env: { ...process.env, SLURM_ARRAY_TASK_ID: "2" },
    });
    expect(r.stdout.trim()).toBe(`worker ${dir} --index 2`);
    expect(r.status).toBe(0);
  });

  test("a task's threads follow its allocation (--cpus-per-task, else 1) unless PHYSML_THREADS is set", () => {
    const dir = mkdtempSync(join(tmpdir(), "physml-sbatch-"));
    const m = { ...manifest(3), worker: ["sh", "-c", 'echo "$PHYSML_THREADS"'], cwd: dir };
    const script = join(dir, "array.sh");
    writeFileSync(script, slurmScript({ dir, manifest: m, indices: [0], maxParallel: 1 }));
    const { PHYSML_THREADS: _t, SLURM_CPUS_PER_TASK: _c, ...env } = process.env;
    const threads = (extra: Record<string, string>) =>
      spawnSync("bash", [script], {
        encoding: "utf8",
        env: { ...env, SLURM_ARRAY_TASK_ID: "0", ...extra },
      }).stdout.trim();
    expect(threads({})).toBe("1");
    expect(threads({ SLURM_CPUS_PER_TASK: "3" })).toBe("3");
    expect(threads({ SLURM_CPUS_PER_TASK: "3", PHYSML_THREADS: "5" })).toBe("5");
  });

  test("a resubmission asks only for the unfinished points", () => {
    const text = slurmScript({ dir: "/s", manifest: manifest(10), indices: [3, 7, 8, 9], maxParallel: 4 });
    expect(text).toContain("#SBATCH --array=3,7-9%4\n");
  });

  test("values that would not survive an #SBATCH line are refused naming the option", () => {
    const m = manifest(2);
    expect(() =>
      slurmScript({ dir: "/s", manifest: m, indices: [0], maxParallel: 1, resources: { partition: "a b" } }),
    ).toThrow(PhysmlInputError);
    expect(() =>
      slurmScript({
        dir: "/s",
        manifest: m,
        indices: [0],
        maxParallel: 1,
        resources: { time: "1:00\n#SBATCH --x" },
      }),
    ).toThrow(/^partition|^time/);
    expect(() => slurmScript({ dir: "/my sweep", manifest: m, indices: [0], maxParallel: 1 })).toThrow(
      /^out/,
    );
  });
});
