// What the integrability connection commands (kdv, connection) share in their results and
// reports: the verdict's wording, the network's description, the charts and the report's layout.
import { CONNECTION_TARGETS } from "@physml/integrability";
import { plural } from "@physml/lattice-core";
import { type ReportContent, type ReportTable, xyChart } from "@physml/runs";
import { type Fit, formulaRows } from "./integrability-formulas.js";
import { fmt } from "./integrability-run.js";

/** The verdict on a learned connection of `system` from its validation. */
export const connectionVerdict = (system: string, passed: boolean, failures: readonly string[]): string =>
  passed
    ? "passed: a Lax connection on the held-out trajectories (small curvature, conserved monodromy trace)"
    : `FAILED: not a Lax connection of ${system} on the held-out data (${failures.join("; ")})`;

/** The connection networks' shape: affine without hidden layers, else tanh layers beside a linear path. */
export const networkShape = (hidden: readonly number[]): string =>
  hidden.length === 0 ? "affine" : `tanh [${hidden.join(", ")}] + linear path`;

/** The total and the zero-curvature loss along training, on a log scale. */
export function zeroCurvatureLossChart(
  history: readonly { step: number; total: number; lax: number }[],
): ReturnType<typeof xyChart> {
  return xyChart({
    title: "zero-curvature loss over training",
    xTitle: "training step (Adam, then the polish's last iteration)",
    yTitle: "loss (dimensionless)",
    logY: true,
    series: (["total", "lax"] as const).map((k) => ({
      name: k === "lax" ? "𝓛_ZC" : "total",
      x: history.map((h) => h.step),
      y: history.map((h) => h[k]),
      style: "line" as const,
    })),
  });
}

/**
 * tr Ψ(t)/tr Ψ(0) − 1 along each held-out trajectory (flat lines for a conserved trace), named
 * by its index, its initial condition and `tag`; trajectories with a non-finite value are left out.
 */
export function monodromySeries(
  traces: readonly number[][],
  times: number[],
  kinds: readonly string[],
  tag = "",
): { name: string; x: number[]; y: number[]; style: "line" }[] {
  return traces.flatMap((tr, b) => {
    const y = tr.map((x) => x / tr[0] - 1);
    return y.every(Number.isFinite)
      ? [{ name: `${b} ${kinds[b]}${tag}`, x: times, y, style: "line" as const }]
      : [];
  });
}

/** What a connection's report shows beyond what every connection report shows alike. */
export interface ConnectionReportParts {
  title: string;
  verdict: string;
  /** The held-out curvature residual. */
  residual: number;
  /** The model in words: its features, matrices and networks. */
  model: string;
  training: { samples: number; adamSteps: number; polishIter: number; polish: string };
  trainSeconds: number;
  history: readonly { step: number; total: number; lax: number }[];
  monodromy: { title: string; series: ReturnType<typeof monodromySeries> };
  /** The per held-out trajectory table. */
  trajectories: ReportTable;
  formulas: { Ax: readonly (readonly Fit[])[]; At: readonly (readonly Fit[])[] };
}

/**
 * A connection's report: the verdict, the residual and monodromy targets, the model and its
 * training; the loss and monodromy charts; the per-trajectory and the formula tables.
 */
export function connectionReport(p: ConnectionReportParts): ReportContent {
  const t = p.training;
  return {
    title: p.title,
    summary: [
      ["verdict", p.verdict],
      ["held-out curvature residual", `${fmt(p.residual)} (target < ${CONNECTION_TARGETS.residual})`],
      [
        "monodromy variation target",
        `< ${CONNECTION_TARGETS.monodromyVariation} on every checked trajectory`,
      ],
      ["model", p.model],
      [
        "training",
        `${plural(t.samples, "point")}, ${plural(t.adamSteps, "Adam step")}, ${plural(t.polishIter, `${t.polish} iteration`)}; ${p.trainSeconds.toFixed(0)} s`,
      ],
    ],
    charts: [
      zeroCurvatureLossChart(p.history),
      xyChart({
        title: p.monodromy.title,
        xTitle: "time t",
        yTitle: "tr Ψ(t) / tr Ψ(0) − 1",
        series: p.monodromy.series,
      }),
    ],
    tables: [
      p.trajectories,
      {
        head: ["entry", "formula (degree ≤ 2 in the features)", "R²"],
        rows: [...formulaRows("A_x", p.formulas.Ax), ...formulaRows("A_t", p.formulas.At)],
      },
    ],
  };
}
