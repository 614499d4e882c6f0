// Field data for learning a Lax connection of KdV φ_t + φ_xxx + 6φφ_x = 0: seeded trajectories
// (one soliton, two solitons, a smooth random wave) integrated by ETDRK4, and points (x, t) with
// the local features f = (φ, φ_x, …, ∂ₓᵐφ), their x-derivatives and their t-derivatives. φ_t comes
// from the equation and ∂_t ∂ₓᵏφ = ∂ₓᵏ φ_t spectrally, so the chain rule ∂_t A(f) = A'(f)·f_t is
// exact up to the spectral truncation.
import { PhysmlInputError } from "@physml/lattice-core";
import {
  type FieldSamples,
  type FieldSystem,
  type FieldTrajectories,
  positiveInt,
  type SnapshotJet,
  sampleFieldPoints,
  seededTrajectories,
} from "./field-system.js";
import { KdvEtdrk4, kdvSoliton } from "./kdv.js";
import { PeriodicGrid } from "./spectral.js";

export type { FieldSamples } from "./field-system.js";

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
  const t = seededTrajectories({ trajectories, snapshots, time, h }, o.seed, {
    kinds: KINDS,
    uniforms: 8,
    start: (kind, u) => initialField(grid, kind, u),
    advance: (phi, steps) => stepper.advance(phi, steps),
    snapshot: (phi) => Float64Array.from(phi),
  });
  return { grid, times: t.times, fields: t.snapshots, kinds: t.kinds };
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

/** Names of the features up to `order` (φ, φx, φxx, …), for readouts. */
export function featureNames(order: number): string[] {
  return Array.from({ length: order + 1 }, (_, k) => (k === 0 ? "φ" : `φ${"x".repeat(k)}`));
}

/** The jet of one snapshot: f = ∂ₓᵏφ (k ≤ order), f_x = ∂ₓᵏ⁺¹φ, f_t = ∂ₓᵏφ_t, rate φ_t. */
function kdvJet(grid: PeriodicGrid, phi: Float64Array, order: number): SnapshotJet {
  const feats = snapshotFeatures(grid, phi, order);
  return {
    f: feats.derivs.slice(0, order + 1),
    fx: feats.derivs.slice(1, order + 2),
    ft: feats.timeDerivs,
    rate: feats.timeDerivs[0],
  };
}

function checkOrder(order: number): number {
  if (!Number.isInteger(order) || order < 0 || order > 4)
    throw new PhysmlInputError("order", "an integer in [0, 4]", order);
  return order;
}

/**
 * `count` points drawn uniformly (seeded) over the trajectories, snapshots and grid points, with
 * features up to ∂ₓ^order φ (default order 3: φ, φ_x, φ_xx, φ_xxx).
 */
export function kdvFieldSamples(data: KdvTrajectories, count: number, seed: number, order = 3): FieldSamples {
  positiveInt("count", count);
  checkOrder(order);
  const { grid, fields } = data;
  const T = fields[0].length;
  return sampleFieldPoints(
    grid,
    fields.length * T,
    (s) => kdvJet(grid, fields[Math.floor(s / T)][s % T], order),
    count,
    seed,
  );
}

/** KdV trajectories as a field system's (one component, φ). */
export function kdvAsFieldTrajectories(d: KdvTrajectories): FieldTrajectories {
  return { grid: d.grid, times: d.times, states: d.fields.map((s) => s.map((phi) => [phi])), kinds: d.kinds };
}

/** KdV as a {@link FieldSystem} with features φ … ∂ₓ^order φ (its data: {@link kdvTrajectories}). */
export function kdvFieldSystem(order = 3): FieldSystem {
  checkOrder(order);
  return {
    name: "kdv",
    featureNames: featureNames(order),
    trajectories: (o) => kdvAsFieldTrajectories(kdvTrajectories(o)),
    features: (grid, state) => snapshotFeatures(grid, state[0], order).derivs.slice(0, order + 1),
    jet: (grid, state) => kdvJet(grid, state[0], order),
    travelling: ["soliton"],
  };
}
