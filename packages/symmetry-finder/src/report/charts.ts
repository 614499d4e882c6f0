// The report's pictures that @physml/runs has no chart for — a labelled scatter (embedding PCA)
// and a matrix heat map (generators) — as Vega-Lite specifications rendered by the runs package;
// line and bar charts come from its xyChart/barChart.
import type { TopLevelSpec } from "@physml/runs";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Points in the plane coloured by a category (at most `maxPoints`, evenly thinned). */
export function scatterChart(o: {
  title: string;
  xTitle: string;
  yTitle: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  category: ArrayLike<number | string>;
  categoryTitle: string;
  maxPoints?: number;
}): TopLevelSpec {
  const n = o.x.length;
  const step = Math.max(1, Math.ceil(n / (o.maxPoints ?? 3000)));
  const values: { x: number; y: number; c: string }[] = [];
  for (let i = 0; i < n; i += step) {
    if (Number.isFinite(o.x[i]) && Number.isFinite(o.y[i]))
      values.push({ x: o.x[i], y: o.y[i], c: String(o.category[i]) });
  }
  return {
    $schema: SCHEMA,
    title: o.title,
    width: 400,
    height: 320,
    data: { values },
    mark: { type: "circle", size: 12, opacity: 0.7 },
    encoding: {
      x: { field: "x", type: "quantitative", title: o.xTitle, scale: { zero: false } },
      y: { field: "y", type: "quantitative", title: o.yTitle, scale: { zero: false } },
      color: { field: "c", type: "nominal", title: o.categoryTitle, scale: { scheme: "category10" } },
    },
  } as TopLevelSpec;
}

/** An n×m matrix as a heat map on a diverging scale symmetric about 0, values written in the cells. */
export function heatmapChart(o: { title: string; matrix: readonly (readonly number[])[] }): TopLevelSpec {
  const values: { row: number; col: number; v: number }[] = [];
  let max = 0;
  o.matrix.forEach((r, i) => {
    r.forEach((v, j) => {
      values.push({ row: i + 1, col: j + 1, v });
      max = Math.max(max, Math.abs(v));
    });
  });
  const size = 36 * Math.max(o.matrix.length, 1);
  const pos = {
    x: { field: "col", type: "ordinal", title: "column" },
    y: { field: "row", type: "ordinal", title: "row" },
  };
  return {
    $schema: SCHEMA,
    title: o.title,
    width: size,
    height: size,
    data: { values },
    layer: [
      {
        mark: "rect",
        encoding: {
          ...pos,
          color: {
            field: "v",
            type: "quantitative",
            title: "entry",
            scale: { scheme: "redblue", domain: [-(max || 1), max || 1], reverse: true },
          },
        },
      },
      {
        mark: { type: "text", fontSize: 9 },
        encoding: { ...pos, text: { field: "v", type: "quantitative", format: ".2f" } },
      },
    ],
  } as TopLevelSpec;
}
