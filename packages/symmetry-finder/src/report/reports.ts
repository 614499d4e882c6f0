// What each command's report.html shows, as @physml/runs report content: the embedding layer's
// first two principal components coloured by class, neighbour-distance curves with the cut, the
// training curve, explained-variance bars and the generators as heat maps; for CICY the Hodge
// accuracies with their error bars. Rendering is the runs package's (reportHtml).

import { pca, tensor } from "@physml/autodiff";
import { plural } from "@physml/lattice-core";
import { barChart, type ReportContent, type TopLevelSpec, xyChart } from "@physml/runs";
import { accuracyError } from "../cicy/accuracy-error.js";
import type { CicyNeighbourReport, HodgeClassNeighbours } from "../cicy/analysis.js";
import type { CicyMetrics, HeadAccuracy } from "../cicy/model.js";
import type { CicySplit } from "../cicy/split.js";
import type { NeighbourReport } from "../eval/neighbours.js";
import { validationLine } from "../generators/validation.js";
import type { EmbeddingStage, GeneratorStage } from "../pipeline/potential.js";
import { heatmapChart, scatterChart } from "./charts.js";

const f4 = (v: number) => v.toFixed(4);

/** The first two principal components of the rows of x [n, e] (zeros when e < 2). */
export function pca2(x: Float64Array, n: number): [Float64Array, Float64Array] {
  const e = x.length / n;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  if (e < 2 || n < 3) return [a, b];
  const p = pca(tensor(x, [n, e]), { k: 2 });
  const c = p.components.toFloat64Array();
  const mu = p.mean.toFloat64Array();
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < e; j++) {
      const v = x[i * e + j] - mu[j];
      a[i] += v * c[j];
      b[i] += v * c[e + j];
    }
  }
  return [a, b];
}

/** Sorted distances to the nearest neighbours of a few points, each with its cut as a marker. */
export function distanceCurves(r: NeighbourReport, title: string): TopLevelSpec {
  return xyChart({
    title,
    xTitle: "neighbour rank",
    yTitle: "distance in embedding space",
    series: [
      ...r.curves.map((c) => ({
        name: `point ${c.point}`,
        x: c.distances.map((_, j) => j + 1),
        y: c.distances,
        style: "line" as const,
      })),
      {
        name: "cut (largest jump)",
        x: r.curves.map((c) => c.cut),
        y: r.curves.map((c) => c.distances[c.cut - 1]),
        style: "points" as const,
      },
    ],
  });
}

function neighbourRows(r: NeighbourReport): [string, string][] {
  return [
    ["neighbours examined (k)", String(r.k)],
    ["mean neighbour score", f4(r.meanScore)],
    [`labels with score > ${r.threshold}`, `${(100 * r.shareAbove).toFixed(1)}% of ${r.perLabel.length}`],
  ];
}

/** Step 1: classifier and embedding layer. */
export function embeddingCharts(stage: EmbeddingStage): TopLevelSpec[] {
  const { data } = stage;
  const [pc1, pc2] = pca2(stage.embedding, data.n);
  const h = stage.trained.history;
  return [
    scatterChart({
      title: "embedding layer, first two principal components",
      xTitle: "PC 1",
      yTitle: "PC 2",
      x: pc1,
      y: pc2,
      category: data.labels,
      categoryTitle: "class",
    }),
    distanceCurves(stage.neighbours, "nearest neighbours in embedding space"),
    xyChart({
      title: "training",
      xTitle: "epoch",
      yTitle: "training accuracy",
      series: [
        { name: "accuracy", x: h.map((m) => m.epoch), y: h.map((m) => m.accuracy), style: "line" },
        { name: "stopping rule", x: [1, Math.max(2, h.length)], y: [0.95, 0.95], style: "dashed" },
      ],
    }),
  ];
}

export function potentialReport(title: string, stage: EmbeddingStage): ReportContent {
  return {
    title,
    summary: [
      ["points", `${stage.data.n} in R^${stage.data.dim}, ${plural(stage.data.classes, "classe")}`],
      [
        "training accuracy",
        `${f4(stage.trained.accuracy)} after ${plural(stage.trained.history.length, "epoch")}`,
      ],
      ["stopping rule (> 0.95) met", stage.trained.converged ? "yes" : "NO"],
      ...neighbourRows(stage.neighbours),
    ],
    charts: embeddingCharts(stage),
  };
}

