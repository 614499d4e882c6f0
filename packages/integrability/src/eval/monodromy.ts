// The monodromy Ψ(ℓ) = P exp ∫₀^ℓ A_x dx of a connection on a periodic field. For a flat
// connection its trace is conserved in time (∂_t Ψ(ℓ) = [A_t(0), Ψ(ℓ)] when A_t is periodic), and it
// is gauge invariant, so it reads a conserved quantity off a learned A_x without knowing the gauge.
import { tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import type { FieldSystem, FieldTrajectories } from "../fields/field-system.js";
import { kdvFieldSystem } from "../fields/kdv-samples.js";
import { PeriodicGrid } from "../fields/spectral.js";
import type { ConnectionFns } from "../lax/zero-curvature.js";
import { matmulSmall } from "./linalg-small.js";

/**
 * φ on a grid `factor` times finer, by zero-padding its spectrum (the Nyquist mode is dropped; it
 * is at rounding level for the resolved fields here).
 */
export function refineField(grid: PeriodicGrid, phi: Float64Array, factor: number): Float64Array {
  const fine = new PeriodicGrid(grid.n * factor, grid.length);
  const s = grid.forward(phi);
  const big = new Float64Array(2 * fine.n);
  const half = grid.n / 2;
  for (let j = 0; j < half; j++) {
    big[2 * j] = s[2 * j] * factor;
    big[2 * j + 1] = s[2 * j + 1] * factor;
  }
  for (let j = half + 1; j < grid.n; j++) {
    const J = fine.n - grid.n + j;
    big[2 * J] = s[2 * j] * factor;
    big[2 * J + 1] = s[2 * j + 1] * factor;
  }
  return fine.inverseReal(big);
}

/**
 * tr Ψ(ℓ) with Ψ' = A_x(f(x)) Ψ, Ψ(0) = 1, by RK4 with step 2ℓ/(factor·N) on the field refined
 * `factor` times (the half steps land on fine grid points); `order` is the feature order A_x takes.
 */
export function monodromyTrace(
  c: ConnectionFns,
  grid: PeriodicGrid,
  phi: Float64Array,
  order: number,
  factor = 4,
): number {
  return fieldMonodromyTrace(c, kdvFieldSystem(order), grid, [phi], factor);
}

/**
 * tr Ψ(ℓ) with Ψ' = A_x(f(x)) Ψ, Ψ(0) = 1, from the features on a grid of spacing dx (feats[k] =
 * feature k at every point), by RK4 with step 2dx: the half steps land on grid points.
 */
export function traceOfFeatures(c: ConnectionFns, feats: readonly Float64Array[], dx: number): number {
  const N = feats[0].length;
  const A = axOnGrid(c, feats);
  const n = c.size;
  const n2 = n * n;
  const at = (j: number) => A.subarray((j % N) * n2, ((j % N) + 1) * n2);
  const h = 2 * dx;
  let psi = new Float64Array(n2);
  for (let i = 0; i < n; i++) psi[i * n + i] = 1;
  const axpy = (y: Float64Array, a: number, x: Float64Array) => y.map((v, i) => v + a * x[i]);
  for (let j = 0; j < N; j += 2) {
    const k1 = matmulSmall(at(j), psi, n);
    const k2 = matmulSmall(at(j + 1), axpy(psi, h / 2, k1), n);
    const k3 = matmulSmall(at(j + 1), axpy(psi, h / 2, k2), n);
    const k4 = matmulSmall(at(j + 2), axpy(psi, h, k3), n);
    psi = psi.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
  }
  let tr = 0;
  for (let i = 0; i < n; i++) tr += psi[i * n + i];
  return tr;
}

/**
 * tr Ψ(ℓ) for a state of a field system: every component refined `factor` times spectrally, the
 * system's features on the fine grid, then {@link traceOfFeatures}. One fixed refinement: see
 * {@link fieldMonodromy} for one chosen until the trace has converged.
 */
export function fieldMonodromyTrace(
  c: ConnectionFns,
  system: FieldSystem,
  grid: PeriodicGrid,
  state: readonly Float64Array[],
  factor = 4,
): number {
  checkFactor(factor);
  const fine = new PeriodicGrid(grid.n * factor, grid.length);
  const refined = state.map((u) => refineField(grid, u, factor));
  return traceOfFeatures(c, system.features(fine, refined), fine.dx);
}

/** How {@link fieldMonodromy} refines its quadrature. */
export interface MonodromyQuadrature {
  /**
   * Stop doubling the refinement once the trace changes by less than this times |tr Ψ| (default
   * {@link MONODROMY_TOLERANCE}).
   */
  tolerance?: number;
  /** The largest refinement tried, a power of two (default {@link MONODROMY_MAX_FACTOR}). */
  maxFactor?: number;
}

/**
 * Relative change of tr Ψ at the last doubling that ends the refinement: three decades below the
 * 1e-3 conservation target, so what the validation reads is the connection's, not the quadrature's.
 */
export const MONODROMY_TOLERANCE = 1e-6;

/** The finest refinement {@link fieldMonodromy} tries: the cost grows linearly with it. */
export const MONODROMY_MAX_FACTOR = 256;

/** tr Ψ(ℓ) with its quadrature error. */
export interface MonodromyEstimate {
  trace: number;
  /**
   * |tr Ψ at this refinement − tr Ψ at half of it|: RK4's error falls 16× per doubling, so this
   * bounds the error of `trace` with a margin of ~15 once the quadrature is in its asymptotic range.
   */
  error: number;
  /** The refinement `trace` was computed at. */
  factor: number;
}

/**
 * tr Ψ(ℓ) for a state of a field system, the refinement doubled until the trace changes by less
 * than `tolerance` relative (or `maxFactor` is reached; the returned error then says by how much it
 * missed). A fixed refinement is poor where |A_x| is large (the sine-Gordon connection at small k,
 * |A_x| ~ 1/(4k)), so the first one is the coarsest whose RK4 step h keeps h·max|A_x| ≤ 1.
 */
export function fieldMonodromy(
  c: ConnectionFns,
  system: FieldSystem,
  grid: PeriodicGrid,
  state: readonly Float64Array[],
  q: MonodromyQuadrature = {},
): MonodromyEstimate {
  const tolerance = q.tolerance ?? MONODROMY_TOLERANCE;
  const maxFactor = q.maxFactor ?? MONODROMY_MAX_FACTOR;
  if (!(tolerance > 0)) throw new PhysmlInputError("tolerance", "a number > 0", tolerance);
  checkFactor(maxFactor, "maxFactor");
  if (maxFactor < 4) throw new PhysmlInputError("maxFactor", "a power of two >= 4", maxFactor);
  // the RK4 step is 2 dx / factor (half steps on the fine grid points)
  const h1 = 2 * grid.dx * maxNorm(c, system.features(grid, state));
  let factor = 2;
  while (factor < maxFactor / 2 && h1 / factor > 1) factor *= 2;
  let previous = fieldMonodromyTrace(c, system, grid, state, factor);
  for (;;) {
    factor *= 2;
    const trace = fieldMonodromyTrace(c, system, grid, state, factor);
    const error = Math.abs(trace - previous);
    if (error <= tolerance * Math.abs(trace) || factor >= maxFactor) return { trace, error, factor };
    previous = trace;
  }
}

/** A_x at every grid point, [N, n, n] flattened, from the features (feats[k] = feature k). */
function axOnGrid(c: ConnectionFns, feats: readonly Float64Array[]): Float64Array {
  const m = feats.length;
  const N = feats[0].length;
  const F = new Float64Array(N * m);
  for (let j = 0; j < N; j++) for (let k = 0; k < m; k++) F[j * m + k] = feats[k][j];
  return c.Ax(tensor(F, [N, m])).toFloat64Array();
}

/** max over the grid of the Frobenius norm of A_x. */
function maxNorm(c: ConnectionFns, feats: readonly Float64Array[]): number {
  const N = feats[0].length;
  const A = axOnGrid(c, feats);
  const n2 = c.size * c.size;
  let max = 0;
  for (let j = 0; j < N; j++) {
    let s = 0;
    for (let i = 0; i < n2; i++) s += A[j * n2 + i] ** 2;
    max = Math.max(max, Math.sqrt(s));
  }
  return max;
}

/** {@link fieldMonodromy} on every snapshot of every trajectory, with the variations. */
export function fieldMonodromyReport(
  c: ConnectionFns,
  system: FieldSystem,
  data: FieldTrajectories,
  q: MonodromyQuadrature = {},
): MonodromyReport {
  return reportOf(data.states.map((snaps) => snaps.map((s) => fieldMonodromy(c, system, data.grid, s, q))));
}

function checkFactor(factor: number, field = "factor"): void {
  if (!Number.isInteger(factor) || factor < 2 || (factor & (factor - 1)) !== 0)
    throw new PhysmlInputError(field, "a power of two >= 2", factor);
}

/** tr Ψ(ℓ) along trajectories and its relative variation per trajectory. */
export interface MonodromyReport {
  /** [trajectory][snapshot] → tr Ψ(ℓ). */
  traces: number[][];
  /** (max_t − min_t) / |mean_t| per trajectory. */
  variation: number[];
  /**
   * The mean over trajectories of std_t tr Ψ, divided by the std of the trajectories' means:
   * small when the quantity is conserved yet tells the trajectories apart.
   */
  variationVsAcross: number;
  /**
   * Per trajectory, the largest quadrature error of a trace over |mean_t tr Ψ|: on the scale of
   * `variation`, so a variation well above it is the connection's and not the quadrature's.
   */
  quadratureError: number[];
  /** Per trajectory, the finest refinement any of its snapshots needed. */
  factor: number[];
}

/** {@link fieldMonodromy} of the field φ with A_x fed φ … ∂ₓ^order φ, on every snapshot. */
export function monodromyReport(
  c: ConnectionFns,
  grid: PeriodicGrid,
  fields: Float64Array[][],
  order: number,
  q: MonodromyQuadrature = {},
): MonodromyReport {
  const system = kdvFieldSystem(order);
  return reportOf(fields.map((snaps) => snaps.map((phi) => fieldMonodromy(c, system, grid, [phi], q))));
}

function reportOf(estimates: MonodromyEstimate[][]): MonodromyReport {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const std = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
  const traces = estimates.map((e) => e.map((x) => x.trace));
  const variation = traces.map((v) => (Math.max(...v) - Math.min(...v)) / Math.abs(mean(v)));
  const across = std(traces.map(mean));
  return {
    traces,
    variation,
    variationVsAcross: mean(traces.map(std)) / across,
    quadratureError: estimates.map((e, b) => Math.max(...e.map((x) => x.error)) / Math.abs(mean(traces[b]))),
    factor: estimates.map((e) => Math.max(...e.map((x) => x.factor))),
  };
}
