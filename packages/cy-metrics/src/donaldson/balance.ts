// Donaldson's algorithm: iterate G ← T(G)⁻¹ from G = 1 on one fixed set of weighted integration
// points, giving the balanced metric of that Monte Carlo measure (cyjax draws fresh points in
// every iteration instead; both converge to the balanced metric as the number of points grows).
import { checkInt, PhysmlInputError } from "@physml/lattice-core";
import { identity, type SplitMatrix } from "../complex.js";
import { sigmaFromEta } from "../eval/sigma.js";
import type { McValue } from "../eval/volumes.js";
import type { Quintic } from "../geometry/quintic.js";
import { type PointSet, samplePoints } from "../geometry/sample.js";
import { type AlgebraicMetric, evaluateMetric } from "./algebraic-metric.js";
import { sectionBasis } from "./sections.js";
import { donaldsonStep } from "./t-operator.js";

/** Options of {@link donaldson}. */
export interface DonaldsonOptions {
  /** Degree of the sections, in [1, 12]. */
  k: number;
  /** T-operator iterations (default 10, as cyjax). */
  iterations?: number;
  /** Integration points for the T-operator (default 20 000). */
  points?: number;
  /** Seed of the integration points (default 1). */
  seed?: number;
  /** Integration points to use instead of sampling `points` new ones (e.g. shared across k). */
  integrationPoints?: PointSet;
  /** Starting matrix (default the identity), e.g. the balanced G of a run with fewer points. */
  initial?: SplitMatrix;
  /** Called after every iteration, with the matrix it produced (to checkpoint it, say). */
  onIteration?: (info: DonaldsonIteration, G: SplitMatrix) => void;
}

/** Progress of one iteration. */
export interface DonaldsonIteration {
  iteration: number;
  /** ‖G_new − G_old‖_F / ‖G_old‖_F. */
  change: number;
  /** Seconds since the start of the run (sampling included). */
  seconds: number;
}

/** Result of {@link donaldson}. */
export interface DonaldsonResult {
  metric: AlgebraicMetric;
  history: DonaldsonIteration[];
  /** Number of integration points used. */
  points: number;
  /** Wall-clock seconds: sampling plus iterations. */
  seconds: number;
}

function relativeChange(a: SplitMatrix, b: SplitMatrix): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.re.length; i++) {
    d += (a.re[i] - b.re[i]) ** 2 + (a.im[i] - b.im[i]) ** 2;
    s += a.re[i] ** 2 + a.im[i] ** 2;
  }
  return Math.sqrt(d / s);
}

/** Balanced metric of degree k on `q` by Donaldson's T-operator iteration. */
export function donaldson(q: Quintic, opts: DonaldsonOptions): DonaldsonResult {
  const iterations = checkInt("iterations", opts.iterations ?? 10, 0, 10_000);
  const t0 = performance.now();
  const basis = sectionBasis(q, opts.k);
  const points = opts.integrationPoints ?? samplePoints(q, opts.points ?? 20_000, opts.seed ?? 1);
  if (opts.initial && opts.initial.n !== basis.size) {
    throw new PhysmlInputError("initial.n", `the number of sections ${basis.size}`, opts.initial.n);
  }
  let G = opts.initial ?? identity(basis.size);
  const history: DonaldsonIteration[] = [];
  for (let it = 1; it <= iterations; it++) {
    const next = donaldsonStep(basis, G, points);
    const info = { iteration: it, change: relativeChange(G, next), seconds: (performance.now() - t0) / 1000 };
    G = next;
    history.push(info);
    opts.onIteration?.(info, G);
  }
  return { metric: { basis, G }, history, points: points.n, seconds: (performance.now() - t0) / 1000 };
}

/** σ of an algebraic metric on (held-out) points, with its jackknife error. */
export function sigma(metric: AlgebraicMetric, points: PointSet): McValue {
  const { det } = evaluateMetric(metric, points);
  const eta = new Float64Array(points.n);
  for (let i = 0; i < points.n; i++) eta[i] = det[i] / points.omega2[i];
  return sigmaFromEta(eta, points.weight);
}

/** σ of the Fubini–Study metric itself (the algebraic metric k = 1, G = 1). */
export function fubiniStudySigma(points: PointSet): McValue {
  const eta = new Float64Array(points.n);
  for (let i = 0; i < points.n; i++) eta[i] = points.detFS[i] / points.omega2[i];
  return sigmaFromEta(eta, points.weight);
}
