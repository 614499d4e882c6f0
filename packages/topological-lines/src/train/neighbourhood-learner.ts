// The neighbourhood-chunk learner: state → step → (state, metrics). The table has six entries
// on the sphere Σ O² = 6 (the scale is a gauge), and the path-independence loss over them has
// many local minima: from random starts, few reach an exact line (2 of 64 for the disorder line
// on exact 4 × 4 expectations). So the learner starts from the minima of the circle of
// neighbourhood-blind tables (a 1-D scan, the two-entry chunk's search) and from many random
// directions (seeded), and takes Levenberg–Marquardt steps on the pair
// differences, restricted to the sphere's tangent space — each converges in tens of steps, where
// first-order steps stall decades above an exact zero. The trivial lines of the geometry (O = 1,
// and across links the plaquette parity) are zeros of the loss for every model; a cone of
// half-angle `exclusion` around each is excluded: starts inside are put on its edge and steps
// into it are refused.
import { random, solve, tensor } from "@physml/autodiff";
import { LINK_TYPES } from "../data/link-types.js";
import { goldenSection } from "./learner.js";
import {
  lineAngle,
  type MonomialMeans,
  neighbourhoodLoss,
  normaliseTable,
  relativeDifferences,
  TABLE_NORM2,
} from "./neighbourhood-table.js";

export interface NeighbourhoodLearnerOptions {
  data: MonomialMeans;
  pairs: readonly [number, number][];
  /** Tables excluded with their cones (normalised). */
  trivial: readonly Float64Array[];
  starts: number;
  /** Levenberg–Marquardt steps. */
  steps: number;
  /** Half-angle of the excluded cones (radians). */
  exclusion: number;
  seed: number;
}

export interface NeighbourhoodLearnerState {
  step: number;
  /** The starts' tables, starts × 6. */
  tables: Float64Array;
  /** Each start's loss and Levenberg–Marquardt damping. */
  loss: Float64Array;
  damping: Float64Array;
}

export interface NeighbourhoodStepMetrics {
  step: number;
  /** Loss of each start. */
  loss: number[];
}

const T = LINK_TYPES;
/** Above this damping a start has converged (no step lowers its loss). */
const MAX_DAMPING = 1e8;

/** Grid points of the scan over the neighbourhood-blind tables (the two-entry chunk's circle). */
const CIRCLE_POINTS = 360;

/**
 * The local minima of the loss on the great circle of tables blind to the neighbourhood,
 * O(x, n) = √2 (cos φ, sin φ)[x] — the two-entry chunk's whole search space, scanned on a grid
 * and refined by golden-section search — lowest first, outside the excluded cones.
 */
export function circleMinima(o: NeighbourhoodLearnerOptions, count: number): Float64Array[] {
  const lift = (phi: number) =>
    normaliseTable(Array.from({ length: T }, (_, t) => (t < 3 ? Math.cos(phi) : Math.sin(phi))));
  const lossAt = (phi: number) => {
    const table = lift(phi);
    return o.trivial.some((z) => lineAngle(table, z) < o.exclusion)
      ? Number.POSITIVE_INFINITY
      : neighbourhoodLoss(o.data, o.pairs, table).loss;
  };
  const h = Math.PI / CIRCLE_POINTS;
  const grid = Array.from({ length: CIRCLE_POINTS }, (_, i) => lossAt(i * h));
  const minima: { phi: number; loss: number }[] = [];
  for (let i = 0; i < CIRCLE_POINTS; i++) {
    const l = grid[i];
    const prev = grid[(i + CIRCLE_POINTS - 1) % CIRCLE_POINTS];
    const next = grid[(i + 1) % CIRCLE_POINTS];
    if (!Number.isFinite(l) || l > prev || l > next) continue;
    // Refined within the neighbouring grid points.
    const phi = goldenSection(lossAt, (i - 1) * h, (i + 1) * h);
    minima.push({ phi, loss: lossAt(phi) });
  }
  minima.sort((x, y) => x.loss - y.loss);
  return minima.slice(0, count).map((m) => lift(m.phi));
}

/** How many minima of the neighbourhood-blind circle join the random starts. */
export const CIRCLE_STARTS = 4;

/**
 * The starts: the lowest minima of the neighbourhood-blind circle (the two-entry chunk's own
 * answer, which the six entries may then refine), then normalised Gaussian directions from the
 * seed, moved out of the excluded cones, up to `starts` in all.
 */
export function initNeighbourhoodLearner(o: NeighbourhoodLearnerOptions): NeighbourhoodLearnerState {
  const circle = circleMinima(o, Math.min(CIRCLE_STARTS, o.starts));
  const raw = random.normal(random.key(o.seed), [o.starts, T]).toFloat64Array();
  const tables = new Float64Array(o.starts * T);
  const loss = new Float64Array(o.starts);
  for (let s = 0; s < o.starts; s++) {
    const start =
      s < circle.length
        ? circle[s]
        : excludeTrivialTables(normaliseTable(raw.subarray(s * T, (s + 1) * T)), o.trivial, o.exclusion)
            .table;
    tables.set(start, s * T);
    loss[s] = neighbourhoodLoss(o.data, o.pairs, start).loss;
  }
  return { step: 0, tables, loss, damping: new Float64Array(o.starts).fill(1e-3) };
}

