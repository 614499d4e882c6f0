// The continuum Heisenberg ferromagnet S_t = S × S_xx with |S| = 1, on a periodic grid: spectral
// S_xx and the implicit midpoint rule, which conserves every quadratic invariant of the
// semi-discrete flow, so |S_j|² = 1 holds at every grid point to the iteration tolerance.
import { PhysmlInputError } from "@physml/lattice-core";
import type { PeriodicGrid } from "./spectral.js";

/** Components of the spin field, each of length N. */
export type SpinField = [Float64Array, Float64Array, Float64Array];

const TOL = 1e-14;
const MAX_ITER = 500;

function rhs(grid: PeriodicGrid, s: SpinField): SpinField {
  const d = s.map((c) => grid.derivative(c, 2)) as SpinField;
  const out: SpinField = [new Float64Array(grid.n), new Float64Array(grid.n), new Float64Array(grid.n)];
  for (let j = 0; j < grid.n; j++) {
    out[0][j] = s[1][j] * d[2][j] - s[2][j] * d[1][j];
    out[1][j] = s[2][j] * d[0][j] - s[0][j] * d[2][j];
    out[2][j] = s[0][j] * d[1][j] - s[1][j] * d[0][j];
  }
  return out;
}

/**
 * Whether the midpoint rule's fixed-point iteration converges on `grid` at step h: h·k_max² < 1,
 * k_max = πN/ℓ. The iteration contracts by about h·k²/2 at wavenumber k, and round-off fills every
 * mode, so the grid's highest one decides (measured at h = 0.001, ℓ = 16: N = 128, h·k_max² = 0.63,
 * converges; N = 256, 2.5, does not).
 */
export function heisenbergStepConverges(grid: { n: number; length: number }, h: number): boolean {
  const kmax = (Math.PI * grid.n) / grid.length;
  return h * kmax * kmax < 1;
}

/** Advances S in place by `steps` implicit-midpoint steps of size h. */
export function heisenbergAdvance(grid: PeriodicGrid, s: SpinField, h: number, steps: number): void {
  if (!(h > 0) || !Number.isFinite(h)) throw new PhysmlInputError("h", "a finite number > 0", h);
  for (let t = 0; t < steps; t++) {
    const s0 = s.map((c) => c.slice()) as SpinField;
    const mid = s.map((c) => new Float64Array(c.length)) as SpinField;
    let converged = false;
    for (let it = 0; it < MAX_ITER && !converged; it++) {
      for (let a = 0; a < 3; a++) for (let j = 0; j < grid.n; j++) mid[a][j] = 0.5 * (s0[a][j] + s[a][j]);
      const f = rhs(grid, mid);
      let change = 0;
      for (let a = 0; a < 3; a++)
        for (let j = 0; j < grid.n; j++) {
          const next = s0[a][j] + h * f[a][j];
          change = Math.max(change, Math.abs(next - s[a][j]));
          s[a][j] = next;
        }
      converged = change < TOL;
    }
    if (!converged)
      throw new PhysmlInputError("h", "a step with h·k_max² < 1 so the midpoint iteration converges", h);
  }
}

/** max_j | |S_j| − 1 |. */
export function spinNormError(s: SpinField): number {
  let e = 0;
  for (let j = 0; j < s[0].length; j++) e = Math.max(e, Math.abs(Math.hypot(s[0][j], s[1][j], s[2][j]) - 1));
  return e;
}

/** The exchange energy ½∫|S_x|² dx, conserved by the flow. */
export function heisenbergEnergy(grid: PeriodicGrid, s: SpinField): number {
  const d = s.map((c) => grid.derivative(c, 1));
  return grid.integral(d[0].map((v, j) => 0.5 * (v * v + d[1][j] ** 2 + d[2][j] ** 2)));
}

/**
 * The spin wave S = (a cos θ, a sin θ, c), θ = kx − ωt, a = √(1 − c²), an exact solution when
 * ω = c k² (k a wavenumber of the grid).
 */
export function spinWave(grid: PeriodicGrid, mode: number, c: number, t: number): SpinField {
  if (!(Math.abs(c) < 1)) throw new PhysmlInputError("c", "a number in (-1, 1)", c);
  const k = (2 * Math.PI * mode) / grid.length;
  const a = Math.sqrt(1 - c * c);
  const x = grid.points();
  const th = x.map((xi) => k * xi - c * k * k * t);
  return [th.map((v) => a * Math.cos(v)), th.map((v) => a * Math.sin(v)), th.map(() => c)];
}