export function generatorsReport(title: string, stage: EmbeddingStage, gen: GeneratorStage): ReportContent {
  const r = gen.report;
  const ev = r.explainedVariance.slice(0, Math.min(r.explainedVariance.length, r.generators.length + 4));
  const spectrum = r.spectrum?.slice(0, r.generators.length + 4);
  // the tangent method reports its constraint spectrum, the plane method explained variances
  const values = spectrum ?? ev;
  const bars = barChart({
    title: spectrum
      ? "constraint spectrum (null directions = generators)"
      : "explained variance of the candidate generators",
    xTitle: "component",
    yTitle: spectrum ? "eigenvalue / largest" : "explained variance ratio",
    bars: values.map((v, i) => ({
      label: String(i + 1),
      value: v,
      group: i < r.generators.length ? "generator" : "rest",
    })),
    groups: [
      { name: "generator", color: "#4477aa" },
      { name: "rest", color: "#bbbbbb" },
    ],
    ...(spectrum ? {} : { yMax: 1 }),
  });
  return {
    title,
    summary: [
      ["generators found", String(r.generators.length)],
      ...(ev.length ? [["explained variance", ev.map(f4).join(" ")] as [string, string]] : []),
      ["closure residual", r.closureResidual.toExponential(2)],
      ["antisymmetry |G + Gᵀ|/|G|", r.antisymmetry.toExponential(2)],
      ["orthonormality", r.orthonormality.toExponential(2)],
      ...(gen.angleToTrue !== undefined
        ? [["angle to the true algebra", `${f4(gen.angleToTrue)} rad`] as [string, string]]
        : []),
      ["classifier accuracy", f4(stage.trained.accuracy)],
      ...neighbourRows(stage.neighbours),
      ["validation", gen.validation.passed ? "passed" : "FAILED"],
    ],
    notes: [validationLine(gen.validation), ...gen.validation.notes],
    charts: [
      bars,
      ...r.generators.map((g, i) => heatmapChart({ title: `generator ${i + 1}`, matrix: g })),
      ...embeddingCharts(stage),
    ],
    tables: r.structureConstants.length
      ? [
          {
            head: ["a", "b", "f_ab^c, c = 1…"],
            rows: r.structureConstants.flatMap((fa, a) =>
              fa
                .slice(a + 1)
                .map((fab, j) => [String(a + 1), String(a + j + 2), fab.map((v) => v.toFixed(3)).join(" ")]),
            ),
          },
        ]
      : [],
  };
}

/** CICY: Hodge accuracies per epoch, the test accuracy with its error bar, and the neighbour analysis. */
export function cicyReport(r: {
  history: readonly CicyMetrics[];
  accuracy: { h11: HeadAccuracy; h21: HeadAccuracy };
  split: CicySplit;
  model: string;
  all?: CicyNeighbourReport;
  /** The neighbour analysis within (h11, h21) classes. */
  classes?: readonly HodgeClassNeighbours[];
}): ReportContent {
  const h = r.history;
  const ep = h.map((m) => m.epoch);
  const last = h[h.length - 1];
  const pm = (a: HeadAccuracy) => `${f4(a.accuracy)} ± ${f4(a.error)} (n = ${a.n} CICYs)`;
  const se = (p: number) => accuracyError(p, Math.max(1, r.accuracy.h11.n));
  const charts: TopLevelSpec[] = [
    xyChart({
      title: "Hodge-number accuracy during training",
      xTitle: "epoch",
      yTitle: "accuracy",
      series: [
        { name: "h11 validation", x: ep, y: h.map((m) => m.h11Accuracy), style: "line" },
        { name: "h21 validation", x: ep, y: h.map((m) => m.h21Accuracy), style: "line" },
        {
          name: "target 0.95",
          x: [ep[0] ?? 1, Math.max(2, ep[ep.length - 1] ?? 2)],
          y: [0.95, 0.95],
          style: "dashed",
        },
        // xyChart colours markers in reverse order: h21 first so each head's marker matches its line
        {
          name: "h21 test",
          x: ep,
          y: h.map((m) => m.h21Test),
          error: h.map((m) => se(m.h21Test)),
          style: "points",
        },
        {
          name: "h11 test",
          x: ep,
          y: h.map((m) => m.h11Test),
          error: h.map((m) => se(m.h11Test)),
          style: "points",
        },
      ],
    }),
  ];
  if (r.all) charts.push(distanceCurves(r.all.report, "nearest neighbours in embedding space (CICY label)"));
  return {
    title: `symmetry cicy: ${r.model} network, ${r.split.kind} split`,
    summary: [
      [
        "split",
        r.split.kind === "permutations"
          ? `one held-out arrangement of each of ${r.split.test.index.length} CICYs (${r.split.singleArrangement} with a single arrangement untested), never drawn in training`
          : `${r.split.test.index.length / Math.max(1, r.accuracy.h11.n)} arrangements of each of ${r.accuracy.h11.n} held-out CICYs; ${r.split.train.length} CICYs trained on`,
      ],
      [
        "epochs, samples, seconds",
        last ? `${last.epoch}, ${last.samples}, ${last.seconds.toFixed(0)}` : "none",
      ],
      ["test accuracy h11 (± standard error)", pm(r.accuracy.h11)],
      ["test accuracy h21 (± standard error)", pm(r.accuracy.h21)],
      ...(r.all ? neighbourRows(r.all.report) : []),
      ...(r.classes ?? []).map((c): [string, string] => [
        `within (h11, h21) = (${c.h11}, ${c.h21}), ${c.cicys} CICYs: labels above ${c.neighbours.report.threshold}`,
        `${(100 * c.neighbours.report.shareAbove).toFixed(1)}%`,
      ]),
      ...(r.all
        ? [
            [
              "confused neighbours sharing (h11, h21, c2·J)",
              `${(100 * r.all.confusedSameInvariants).toFixed(1)}% of ${r.all.confusedPairs} (sharing (h11, h21): ${(100 * r.all.confusedSameHodge).toFixed(1)}%)`,
            ] as [string, string],
          ]
        : []),
    ],
    charts,
    notes: r.all
      ? []
      : [
          "No neighbour analysis: the equivariant network's embedding is permutation-invariant by construction.",
        ],
  };
}
