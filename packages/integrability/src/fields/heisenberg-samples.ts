// Field data for learning a Lax connection of the Heisenberg ferromagnet S_t = S × S_xx, |S| = 1:
// seeded implicit-midpoint trajectories from spin waves and smooth random textures, and the jet of
// the features f = (S, S_x). The known connection needs no more (A_x ∝ S, A_t built from S and
// S × S_x), and S_xx would add three inputs whose t-derivatives need S_xxxx. Time derivatives come
// from the equation: ∂_t S = S × S_xx, ∂_t S_x = S_x × S_xx + S × S_xxx.
import { monomials } from "../eval/dictionary.js";
import {
  FIELD_GRID_POINTS,
  type FieldDataOptions,
  type FieldSystem,
  type FieldTrajectories,
  fieldDataSettings,
  type SnapshotJet,
  seededTrajectories,
} from "./field-system.js";
import { heisenbergAdvance, heisenbergStepConverges, type SpinField, spinWave } from "./heisenberg.js";
import { PeriodicGrid } from "./spectral.js";

/**
 * Initial conditions of Heisenberg trajectories, in the order they cycle: spin waves only translate
 * and lie on a thin set of textures, so two in three are smooth.
 */
export const HEISENBERG_KINDS = ["spin-wave", "smooth", "smooth"] as const;

/**
 * Default grid and step: N = 128 over ℓ = 16, t ∈ [0, 1], h = 0.001 (h·k_max² = 0.63). N = 64
 * left the smooth textures aliased enough that S·S_x = 0 failed at 1e-5 (measured).
 */
export const HEISENBERG_DATA = { n: 128, length: 16, time: 1, h: 0.001 };

/**
 * The default step on an N-point grid over ℓ: {@link HEISENBERG_DATA}'s h where the midpoint
 * iteration converges (N = 64, 128: h·k_max² = 0.16, 0.63), else h halved until it does (N = 256:
 * h/4, 512: h/16, 1024: h/64, each again h·k_max² ≈ 0.62). Halving keeps every snapshot time a
 * whole number of steps, so the snapshots are at the same times on every grid.
 */
export function heisenbergDefaultStep(grid: { n: number; length: number }): number {
  let h = HEISENBERG_DATA.h;
  while (!heisenbergStepConverges(grid, h)) h /= 2;
  return h;
}

/**
 * The grid sizes `connection --system heisenberg` takes: the default step shrinks as 1/k_max² ∝
 * 1/N², so the work grows as N³. Three trajectories took 0.8 s at N = 128, 5.9 s at 256 and
 * 29 s at 512; the whole default `connection` run at 512 took 4.5 min and passed its checks
 * (measured). 1024 would take about 8 times 512's data time again, and was not measured: left out.
 */
export const HEISENBERG_GRID_POINTS = FIELD_GRID_POINTS.filter((n) => n <= 512);

type V3 = [Float64Array, Float64Array, Float64Array];
const cross = (a: readonly Float64Array[], b: readonly Float64Array[]): V3 => [
  a[1].map((v, j) => v * b[2][j] - a[2][j] * b[1][j]),
  a[2].map((v, j) => v * b[0][j] - a[0][j] * b[2][j]),
  a[0].map((v, j) => v * b[1][j] - a[1][j] * b[0][j]),
];
const plus = (a: V3, b: V3): V3 => a.map((c, i) => c.map((v, j) => v + b[i][j])) as V3;

/** The features (S¹, S², S³, S¹_x, S²_x, S³_x) and their derivatives for a state S. */
function heisenbergJet(grid: PeriodicGrid, S: readonly Float64Array[]): SnapshotJet {
  const d = (k: number) => S.map((c) => grid.derivative(c, k)) as V3;
  const [Sx, Sxx, Sxxx] = [d(1), d(2), d(3)];
  const St = cross(S, Sxx);
  const Sxt = plus(cross(Sx, Sxx), cross(S, Sxxx));
  return {
    f: [...S.map((c) => Float64Array.from(c)), ...Sx],
    fx: [...Sx, ...Sxx],
    ft: [...St, ...Sxt],
    rate: St[2],
  };
}

/**
 * An initial texture from twelve uniforms u ∈ [0, 1): a spin wave of mode 1 or 2 with
 * S³ = c ∈ [−0.8, 0.8] (it only translates), or S = n/|n| with n = e + Σ_{m≤2} a_m cos(2πmx/ℓ + θ_m),
 * e a unit vector and every component of a_m in [−0.6, 0.6].
 */
function initialSpins(grid: PeriodicGrid, kind: string, u: Float64Array): SpinField {
  if (kind === "spin-wave") return spinWave(grid, u[0] < 0.5 ? 1 : 2, 1.6 * (u[1] - 0.5), 0);
  const x = grid.points();
  const z = 2 * u[0] - 1;
  const r = Math.sqrt(1 - z * z);
  const e = [r * Math.cos(2 * Math.PI * u[1]), r * Math.sin(2 * Math.PI * u[1]), z];
  const n = e.map((v) => new Float64Array(grid.n).fill(v)) as SpinField;
  for (let m = 1; m <= 2; m++) {
    const th = 2 * Math.PI * u[2 + 4 * (m - 1)];
    for (let a = 0; a < 3; a++) {
      const amp = 1.2 * (u[3 + 4 * (m - 1) + a] - 0.5);
      for (let j = 0; j < grid.n; j++) n[a][j] += amp * Math.cos((2 * Math.PI * m * x[j]) / grid.length + th);
    }
  }
  for (let j = 0; j < grid.n; j++) {
    const norm = Math.hypot(n[0][j], n[1][j], n[2][j]);
    for (let a = 0; a < 3; a++) n[a][j] /= norm;
  }
  return n;
}

/** Integrates seeded Heisenberg trajectories; a state is [S¹, S², S³]. */
export function heisenbergTrajectories(o: FieldDataOptions): FieldTrajectories {
  const n = o.n ?? HEISENBERG_DATA.n;
  const length = o.length ?? HEISENBERG_DATA.length;
  const d = fieldDataSettings(o, { ...HEISENBERG_DATA, h: heisenbergDefaultStep({ n, length }) });
  const grid = new PeriodicGrid(d.n, d.length);
  const t = seededTrajectories(d, o.seed, {
    kinds: HEISENBERG_KINDS,
    uniforms: 12,
    start: (kind, u) => initialSpins(grid, kind, u),
    advance: (S, steps) => heisenbergAdvance(grid, S, d.h, steps),
    snapshot: (S) => S.map((c) => Float64Array.from(c)),
  });
  return { grid, times: t.times, states: t.snapshots, kinds: t.kinds };
}

/** The Heisenberg ferromagnet as a {@link FieldSystem}: features (S, S_x). */
export const heisenbergFieldSystem: FieldSystem = {
  name: "heisenberg",
  featureNames: ["S1", "S2", "S3", "S1x", "S2x", "S3x"],
  trajectories: heisenbergTrajectories,
  features: (grid, S) => [...S.map((c) => Float64Array.from(c)), ...S.map((c) => grid.derivative(c, 1))],
  jet: heisenbergJet,
  // |S|² = 1 and S·S_x = 0 on the data
  dictionary: monomials(["S1", "S2", "S3", "S1x", "S2x", "S3x"], 2).filter(
    (t) => t.name !== "S3·S3" && t.name !== "S3·S3x",
  ),
  travelling: ["spin-wave"],
  gridPoints: HEISENBERG_GRID_POINTS,
};