/**
 * Keeps a table out of the cones around the trivial tables: inside one, it is moved to the edge
 * along the great circle through that trivial table (on the side of its sign).
 */
export function excludeTrivialTables(
  table: Float64Array,
  trivial: readonly Float64Array[],
  exclusion: number,
): { table: Float64Array; onEdge: boolean } {
  for (const z of trivial) {
    if (lineAngle(table, z) >= exclusion) continue;
    let dot = 0;
    for (let t = 0; t < T; t++) dot += table[t] * z[t];
    const sign = dot >= 0 ? 1 : -1;
    // The component orthogonal to z gives the great circle's direction.
    const perp = Float64Array.from(table, (v, t) => v - (dot / TABLE_NORM2) * z[t]);
    let pn = Math.hypot(...perp);
    if (pn < 1e-12) {
      // Exactly on the trivial table: leave along the unit vector least aligned with it.
      let k = 0;
      for (let t = 1; t < T; t++) if (Math.abs(z[t]) < Math.abs(z[k])) k = t;
      for (let t = 0; t < T; t++) perp[t] = (t === k ? 1 : 0) - (z[k] / TABLE_NORM2) * z[t];
      pn = Math.hypot(...perp);
    }
    const r = Math.sqrt(TABLE_NORM2);
    const out = Float64Array.from(
      { length: T },
      (_, t) => sign * Math.cos(exclusion) * z[t] + Math.sin(exclusion) * r * (perp[t] / pn),
    );
    return { table: out, onEdge: true };
  }
  return { table, onEdge: false };
}

/**
 * One Levenberg–Marquardt step of every start: the step is kept when it lowers the loss and
 * stays out of the cones (damping ÷ 3), else the damping grows ×10.
 */
export function neighbourhoodStep(
  state: NeighbourhoodLearnerState,
  o: NeighbourhoodLearnerOptions,
): [NeighbourhoodLearnerState, NeighbourhoodStepMetrics] {
  const tables = state.tables.slice();
  const loss = state.loss.slice();
  const damping = state.damping.slice();
  for (let s = 0; s < loss.length; s++) {
    if (damping[s] > MAX_DAMPING || loss[s] === 0) continue;
    const cur = tables.subarray(s * T, (s + 1) * T);
    const delta = tangentGaussNewton(o.data, o.pairs, cur, damping[s]);
    const trial = normaliseTable(cur.map((v, t) => v + delta[t]));
    const inCone = o.trivial.some((z) => lineAngle(trial, z) < o.exclusion);
    const l = inCone ? Number.POSITIVE_INFINITY : neighbourhoodLoss(o.data, o.pairs, trial).loss;
    if (l < loss[s]) {
      tables.set(trial, s * T);
      loss[s] = l;
      damping[s] /= 3;
    } else damping[s] *= 10;
  }
  return [
    { step: state.step + 1, tables, loss, damping },
    { step: state.step + 1, loss: Array.from(loss) },
  ];
}

/**
 * The Gauss–Newton step from O on the relative pair differences, restricted to the sphere's tangent
 * space: (JᵀJ + μ·s·1 + s·ÔÔᵀ) δ = −Jᵀr with s = tr JᵀJ / 6, the ÔÔᵀ term removing the radial
 * (gauge) direction. μ = 0 is the undamped step the validation's jackknife uses.
 */
export function tangentGaussNewton(
  data: MonomialMeans,
  pairs: readonly [number, number][],
  table: ArrayLike<number>,
  damping: number,
): Float64Array {
  const { r, jac } = relativeDifferences(data, pairs, table, true);
  return tangentStep(r, jac as Float64Array, table, damping);
}

/**
 * The damped Gauss–Newton step in the sphere's tangent space for residuals `d` with Jacobian
 * `J` (row-major residuals × 6) at `table`; see {@link tangentGaussNewton}.
 */
export function tangentStep(
  d: ArrayLike<number>,
  J: ArrayLike<number>,
  table: ArrayLike<number>,
  damping: number,
): Float64Array {
  const A = new Float64Array(T * T);
  const b = new Float64Array(T);
  for (let i = 0; i < d.length; i++)
    for (let u = 0; u < T; u++) {
      b[u] -= J[i * T + u] * d[i];
      for (let v = 0; v < T; v++) A[u * T + v] += J[i * T + u] * J[i * T + v];
    }
  let tr = 0;
  for (let u = 0; u < T; u++) tr += A[u * T + u];
  const s = tr > 0 ? tr / T : 1;
  for (let u = 0; u < T; u++) {
    // A relative ridge of 1e-12 keeps directions the data do not constrain finite.
    A[u * T + u] += s * (damping + 1e-12);
    for (let v = 0; v < T; v++) A[u * T + v] += (s * table[u] * table[v]) / TABLE_NORM2;
  }
  const rows = Array.from({ length: T }, (_, u) => Array.from(A.subarray(u * T, (u + 1) * T)));
  return solve(tensor(rows), tensor(Array.from(b))).toFloat64Array();
}
