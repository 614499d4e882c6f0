// physml duality lines: learn a topological line's link chunk from samples with the
// path-independence loss (thin wrapper over @physml/topological-lines; flags, ranges and help
// come from its zod schema; progress on stderr, --json prints the result; a run directory).

import { createProgress } from "@physml/runs";
import {
  type AnyLinesResult,
  type LinesResult,
  linesConfigSchema,
  type NeighbourhoodLinesResult,
  type PairCovarianceTest,
  pairTestSummary,
  runLinesDir,
} from "@physml/topological-lines";
import type { CommandBody } from "../command.js";
import { failedCheck } from "../failed-check.js";
import { boolFlag, emit, stringFlag } from "../flags.js";
import { defaultRunDir, storedRunNote } from "../run-flags.js";
import { configFlags, flagError, flagSpecs, inputFromFlags } from "../schema-flags.js";

const FLAGS = configFlags(linesConfigSchema);

const fmt = (v: number, d = 4) => v.toFixed(d);
// Pulls that round to zero print as 0.00, not -0.00.
const signed = (v: number) => (Math.abs(v) < 0.005 ? "0.00" : `${v > 0 ? "+" : ""}${v.toFixed(2)}`);

/**
 * The covariance (Hotelling T²) path-independence test as the JSON carries it in each geometry's
 * check (`validation.geometries[].fresh.pairCovariance`): its χ², p-value and limit, and its
 * decision `pathIndependent` (the check's verdict uses it).
 */
function pairVerdict(t: PairCovarianceTest): string {
  const decision = t.pathIndependent ? "path-independent" : "NOT path-independent";
  // With nothing tested (dof 0) there is no limit to compare a p-value with.
  const limit = t.dof ? `, limit p = ${t.pValueLimit.toPrecision(2)}` : "";
  return `path-pair χ² ${pairTestSummary(t)}${limit}: ${decision}`;
}

function human(r: AnyLinesResult & { out: string }): string {
  return r.chunk === "neighbourhood" ? humanNeighbourhood(r) : humanTable(r);
}

function heading(r: AnyLinesResult): string {
  return `topological lines on ${r.sampleDual ? "the Kramers–Wannier dual" : "the original"} model: L = ${r.L}, nn K = ${fmt(r.sampledCoupling, 5)}${r.sampleDual ? ` (β̃ of β = ${r.beta})` : ""}${r.plaquette ? `, plaquette κ = ${r.plaquette}` : ""}; ${r.configurations} training + ${r.configurations} fresh configurations`;
}

function footer(r: AnyLinesResult & { out: string }): string[] {
  return [
    r.validation.passed ? "checks passed" : `CHECKS FAILED:\n  ${r.validation.failures.join("\n  ")}`,
    `${r.seconds.toFixed(1)} s (sampling ${r.sampleSeconds.toFixed(1)} s); run directory ${r.out} (report.html)`,
  ];
}

function humanNeighbourhood(r: NeighbourhoodLinesResult & { out: string }): string {
  const table = (t: readonly number[]) => t.map((v) => fmt(v, 3).padStart(7)).join(" ");
  const rows = r.geometries.flatMap((g, i) => {
    const check = r.validation.geometries[i];
    const v = check.fresh;
    const trivial = g.starts.filter((s) => s.trivial).length;
    const head = `  ${g.geometry.padEnd(8)} ${g.learned ? `O = ${table(g.learned.table)}  (${g.starts.length} starts, ${trivial} on a trivial line)` : "every start ended on a trivial line"}`;
    if (!v)
      return [head, `           verdict: failed${check.expected ? ` (expected the ${check.expected})` : ""}`];
    return [
      head,
      `           fresh samples: loss ${v.loss.value.toExponential(2)} ± ${v.loss.error.toExponential(2)}, ${pairVerdict(v.pairCovariance)}`,
      ...v.candidates.map(
        (c) =>
          `           ${c.name}: O = ${table(c.table)}, angle ${fmt(c.angleDeg, 2)}°, distance² ${c.distance2.toExponential(2)} (limit ${fmt(v.distanceLimit, 1)})`,
      ),
      `           verdict: ${check.verdict}${check.expected ? (check.passed ? " (as expected)" : ` — expected the ${check.expected}`) : " (no exact link chunk expected at κ ≠ 0)"}`,
    ];
  });
  return [
    heading(r),
    `  chunk O(x, n) over the entries ${r.entries.join(" ")} (x = s_i s_j, n = frustrated plaquettes beside the link)`,
    ...rows,
    ...footer(r),
  ].join("\n");
}

