// The offline HTML reports of duality runs, drawn by @physml/runs (Vega-Lite rendered to SVG):
// one run (loss, t0 against the exact β̃, head θ, attention weights) and a β sweep (learned
// t0(β) with error bars against the Kramers–Wannier curve).
import { dualCoupling } from "@physml/lattice-core";
import { barChart, reportHtml, xyChart } from "@physml/runs";
import type { DualityResult, StepMetrics } from "../train/learner.js";

const KINDS = [
  { name: "dual-crossing", color: "#228833" },
  { name: "dual-translated", color: "#88cc88" },
  { name: "identity", color: "#cc3311" },
  { name: "parallel-other", color: "#4477aa" },
];

function fmt(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits);
}

const percent = (v: number | undefined) => (v === undefined ? "—" : `${(100 * v).toFixed(2)} %`);

/** The report of one run. */
export async function runReport(result: DualityResult, metrics: readonly StepMetrics[]): Promise<string> {
  const steps = metrics.map((m) => m.step);
  const ends = [0, Math.max(1, ...steps)];
  const exact = result.exact;
  const sign = result.image === "antiferro" ? -1 : 1;
  const loss = xyChart({
    title: "loss",
    xTitle: "step (exploration, then training)",
    yTitle: "pooled loss Σ_a (⟨ψ_a⟩ − T_a)² (dimensionless, log scale)",
    logY: true,
    series: [{ name: "pooled loss", x: steps, y: metrics.map((m) => m.loss), style: "line" }],
  });
  const t0 = xyChart({
    title: "t0 against the exact dual coupling",
    xTitle: "step (exploration, then training)",
    yTitle: "nearest-neighbour coupling t0 (dimensionless)",
    series: [
      { name: "learned t0", x: steps, y: metrics.map((m) => m.t[0]), style: "line" },
      ...(exact
        ? [{ name: "exact ±β̃", x: ends, y: ends.map(() => sign * exact.dualBeta), style: "dashed" as const }]
        : []),
    ],
  });
  const theta = xyChart({
    title: "head θ2, θ3",
    xTitle: "step (exploration, then training)",
    yTitle: "head parameter (dimensionless)",
    series: [
      { name: "θ2", x: steps, y: metrics.map((m) => m.theta[0]), style: "line" },
      { name: "θ3", x: steps, y: metrics.map((m) => m.theta[1]), style: "line" },
      ...(exact
        ? [
            {
              name: "exact ∓sinh 2β̃",
              x: ends,
              y: ends.map(() => sign * exact.theta2),
              style: "dashed" as const,
            },
            { name: "exact cosh 2β̃", x: ends, y: ends.map(() => exact.theta3), style: "dashed" as const },
          ]
        : []),
    ],
  });
  const attention = barChart({
    title: "attention over the candidate links",
    xTitle: "candidate link",
    yTitle: "attention weight (probability)",
    bars: result.attention.slots.map((label, k) => ({
      label,
      value: result.attention.weights[k],
      group: result.attention.kinds[k],
    })),
    groups: KINDS.filter((g) => result.attention.kinds.includes(g.name)),
    yMax: 1,
  });
  return reportHtml({
    title: `Kramers–Wannier duality learned at β = ${result.beta}, L = ${result.L}`,
    summary: [
      ["β (original)", fmt(result.beta)],
      ["plaquette κ (original)", fmt(result.plaquette)],
      ["lattice", `${result.L}×${result.Ly}`],
      [
        "learned t0",
        `${fmt(result.t0, 5)} ± ${result.t0Error === undefined ? "n/a" : fmt(result.t0Error, 5)}`,
      ],
      [
        "error parts",
        `training ± ${result.t0ErrorParts?.training === undefined ? "n/a" : fmt(result.t0ErrorParts.training, 5)}, target ± ${fmt(result.t0ErrorParts?.target, 5)}`,
      ],
      ["exact β̃", exact ? fmt(exact.dualBeta, 5) : "—"],
      ["relative error |t0|/β̃ − 1", percent(result.relativeError)],
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
      ["backend", `${result.backend} / ${result.kernel} (${result.adapter})`],
      ["map, shapes", `${result.observable}, ${result.shapes.length} shapes`],
    ],
    charts: [loss, t0, theta, attention],
  });
}

/** One row of a sweep summary. */
export interface SweepRow {
  beta: number;
  t0: number;
  /** Absent when the run could not compute it (fewer than 2 training steps). */
  t0Error?: number;
  /** The exact β̃ (absent with a plaquette coupling). */
  exact?: number;
  relativeError?: number;
  chosenKind: string;
  /** Whether the run passed its own validation, and if not, why. */
  validated: boolean;
  validationReasons: string[];
  wallTimeMs: number;
}

/** The report of a β sweep: learned |t0|(β) with ±1σ bars against the exact KW curve, and a table. */
export async function sweepReport(rows: readonly SweepRow[], L: number): Promise<string> {
  const lo = Math.min(...rows.map((r) => r.beta));
  const hi = Math.max(...rows.map((r) => r.beta));
  const xs = Array.from({ length: 101 }, (_, i) => lo + ((hi - lo) * i) / 100);
  const chart = xyChart({
    title: "learned dual coupling against Kramers–Wannier",
    xTitle: "β (original coupling, dimensionless)",
    yTitle: "|t0| (learned dual coupling, dimensionless)",
    width: 640,
    height: 380,
    series: [
      { name: "exact β̃(β)", x: xs, y: xs.map((b) => dualCoupling(b)), style: "dashed" },
      {
        name: "learned |t0|",
        x: rows.map((r) => r.beta),
        y: rows.map((r) => Math.abs(r.t0)),
        error: rows.map((r) => r.t0Error ?? 0),
        style: "points",
      },
    ],
  });
  return reportHtml({
    title: `Kramers–Wannier sweep, L = ${L}`,
    charts: [chart],
    tables: [
      {
        head: ["β", "learned |t0|", "±", "exact β̃", "error", "chosen", "validation", "time (s)"],
        rows: rows.map((r) => [
          fmt(r.beta, 3),
          fmt(Math.abs(r.t0)),
          r.t0Error === undefined ? "n/a" : fmt(r.t0Error),
          fmt(r.exact),
          percent(r.relativeError),
          r.chosenKind,
          r.validated ? "passed" : "FAILED",
          (r.wallTimeMs / 1000).toFixed(1),
        ]),
      },
    ],
  });
}
