// A lines run inside a run directory (@physml/runs): config.json, metrics.jsonl (one line per
// Adam step and geometry), result.json and report.html. Runs are short and not checkpointed:
// `resume` returns a finished run's result (an unfinished one is run again), `force` archives.
import { PhysmlInputError } from "@physml/lattice-core";
import { openRun, provenanceOf } from "@physml/runs";
import { resolveLinesConfig } from "../config.js";
import type { Geometry } from "../paths/paths.js";
import type { StepMetrics } from "../train/learner.js";
import { checkLinesMemory, type LinesResult, runLines } from "./lines.js";
import { linesReport } from "./report.js";

export interface LinesRunOptions {
  out: string;
  force?: boolean;
  resume?: boolean;
  onStep?: (geometry: Geometry, m: StepMetrics) => void;
}

export async function runLinesDir(
  input: unknown,
  opts: LinesRunOptions,
): Promise<LinesResult & { out: string }> {
  if (opts.resume && opts.force) throw new PhysmlInputError("force", "not together with --resume", "both");
  const run = openRun({
    dir: opts.out,
    kind: "duality-lines",
    input: input ?? {},
    // Refused before the directory is made.
    resolve: (i) => {
      const c = resolveLinesConfig(i);
      checkLinesMemory(c);
      return c;
    },
    mode: opts.resume ? "resume" : opts.force ? "force" : "new",
    provenance: provenanceOf(import.meta.url),
  });
  try {
    const stored = run.result<LinesResult & { out: string }>();
    if (stored) {
      if (!run.has("report.html")) run.writeText("report.html", await linesReport(stored, run.config));
      run.close();
      return stored;
    }
    run.truncateMetrics(0);
    const r = await runLines(run.config, (g, m) => {
      run.appendMetric({ geometry: g, ...m });
      opts.onStep?.(g, m);
    });
    const out = { ...r, out: opts.out };
    run.writeResult(out);
    run.writeText("report.html", await linesReport(r, run.config));
    run.close();
    return out;
  } catch (e) {
    run.abandon();
    throw e;
  }
}
