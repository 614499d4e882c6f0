// The offline HTML reports of duality runs, drawn by @physml/runs (Vega-Lite rendered to SVG):
// one run (loss, t0 against the exact β̃, head θ, attention weights) and a sweep over β and κ
// (the learned families with error bars against the Kramers–Wannier curve, losses with and
// without the extra dual terms, attention on diagonal links).
import { dualCoupling, plural } from "@physml/lattice-core";
import { barChart, reportHtml, xyChart } from "@physml/runs";
import type { DualityResult, StepMetrics } from "../train/result.js";

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
      ["nnn coupling (original)", fmt(result.nnn)],
      ["lattice", `${result.L}×${result.Ly}`],
      [
        "learned t0",
        `${fmt(result.t0, 5)} ± ${result.t0Error === undefined ? "n/a" : fmt(result.t0Error, 5)}`,
      ],
      [
        "error parts",
        `training ± ${result.t0ErrorParts?.training === undefined ? "n/a" : fmt(result.t0ErrorParts.training, 5)}, target ± ${fmt(result.t0ErrorParts?.target, 5)}, candidate chains ± ${fmt(result.t0ErrorParts?.candidate, 5)}`,
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
      ["wall time", `${result.seconds.toFixed(1)} s (target ${result.targetSeconds.toFixed(1)} s)`],
      ["backend", `${result.backend} / ${result.kernel} (${result.adapter})`],
      ["map, shapes", `${result.observable}, ${plural(result.shapes.length, "shape")}`],
    ],
    charts: [loss, t0, theta, attention],
  });
}

/** A value with its ±1σ error (absent when it could not be computed). */
export interface WithError {
  value: number;
  error?: number;
}

/** One row of a sweep summary. */
export interface SweepRow {
  beta: number;
  /** The original model's plaquette coupling κ (0 for the Ising model). */
  plaquette?: number;
  /** The original model's next-nearest-neighbour coupling (0 for the Ising model). */
  nnn?: number;
  t0: number;
  /** Absent when the run could not compute it (fewer than 2 training steps). */
  t0Error?: number;
  /** The exact β̃ (absent with a plaquette coupling). */
  exact?: number;
  relativeError?: number;
  /** The extra dual couplings learned (`--dual-terms` beyond nn). */
  learned?: Record<string, WithError>;
  /** Final unbiased correlator loss of the dual (batch-means error over the averaging window). */
  finalLoss?: number;
  finalLossError?: number;
  /** The nn-only dual at the same point, when the sweep learned extra terms and compared. */
  nnOnly?: { t0: number; t0Error?: number; finalLoss: number; finalLossError?: number; validated: boolean };
  /** Attention weight on diagonal, anti-diagonal and axis-offset links. */
  attentionByDiagonal?: { diagonal: number; antiDiagonal: number; axis: number };
  chosenKind: string;
  /** Whether the run passed its own validation, and if not, why. */
  validated: boolean;
  validationFailures: string[];
  /** Wall time of the point's run in seconds (with its nn-only comparison run, if any). */
  seconds: number;
}

/** The deformation of a row's original model, e.g. "κ = 0.05" or "κ = 0, nnn = 0.1". */
function deformationOf(r: SweepRow, withNnn: boolean): string {
  return withNnn ? `κ = ${r.plaquette ?? 0}, nnn = ${r.nnn ?? 0}` : `κ = ${r.plaquette ?? 0}`;
}

/** The rows of each deformation (κ, and nnn when any row has one), in the order met: each one's β family. */
function families(rows: readonly SweepRow[]): { label: string; undeformed: boolean; rows: SweepRow[] }[] {
  const withNnn = rows.some((r) => (r.nnn ?? 0) !== 0);
  const out: { label: string; undeformed: boolean; rows: SweepRow[] }[] = [];
  for (const r of rows) {
    const label = deformationOf(r, withNnn);
    const f = out.find((g) => g.label === label);
    if (f) f.rows.push(r);
    else out.push({ label, undeformed: (r.plaquette ?? 0) === 0 && (r.nnn ?? 0) === 0, rows: [r] });
  }
  return out;
}

/**
 * The report of a sweep over β (and κ): the learned |t0|(β) family per κ with ±1σ bars against
 * the exact KW curve; each extra dual coupling's family; the final loss with and without the
 * extra dual terms; the attention on anti-diagonal and diagonal links; and a table.
 */
