// The offline HTML report of a lines run: the loss landscape over the half-circle of chunk
// tables (one chart per geometry, the known lines marked), the learned tables and the checks.
import { plural } from "@physml/lattice-core";
import { reportHtml, xyChart } from "@physml/runs";
import type { LinesConfig } from "../config.js";
import { pairTestSummary } from "../eval/pair-covariance.js";
import { disorderAngle, TRIVIAL_ANGLE, Z2_ANGLE } from "../train/table.js";
import type { LinesResult } from "./lines.js";

const f = (v: number | undefined, d = 4) => (v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(d));
const deg = (r: number) => (r * 180) / Math.PI;

export async function linesReport(r: LinesResult, c: LinesConfig): Promise<string> {
  const K = r.sampledCoupling;
  const charts = r.geometries.map((g) => {
    // Log scale: exact zeros (the Z2 line along links) are drawn at a floor 10 decades down.
    const top = Math.max(...g.landscape.loss, 1e-300);
    const floor = top * 1e-10;
    const clip = (v: number) => Math.max(v, floor);
    const marker = (name: string, angle: number) => ({
      name,
      x: [deg(angle), deg(angle)],
      y: [floor, top],
      style: "dashed" as const,
    });
    return xyChart({
      title: `path-independence loss over the tables O = √2 (cos φ, sin φ), paths ${g.geometry === "links" ? "along links" : "across links (dual lattice)"}`,
      xTitle: "φ (degrees): O(+1) = √2 cos φ, O(−1) = √2 sin φ",
      yTitle: "Σ_pairs (⟨ψ_a⟩ − ⟨ψ_b⟩)² (fresh samples)",
      series: [
        // Errors are in result.json: a symmetric band would cross zero on a log scale.
        { name: "loss", x: g.landscape.phiDeg, y: g.landscape.loss.map(clip), style: "line" },
        marker("trivial O = 1 (45°)", TRIVIAL_ANGLE),
        marker("Z2 s_i s_j (135°)", Z2_ANGLE),
        // Legend labels are cut at ~20 characters: K is in the summary.
        marker(`disorder (${deg(disorderAngle(K)).toFixed(1)}°)`, disorderAngle(K)),
        ...(g.learned
          ? [
              {
                name: "learned",
                x: [g.learned.angleDeg],
                y: [clip(g.learned.trainLoss)],
                style: "points" as const,
              },
            ]
          : []),
      ],
      logY: true,
    });
  });
  return reportHtml({
    title: `Topological lines learned from ${r.sampleDual ? "dual-model" : "original"} samples (L = ${r.L}, β = ${r.beta}${r.plaquette ? `, κ = ${r.plaquette}` : ""})`,
    summary: [
      [
        "sampled model",
        `nn K = ${f(K, 5)}${r.sampleDual ? " (β̃ = dualCoupling(β))" : ""}${r.plaquette ? `, plaquette κ = ${r.plaquette}` : ""}`,
      ],
      [
        "configurations",
        `${r.configurations} training + ${r.configurations} fresh (${plural(c.chains, "chain")})`,
      ],
      ["path pairs", r.pairs.map(([a, b]) => `${a}~${b}`).join(", ")],
      [
        "learner",
        `${c.starts} starts, ${c.steps} Adam steps, lr ${c.lr}, excluded cone ${c.exclusionDeg}° around O = 1`,
      ],
      ["seconds", `${f(r.seconds, 1)} (sampling ${f(r.sampleSeconds, 1)})`],
    ],
    notes: [
      r.validation.passed ? "All checks passed." : `CHECKS FAILED: ${r.validation.failures.join("; ")}`,
      "The table is normalised to O(+1)² + O(−1)² = 2: the compared paths have equal lengths, so the loss does not see an overall factor. O and −O are the same line (φ mod 180°).",
      "Zeros of the loss: the trivial line (45°, excluded by the normalisation's cone), the Z2 line s_i s_j (135°) for paths along links — exact for every configuration, at any κ — and the disorder line e^{−2K s_i s_j} for paths across links, exact in expectation only when the model has nn couplings alone.",
    ],
    charts,
    tables: [
      {
        head: [
          "geometry",
          "learned O(+1), O(−1)",
          "φ (°)",
          "fresh minimiser (°)",
          "fresh loss",
          "χ² / dof, p (full covariance)",
          "diagonal χ² / pairs",
          "pull vs Z2",
          "pull vs disorder",
          "verdict",
          "expected",
        ],
        rows: r.geometries.map((g, i) => {
          const check = r.validation.geometries[i];
          const v = check.fresh;
          return [
            g.geometry,
            g.learned ? `${f(g.learned.plus)}, ${f(g.learned.minus)}` : "— (trivial only)",
            f(g.learned?.angleDeg, 3),
            v ? `${f(v.angleDeg, 3)} ± ${f(v.angleErrorDeg, 3)}` : "—",
            v ? `${v.loss.value.toExponential(2)} ± ${v.loss.error.toExponential(2)}` : "—",
            v ? pairTestSummary(v.pairCovariance) : "—",
            v ? `${f(v.chi2, 2)} / ${v.dof}` : "—",
            f(v?.candidates[0].pull, 2),
            f(v?.candidates[1].pull, 2),
            check.verdict,
            check.expected ?? "none (link-only chunk not exact at κ ≠ 0)",
          ];
        }),
      },
    ],
  });
}
