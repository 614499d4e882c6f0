// Seeded random KdV fields at a single time, not integrated. Zero curvature with the time
// derivatives taken from the equation (φ_t = −φ_xxx − 6φφ_x) is a pointwise identity on the jet
// (φ, …, ∂ₓ⁵φ): a Lax connection is flat at every point of every smooth field, on a solution or
// not. So snapshots of many unrelated fields are training data as valid as a trajectory's, and
// they cover jet space more widely than a few trajectories' snapshots do.
import { random } from "@physml/autodiff";
import { positiveInt } from "./field-system.js";
import { kdvSoliton } from "./kdv.js";
import { PeriodicGrid } from "./spectral.js";

/** The kinds of {@link kdvRandomFields}, in the order the fields cycle through them. */
export const KDV_RANDOM_FIELD_KINDS = ["soliton", "two-solitons", "smooth", "soliton+smooth"] as const;
export type KdvRandomFieldKind = (typeof KDV_RANDOM_FIELD_KINDS)[number];

/** Options of {@link kdvRandomFields}. */
export interface KdvRandomFieldOptions {
  /** How many fields; their kinds cycle through {@link KDV_RANDOM_FIELD_KINDS}. */
  count: number;
  /** Grid points (a power of two, default 256, as the trajectories'). */
  n?: number;
  /** Period ℓ (default 40, as the trajectories'). */
  length?: number;
  seed: number;
}

/** Random fields φ(x) on one grid, each with its kind. */
export interface KdvRandomFields {
  grid: PeriodicGrid;
  fields: Float64Array[];
  kinds: KdvRandomFieldKind[];
}

/** Uniforms each field draws: two solitons (speed, place) and six modes (amplitude, phase), two shape. */
const UNIFORMS = 18;
/** Modes of a smooth field: k ≤ 2π·6/40 ≈ 0.94 at ℓ = 40, so ∂ₓ⁵φ stays resolved on 256 points. */
const MODES = 6;

/**
 * Seeded fields for zero-curvature training points. Solitons have speed c ∈ [0.5, 2] (the
 * trajectories' range, amplitude c/2) at independent random places, so two of them may overlap;
 * a smooth field is A·Σ_{m≤6} (2u_m − 1) m^{−s} cos(2πmx/ℓ + θ_m) with amplitude A ∈ [0.02, 0.3]
 * and spectral decay s ∈ [0, 2]: the trajectories' smooth waves start with three modes of |a_m| ≤ 0.3,
 * these have six of the same bound. "soliton+smooth" adds one of each. Field b draws its uniforms from its own key.
 */
export function kdvRandomFields(o: KdvRandomFieldOptions): KdvRandomFields {
  const count = positiveInt("count", o.count);
  const grid = new PeriodicGrid(o.n ?? 256, o.length ?? 40);
  const keys = random.split(random.key(o.seed), count);
  const fields: Float64Array[] = [];
  const kinds: KdvRandomFieldKind[] = [];
  for (let b = 0; b < count; b++) {
    const kind = KDV_RANDOM_FIELD_KINDS[b % KDV_RANDOM_FIELD_KINDS.length];
    kinds.push(kind);
    fields.push(randomField(grid, kind, random.uniform(keys[b], [UNIFORMS]).toFloat64Array()));
  }
  return { grid, fields, kinds };
}

function randomField(grid: PeriodicGrid, kind: KdvRandomFieldKind, u: Float64Array): Float64Array {
  const L = grid.length;
  const soliton = (i: number) => kdvSoliton(grid, 0.5 + 1.5 * u[i], u[i + 1] * L, 0);
  const smooth = () => {
    const amplitude = 0.02 + 0.28 * u[16];
    const decay = 2 * u[17];
    const x = grid.points();
    return x.map((xi) => {
      let s = 0;
      for (let m = 1; m <= MODES; m++)
        s +=
          amplitude *
          (2 * u[2 + 2 * m] - 1) *
          m ** -decay *
          Math.cos((2 * Math.PI * m * xi) / L + 2 * Math.PI * u[3 + 2 * m]);
      return s;
    });
  };
  const sum = (a: Float64Array, b: Float64Array) => a.map((v, j) => v + b[j]);
  if (kind === "soliton") return soliton(0);
  if (kind === "two-solitons") return sum(soliton(0), soliton(2));
  if (kind === "smooth") return smooth();
  return sum(soliton(0), smooth());
}
