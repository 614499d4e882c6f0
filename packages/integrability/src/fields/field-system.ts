// What a 1+1D field theory gives the zero-curvature learner: seeded trajectories of its state on a
// periodic grid, and at every grid point of a snapshot the local features f with their x- and
// t-derivatives (the "jet"), the t-derivatives taken from the equation of motion. One sampler and
// one learner then serve KdV, sine-Gordon and the Heisenberg ferromagnet alike.
import { random } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import type { DictionaryTerm } from "../eval/dictionary.js";
import type { PeriodicGrid } from "./spectral.js";

/** The local features of one snapshot and their derivatives, each an array over the grid. */
export interface SnapshotJet {
  /** f[k] = feature k at every grid point. */
  f: Float64Array[];
  /** ∂ₓ f[k]. */
  fx: Float64Array[];
  /** ∂_t f[k], from the equation of motion. */
  ft: Float64Array[];
  /** The rate the equation fixes (KdV's φ_t, sine-Gordon's φ_tt, Heisenberg's S³_t). */
  rate: Float64Array;
}

/** Snapshots of several trajectories on one grid; a state is a list of component fields. */
export interface FieldTrajectories {
  grid: PeriodicGrid;
  times: number[];
  /** [trajectory][snapshot][component] → the component on the grid. */
  states: Float64Array[][][];
  /** The initial condition of each trajectory. */
  kinds: string[];
}

/**
 * Grid sizes the field commands offer: powers of two (the spectral derivatives' FFT) from 64 to
 * 1024. A system whose default step does not integrate on all of them names its own
 * ({@link FieldSystem.gridPoints}).
 */
export const FIELD_GRID_POINTS = [64, 128, 256, 512, 1024] as const;
export type FieldGridPoints = (typeof FIELD_GRID_POINTS)[number];

/** Options of a field system's trajectory generator. */
export interface FieldDataOptions {
  /** Trajectories; their initial conditions cycle through the system's kinds. */
  trajectories: number;
  /** Grid points (a power of two; default per system). */
  n?: number;
  /** Period ℓ (default per system). */
  length?: number;
  /** Total time of each trajectory (default per system). */
  time?: number;
  /** Snapshots per trajectory, t = 0 included (default 11). */
  snapshots?: number;
  /** Integrator step (default per system). */
  h?: number;
  seed: number;
}

/** A field theory as the connection learner sees it. */
export interface FieldSystem {
  readonly name: string;
  /** Names of the features, in order (for the dictionary readout). */
  readonly featureNames: readonly string[];
  /** Seeded trajectories of the equation. */
  trajectories(o: FieldDataOptions): FieldTrajectories;
  /** The features of a state on `grid` (what A_x sees in the monodromy integral). */
  features(grid: PeriodicGrid, state: readonly Float64Array[]): Float64Array[];
  /** The features of a state with their x- and t-derivatives. */
  jet(grid: PeriodicGrid, state: readonly Float64Array[]): SnapshotJet;
  /**
   * The readout's dictionary (default: monomials of degree ≤ 2 in the features). A system whose
   * features obey identities (sin² + cos² = 1, |S|² = 1) drops one term of each, so the fit is
   * not degenerate.
   */
  readonly dictionary?: readonly DictionaryTerm[];
  /**
   * Initial conditions whose trajectories only translate: any local A_x keeps its monodromy
   * trace on them, so they do not test a connection.
   */
  readonly travelling: readonly string[];
  /** The feature whose t-derivative is the equation's rate (for 𝓛_EQ; sine-Gordon's φ_t). */
  readonly rateFeature?: number;
  /**
   * The grid sizes of {@link FIELD_GRID_POINTS} its default step integrates (default all): an
   * explicit or iterated step is stable only up to some k_max.
   */
  readonly gridPoints?: readonly FieldGridPoints[];
}

/** Points of field data: features f, their derivatives f_t, f_x, and the equation's rate. */
export interface FieldSamples {
  count: number;
  /** Features per point. */
  dim: number;
  /** [count, dim] row-major. */
  f: Float64Array;
  ft: Float64Array;
  fx: Float64Array;
  /** The rate the equation fixes at each point ([count]; KdV's φ_t). */
  phit: Float64Array;
}

/**
 * `count` points drawn uniformly (seeded) over `snapshots` snapshots × the grid's points, with the
 * jet of snapshot s from `jetOf(s)` (computed once per snapshot drawn).
 */
