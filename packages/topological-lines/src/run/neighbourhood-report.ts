// The offline HTML report of a neighbourhood-chunk lines run: per geometry, the learned table's
// six entries against the candidate lines' (same normalisation and sign), the loss of every
// start along the Levenberg–Marquardt steps, and the checks.
import { plural } from "@physml/lattice-core";
import { reportHtml, xyChart } from "@physml/runs";
import type { LinesConfig } from "../config.js";
import { pairTestSummary } from "../eval/pair-covariance.js";
import type { NeighbourhoodLinesResult } from "./neighbourhood-lines.js";

const f = (v: number | undefined, d = 4) => (v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(d));

export async function neighbourhoodReport(
  r: NeighbourhoodLinesResult,
  c: LinesConfig,
  history: Map<string, number[][]> = new Map(),
): Promise<string> {
  const idx = r.entries.map((_, t) => t);
  const charts = r.geometries.flatMap((g, i) => {
    const v = r.validation.geometries[i].fresh;
    const where = g.geometry === "links" ? "along links" : "across links (dual lattice)";
    const entries = xyChart({
      title: `learned table O(x, n) against the known lines, paths ${where} (entries: ${r.entries.join(", ")})`,
      xTitle: "entry (0–2: x = +1, n = 0, 1, 2; 3–5: x = −1, n = 0, 1, 2)",
      yTitle: "O (Σ O² = 6, sign of the learned table)",
      series: [
        ...(g.learned ? [{ name: "learned", x: idx, y: g.learned.table, style: "points" as const }] : []),
        ...(v?.candidates ?? []).map((cand) => ({
          // Legend labels are cut at ~20 characters; the full names are in the table below.
          name:
            cand.name.split(" ")[0] === "Z2"
              ? "Z2 line"
              : cand.name.includes("half")
                ? "half-plaquette"
                : "disorder",
          x: idx,
          y: cand.table,
          style: "line" as const,
        })),
      ],
    });
    const losses = history.get(g.geometry);
    if (!losses?.length) return [entries];
    const starts = losses[0].length;
    const floor = 1e-32;
    return [
      entries,
      xyChart({
        title: `loss of each of the ${starts} starts along the Levenberg–Marquardt steps, paths ${where}`,
        xTitle: "step",
        yTitle: "Σ_pairs (⟨ψ_a⟩ − ⟨ψ_b⟩)² (training samples)",
        series: Array.from({ length: Math.min(starts, 16) }, (_, s) => ({
          name: `start ${s}`,
          x: losses.map((_, i) => i + 1),
          y: losses.map((l) => Math.max(l[s], floor)),
          style: "line" as const,
        })),
        logY: true,
      }),
    ];
  });
  return reportHtml({
    title: `Topological lines, neighbourhood chunk, from ${r.sampleDual ? "dual-model" : "original"} samples (L = ${r.L}, β = ${r.beta}${r.plaquette ? `, κ = ${r.plaquette}` : ""})`,
    summary: [
      [
        "sampled model",
        `nn K = ${f(r.sampledCoupling, 5)}${r.sampleDual ? " (β̃ = dualCoupling(β))" : ""}${r.plaquette ? `, plaquette κ = ${r.plaquette}` : ""}`,
      ],
      [
        "configurations",
        `${r.configurations} training + ${r.configurations} fresh (${plural(c.chains, "chain")})`,
      ],
      ["path pairs", `${r.pairs.length}: ${r.pairs.map(([a, b]) => `${a}~${b}`).join(", ")}`],
      [
        "learner",
        `${c.starts} starts, ${c.steps} Levenberg–Marquardt steps, excluded cones ${c.exclusionDeg}° around the trivial lines`,
      ],
      ["seconds", `${f(r.seconds, 1)} (sampling ${f(r.sampleSeconds, 1)})`],
    ],
    notes: [
      r.validation.passed ? "All checks passed." : `CHECKS FAILED: ${r.validation.failures.join("; ")}`,
      "The chunk is a table over the link's spin product x and the number n of frustrated plaquettes beside it, normalised to Σ O² = 6 (the compared paths have equal lengths, so the scale is a gauge; O and −O are one line).",
      "Trivial lines, excluded by cones: O = 1, and across links the plaquette parity (−1)^n, whose product along a dual path telescopes to the end plaquettes' product.",
      "A candidate matches when its squared Mahalanobis distance from the learned table, in the sphere's 5-dimensional tangent space with the jackknife covariance of the fresh-sample minimiser, is below the limit; the verdict needs the learned table path-independent on the fresh samples (χ²) too.",
      "With a plaquette coupling no link chunk is expected to be exact: the half-plaquette disorder chunk flips every interior plaquette term of a dual path but only half of the two end plaquettes'.",
    ],
    charts,
    tables: r.geometries.map((g, i) => {
      const check = r.validation.geometries[i];
      const v = check.fresh;
      return {
        head: ["geometry", ...r.entries, "loss / χ²", "verdict", "expected"],
        rows: [
          [
            `${g.geometry}: learned`,
            ...(g.learned?.table ?? r.entries.map(() => Number.NaN)).map((x) => f(x)),
            v
              ? `${v.loss.value.toExponential(2)} ± ${v.loss.error.toExponential(2)}; χ² ${pairTestSummary(v.pairCovariance)} (diagonal χ² ${f(v.chi2, 1)} / ${v.dof} pairs)`
              : "—",
            check.verdict,
            check.expected ?? "none (no exact link chunk expected at κ ≠ 0)",
          ],
          ...(v
            ? [
                [
                  "fresh minimiser ± jackknife",
                  ...v.table.map((x, t) => `${f(x)} ± ${f(v.tableError[t])}`),
                  "",
                  "",
                  "",
                ],
              ]
            : []),
          ...(v?.candidates ?? []).map((cand) => [
            cand.name,
            ...cand.table.map((x) => f(x)),
            `angle ${f(cand.angleDeg, 2)}°, distance² ${cand.distance2.toExponential(2)} (limit ${f(v?.distanceLimit, 1)})`,
            cand.matches ? "within the limit" : "outside",
            "",
          ]),
        ],
      };
    }),
  });
}
