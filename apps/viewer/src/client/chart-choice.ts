// Which charts a run's metrics get, chosen from every record seen so far rather than the first:
// a metric whose first value diverged (stored as the text "NaN"), or that starts at a later step,
// still gets its chart. Texts and other non-numbers are left out of the line (null: uPlot draws
// the line on past them and leaves them out of the scales).
import { isNonFiniteText } from "@physml/lattice-core";
import type { ChartSpec } from "./charts.js";

/** One parsed line of metrics.jsonl. */
export type MetricRecord = Record<string, unknown>;

/** One chart and how to read its series from the records. */
export interface MetricChart {
  /** Names the chart and the layout it belongs to: the same id is the same chart. */
  id: string;
  spec: ChartSpec;
  ys: (records: MetricRecord[]) => (number | null)[][];
}

/** At most this many charts for a run without a layout of its own. */
export const MAX_METRIC_CHARTS = 8;

/** Keys that are the x axis or bookkeeping, never a chart. */
const NOT_CHARTED = new Set(["step", "elapsedMs"]);

const COLORS = ["#4477aa", "#cc3311", "#228833", "#aa3377", "#ee7733", "#66ccee"];

/** The value as a point of a line: a finite number, else null (left out). */
export const pointOf = (v: unknown): number | null =>
  typeof v === "number" && Number.isFinite(v) ? v : null;
const at = (v: unknown, k: number) => (Array.isArray(v) ? pointOf(v[k]) : null);

/**
 * Whether `v` is a metric's value: a number (JSON.parse reads 1e999 as Infinity) or the text a
 * non-finite number is stored as ("NaN", "Infinity", "-Infinity").
 */
export const isMetricValue = (v: unknown): boolean => typeof v === "number" || isNonFiniteText(v);

/** The keys charted for `records`: in the order their first value appears, at most {@link MAX_METRIC_CHARTS}. */
export function chartedKeys(records: readonly MetricRecord[]): string[] {
  const keys = new Set<string>();
  for (const r of records)
    for (const [k, v] of Object.entries(r)) {
      if (keys.size === MAX_METRIC_CHARTS) return [...keys];
      if (!NOT_CHARTED.has(k) && isMetricValue(v)) keys.add(k);
    }
  return [...keys];
}

/** Whether the records are a duality learner's (a loss and the couplings t): the report's three plots. */
const isDuality = (records: readonly MetricRecord[]) =>
  records.some((r) => isMetricValue(r.loss) && Array.isArray(r.t));

/** The report's plots of a duality run: loss, t0 against the exact ±β̃, the head θ2 θ3. */
function dualityCharts(exact: number | null): MetricChart[] {
  const x = "step";
  const sign = (rs: MetricRecord[]) => (Math.sign(at(rs[rs.length - 1]?.t, 0) ?? 1) || 1) as number;
  return [
    {
      id: "duality:loss",
      spec: {
        title: "loss",
        xLabel: x,
        yLabel: "pooled loss (log scale)",
        logY: true,
        series: [{ label: "loss", color: COLORS[0] }],
      },
      ys: (rs) => [rs.map((r) => ((pointOf(r.loss) ?? 0) > 0 ? (r.loss as number) : null))],
    },
    {
      id: "duality:t0",
      spec: {
        title: "t0 against the exact dual coupling",
        xLabel: x,
        yLabel: "t0",
        series: [
          { label: "learned t0", color: COLORS[0] },
          ...(exact === null ? [] : [{ label: "exact ±β̃", color: COLORS[1], dash: [6, 4] }]),
        ],
      },
      ys: (rs) => [rs.map((r) => at(r.t, 0)), ...(exact === null ? [] : [rs.map(() => sign(rs) * exact)])],
    },
    {
      id: "duality:theta",
      spec: {
        title: "head θ2, θ3",
        xLabel: x,
        yLabel: "head parameter",
        series: [
          { label: "θ2", color: COLORS[2] },
          { label: "θ3", color: COLORS[3] },
        ],
      },
      ys: (rs) => [rs.map((r) => at(r.theta, 0)), rs.map((r) => at(r.theta, 1))],
    },
  ];
}

/**
 * The charts for `records` (every record seen so far): a duality run's three plots, or one chart
 * per metric of any other run. More records only add charts at the end, unless they turn the
 * run into a duality run (ids tell).
 */
export function chartsFor(records: readonly MetricRecord[], exact: number | null): MetricChart[] {
  if (isDuality(records)) return dualityCharts(exact);
  return chartedKeys(records).map((k, i) => ({
    id: `metric:${k}`,
    spec: { title: k, xLabel: "step", yLabel: k, series: [{ label: k, color: COLORS[i % COLORS.length] }] },
    ys: (rs: MetricRecord[]) => [rs.map((r) => pointOf(r[k]))],
  }));
}