function humanTable(r: LinesResult & { out: string }): string {
  const rows = r.geometries.flatMap((g, i) => {
    const check = r.validation.geometries[i];
    const v = check.fresh;
    const head = `  ${g.geometry.padEnd(8)} ${g.learned ? `O(+1) = ${fmt(g.learned.plus)}, O(−1) = ${fmt(g.learned.minus)} (φ = ${fmt(g.learned.angleDeg, 3)}°)` : "every start ended on the trivial line"}`;
    if (!v)
      return [head, `           verdict: failed${check.expected ? ` (expected the ${check.expected})` : ""}`];
    const pulls = v.candidates.map(
      (c) =>
        `${c.name} at ${fmt(c.angleDeg, 3)}° (table ${fmt(c.candidateTable[0])}, ${fmt(c.candidateTable[1])}): pull ${signed(c.pull)}σ`,
    );
    return [
      head,
      `           fresh samples: loss ${v.loss.value.toExponential(2)} ± ${v.loss.error.toExponential(2)}, minimiser ${fmt(v.angleDeg, 3)}° ± ${fmt(v.angleErrorDeg, 3)}°, ${pairVerdict(v.pairCovariance)}`,
      ...pulls.map((p) => `           ${p}`),
      `           verdict: ${check.verdict}${check.expected ? (check.passed ? " (as expected)" : ` — expected the ${check.expected}`) : " (no exact link-only line expected at κ ≠ 0)"}`,
    ];
  });
  return [heading(r), ...rows, ...footer(r)].join("\n");
}

export const linesCommand: CommandBody = {
  options: linesConfigSchema,
  flags: {
    ...flagSpecs(FLAGS),
    out: { type: "string", description: "run directory", default: "runs/duality-lines-<time>" },
    force: { type: "boolean", description: "archive the run already in --out and start anew" },
    resume: {
      type: "boolean",
      description:
        "continue the unfinished run in --out from its last checkpoint (the sample sets, each finished geometry, the learner's state inside the next), or report a finished one (flags given must match its config)",
    },
    quiet: { type: "boolean", description: "no progress on stderr" },
  },
  examples: [
    "physml duality lines --L 16 --beta 0.3",
    "physml duality lines --L 16 --beta 0.3 --dual --json",
    "physml duality lines --L 16 --beta 0.3 --plaquette 0.1 --geometry crossing",
    "physml duality lines --L 16 --beta 0.3 --chunk neighbourhood --plaquette 0.1",
  ],
  async run(raw, io) {
    const out = stringFlag(raw, "out") ?? defaultRunDir("duality-lines");
    const bar = createProgress({ quiet: boolFlag(raw, "quiet"), write: io.stderr });
    let r: AnyLinesResult & { out: string };
    try {
      const resume = boolFlag(raw, "resume");
      const ran = await runLinesDir(inputFromFlags(FLAGS, raw, {}, !resume), {
        out,
        force: boolFlag(raw, "force"),
        resume,
        log: (m) => bar.log(m),
        onStep: (g, m) => {
          if (m.step % (m.loss.length > 8 ? 20 : 100) === 0)
            bar.log(
              `${g} step ${m.step}: lowest loss ${Math.min(...m.loss).toExponential(2)} of ${m.loss.length} starts`,
            );
        },
      });
      r = ran.result;
      if (ran.resumed) storedRunNote(io, raw, out);
    } catch (e) {
      throw flagError(e, FLAGS, raw);
    } finally {
      bar.stop();
    }
    emit(io, boolFlag(raw, "json"), r, () => human(r));
    return r.validation.passed ? 0 : failedCheck(io, "the learned line", r.validation.failures);
  },
};
