// report.html of `physml cy donaldson --k a..b`: σ_k of the balanced metrics against k, next to
// the Fubini–Study σ and, for the Fermat quintic, cyjax's published σ_k (Gerdes & Krippendorf,
// σ on 1000 points, whose statistical error is about ±0.008 by our 50 000-point errors × √50).
import { reportHtml, xyChart } from "@physml/runs";
import type { Complex } from "../complex.js";
import type { McValue } from "../eval/volumes.js";

/** cyjax's σ_k of the Fermat quintic's balanced metrics, k = 1…6. */
export const CYJAX_FERMAT_SIGMA: Readonly<Record<number, number>> = {
  1: 0.387,
  2: 0.265,
  3: 0.205,
  4: 0.139,
  5: 0.098,
  6: 0.072,
};

/** One degree's balanced metric as the report shows it. */
export interface SigmaKRow {
  k: number;
  sections: number;
  /** σ_k on the held-out points, with their error alone (the error of this metric's σ). */
  sigma: McValue;
  /** The spread of σ_k over the integration points the metric was balanced on. */
  balancingError: number;
  /** σ_k with both errors in quadrature: the spread of σ_k over seeds. */
  sigmaWithBalancing: McValue;
  /** cyjax's σ_k when ψ = 0 and k ≤ 6. */
  cyjax?: number;
  lastChange: number;
  balanceSeconds: number;
}

/** cyjax's σ_k for a Dwork ψ, if there is one (Fermat only). */
export function cyjaxSigma(psi: Complex, k: number): number | undefined {
  return psi.re === 0 && psi.im === 0 ? CYJAX_FERMAT_SIGMA[k] : undefined;
}

/** The report page of several k. */
export async function sigmaKReport(o: {
  psi: Complex;
  points: number;
  evalPoints: number;
  iterations: number;
  seed: number;
  rows: readonly SigmaKRow[];
  sigmaFS: McValue;
}): Promise<string> {
  const ks = o.rows.map((r) => r.k);
  const anchored = o.rows.filter((r) => r.cyjax !== undefined);
  const psiText = `${o.psi.re}${o.psi.im < 0 ? "−" : "+"}${Math.abs(o.psi.im)}i`;
  const chart = xyChart({
    title: `σ_k of the balanced metric on ${o.evalPoints} held-out points, total error (ψ = ${psiText})`,
    xTitle: "k (degree of the sections)",
    yTitle: "σ_k (dimensionless, log scale)",
    logY: true,
    series: [
      {
        name: `balanced, ${o.points} integration points`,
        x: ks,
        y: o.rows.map((r) => r.sigma.mean),
        error: o.rows.map((r) => r.sigmaWithBalancing.error),
        style: "points",
      },
      ...(anchored.length > 0
        ? [
            {
              name: "cyjax (σ on 1000 points)",
              x: anchored.map((r) => r.k),
              y: anchored.map((r) => r.cyjax as number),
              style: "dashed" as const,
            },
          ]
        : []),
      { name: "Fubini–Study", x: ks, y: ks.map(() => o.sigmaFS.mean), style: "dashed" },
    ],
  });
  const pm = (v: McValue) => `${v.mean.toPrecision(4)} ± ${v.error.toPrecision(2)}`;
  return reportHtml({
    title: `cy donaldson: σ_k for k = ${ks[0]}…${ks[ks.length - 1]}, ψ = ${psiText}`,
    summary: [
      ["integration points (the same for every k)", String(o.points)],
      ["held-out points (seed + 1, the same for every k)", String(o.evalPoints)],
      ["T-operator iterations", String(o.iterations)],
      ["seed", String(o.seed)],
      ["σ Fubini–Study", pm(o.sigmaFS)],
    ],
    charts: [chart],
    tables: [
      {
        head: [
          "k",
          "sections",
          "σ_k ± total error",
          "held-out error",
          "balancing error",
          "cyjax",
          "σ_k − cyjax",
          "last ΔG",
          "seconds",
        ],
        rows: o.rows.map((r) => [
          String(r.k),
          String(r.sections),
          pm(r.sigmaWithBalancing),
          r.sigma.error.toPrecision(2),
          r.balancingError.toPrecision(2),
          r.cyjax === undefined ? "—" : String(r.cyjax),
          r.cyjax === undefined ? "—" : (r.sigma.mean - r.cyjax).toFixed(4),
          r.lastChange.toExponential(2),
          r.balanceSeconds.toFixed(1),
        ]),
      },
    ],
    notes: [
      "cyjax's values are for the Fermat quintic (ψ = 0) only; they were measured on 1000 points (statistical error about ±0.008) with fresh points in every T-iteration, while here one fixed set of integration points is balanced, and too few points per section bias σ_k upward for large k.",
      "The error bars of σ_k (chart and table) are the total error: the held-out points' error of this balanced metric's σ and the balancing error in quadrature. The balancing error is how much σ_k varies with the integration points the metric is balanced on (another seed balances on other points), estimated by linear response of the balanced matrix to the points with a curvature correction; the total is the spread of σ_k over seeds. Runs with different point counts also differ by the few-points bias, which the error bars do not include.",
    ],
  });
}
