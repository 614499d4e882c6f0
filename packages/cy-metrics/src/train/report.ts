// report.html of a `cy train` run: σ per epoch against the target and the starting metrics, the
// training loss, the distribution of the pointwise Monge–Ampère ratio r·η on the held-out
// points (1 everywhere for the Ricci-flat metric), histograms of the Ricci scalar R of the model
// and of Fubini–Study (0 everywhere for the Ricci-flat metric), and for a ψ-range run σ at the
// held-out ψ.
import { plural } from "@physml/lattice-core";
import { barChart, reportHtml, type TopLevelSpec, xyChart } from "@physml/runs";
import { type Histogram, histogram } from "../eval/histogram.js";
import { fubiniStudyFunctions, type MetricFunctions, ricciScalar } from "../eval/ricci.js";
import type { PointSet } from "../geometry/sample.js";
import { usesDegreeK } from "../options.js";
import type { CyTrainResult, EpochMetrics } from "./run-result.js";

/** Held-out points (whole lines) on which the report shows the Ricci scalar (73 metric evaluations each). */
export const REPORT_RICCI_POINTS = 200;
/** Bins of the report's and `cy eval`'s Ricci histograms. */
export const RICCI_BINS = 20;

/** The Ricci scalar of the model and of Fubini–Study on the first points (whole lines), as histograms. */
export interface RicciHistograms {
  points: number;
  model: Histogram;
  fubiniStudy: Histogram;
}

/** Histograms of R for `model` and Fubini–Study on points[0, count) ({@link RICCI_BINS} bins each). */
export function ricciHistograms(model: MetricFunctions, points: PointSet, count: number): RicciHistograms {
  return {
    points: count,
    model: histogram(ricciScalar(model, points, count), RICCI_BINS),
    fubiniStudy: histogram(ricciScalar(fubiniStudyFunctions, points, count), RICCI_BINS),
  };
}

/** The report's Ricci histograms on the first `points` held-out points (whole lines); undefined for fewer than 10. */
export function reportRicci(
  model: MetricFunctions,
  held: PointSet,
  points = REPORT_RICCI_POINTS,
): RicciHistograms | undefined {
  const n = Math.min(points, held.n);
  return n >= 10 ? ricciHistograms(model, held, n - (n % 5)) : undefined;
}

function ricciChart(h: Histogram, name: string, color: string, points: number): TopLevelSpec {
  const tail = h.nonFinite > 0 ? `; ${plural(h.nonFinite, "point")} non-finite` : "";
  return barChart({
    title: `Ricci scalar R of ${name} on ${points} held-out points (end bins hold the tails${tail})`,
    xTitle: "R (bin centre, Kähler units of the hyperplane class)",
    yTitle: "points",
    bars: h.counts.map((c, i) => ({
      label: ((h.edges[i] + h.edges[i + 1]) / 2).toPrecision(3),
      value: c,
      group: name,
    })),
    groups: [{ name, color }],
  });
}

/** Histogram of `values` with weights over [lo, hi) in `bins` bins (outside values clamp to the ends). */
export function weightedHistogram(
  values: Float64Array,
  weights: Float64Array,
  lo: number,
  hi: number,
  bins: number,
): number[] {
  const out = new Array<number>(bins).fill(0);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((values[i] - lo) / (hi - lo)) * bins)));
    out[b] += weights[i];
    total += weights[i];
  }
  return out.map((v) => v / total);
}

/** The pointwise ratio r η_p with r = Σw/Σwη (its weighted mean is 1). */
export function normalisedRatio(eta: Float64Array, w: Float64Array): Float64Array {
  let s0 = 0;
  let s1 = 0;
  for (let i = 0; i < eta.length; i++) {
    s0 += w[i];
    s1 += w[i] * eta[i];
  }
  return eta.map((e) => (e * s0) / s1);
}

