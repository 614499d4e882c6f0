// Field data for learning a Lax connection of sine-Gordon φ_tt − φ_xx + sin φ = 0 (laboratory
// coordinates): seeded Störmer–Verlet trajectories from a breather, a kink–antikink collision and
// a smooth random wave, and the jet of the features f = (φ_x, φ_t, sin φ, cos φ). The equation is
// invariant under φ → φ + 2π, so φ enters only through sin φ and cos φ; φ_x and φ_t are the
// first derivatives a local connection needs. Their t-derivatives follow from the state (φ, π):
// ∂_t φ_x = π_x, ∂_t φ_t = φ_xx − sin φ (the equation), ∂_t sin φ = π cos φ, ∂_t cos φ = −π sin φ.
import { monomials } from "../eval/dictionary.js";
import {
  type FieldDataOptions,
  type FieldSystem,
  type FieldTrajectories,
  fieldDataSettings,
  type SnapshotJet,
  seededTrajectories,
} from "./field-system.js";
import { sineGordonAdvance, sineGordonBreather, sineGordonKinkAntikink } from "./sine-gordon.js";
import { PeriodicGrid } from "./spectral.js";

/** Initial conditions of sine-Gordon trajectories, in the order they cycle. */
export const SINE_GORDON_KINDS = ["breather", "kink-antikink", "smooth"] as const;

/**
 * Default grid and step: N = 128 over ℓ = 40, t ∈ [0, 4], h = 0.001 (h·k_max = 0.01). At h = 0.005
 * the kink–antikink trajectories' integration error made the KNOWN connection's monodromy trace
 * vary by up to 1.7e-3 on held-out data (the target is < 1e-3); at 0.001 by at most 6.9e-5 (seeds
 * 0–5, MEASUREMENTS.md "Sine-Gordon data step").
 */
export const SINE_GORDON_DATA = { n: 128, length: 40, time: 4, h: 0.001 };

/** The features (φ_x, φ_t, sin φ, cos φ) and their derivatives for a state [φ, π]. */
function sineGordonJet(grid: PeriodicGrid, state: readonly Float64Array[]): SnapshotJet {
  const [phi, pi] = state;
  const px = grid.derivative(phi, 1);
  const pxx = grid.derivative(phi, 2);
  const pix = grid.derivative(pi, 1);
  const s = phi.map(Math.sin);
  const c = phi.map(Math.cos);
  const ptt = pxx.map((v, j) => v - s[j]);
  return {
    f: [px, Float64Array.from(pi), s, c],
    fx: [pxx, pix, c.map((v, j) => v * px[j]), s.map((v, j) => -v * px[j])],
    ft: [pix, ptt, c.map((v, j) => v * pi[j]), s.map((v, j) => -v * pi[j])],
    rate: ptt,
  };
}

/**
 * An initial state from eight uniforms u ∈ [0, 1): a breather of frequency ω ∈ [0.6, 0.9], a
 * kink–antikink pair of speed v ∈ [0.2, 0.6] taken at t₀ ∈ [−3, −1] (they collide during the
 * trajectory), or φ = Σ_{m≤3} a_m cos(2πmx/ℓ + θ_m), π = Σ b_m cos(2πmx/ℓ + θ_m) with |a_m| ≤ 1,
 * |b_m| ≤ 0.5 (well into the nonlinear range of sin φ).
 */
function initialState(grid: PeriodicGrid, kind: string, u: Float64Array): [Float64Array, Float64Array] {
  const L = grid.length;
  const centre = L / 2 + (u[1] - 0.5) * 4;
  if (kind === "breather") {
    const s = sineGordonBreather(grid, 0.6 + 0.3 * u[0], centre, 2 * Math.PI * u[2]);
    return [s.phi, s.pi];
  }
  if (kind === "kink-antikink") {
    const s = sineGordonKinkAntikink(grid, 0.2 + 0.4 * u[0], centre, -1 - 2 * u[2]);
    return [s.phi, s.pi];
  }
  const x = grid.points();
  const phi = new Float64Array(grid.n);
  const pi = new Float64Array(grid.n);
  for (let m = 1; m <= 3; m++) {
    const th = 2 * Math.PI * u[2 * m + 1];
    const a = 2 * (u[2 * m] - 0.5);
    const b = u[m - 1] - 0.5;
    for (let j = 0; j < grid.n; j++) {
      const cs = Math.cos((2 * Math.PI * m * x[j]) / L + th);
      phi[j] += a * cs;
      pi[j] += b * cs;
    }
  }
  return [phi, pi];
}

/** Integrates seeded sine-Gordon trajectories; a state is [φ, π = φ_t]. */
export function sineGordonTrajectories(o: FieldDataOptions): FieldTrajectories {
  const d = fieldDataSettings(o, SINE_GORDON_DATA);
  const grid = new PeriodicGrid(d.n, d.length);
  const t = seededTrajectories(d, o.seed, {
    kinds: SINE_GORDON_KINDS,
    uniforms: 8,
    start: (kind, u) => {
      const [phi, pi] = initialState(grid, kind, u);
      return { phi, pi };
    },
    advance: (s, steps) => sineGordonAdvance(grid, s, d.h, steps),
    snapshot: (s) => [Float64Array.from(s.phi), Float64Array.from(s.pi)],
  });
  return { grid, times: t.times, states: t.snapshots, kinds: t.kinds };
}

/** Sine-Gordon as a {@link FieldSystem}: features (φ_x, φ_t, sin φ, cos φ). */
export const sineGordonFieldSystem: FieldSystem = {
  name: "sine-gordon",
  featureNames: ["φx", "φt", "sinφ", "cosφ"],
  trajectories: sineGordonTrajectories,
  features: (grid, state) => sineGordonJet(grid, state).f,
  jet: sineGordonJet,
  dictionary: monomials(["φx", "φt", "sinφ", "cosφ"], 2).filter((t) => t.name !== "cosφ·cosφ"),
  // none of these initial conditions only translates (a lone moving kink would)
  travelling: [],
  // ∂_t φ_t = φ_tt is what the equation sets
  rateFeature: 1,
};