export function sampleFieldPoints(
  grid: PeriodicGrid,
  snapshots: number,
  jetOf: (snapshot: number) => SnapshotJet,
  count: number,
  seed: number,
): FieldSamples {
  positiveInt("count", count);
  const total = snapshots * grid.n;
  const u = random.uniform(random.key(seed), [count]).toFloat64Array();
  const picks = Array.from(u, (v) => Math.min(Math.floor(v * total), total - 1));
  const cache = new Map<number, SnapshotJet>();
  const jet = (s: number) => {
    let j = cache.get(s);
    if (!j) {
      j = jetOf(s);
      cache.set(s, j);
    }
    return j;
  };
  const dim = jet(Math.floor(picks[0] / grid.n)).f.length;
  const out: FieldSamples = {
    count,
    dim,
    f: new Float64Array(count * dim),
    ft: new Float64Array(count * dim),
    fx: new Float64Array(count * dim),
    phit: new Float64Array(count),
  };
  picks.forEach((p, r) => {
    const J = jet(Math.floor(p / grid.n));
    const j = p % grid.n;
    for (let k = 0; k < dim; k++) {
      out.f[r * dim + k] = J.f[k][j];
      out.fx[r * dim + k] = J.fx[k][j];
      out.ft[r * dim + k] = J.ft[k][j];
    }
    out.phit[r] = J.rate[j];
  });
  return out;
}

/** Samples of a system's trajectories (every trajectory and snapshot equally likely). */
export function fieldSamples(
  system: FieldSystem,
  data: FieldTrajectories,
  count: number,
  seed: number,
): FieldSamples {
  const T = data.states[0].length;
  return sampleFieldPoints(
    data.grid,
    data.states.length * T,
    (s) => system.jet(data.grid, data.states[Math.floor(s / T)][s % T]),
    count,
    seed,
  );
}

/** Checks and fills the options shared by the field generators. */
export function fieldDataSettings(
  o: FieldDataOptions,
  d: { n: number; length: number; time: number; h: number },
): { trajectories: number; snapshots: number; n: number; length: number; time: number; h: number } {
  const trajectories = positiveInt("trajectories", o.trajectories);
  const snapshots = positiveInt("snapshots", o.snapshots ?? 11);
  const time = o.time ?? d.time;
  const h = o.h ?? d.h;
  if (!(time > 0) || !Number.isFinite(time)) throw new PhysmlInputError("time", "a finite number > 0", time);
  if (!(h > 0) || !Number.isFinite(h)) throw new PhysmlInputError("h", "a finite number > 0", h);
  return { trajectories, snapshots, n: o.n ?? d.n, length: o.length ?? d.length, time, h };
}

/** How a system's trajectories start and move, for {@link seededTrajectories}. */
export interface TrajectoryRule<K extends string, S, T> {
  /** The initial conditions, in the order the trajectories cycle through them. */
  kinds: readonly K[];
  /** Uniforms each trajectory draws for its initial condition. */
  uniforms: number;
  /** The initial state of `kind` from the uniforms `u` ∈ [0, 1). */
  start(kind: K, u: Float64Array): S;
  /** Advances `state` in place by `steps` integrator steps. */
  advance(state: S, steps: number): void;
  /** A copy of `state` to keep as a snapshot. */
  snapshot(state: S): T;
}

/**
 * Seeded trajectories: trajectory b starts from `kinds[b mod kinds.length]` with uniforms from
 * its own key (split from `seed`), and snapshots are kept at t = 0 and every
 * round(time / (snapshots − 1) / h) steps of h after it (at least one).
 */
export function seededTrajectories<K extends string, S, T>(
  d: { trajectories: number; snapshots: number; time: number; h: number },
  seed: number,
  rule: TrajectoryRule<K, S, T>,
): { times: number[]; snapshots: T[][]; kinds: K[] } {
  const stepsPer = d.snapshots > 1 ? Math.max(1, Math.round(d.time / (d.snapshots - 1) / d.h)) : 0;
  const keys = random.split(random.key(seed), d.trajectories);
  const snapshots: T[][] = [];
  const kinds: K[] = [];
  for (let b = 0; b < d.trajectories; b++) {
    const kind = rule.kinds[b % rule.kinds.length];
    kinds.push(kind);
    const state = rule.start(kind, random.uniform(keys[b], [rule.uniforms]).toFloat64Array());
    const snaps = [rule.snapshot(state)];
    for (let k = 1; k < d.snapshots; k++) {
      rule.advance(state, stepsPer);
      snaps.push(rule.snapshot(state));
    }
    snapshots.push(snaps);
  }
  return { times: Array.from({ length: d.snapshots }, (_, k) => k * stepsPer * d.h), snapshots, kinds };
}

export function positiveInt(field: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new PhysmlInputError(field, "an integer >= 1", v);
  return v;
}