/** The run's report page. */
export async function trainReport(
  result: CyTrainResult,
  metrics: readonly EpochMetrics[],
  ratio: { model: Float64Array; fs: Float64Array; weight: Float64Array },
  ricci?: RicciHistograms,
): Promise<string> {
  const epochs = metrics.map((m) => m.epoch);
  const flat = (v: number) => epochs.map(() => v);
  const sigmaChart = xyChart({
    title: `σ on ${result.evalPoints} held-out points per epoch (${result.metricModel}${usesDegreeK(result.metricModel) ? `, k = ${result.k}` : ""})`,
    xTitle: "epoch",
    yTitle: "σ (dimensionless, log scale)",
    logY: true,
    series: [
      {
        name: "model",
        x: epochs,
        y: metrics.map((m) => m.sigma),
        error: metrics.map((m) => m.sigmaError),
        style: "points",
      },
      { name: `target ${result.target}`, x: epochs, y: flat(result.target), style: "dashed" },
      { name: "starting metric", x: epochs, y: flat(result.sigmaStart.mean), style: "dashed" },
      { name: "Fubini–Study", x: epochs, y: flat(result.sigmaFS.mean), style: "dashed" },
    ],
  });
  const lossChart = xyChart({
    title: `training loss (${result.lossFunction}) per epoch`,
    xTitle: "epoch",
    yTitle: "mean batch loss (dimensionless, log scale)",
    logY: true,
    series: [{ name: "𝓛_MA", x: epochs, y: metrics.map((m) => m.loss), style: "line" }],
  });
  const bins = 24;
  const half = Math.max(5 * result.sigma.mean, 1e-3);
  const lo = 1 - half;
  const hi = 1 + half;
  const hist = weightedHistogram(ratio.model, ratio.weight, lo, hi, bins);
  const histFs = weightedHistogram(ratio.fs, ratio.weight, 0, 3, bins);
  const label = (a: number, b: number, i: number) => (a + ((i + 0.5) * (b - a)) / bins).toFixed(4);
  const ratioChart = barChart({
    title:
      "pointwise Monge–Ampère ratio r·det g/|Ω|² of the model (weighted by dVol_CY; end bins hold the tails)",
    xTitle: "r·η (bin centre)",
    yTitle: "fraction of Vol_CY",
    bars: hist.map((v, i) => ({ label: label(lo, hi, i), value: v, group: "model" })),
    groups: [{ name: "model", color: "#4477aa" }],
  });
  const fsChart = barChart({
    title: "the same ratio for the Fubini–Study metric",
    xTitle: "r·η (bin centre)",
    yTitle: "fraction of Vol_CY",
    bars: histFs.map((v, i) => ({ label: label(0, 3, i), value: v, group: "Fubini–Study" })),
    groups: [{ name: "Fubini–Study", color: "#cc3311" }],
  });
  const pm = (v: { mean: number; error: number }) => `${v.mean.toPrecision(4)} ± ${v.error.toPrecision(2)}`;
  const ricciCharts = ricci
    ? [
        ricciChart(ricci.model, "the model", "#4477aa", ricci.points),
        ricciChart(ricci.fubiniStudy, "Fubini–Study", "#cc3311", ricci.points),
      ]
    : [];
  const held = result.heldOutPsi ?? [];
  const psiTable = held.length
    ? [
        {
          head: ["held-out ψ (not trained on)", "σ of the start", "σ trained", `below ${result.target}`],
          rows: held.map((h) => [String(h.psi.re), pm(h.sigmaStart), pm(h.sigma), h.passed ? "yes" : "NO"]),
        },
      ]
    : [];
  const range = result.psiRange
    ? [
        [
          `ψ range (trained on ψ = ${(result.trainPsi ?? []).map((p) => p.re).join(", ")})`,
          `${result.psiRange.from}:${result.psiRange.to}`,
        ] as const,
      ]
    : [];
  return reportHtml({
    title: `cy train: ${result.metricModel} model, ${usesDegreeK(result.metricModel) ? `k = ${result.k}, ` : ""}ψ = ${result.psi.re}${result.psi.im < 0 ? "−" : "+"}${Math.abs(result.psi.im)}i`,
    summary: [
      ["verdict", result.verdict],
      ["σ (held-out)", pm(result.sigma)],
      ["σ of the starting metric", pm(result.sigmaStart)],
      ["σ Fubini–Study", pm(result.sigmaFS)],
      ["Vol_CY", pm(result.volCY)],
      ["κ", pm(result.kappa)],
      ...range,
      ["epochs", String(result.epochs)],
      ["seconds", result.seconds.toFixed(1)],
    ],
    charts: [sigmaChart, lossChart, ratioChart, fsChart, ...ricciCharts],
    tables: psiTable,
    notes: [
      "σ = (1/Vol_CY) ∫ |1 − r η| dVol_CY with η = det g/|Ω|² and r = Σw/Σwη on the same points; error bars are a jackknife over whole lines.",
      "R = −g^{ab̄} ∂_a∂̄_b log det g by finite differences along X (eval/ricci.ts); the histograms count points (not weighted by volume) over each metric's 1st–99th percentile of R.",
    ],
  });
}
