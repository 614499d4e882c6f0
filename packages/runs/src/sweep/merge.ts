// A sweep merged: one table (a row per point: its grid values, state, configuration and scalar
// results) and one report (a chart per chosen result field against the first numeric grid axis,
// a series per combination of the other axes, ±1σ bars from `<field>Error` where the result has it).
import { plural } from "@physml/lattice-core";
import { type ReportContent, reportHtml } from "../report/html.js";
import { type XYSeries, xyChart } from "../report/plot.js";
import { type RunsTable, runsTable } from "../table/table.js";
import { formatGridValue } from "./grid.js";
import type { SweepStatus } from "./status.js";

/** One row per point: point, index, state, exitCode, grid.<key>…, then the run table's columns. */
export function sweepTable(s: SweepStatus): RunsTable {
  const keys = s.manifest.grid.map((a) => a.key);
  const runs = runsTable(
    s.points.map((p) => ({
      dir: p.name,
      kind: p.run?.kind ?? "",
      status: p.run?.status ?? "unfinished",
      createdAt: p.run?.createdAt ?? "",
      package: p.run?.package ?? "",
      version: p.run?.version ?? "",
      ...(p.run?.git ? { git: p.run.git } : {}),
      metricsLines: p.metricsLines,
      ...(p.checkpointStep === undefined ? {} : { checkpointStep: p.checkpointStep }),
      ...(p.run && "config" in p.run ? { config: p.run.config } : {}),
      ...(p.run?.result ? { result: p.run.result } : {}),
    })),
  );
  const drop = new Set(["dir", "status"]);
  const kept = runs.columns.map((c, j) => [c, j] as const).filter(([c]) => !drop.has(c));
  return {
    columns: [
      "point",
      "index",
      "state",
      "exitCode",
      ...keys.map((k) => `grid.${k}`),
      ...kept.map(([c]) => c),
    ],
    rows: s.points.map((p, i) => [
      p.name,
      p.index,
      p.state,
      p.exit?.code ?? null,
      ...keys.map((k) => p.params[k]),
      ...kept.map(([, j]) => runs.rows[i][j]),
    ]),
  };
}

/**
 * The result fields a report plots by default: those with a `<field>Error` beside them (the
 * estimates with error bars), else the first three numeric fields that vary across points.
 */
export function defaultPlotFields(t: RunsTable): string[] {
  const numeric = t.columns.filter(
    (c, j) => c.startsWith("result.") && t.rows.some((r) => typeof r[j] === "number"),
  );
  const withError = numeric.filter((c) => numeric.includes(`${c}Error`));
  if (withError.length) return withError.map((c) => c.slice("result.".length));
  const varying = numeric.filter((c) => {
    const j = t.columns.indexOf(c);
    return new Set(t.rows.map((r) => r[j])).size > 1;
  });
  return varying.slice(0, 3).map((c) => c.slice("result.".length));
}

/** The merged report of a sweep: summary, a chart per field in `fields`, the table of points. */
export async function sweepReport(s: SweepStatus, t: RunsTable, fields?: readonly string[]): Promise<string> {
  const grid = s.manifest.grid;
  const xAxis = grid.find((a) => a.values.every((v) => typeof v === "number"));
  const others = grid.filter((a) => a !== xAxis);
  const col = (name: string) => t.columns.indexOf(name);
  const plotted = fields ?? defaultPlotFields(t);
  const charts = xAxis
    ? plotted
        .filter((f) => col(`result.${f}`) >= 0)
        .map((f) => {
          const series = new Map<string, { x: number[]; y: number[]; e: number[] }>();
          s.points.forEach((p, i) => {
            const y = t.rows[i][col(`result.${f}`)];
            if (typeof y !== "number") return;
            const label = others.map((a) => `${a.key}=${formatGridValue(p.params[a.key])}`).join(", ") || f;
            const e = t.rows[i][col(`result.${f}Error`)];
            const ser = series.get(label) ?? { x: [], y: [], e: [] };
            ser.x.push(p.params[xAxis.key] as number);
            ser.y.push(y);
            ser.e.push(typeof e === "number" ? e : 0);
            series.set(label, ser);
          });
          return xyChart({
            title: `${f} against ${xAxis.key}`,
            xTitle: `${xAxis.key} (grid axis)`,
            yTitle: `${f} (result field, as the learner reports it)`,
            series: [...series].map(
              ([name, v]): XYSeries => ({ name, x: v.x, y: v.y, error: v.e, style: "points" }),
            ),
          });
        })
    : [];
  const m = s.manifest;
  const content: ReportContent = {
    title: `Sweep: ${m.command.join(" ")} over ${grid.map((a) => a.key).join(" × ")}`,
    summary: [
      ["command", [...m.command, ...m.args].join(" ")],
      ...grid.map((a): [string, string] => [
        `grid ${a.key}`,
        `${a.spec} (${plural(a.values.length, "value")})`,
      ]),
      ["points", String(m.points.length)],
      ...(Object.entries(s.counts) as [string, number][]).map(([k, v]): [string, string] => [k, String(v)]),
      ["submissions", m.submissions.map((x) => (x.jobId ? `slurm job ${x.jobId}` : x.executor)).join(", ")],
    ],
    charts,
    notes: [
      "One row per point; columns result.* are the learners' own results (see each point's report.html).",
    ],
    tables: [
      {
        head: ["point", "state", ...grid.map((a) => a.key), ...plotted],
        rows: s.points.map((p, i) => [
          p.name,
          p.state,
          ...grid.map((a) => formatGridValue(p.params[a.key])),
          ...plotted.map((f) => {
            const v = t.rows[i][col(`result.${f}`)];
            const e = t.rows[i][col(`result.${f}Error`)];
            if (typeof v !== "number") return "—";
            return typeof e === "number" ? `${v.toPrecision(6)} ± ${e.toPrecision(2)}` : v.toPrecision(6);
          }),
        ]),
      },
    ],
  };
  return reportHtml(content);
}
