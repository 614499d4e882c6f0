// The monodromy Ψ(ℓ) = P exp ∫₀^ℓ A_x dx of a connection on a periodic field. For a flat
// connection its trace is conserved in time (∂_t Ψ(ℓ) = [A_t(0), Ψ(ℓ)] when A_t is periodic), and it
// is gauge invariant, so it reads a conserved quantity off a learned A_x without knowing the gauge.
import { tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import type { FieldSystem, FieldTrajectories } from "../fields/field-system.js";
import { snapshotFeatures } from "../fields/kdv-samples.js";
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
  checkFactor(factor);
  const fine = new PeriodicGrid(grid.n * factor, grid.length);
  const feats = snapshotFeatures(fine, refineField(grid, phi, factor), order).derivs.slice(0, order + 1);
  return traceOfFeatures(c, feats, fine.dx);
}

/**
 * tr Ψ(ℓ) with Ψ' = A_x(f(x)) Ψ, Ψ(0) = 1, from the features on a grid of spacing dx (feats[k] =
 * feature k at every point), by RK4 with step 2dx: the half steps land on grid points.
 */
export function traceOfFeatures(c: ConnectionFns, feats: readonly Float64Array[], dx: number): number {
  const m = feats.length;
  const N = feats[0].length;
  const F = new Float64Array(N * m);
  for (let j = 0; j < N; j++) for (let k = 0; k < m; k++) F[j * m + k] = feats[k][j];
  const A = c.Ax(tensor(F, [N, m])).toFloat64Array();
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
 * system's features on the fine grid, then {@link traceOfFeatures}.
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

/** {@link fieldMonodromyTrace} on every snapshot of every trajectory, with the variations. */
export function fieldMonodromyReport(
  c: ConnectionFns,
  system: FieldSystem,
  data: FieldTrajectories,
  factor = 4,
): MonodromyReport {
  return reportOf(
    data.states.map((snaps) => snaps.map((s) => fieldMonodromyTrace(c, system, data.grid, s, factor))),
  );
}

function checkFactor(factor: number): void {
  if (!Number.isInteger(factor) || factor < 2 || (factor & (factor - 1)) !== 0)
    throw new PhysmlInputError("factor", "a power of two >= 2", factor);
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
}

/** Evaluates {@link monodromyTrace} on every snapshot of every trajectory. */
export function monodromyReport(
  c: ConnectionFns,
  grid: PeriodicGrid,
  fields: Float64Array[][],
  order: number,
  factor = 4,
): MonodromyReport {
  return reportOf(fields.map((snaps) => snaps.map((phi) => monodromyTrace(c, grid, phi, order, factor))));
}

function reportOf(traces: number[][]): MonodromyReport {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const std = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
  const variation = traces.map((v) => (Math.max(...v) - Math.min(...v)) / Math.abs(mean(v)));
  const across = std(traces.map(mean));
  return { traces, variation, variationVsAcross: mean(traces.map(std)) / across };
}
