// The live charts of a run's metrics (which ones: chart-choice.ts). They are redrawn from the
// records each time lines arrive, so a curve grows while the run trains, and a metric that gets
// its first value later gets its chart then.
import type uPlot from "uplot";
import { chartsFor, type MetricChart, type MetricRecord, pointOf } from "./chart-choice.js";
import { makeChart } from "./charts.js";

/** Live charts of one run's metrics inside `parent`. */
export class MetricsView {
  private records: MetricRecord[] = [];
  private charts: { chart: MetricChart; plot: uPlot; box: HTMLElement }[] = [];
  constructor(
    private readonly parent: HTMLElement,
    private readonly exact: number | null,
  ) {}

  /** Adds records (whole metrics lines) and redraws. */
  add(records: unknown[]): void {
    for (const r of records) if (typeof r === "object" && r !== null) this.records.push(r as MetricRecord);
    this.draw();
  }

  /** Forgets every record (the file was truncated). */
  reset(): void {
    this.records = [];
    this.clear();
    this.draw();
  }

  get count(): number {
    return this.records.length;
  }

  private clear(): void {
    for (const c of this.charts) c.plot.destroy();
    this.charts = [];
    this.parent.replaceChildren();
  }

  private draw(): void {
    this.parent.dataset.records = String(this.records.length);
    if (this.records.length === 0) return;
    const xs = this.records.map((r, i) => pointOf(r.step) ?? i);
    const wanted = chartsFor(this.records, this.exact);
    // Charts already drawn stay (with their zoom) while they are the start of the wanted ones;
    // a run that turned out to be a duality run is drawn again from scratch.
    if (this.charts.some((c, i) => wanted[i]?.id !== c.chart.id)) this.clear();
    for (const c of this.charts) {
      const ys = c.chart.ys(this.records);
      c.plot.setData([xs, ...ys]);
      noteWithoutPoints(c.box, ys);
    }
    for (const chart of wanted.slice(this.charts.length)) {
      const box = document.createElement("div");
      box.dataset.chart = chart.id;
      this.parent.append(box);
      const ys = chart.ys(this.records);
      this.charts.push({ chart, plot: makeChart(box, chart.spec, [xs, ...ys]), box });
      noteWithoutPoints(box, ys);
    }
  }

  destroy(): void {
    for (const c of this.charts) c.plot.destroy();
    this.charts = [];
  }
}

/**
 * Says under a chart why it has no line yet: every value so far is non-finite (stored as "NaN",
 * "Infinity" or "-Infinity", left out of the line). The note goes once a finite value arrives.
 */
function noteWithoutPoints(box: HTMLElement, ys: readonly (number | null)[][]): void {
  const empty = ys.every((s) => s.every((v) => v === null));
  let note = box.querySelector<HTMLElement>(".chart-note");
  if (!empty) {
    note?.remove();
    return;
  }
  if (!note) {
    note = document.createElement("p");
    note.className = "chart-note";
    box.append(note);
  }
  note.textContent = "no line yet: every value so far is NaN or ±Infinity";
}
