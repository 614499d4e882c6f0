// Interactive charts drawn with uPlot (drag to zoom, double-click to reset, values on hover):
// line charts of metrics that grow as lines arrive, and points with ±1σ error bars against a curve.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** One series of a chart. */
export interface SeriesSpec {
  label: string;
  color: string;
  dash?: number[];
  /** Points only (no line), with optional ±1σ bars from `errors`. */
  points?: boolean;
}

/** A chart with one x axis and several series. */
export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  series: SeriesSpec[];
  width?: number;
  height?: number;
  /** Widen the x range by this fraction on each side (so end points are not cut). */
  padX?: number;
  /** Per series index (1-based like uPlot's), the ±1σ of each point. */
  errors?: Record<number, (number | null)[]>;
}

/** Draws ±1σ bars for the series that have errors. */
function errorBars(spec: ChartSpec): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        for (const [key, errs] of Object.entries(spec.errors ?? {})) {
          const si = Number(key);
          const ys = u.data[si];
          ctx.save();
          ctx.strokeStyle = spec.series[si - 1].color;
          ctx.lineWidth = 1.5 * devicePixelRatio;
          for (let i = 0; i < ys.length; i++) {
            const y = ys[i];
            const e = errs[i];
            if (y === null || y === undefined || e === null || e === undefined) continue;
            const x = u.valToPos(u.data[0][i], "x", true);
            const y0 = u.valToPos(y - e, "y", true);
            const y1 = u.valToPos(y + e, "y", true);
            const w = 4 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, y0);
            ctx.lineTo(x, y1);
            ctx.moveTo(x - w, y0);
            ctx.lineTo(x + w, y0);
            ctx.moveTo(x - w, y1);
            ctx.lineTo(x + w, y1);
            ctx.stroke();
          }
          ctx.restore();
        }
      },
    },
  };
}

/** Creates a chart in `parent`; call `setData` on the returned plot as data grows. */
export function makeChart(parent: HTMLElement, spec: ChartSpec, data: uPlot.AlignedData): uPlot {
  const opts: uPlot.Options = {
    title: spec.title,
    width: spec.width ?? 420,
    height: spec.height ?? 260,
    scales: {
      x: {
        time: false,
        ...(spec.padX
          ? {
              range: (_u: uPlot, lo: number, hi: number): uPlot.Range.MinMax => {
                const pad = (hi - lo || Math.abs(lo) || 1) * (spec.padX ?? 0);
                return [lo - pad, hi + pad];
              },
            }
          : {}),
      },
      y: spec.logY ? { distr: 3 } : {},
    },
    axes: [{ label: spec.xLabel }, { label: spec.yLabel, size: 60 }],
    series: [
      { label: spec.xLabel },
      ...spec.series.map(
        (s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          spanGaps: true,
          ...(s.dash ? { dash: s.dash } : {}),
          ...(s.points ? { paths: () => null, points: { show: true, size: 7, fill: s.color } } : {}),
        }),
      ),
    ],
    plugins: spec.errors ? [errorBars(spec)] : [],
  };
  return new uPlot(opts, data, parent);
}
