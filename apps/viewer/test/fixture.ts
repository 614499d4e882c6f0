// A fake but valid runs directory, written with @physml/runs' own writer: a finished duality-kw
// sweep of three β (results a little off the exact β̃, with error bars), one unfinished run kept
// open for appending, one that failed, a malformed run and a secret file outside the runs directory.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRun, provenanceOf, type Run } from "@physml/runs";

/** −½ ln tanh β: the KW dual written differently from lattice-core's atanh(e^{−2β}). */
export const dualByTanh = (beta: number) => -0.5 * Math.log(Math.tanh(beta));

/** One duality-kw metrics line of step `step`. */
export function metricLine(step: number, beta: number) {
  const t0 = dualByTanh(beta) * (1 + 0.5 * Math.exp(-step / 5));
  return {
    step,
    phase: "train",
    loss: 0.1 * Math.exp(-step / 4) + 1e-4,
    lossUnbiased: 0.1 * Math.exp(-step / 4),
    t: [t0, 0, 0, 0],
    theta: [-Math.sinh(2 * t0), Math.cosh(2 * t0)],
    tau: 1,
    attention: [0.7, 0.1, 0.1, 0.1],
    lrFactor: 1,
    elapsedMs: 10 * step,
  };
}

/** A checkerboard of ±1 with one flipped domain: chains × L × L. */
export function spinStack(chains: number, L: number): Int8Array {
  const s = new Int8Array(chains * L * L);
  for (let c = 0; c < chains; c++)
    for (let y = 0; y < L; y++)
      for (let x = 0; x < L; x++) s[(c * L + y) * L + x] = (x + y + c) % 2 === 0 || x < L / 2 ? 1 : -1;
  return s;
}

export interface Fixture {
  base: string;
  root: string;
  /** The unfinished run, still open for writing (append to it, then close it). */
  live: Run<Record<string, unknown>>;
  liveDir: string;
  betas: number[];
}

function openDuality(dir: string, beta: number): Run<Record<string, unknown>> {
  return openRun({
    dir,
    kind: "duality-kw",
    input: { beta, L: 8, seed: 1 },
    resolve: (input) => ({ plaquette: 0, ...(input as Record<string, unknown>) }),
    provenance: provenanceOf(import.meta.url),
  });
}

/** Writes the runs directory under a fresh temporary folder. */
export function makeFixture(): Fixture {
  const base = mkdtempSync(join(tmpdir(), "physml-viewer-"));
  const root = join(base, "runs");
  mkdirSync(root);
  writeFileSync(join(base, "secret.txt"), "TOP-SECRET-CONTENTS\n");
  const betas = [0.2, 0.3, 0.6];
  for (const beta of betas) {
    const run = openDuality(join(root, "sweep", `beta-${beta.toFixed(3)}`), beta);
    for (let step = 0; step < 20; step++) run.appendMetric(metricLine(step, beta));
    run.writeArray("spins", spinStack(2, 8), [2, 8, 8]);
    run.writeText("report.html", "<!doctype html><title>report</title><p>REPORT-BODY</p>");
    run.writeResult({
      beta,
      L: 8,
      t0: dualByTanh(beta) * 1.01,
      t0Error: 0.02 * dualByTanh(beta),
      attention: {
        slots: ["perp(-1/2,-1/2)", "identity"],
        kinds: ["dual-crossing", "identity"],
        weights: [0.9, 0.1],
      },
    });
    run.close();
  }
  const liveDir = join(root, "live-run");
  const live = openDuality(liveDir, 0.3);
  for (let step = 0; step < 3; step++) live.appendMetric(metricLine(step, 0.3));
  live.writeArray("spins", spinStack(3, 16), [3, 16, 16]);

  // A run whose code threw after its first steps: failure.json says why.
  const failed = openDuality(join(root, "failed-run"), 0.5);
  for (let step = 0; step < 2; step++) failed.appendMetric(metricLine(step, 0.5));
  failed.abandon(new Error("WebGPU device lost"));

  // Malformed runs: bad config JSON; a metrics file with a bad middle line and a torn tail.
  mkdirSync(join(root, "broken-config"));
  writeFileSync(join(root, "broken-config", "config.json"), '{"format": 1, "kind": ');
  const torn = openDuality(join(root, "torn-metrics"), 0.4);
  torn.close();
  writeFileSync(
    join(root, "torn-metrics", "metrics.jsonl"),
    `${JSON.stringify(metricLine(0, 0.4))}\n{"step": 1, "loss": oops}\n${JSON.stringify(metricLine(2, 0.4))}\n{"step": 3, "lo`,
  );
  // Symlinks that point outside the runs directory.
  symlinkSync(join(base, "secret.txt"), join(root, "escape.txt"));
  symlinkSync(base, join(root, "escape-dir"));
  return { base, root, live, liveDir, betas };
}
