// Plots for reports: Vega-Lite specifications compiled by vega-lite and rendered to SVG by vega's
// headless renderer at write time, so a report needs no script and no network to display.
// vega and vega-lite are loaded on first use: importing this package stays cheap for a process
// that never draws (a CLI command, a killed-and-resumed worker).
import type { TopLevelSpec } from "vega-lite";

export type { TopLevelSpec };

/** Renders a Vega-Lite specification to an `<svg>` string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** One series of an x–y chart. */
export interface XYSeries {
  name: string;
  x: readonly number[];
  /**
   * A point whose x or y is not a finite number (NaN, ±Infinity, or the text metrics.jsonl stores
   * for one, "NaN") is left out: a line runs on past it.
   */
  y: readonly number[];
  /** ±1σ error bars (points only); a point whose error is not a finite number has no bar. */
  error?: readonly number[];
  /** A solid line, a dashed reference line, or markers (with error bars when given). */
  style: "line" | "dashed" | "points";
}

/** Options of {@link xyChart}. */
export interface XYChartOptions {
  title: string;
  /** Axis titles with units, e.g. "training step", "t0 (dimensionless coupling)". */
  xTitle: string;
  yTitle: string;
  series: readonly XYSeries[];
  /** Logarithmic y axis (values ≤ 0 are left out). */
  logY?: boolean;
  width?: number;
  height?: number;
}

const PALETTE = ["#4477aa", "#cc3311", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb"];

/**
 * A line/point chart: lines and dashed reference lines in one legend (drawn as strokes),
 * markers with ±1σ error bars in another (drawn as markers); marks are never clipped, the
 * scales are padded so end markers stay inside the frame.
 */
export function xyChart(o: XYChartOptions): TopLevelSpec {
  const rows: Record<string, number | string>[] = [];
  for (const s of o.series) {
    for (let i = 0; i < s.x.length; i++) {
      const y = s.y[i];
      if (!Number.isFinite(s.x[i]) || !Number.isFinite(y) || (o.logY && !(y > 0))) continue;
      const given = s.error?.[i] ?? 0;
      const e = Number.isFinite(given) ? given : 0;
      rows.push({ series: s.name, style: s.style, x: s.x[i], y, lo: y - e, hi: y + e });
    }
  }
  const names = (pred: (s: XYSeries) => boolean) => o.series.filter(pred).map((s) => s.name);
  const lineNames = names((s) => s.style !== "points");
  const pointNames = names((s) => s.style === "points");
  const colors = (list: string[]) => list.map((_, i) => PALETTE[i % PALETTE.length]);
  const x = {
    field: "x",
    type: "quantitative",
    title: o.xTitle,
    scale: { zero: false, nice: false, padding: 8 },
  };
  const yScale = o.logY ? { type: "log" } : { zero: false, padding: 8 };
  const y = {
    field: "y",
    type: "quantitative",
    title: o.yTitle,
    scale: yScale,
    axis: o.logY ? { format: "~e" } : {},
  };
  const lineColor = {
    field: "series",
    type: "nominal",
    title: "lines",
    scale: { domain: lineNames, range: colors(lineNames) },
  };
  const pointColor = {
    field: "series",
    type: "nominal",
    title: "measured (±1σ)",
    scale: { domain: pointNames, range: colors(pointNames).reverse() },
    legend: { symbolType: "circle" },
  };
  const layer: unknown[] = [];
  let lineLegend = true;
  for (const [style, dash] of [
    ["line", undefined],
    ["dashed", [6, 4]],
  ] as const) {
    if (!o.series.some((s) => s.style === style)) continue;
    // One "lines" legend lists every line: the second line layer would draw a second copy.
    const color = lineLegend ? lineColor : { ...lineColor, legend: null };
    lineLegend = false;
    layer.push({
      transform: [{ filter: { field: "style", equal: style } }],
      mark: { type: "line", clip: false, ...(dash ? { strokeDash: dash } : {}) },
      encoding: { x, y, color, detail: { field: "series" } },
    });
  }
  if (pointNames.length) {
    const only = [{ filter: { field: "style", equal: "points" } }];
    layer.push({
      transform: only,
      mark: { type: "rule", clip: false },
      encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color: { ...pointColor, legend: null } },
    });
    layer.push({
      transform: only,
      mark: { type: "point", filled: true, size: 50, clip: false },
      encoding: { x, y, color: pointColor },
    });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: o.title,
    width: o.width ?? 440,
    height: o.height ?? 260,
    data: { values: rows },
    layer,
    resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
  } as TopLevelSpec;
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  bars: readonly { label: string; value: number; group: string }[];
  /** Colour per group, in legend order. */
  groups: readonly { name: string; color: string }[];
  yMax?: number;
  width?: number;
  height?: number;
}

/** A bar chart with labelled axes and a legend of the bar groups. */
export function barChart(o: BarChartOptions): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: o.title,
    width: o.width ?? 440,
    height: o.height ?? 260,
    data: { values: o.bars.map((b, i) => ({ ...b, order: i })) },
    mark: "bar",
    encoding: {
      x: {
        field: "label",
        type: "nominal",
        title: o.xTitle,
        sort: { field: "order" },
        axis: { labelAngle: -45 },
      },
      y: {
        field: "value",
        type: "quantitative",
        title: o.yTitle,
        scale: o.yMax === undefined ? {} : { domain: [0, o.yMax] },
      },
      color: {
        field: "group",
        type: "nominal",
        title: "kind",
        scale: { domain: o.groups.map((g) => g.name), range: o.groups.map((g) => g.color) },
      },
    },
  } as TopLevelSpec;
}
