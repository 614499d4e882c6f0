// Sine-Gordon φ_tt = φ_xx − sin φ on a periodic grid: spectral φ_xx, Störmer–Verlet in time
// (the field is a separable Hamiltonian system with H = ∫ π²/2 + φ_x²/2 + 1 − cos φ).
import { PhysmlInputError } from "@physml/lattice-core";
import type { PeriodicGrid } from "./spectral.js";

/** A sine-Gordon state: the field φ and its momentum π = φ_t. */
export interface SineGordonState {
  phi: Float64Array;
  pi: Float64Array;
}

function force(grid: PeriodicGrid, phi: Float64Array): Float64Array {
  const f = grid.derivative(phi, 2);
  for (let j = 0; j < grid.n; j++) f[j] -= Math.sin(phi[j]);
  return f;
}

/** Advances (φ, π) in place by `steps` Störmer–Verlet steps of size h (stable for h·k_max < 2). */
export function sineGordonAdvance(grid: PeriodicGrid, s: SineGordonState, h: number, steps: number): void {
  const kmax = (Math.PI * grid.n) / grid.length;
  if (!(h > 0) || h * kmax >= 2) throw new PhysmlInputError("h", `a step in (0, ${2 / kmax})`, h);
  let f = force(grid, s.phi);
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < grid.n; j++) s.pi[j] += 0.5 * h * f[j];
    for (let j = 0; j < grid.n; j++) s.phi[j] += h * s.pi[j];
    f = force(grid, s.phi);
    for (let j = 0; j < grid.n; j++) s.pi[j] += 0.5 * h * f[j];
  }
}

/** H = ∫ (π²/2 + φ_x²/2 + 1 − cos φ) dx. */
export function sineGordonEnergy(grid: PeriodicGrid, s: SineGordonState): number {
  const px = grid.derivative(s.phi, 1);
  return grid.integral(s.phi.map((p, j) => 0.5 * s.pi[j] ** 2 + 0.5 * px[j] ** 2 + 1 - Math.cos(p)));
}

/**
 * The breather φ = 4 arctan(√(1−ω²)/ω · sin ωt / cosh(√(1−ω²)(x − x₀))), 0 < ω < 1, and its
 * time derivative: an exact, localised, time-periodic solution.
 */
export function sineGordonBreather(
  grid: PeriodicGrid,
  omega: number,
  x0: number,
  t: number,
): SineGordonState {
  if (!(omega > 0 && omega < 1)) throw new PhysmlInputError("omega", "a number in (0, 1)", omega);
  const g = Math.sqrt(1 - omega * omega);
  const x = grid.points();
  const phi = new Float64Array(grid.n);
  const pi = new Float64Array(grid.n);
  for (let j = 0; j < grid.n; j++) {
    const ch = Math.cosh(g * (x[j] - x0));
    const u = ((g / omega) * Math.sin(omega * t)) / ch;
    phi[j] = 4 * Math.atan(u);
    pi[j] = (4 / (1 + u * u)) * ((g * Math.cos(omega * t)) / ch);
  }
  return { phi, pi };
}

/**
 * The kink–antikink collision φ = 4 arctan(sinh(γvt) / (v cosh(γ(x − x₀)))), γ = 1/√(1 − v²),
 * 0 < v < 1, and its time derivative: exact on the line, φ → 0 at both ends (so periodic to
 * exponential accuracy on a long enough period). For t < 0 the kink and antikink approach.
 */
export function sineGordonKinkAntikink(
  grid: PeriodicGrid,
  v: number,
  x0: number,
  t: number,
): SineGordonState {
  if (!(v > 0 && v < 1)) throw new PhysmlInputError("v", "a number in (0, 1)", v);
  const g = 1 / Math.sqrt(1 - v * v);
  const x = grid.points();
  const phi = new Float64Array(grid.n);
  const pi = new Float64Array(grid.n);
  for (let j = 0; j < grid.n; j++) {
    const ch = Math.cosh(g * (x[j] - x0));
    const u = Math.sinh(g * v * t) / (v * ch);
    phi[j] = 4 * Math.atan(u);
    pi[j] = (4 / (1 + u * u)) * ((g * Math.cosh(g * v * t)) / ch);
  }
  return { phi, pi };
}
