// Potentials as data: a function of x ∈ Rⁿ, the box the points are drawn from, the levels that
// define the classes, and the Lie algebra of its continuous linear symmetries (for the tests and
// the angle to the truth). Everything else (samples, labels, true generators) is derived.
import { PhysmlInputError } from "@physml/lattice-core";

/** Names of the true symmetry algebras the package knows (see `trueAlgebra`). */
export type AlgebraName = "so" | "so2xso2" | "so3in4" | "none";

export interface Potential {
  /** Short name, e.g. `"double-well"`. */
  readonly name: string;
  /** Dimension n of the points. */
  readonly dim: number;
  /** V(x) for one point. */
  value(x: ArrayLike<number>): number;
  /** Points are drawn uniformly from [−box, box]ⁿ. */
  readonly box: number;
  /** Class k collects points with |V − levels[k]| ≤ halfWidth. */
  readonly levels: readonly number[];
  readonly halfWidth: number;
  /** The algebra of continuous linear symmetries of every level set. */
  readonly algebra: AlgebraName;
}

/** The paper's bins: V_k = k/5 with half-width 10⁻³. */
export const PAPER_HALF_WIDTH = 1e-3;
export const paperLevels = (kMin: number, kMax: number): number[] =>
  Array.from({ length: kMax - kMin + 1 }, (_, i) => (kMin + i) / 5);

function sumSq(x: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return s;
}

function checkDim(dim: number, min: number, max: number): number {
  if (!Number.isInteger(dim) || dim < min || dim > max) {
    throw new PhysmlInputError("dim", `an integer in [${min}, ${max}]`, dim);
  }
  return dim;
}

/**
 * The paper's double well V = r⁴ − a r² in n dimensions (SO(n)-symmetric). Levels k/5 for
 * k = −1…4 by default with a = 1: V = −0.2 holds two shells, the others one.
 */
export function doubleWell(dim: number, a = 1, levels: readonly number[] = paperLevels(-1, 4)): Potential {
  checkDim(dim, 2, 6);
  if (!(a > 0 && Number.isFinite(a))) throw new PhysmlInputError("a", "a finite number > 0", a);
  const r2max = (a + Math.sqrt(a * a + 4 * Math.max(...levels) + 0.01)) / 2;
  return {
    name: "double-well",
    dim,
    value: (x) => {
      const r2 = sumSq(x, 0, dim);
      return r2 * r2 - a * r2;
    },
    box: Math.sqrt(r2max) * 1.02,
    levels,
    halfWidth: PAPER_HALF_WIDTH,
    algebra: "so",
  };
}

/** An O(n)-symmetric potential V = r² (one sphere per class), n = 2…6. */
export function harmonic(dim: number, levels: readonly number[] = paperLevels(1, 5)): Potential {
  checkDim(dim, 2, 6);
  return {
    name: "on",
    dim,
    value: (x) => sumSq(x, 0, dim),
    box: Math.sqrt(Math.max(...levels) + 0.01) * 1.02,
    levels,
    halfWidth: PAPER_HALF_WIDTH,
    algebra: "so",
  };
}

/**
 * SO(2)×SO(2) in R⁴: V = u² + 2v² with u = x₁² + x₂², v = x₃² + x₄². Quartic, so no linear map
 * mixing the planes keeps a level set (a quadric like u + 2v would have a conjugated so(4) on
 * every level set), and the factor 2 breaks the exchange of the planes.
 */
export function so2xso2(levels: readonly number[] = paperLevels(1, 5)): Potential {
  const top = Math.max(...levels) + 0.01;
  return {
    name: "so2xso2",
    dim: 4,
    value: (x) => {
      const u = sumSq(x, 0, 2);
      const v = sumSq(x, 2, 4);
      return u * u + 2 * v * v;
    },
    box: top ** 0.25 * 1.02,
    levels,
    halfWidth: PAPER_HALF_WIDTH,
    algebra: "so2xso2",
  };
}

/**
 * SO(3) on the first three of four coordinates: V = r₃² + x₄⁴ + x₄ with r₃² = x₁² + x₂² + x₃²
 * (quartic and odd in x₄, so nothing mixes x₄ with the others).
 */
export function so3in4(levels: readonly number[] = paperLevels(1, 5)): Potential {
  const top = Math.max(...levels) + 0.01;
  // r₃² ≤ top + 0.48 (the minimum of x⁴ + x is −3/(4·4^{1/3}) ≈ −0.4725); x⁴ + x ≤ top gives
  // |x₄| ≤ 1 or |x₄|³ ≤ top + 1
  return {
    name: "so3in4",
    dim: 4,
    value: (x) => sumSq(x, 0, 3) + x[3] ** 4 + x[3],
    box: Math.max(Math.sqrt(top + 0.48), Math.cbrt(top + 1), 1) * 1.02,
    levels,
    halfWidth: PAPER_HALF_WIDTH,
    algebra: "so3in4",
  };
}

/** V = x⁴ + y⁴: only the discrete symmetries (Z₄ rotations and reflections), no Lie algebra. */
export function quartic2d(levels: readonly number[] = paperLevels(1, 5)): Potential {
  return {
    name: "z4",
    dim: 2,
    value: (x) => x[0] ** 4 + x[1] ** 4,
    box: (Math.max(...levels) + 0.01) ** 0.25 * 1.02,
    levels,
    halfWidth: PAPER_HALF_WIDTH,
    algebra: "none",
  };
}

/** The names the CLI accepts, each with its constructor (dim is ignored where it is fixed). */
export const POTENTIALS = {
  "double-well": (dim: number) => doubleWell(dim),
  on: (dim: number) => harmonic(dim),
  so2xso2: (_dim: number) => so2xso2(),
  so3in4: (_dim: number) => so3in4(),
  z4: (_dim: number) => quartic2d(),
} as const;
export type PotentialName = keyof typeof POTENTIALS;
