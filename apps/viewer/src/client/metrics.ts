// The charts of a run's metrics: for duality runs the report's plots (loss, t0 against the exact
// ±β̃, the head θ2 θ3), for any other learner one chart per numeric metric. They are rebuilt
// from the records each time lines arrive, so a curve grows while the run trains.
import type uPlot from "uplot";
import { type ChartSpec, makeChart } from "./charts.js";

type Rec = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const at = (v: unknown, k: number) => (Array.isArray(v) ? num(v[k]) : null);

interface MetricChart {
  spec: ChartSpec;
  ys: (records: Rec[]) => (number | null)[][];
}

const COLORS = ["#4477aa", "#cc3311", "#228833", "#aa3377", "#ee7733", "#66ccee"];

/** The charts for records shaped like `first`; `exact` is the |t0| the run should learn. */
function chartsFor(first: Rec, exact: number | null): MetricChart[] {
  const x = "step";
  if (typeof first.loss === "number" && Array.isArray(first.t)) {
    const sign = (rs: Rec[]) => (Math.sign(at(rs[rs.length - 1]?.t, 0) ?? 1) || 1) as number;
    return [
      {
        spec: {
          title: "loss",
          xLabel: x,
          yLabel: "pooled loss (log scale)",
          logY: true,
          series: [{ label: "loss", color: COLORS[0] }],
        },
        ys: (rs) => [rs.map((r) => ((num(r.loss) ?? 0) > 0 ? (r.loss as number) : null))],
      },
      {
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
  return Object.keys(first)
    .filter((k) => k !== "step" && k !== "elapsedMs" && typeof first[k] === "number")
    .slice(0, 8)
    .map((k, i) => ({
      spec: { title: k, xLabel: x, yLabel: k, series: [{ label: k, color: COLORS[i % COLORS.length] }] },
      ys: (rs: Rec[]) => [rs.map((r) => num(r[k]))],
    }));
}

/** Live charts of one run's metrics inside `parent`. */
export class MetricsView {
  private records: Rec[] = [];
  private charts: { chart: MetricChart; plot: uPlot }[] = [];
  constructor(
    private readonly parent: HTMLElement,
    private readonly exact: number | null,
  ) {}

  /** Adds records (whole metrics lines) and redraws. */
  add(records: unknown[]): void {
    for (const r of records) if (typeof r === "object" && r !== null) this.records.push(r as Rec);
    this.draw();
  }

  /** Forgets every record (the file was truncated). */
  reset(): void {
    this.records = [];
    for (const c of this.charts) c.plot.destroy();
    this.charts = [];
    this.parent.replaceChildren();
    this.draw();
  }

  get count(): number {
    return this.records.length;
  }

  private draw(): void {
    this.parent.dataset.records = String(this.records.length);
    if (this.records.length === 0) return;
    const xs = this.records.map((r, i) => num(r.step) ?? i);
    if (this.charts.length === 0) {
      for (const chart of chartsFor(this.records[0], this.exact)) {
        const box = document.createElement("div");
        this.parent.append(box);
        this.charts.push({ chart, plot: makeChart(box, chart.spec, [xs, ...chart.ys(this.records)]) });
      }
    } else {
      for (const c of this.charts) c.plot.setData([xs, ...c.chart.ys(this.records)]);
    }
  }

  destroy(): void {
    for (const c of this.charts) c.plot.destroy();
    this.charts = [];
  }
}
