// Field data for learning a Lax connection of KdV φ_t + φ_xxx + 6φφ_x = 0: seeded trajectories
// (one soliton, two solitons, a smooth random wave) integrated by ETDRK4, and points (x, t) with
// the local features f = (φ, φ_x, …, ∂ₓᵐφ), their x-derivatives and their t-derivatives. φ_t comes
// from the equation and ∂_t ∂ₓᵏφ = ∂ₓᵏ φ_t spectrally, so the chain rule ∂_t A(f) = A'(f)·f_t is
// exact up to the spectral truncation.
import { random } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { KdvEtdrk4, kdvSoliton } from "./kdv.js";
import { PeriodicGrid } from "./spectral.js";

/** Options of {@link kdvTrajectories} and {@link kdvFieldSamples}. */
export interface KdvDataOptions {
  /** Trajectories; their initial conditions cycle one soliton, two solitons, smooth wave. */
  trajectories: number;
  /** Grid points (a power of two, default 256). */
  n?: number;
  /** Period ℓ (default 40). */
  length?: number;
  /** Total time of each trajectory (default 2). */
  time?: number;
  /** Snapshots per trajectory, t = 0 included (default 11). */
  snapshots?: number;
  /** ETDRK4 step (default 0.005). */
  h?: number;
  seed: number;
}

/** Snapshots φ(x, t_s) of several trajectories on one grid. */
export interface KdvTrajectories {
  grid: PeriodicGrid;
  times: number[];
  /** [trajectory][snapshot] → φ on the grid. */
  fields: Float64Array[][];
  /** The initial condition of each trajectory. */
  kinds: ("soliton" | "two-solitons" | "smooth")[];
}

const KINDS = ["soliton", "two-solitons", "smooth"] as const;

/** Integrates seeded KdV trajectories and keeps evenly spaced snapshots. */
export function kdvTrajectories(o: KdvDataOptions): KdvTrajectories {
  const trajectories = positiveInt("trajectories", o.trajectories);
  const snapshots = positiveInt("snapshots", o.snapshots ?? 11);
  const time = o.time ?? 2;
  const h = o.h ?? 0.005;
  if (!(time > 0)) throw new PhysmlInputError("time", "a number > 0", time);
  const grid = new PeriodicGrid(o.n ?? 256, o.length ?? 40);
  const stepper = new KdvEtdrk4(grid, h);
  const stepsPer = snapshots > 1 ? Math.max(1, Math.round(time / (snapshots - 1) / h)) : 0;
  const keys = random.split(random.key(o.seed), trajectories);
  const fields: Float64Array[][] = [];
  const kinds: KdvTrajectories["kinds"] = [];
  for (let b = 0; b < trajectories; b++) {
    const kind = KINDS[b % KINDS.length];
    kinds.push(kind);
    const phi = initialField(grid, kind, random.uniform(keys[b], [8]).toFloat64Array());
    const snaps: Float64Array[] = [Float64Array.from(phi)];
    for (let s = 1; s < snapshots; s++) {
      stepper.advance(phi, stepsPer);
      snaps.push(Float64Array.from(phi));
    }
    fields.push(snaps);
  }
  return { grid, times: Array.from({ length: snapshots }, (_, s) => s * stepsPer * h), fields, kinds };
}

/**
 * An initial field from eight uniforms u ∈ [0, 1): solitons of speed c ∈ [0.5, 2] (amplitude c/2)
 * at random places, or Σ_{m≤3} a_m cos(2πmx/ℓ + θ_m) with |a_m| ≤ 0.3 (it steepens into solitons
 * and radiation). Speeds stay ≤ 2 so the sixth derivatives the features need stay resolved.
 */
function initialField(grid: PeriodicGrid, kind: (typeof KINDS)[number], u: Float64Array): Float64Array {
  const L = grid.length;
  if (kind === "soliton") return kdvSoliton(grid, 0.5 + 1.5 * u[0], u[1] * L, 0);
  if (kind === "two-solitons") {
    // half a period apart, so the overlap at t = 0 is small; the ETDRK4 run makes it exact KdV anyway
    const a = kdvSoliton(grid, 0.5 + 1.5 * u[0], u[1] * L, 0);
    const b = kdvSoliton(grid, 0.5 + 1.5 * u[2], u[1] * L + L / 2, 0);
    return a.map((v, j) => v + b[j]);
  }
  const x = grid.points();
  return x.map((xi) => {
    let s = 0;
    for (let m = 1; m <= 3; m++)
      s += 0.6 * (u[2 * m] - 0.5) * Math.cos((2 * Math.PI * m * xi) / L + 2 * Math.PI * u[2 * m + 1]);
    return s;
  });
}

