// What the integrability connection commands (kdv, connection) share in their results and
// reports: the verdict's wording, the network's description and the charts.
import { xyChart } from "@physml/runs";

/** The verdict on a learned connection of `system` from its validation. */
export const connectionVerdict = (system: string, passed: boolean, failures: readonly string[]): string =>
  passed
    ? "passed: a Lax connection on the held-out trajectories (small curvature, conserved monodromy trace)"
    : `FAILED: not a Lax connection of ${system} on the held-out data (${failures.join("; ")})`;

/** The connection networks' shape: affine without hidden layers, else tanh layers beside a linear path. */
export const networkShape = (hidden: readonly number[]): string =>
  hidden.length === 0 ? "affine" : `tanh [${hidden.join(", ")}] + linear path`;

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

/**
 * tr Ψ(t)/tr Ψ(0) − 1 along each held-out trajectory (flat lines for a conserved trace), named
 * by its index, its initial condition and `tag`; trajectories with a non-finite value are left out.
 */
export function monodromySeries(
  traces: readonly number[][],
  times: number[],
  kinds: readonly string[],
  tag = "",
): { name: string; x: number[]; y: number[]; style: "line" }[] {
  return traces.flatMap((tr, b) => {
    const y = tr.map((x) => x / tr[0] - 1);
    return y.every(Number.isFinite)
      ? [{ name: `${b} ${kinds[b]}${tag}`, x: times, y, style: "line" as const }]
      : [];
  });
}
