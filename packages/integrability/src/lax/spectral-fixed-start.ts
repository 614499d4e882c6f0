// A connection family's start from the fixed-λ learner's connection A*, for a family whose A_x has
// one power of λ (Heisenberg's A_x = λ(W g + b)): A* is flat at one λ₀, so A_x(λ) = (λ/λ₀)^p A*_x
// is A_x's family up to the scale of λ̂. Given A_x, zero curvature is linear in A_t's parameters
// (A_t is linear in them on fixed features, and the residual's normalisation |∂_t A_x| is A_x's),
// so Levenberg–Marquardt with A_x held solves for A_t's family (a linear least-squares problem but
// for 𝓛_NA's hinge; its damped steps take a few more than Gauss–Newton's one). The whole family is
// then trained from there as from any other start.
import { concat, div, mul, slice, sub, type Tensor, tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";
import { levenbergMarquardt } from "./levenberg.js";
import type { LaxParams } from "./model.js";
import type { SpectralConnectionModel } from "./spectral-connection.js";

/**
 * Levenberg–Marquardt iterations of the solve for A_t's family with A_x held: seeds 0 and 1 reached
 * Σr² 2.7e-20 and 1.4e-17 in 14 and 15, seed 2 (whose A* is less exact) 6.1e-13 at this cap, and
 * the polish of the whole family goes on from there (MEASUREMENTS.md "Heisenberg connection family
 * A(λ)").
 */
export const FIXED_START_SOLVE_ITER = 20;

/**
 * The so(n) family coefficient of an affine map onto n×n (`[inputs, n²]` weights, row-major
 * outputs) whose antisymmetric part the fixed-λ learner keeps: the entries (i, j), i < j, of
 * (A − Aᵀ)/2, row by row, the family model's antisymmetric outputs.
 */
export function antisymmetricCoefficient(p: LinearParams, n: number): LinearParams {
  const [inputs, outputs] = p.w.shape;
  if (outputs !== n * n || p.b.shape[0] !== n * n)
    throw new PhysmlInputError("fixed.params", `an affine map onto ${n}×${n} matrices`, p.w.shape.join("×"));
  const column = (t: Tensor, rows: number, k: number) => slice(t, [0, k], [rows, k + 1]);
  const w = p.w;
  const b = tensor(p.b.toFloat64Array(), [1, n * n]);
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
  const half = (t: Tensor, rows: number) =>
    concat(
      pairs.map(([i, j]) => mul(sub(column(t, rows, i * n + j), column(t, rows, j * n + i)), 0.5)),
      1,
    );
  const bias = half(b, 1);
  return { w: half(w, inputs), b: tensor(bias.toFloat64Array(), [pairs.length]) } as LinearParams;
}

/** What {@link familyFromFixed} needs of the family learner. */
export interface FixedStartProblem {
  model: SpectralConnectionModel;
  /** A*_x's coefficient in the family's parameters (one affine map, A_x's single power). */
  coefficient: LinearParams;
  /** The family's λ̂ at λ = 1 for parameters `p` (a gauge invariant, homogeneous of degree 1 in A_x's scale). */
  readoutAtOne(p: LaxParams): number;
  /** The family's training residuals (Levenberg–Marquardt's), at parameters `p`. */
  residuals(p: LaxParams): Tensor;
  /** A_t's coefficients to start the solve from (the seeded initialisation's). */
  startT: LinearParams[];
}

/** The family's start from A* (see the file's comment), and what the solve reached. */
export interface FixedStartFamily {
  params: LaxParams;
  /** |λ̂| of A*_x placed as A_x's coefficient unscaled, at λ = 1: the scale A_x is divided by. */
  scale: number;
  /** Σr² of the training residuals after the solve for A_t, and its iterations. */
  solve: { value: number; iterations: number };
}

/**
 * A_x(λ) = λ^p (A*_x / |λ̂*|), so that λ̂ = ±λ, and A_t's family solved with A_x held
 * ({@link FIXED_START_SOLVE_ITER} Levenberg–Marquardt iterations).
 */
export function familyFromFixed(q: FixedStartProblem): FixedStartFamily {
  const { model } = q;
  if (model.degreeX !== model.lowestX)
    throw new PhysmlInputError(
      "start",
      "random for a family whose A_x has more than one power of λ (A* fixes A_x's family only with one)",
      "fixed",
    );
  const raw = { L: [q.coefficient], M: q.startT };
  const scale = Math.abs(q.readoutAtOne(raw));
  if (!(scale > 0 && Number.isFinite(scale)))
    throw new PhysmlInputError("fixed", "a fixed-λ connection whose λ̂ is finite and not 0", scale);
  const L = [{ w: div(q.coefficient.w, scale), b: div(q.coefficient.b, scale) } as LinearParams];
  const r = levenbergMarquardt(
    (t: { M: LinearParams[] }) => q.residuals({ L, M: t.M }),
    { M: q.startT },
    {
      maxIter: FIXED_START_SOLVE_ITER,
      tol: 1e-20,
    },
  );
  return { params: { L, M: r.params.M }, scale, solve: { value: r.value, iterations: r.iterations } };
}