export async function sweepReport(rows: readonly SweepRow[], L: number): Promise<string> {
  const lo = Math.min(...rows.map((r) => r.beta));
  const hi = Math.max(...rows.map((r) => r.beta));
  const xs = Array.from({ length: 101 }, (_, i) => lo + ((hi - lo) * i) / 100);
  const fams = families(rows);
  const single = fams.length === 1 && fams[0].undeformed;
  const tag = (label: string) => (single ? "" : ` (${label})`);
  const pointsOf = (name: string, rs: readonly SweepRow[], v: (r: SweepRow) => WithError | undefined) => {
    const kept = rs.filter((r) => v(r) !== undefined);
    return {
      name,
      x: kept.map((r) => r.beta),
      y: kept.map((r) => (v(r) as WithError).value),
      error: kept.map((r) => (v(r) as WithError).error ?? 0),
      style: "points" as const,
    };
  };
  const charts = [
    xyChart({
      title: single
        ? "learned dual coupling against Kramers–Wannier"
        : "learned nn dual coupling, one family per deformation",
      xTitle: "β (original coupling, dimensionless)",
      yTitle: "|t0| (learned dual coupling, dimensionless)",
      width: 640,
      height: 380,
      series: [
        { name: "exact β̃(β) (κ = 0)", x: xs, y: xs.map((b) => dualCoupling(b)), style: "dashed" },
        ...fams.map((f) =>
          pointsOf(`learned |t0|${tag(f.label)}`, f.rows, (r) => ({
            value: Math.abs(r.t0),
            error: r.t0Error,
          })),
        ),
      ],
    }),
  ];
  const extras = [...new Set(rows.flatMap((r) => Object.keys(r.learned ?? {})))];
  for (const term of extras)
    charts.push(
      xyChart({
        title: `learned dual ${term} coupling, one family per deformation`,
        xTitle: "β (original coupling, dimensionless)",
        yTitle: `dual ${term} coupling (dimensionless)`,
        width: 640,
        height: 320,
        series: fams.map((f) => pointsOf(`${term}${tag(f.label)}`, f.rows, (r) => r.learned?.[term])),
      }),
    );
  if (rows.some((r) => r.nnOnly))
    charts.push(
      xyChart({
        title: "does the extra dual term buy a better dual? final correlator loss",
        xTitle: "β (original coupling, dimensionless)",
        yTitle: "final unbiased loss Σ_a (⟨ψ_a⟩ − T_a)² (dimensionless)",
        width: 640,
        height: 320,
        series: fams.flatMap((f) => [
          pointsOf(`nn + ${extras.join(" + ")}${tag(f.label)}`, f.rows, (r) =>
            r.finalLoss === undefined ? undefined : { value: r.finalLoss, error: r.finalLossError },
          ),
          pointsOf(`nn only${tag(f.label)}`, f.rows, (r) =>
            r.nnOnly ? { value: r.nnOnly.finalLoss, error: r.nnOnly.finalLossError } : undefined,
          ),
        ]),
      }),
    );
  if (rows.some((r) => r.attentionByDiagonal))
    charts.push(
      xyChart({
        title: "attention on anti-diagonal and diagonal links",
        xTitle: "β (original coupling, dimensionless)",
        yTitle: "total attention weight (probability)",
        width: 640,
        height: 320,
        series: fams.flatMap((f) => [
          pointsOf(`anti-diagonal${tag(f.label)}`, f.rows, (r) =>
            r.attentionByDiagonal ? { value: r.attentionByDiagonal.antiDiagonal } : undefined,
          ),
          pointsOf(`diagonal${tag(f.label)}`, f.rows, (r) =>
            r.attentionByDiagonal ? { value: r.attentionByDiagonal.diagonal } : undefined,
          ),
        ]),
      }),
    );
  const withErr = (v: number | undefined, e: number | undefined) =>
    v === undefined ? "—" : `${fmt(v)} ± ${e === undefined ? "n/a" : fmt(e)}`;
  return reportHtml({
    title: single ? `Kramers–Wannier sweep, L = ${L}` : `Dual sweep over β and the deformation, L = ${L}`,
    charts,
    tables: [
      {
        head: [
          "β",
          ...(single ? [] : ["κ", "nnn"]),
          "learned |t0|",
          "±",
          "exact β̃",
          "error",
          ...extras,
          "final loss",
          ...(rows.some((r) => r.nnOnly) ? ["nn-only |t0|", "nn-only loss"] : []),
          "anti-diag. / diag. attention",
          "chosen",
          "validation",
          "time (s)",
        ],
        rows: rows.map((r) => [
          fmt(r.beta, 3),
          ...(single ? [] : [fmt(r.plaquette ?? 0, 3), fmt(r.nnn ?? 0, 3)]),
          fmt(Math.abs(r.t0)),
          r.t0Error === undefined ? "n/a" : fmt(r.t0Error),
          fmt(r.exact),
          percent(r.relativeError),
          ...extras.map((t) => withErr(r.learned?.[t]?.value, r.learned?.[t]?.error)),
          withErr(r.finalLoss, r.finalLossError),
          ...(rows.some((x) => x.nnOnly)
            ? [
                r.nnOnly ? withErr(Math.abs(r.nnOnly.t0), r.nnOnly.t0Error) : "—",
                r.nnOnly ? withErr(r.nnOnly.finalLoss, r.nnOnly.finalLossError) : "—",
              ]
            : []),
          r.attentionByDiagonal
            ? `${fmt(r.attentionByDiagonal.antiDiagonal, 3)} / ${fmt(r.attentionByDiagonal.diagonal, 3)}`
            : "—",
          r.chosenKind,
          r.validated ? "passed" : "FAILED",
          r.seconds.toFixed(1),
        ]),
      },
    ],
  });
}
