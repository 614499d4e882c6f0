// Charts the integrability connection commands (kdv, connection) share in their reports.
import { xyChart } from "@physml/runs";

/** The total and the zero-curvature loss along training, on a log scale. */
export function zeroCurvatureLossChart(
  history: readonly { step: number; total: number; lax: number }[],
): ReturnType<typeof xyChart> {
  return xyChart({
    title: "zero-curvature loss over training",
    xTitle: "training step (Adam, then the polish's last iteration)",
    yTitle: "loss (dimensionless)",
    logY: true,
    series: (["total", "lax"] as const).map((k) => ({
      name: k === "lax" ? "𝓛_ZC" : "total",
      x: history.map((h) => h.step),
      y: history.map((h) => h[k]),
      style: "line" as const,
    })),
  });
}
