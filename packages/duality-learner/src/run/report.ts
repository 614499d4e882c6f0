// Offline HTML reports with inline SVG: one run (loss, t0 against the exact β̃, attention
// weights) and a β sweep (learned t0(β) against the Kramers–Wannier curve).
import { dualCoupling } from "@physml/lattice-core";
import type { DualityResult, StepMetrics } from "../train/learner.js";
import { barChart, linePlot } from "./svg.js";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;max-width:1180px;margin:24px auto;padding:0 12px;color:#222}
table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f4f4f4}.plots{display:flex;flex-wrap:wrap;gap:12px}</style></head>
<body><h1>${esc(title)}</h1>
${body}
</body></html>
`;
}

const KIND_COLOR: Record<string, string> = {
  identity: "#cc3311",
  "dual-crossing": "#228833",
  "dual-translated": "#66bb66",
  "parallel-other": "#4477aa",
};

function fmt(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits);
}

/** The report of one run. */
export function runReport(result: DualityResult, metrics: readonly StepMetrics[]): string {
  const steps = metrics.map((m) => m.step);
  const exact = result.exact;
  const loss = linePlot({
    title: "loss",
    xLabel: "step",
    yLabel: "log10 loss",
    logY: true,
    series: [{ x: steps, y: metrics.map((m) => m.loss), label: "pooled loss", color: "#4477aa" }],
  });
  const sign = result.image === "antiferro" ? -1 : 1;
  const tSeries = [{ x: steps, y: metrics.map((m) => m.t[0]), label: "learned t0", color: "#4477aa" }];
  if (exact) {
    tSeries.push({
      x: [0, Math.max(1, ...steps)],
      y: [sign * exact.dualBeta, sign * exact.dualBeta],
      label: "exact β̃",
      color: "#cc3311",
      dashed: true,
    } as never);
  }
  const tPlot = linePlot({
    title: "t0 against the exact dual coupling",
    xLabel: "step",
    yLabel: "t0",
    series: tSeries,
  });
  const thPlot = linePlot({
    title: "head θ2, θ3",
    xLabel: "step",
    yLabel: "value",
    series: [
      { x: steps, y: metrics.map((m) => m.theta[0]), label: "θ2", color: "#4477aa" },
      { x: steps, y: metrics.map((m) => m.theta[1]), label: "θ3", color: "#228833" },
      ...(exact
        ? [
            {
              x: [0, Math.max(1, ...steps)],
              y: [sign * exact.theta2, sign * exact.theta2],
              label: "∓sinh 2β̃",
              color: "#4477aa",
              dashed: true,
            },
            {
              x: [0, Math.max(1, ...steps)],
              y: [exact.theta3, exact.theta3],
              label: "cosh 2β̃",
              color: "#228833",
              dashed: true,
            },
          ]
        : []),
    ],
  });
  const att = barChart({
    title: "attention weights (green: dual, red: identity, blue: parallel)",
    labels: result.attention.slots,
    values: result.attention.weights,
    colors: result.attention.kinds.map((k) => KIND_COLOR[k] ?? "#999"),
    max: 1,
  });
  const rows: [string, string][] = [
    ["β (original)", fmt(result.beta)],
    ["plaquette κ (original)", fmt(result.plaquette)],
    ["lattice", `${result.L}×${result.Ly}`],
    ["learned t0", `${fmt(result.t0, 5)} ± ${result.t0Error === undefined ? "n/a" : fmt(result.t0Error, 5)}`],
    [
      "error parts",
      `training ± ${result.t0ErrorParts?.training === undefined ? "n/a" : fmt(result.t0ErrorParts.training, 5)}, target ± ${
        result.t0ErrorParts?.target == null ? "—" : fmt(result.t0ErrorParts.target, 5)
      }`,
    ],
    ["exact β̃", exact ? fmt(exact.dualBeta, 5) : "—"],
    [
      "relative error |t0|/β̃ − 1",
      result.relativeError === null ? "—" : `${(100 * result.relativeError).toFixed(2)} %`,
    ],
    ["image", result.image],
    ["θ2 (exact ∓sinh 2β̃)", `${fmt(result.theta2)} (${exact ? fmt(sign * exact.theta2) : "—"})`],
    ["θ3 (exact cosh 2β̃)", `${fmt(result.theta3)} (${exact ? fmt(exact.theta3) : "—"})`],
    [
      "chosen link",
      `${result.attention.chosen.name} (${result.attention.chosen.kind}, w = ${fmt(result.attention.chosen.weight, 3)})`,
    ],
    ["attention entropy (nats)", fmt(result.attention.entropy)],
    ["final loss (unbiased)", result.finalLoss.toExponential(2)],
    ["steps × samples/step", `${result.steps} × ${result.samplesPerStep}`],
    [
      "wall time",
      `${(result.wallTimeMs / 1000).toFixed(1)} s (target ${(result.targetTimeMs / 1000).toFixed(1)} s)`,
    ],
    ["backend", `${result.backend} / ${result.kernel} (${esc(result.adapter)})`],
    ["map, shapes", `${result.observable}, ${result.shapes.length} shapes`],
  ];
  const table = `<table>${rows.map(([k, v]) => `<tr><th style="text-align:left">${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>`;
  return page(
    `Kramers–Wannier duality learned at β = ${result.beta}, L = ${result.L}`,
    `${table}<div class="plots">${loss}${tPlot}${thPlot}${att}</div>`,
  );
}

/** One row of a sweep summary. */
export interface SweepRow {
  beta: number;
  t0: number;
  /** Absent when the run could not compute it (fewer than 2 training steps). */
  t0Error?: number;
  exact: number | null;
  relativeError: number | null;
  chosenKind: string;
  /** Whether the run passed its own validation, and if not, why. */
  validated: boolean;
  validationReasons: string[];
  wallTimeMs: number;
}

/** The report of a β sweep: learned |t0|(β) against the exact KW curve, and a table. */
export function sweepReport(rows: readonly SweepRow[], L: number): string {
  const lo = Math.min(...rows.map((r) => r.beta));
  const hi = Math.max(...rows.map((r) => r.beta));
  const xs = Array.from({ length: 101 }, (_, i) => lo + ((hi - lo) * i) / 100);
  const plot = linePlot({
    title: "learned dual coupling against Kramers–Wannier",
    xLabel: "β",
    yLabel: "|t0|",
    width: 720,
    height: 420,
    series: [
      { x: xs, y: xs.map((b) => dualCoupling(b)), label: "exact β̃(β)", color: "#cc3311", dashed: true },
      {
        x: rows.map((r) => r.beta),
        y: rows.map((r) => Math.abs(r.t0)),
        errors: rows.map((r) => r.t0Error ?? 0),
        label: "learned",
        color: "#4477aa",
        points: true,
      },
    ],
  });
  const table = `<table><tr><th>β</th><th>learned |t0|</th><th>±</th><th>exact β̃</th><th>error</th><th>chosen</th><th>validation</th><th>time (s)</th></tr>${rows
    .map(
      (r) =>
        `<tr><td>${fmt(r.beta, 3)}</td><td>${fmt(Math.abs(r.t0))}</td><td>${r.t0Error === undefined ? "n/a" : fmt(r.t0Error)}</td><td>${fmt(r.exact)}</td><td>${
          r.relativeError === null ? "—" : `${(100 * r.relativeError).toFixed(2)} %`
        }</td><td style="text-align:left">${esc(r.chosenKind)}</td><td>${r.validated ? "passed" : "FAILED"}</td><td>${(r.wallTimeMs / 1000).toFixed(1)}</td></tr>`,
    )
    .join("")}</table>`;
  return page(`Kramers–Wannier sweep, L = ${L}`, `${plot}${table}`);
}