/** Local features of one snapshot: ∂ₓᵏφ (k ≤ order + 1) and ∂ₓᵏφ_t (k ≤ order), each on the grid. */
export interface SnapshotFeatures {
  /** derivs[k] = ∂ₓᵏφ, k = 0…order + 1. */
  derivs: Float64Array[];
  /** timeDerivs[k] = ∂ₓᵏ φ_t with φ_t = −φ_xxx − 6φφ_x, k = 0…order. */
  timeDerivs: Float64Array[];
}

/** The spectral features of φ on `grid` up to derivative `order`. */
export function snapshotFeatures(grid: PeriodicGrid, phi: Float64Array, order: number): SnapshotFeatures {
  const derivs = Array.from({ length: order + 2 }, (_, k) =>
    k === 0 ? Float64Array.from(phi) : grid.derivative(phi, k),
  );
  const px = grid.derivative(phi, 1);
  const pxxx = grid.derivative(phi, 3);
  const phit = phi.map((v, j) => -pxxx[j] - 6 * v * px[j]);
  const timeDerivs = Array.from({ length: order + 1 }, (_, k) => (k === 0 ? phit : grid.derivative(phit, k)));
  return { derivs, timeDerivs };
}

/** Points of field data: features f, their derivatives f_t, f_x, and φ_t (the equation's term). */
export interface FieldSamples {
  count: number;
  /** Features per point: order + 1 (φ, φ_x, …). */
  dim: number;
  /** [count, dim] row-major. */
  f: Float64Array;
  ft: Float64Array;
  fx: Float64Array;
  /** φ_t at each point ([count]). */
  phit: Float64Array;
}

/** Names of the features up to `order` (φ, φx, φxx, …), for readouts. */
export function featureNames(order: number): string[] {
  return Array.from({ length: order + 1 }, (_, k) => (k === 0 ? "φ" : `φ${"x".repeat(k)}`));
}

/**
 * `count` points drawn uniformly (seeded) over the trajectories, snapshots and grid points, with
 * features up to ∂ₓ^order φ (default order 3: φ, φ_x, φ_xx, φ_xxx).
 */
export function kdvFieldSamples(data: KdvTrajectories, count: number, seed: number, order = 3): FieldSamples {
  positiveInt("count", count);
  if (!Number.isInteger(order) || order < 0 || order > 4)
    throw new PhysmlInputError("order", "an integer in [0, 4]", order);
  const { grid, fields } = data;
  const T = fields[0].length;
  const per = grid.n * T;
  const u = random.uniform(random.key(seed), [count]).toFloat64Array();
  const picks = Array.from(u, (v) => Math.min(Math.floor(v * fields.length * per), fields.length * per - 1));
  const dim = order + 1;
  const out: FieldSamples = {
    count,
    dim,
    f: new Float64Array(count * dim),
    ft: new Float64Array(count * dim),
    fx: new Float64Array(count * dim),
    phit: new Float64Array(count),
  };
  const cache = new Map<number, SnapshotFeatures>();
  picks.forEach((p, r) => {
    const snap = Math.floor(p / grid.n);
    const j = p % grid.n;
    let feats = cache.get(snap);
    if (!feats) {
      feats = snapshotFeatures(grid, fields[Math.floor(snap / T)][snap % T], order);
      cache.set(snap, feats);
    }
    for (let k = 0; k < dim; k++) {
      out.f[r * dim + k] = feats.derivs[k][j];
      out.fx[r * dim + k] = feats.derivs[k + 1][j];
      out.ft[r * dim + k] = feats.timeDerivs[k][j];
    }
    out.phit[r] = feats.timeDerivs[0][j];
  });
  return out;
}

function positiveInt(field: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new PhysmlInputError(field, "an integer >= 1", v);
  return v;
}
