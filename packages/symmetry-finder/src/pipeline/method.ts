// Which generator search runs on which points, and how many points per class it needs: known
// before a point is drawn or a network trained, so a run too small for its search is refused
// before the work (the options' validation), instead of failing after the training.
import { PhysmlInputError } from "@physml/lattice-core";
import type { LabelledPoints } from "../data/sample.js";
import { PLANE_DEFAULTS, type PlaneOptions } from "../generators/planes.js";
import type { TangentOptions } from "../generators/tangent.js";

/** The generator search of step 2 and its options. */
export type GeneratorMethod =
  | { kind: "planes"; cls?: number; options?: Omit<PlaneOptions, "seed"> }
  | { kind: "tangent"; options?: TangentOptions };

/** The name of a generator search. */
export type GeneratorKind = GeneratorMethod["kind"];

/**
 * The default search of a built-in group: the paper's planes for the groups it treats (so3, so4),
 * the tangent method (which finds subalgebras of so(n)) otherwise.
 */
export function defaultGeneratorKind(group: string): GeneratorKind {
  return group === "so3" || group === "so4" ? "planes" : "tangent";
}

/**
 * The search `kind` on points in `dim` dimensions. In 4 dimensions the planes' slab and pair
 * distance are wider (δ = 0.15, ε = 0.2): a 2-plane then leaves two directions to fall within δ
 * of, so the default slab holds too few points.
 */
export function generatorMethod(kind: GeneratorKind, dim: number): GeneratorMethod {
  return kind === "planes" && dim === 4 ? { kind, options: { delta: 0.15, epsilon: 0.2 } } : { kind };
}

/** P(X ≥ k) for X Poisson with mean λ. */
function poissonTail(lambda: number, k: number): number {
  let term = Math.exp(-lambda);
  let below = 0;
  for (let j = 0; j < k; j++) {
    below += term;
    term *= lambda / (j + 1);
  }
  return Math.max(0, 1 - below);
}

/**
 * The plane method's expected number of candidates from one class of `m` points on a sphere in
 * R^dim (what its preparation scales a class to: unit RMS radius). A point lies within δ of a
 * random 2-plane through the centre with probability δ^(dim−2) (the squared distance to the plane
 * is Beta((dim−2)/2, 1)-distributed on the sphere), so a plane through 2 of the points holds
 * k = 2 + (m − 2)·δ^(dim−2); two of those lie within ε of each other with probability
 * 2·asin(ε/2)/π (an arc of the unit circle), giving λ = k(k − 1)/2 · 2·asin(ε/2)/π pairs on
 * average. Taking the pair count as Poisson, a plane yields a candidate (≥ minPairs pairs) with
 * probability P(Poisson(λ) ≥ minPairs), and the method tries `planes` planes.
 */
export function expectedPlaneCandidates(
  m: number,
  dim: number,
  options: Omit<PlaneOptions, "seed"> = {},
): number {
  const { planes, delta, epsilon, minPairs } = { ...PLANE_DEFAULTS, ...options };
  const k = 2 + (m - 2) * delta ** (dim - 2);
  const lambda = ((k * (k - 1)) / 2) * ((2 * Math.asin(Math.min(1, epsilon / 2))) / Math.PI);
  return planes * poissonTail(lambda, minPairs);
}

/**
 * The fewest points per class `method` needs on points in R^dim. The tangent method fits each
 * point's 6·dim nearest neighbours, so it needs a class of more than 6·dim + 1 points (exact). The
 * plane method needs 2 candidate planes: this is the smallest class whose expected candidates
 * ({@link expectedPlaneCandidates}) reach 2, an estimate below which the search usually finds too
 * few (a larger class can still fall short; the search then says so).
 */
export function minPointsPerClass(method: GeneratorMethod, dim: number): number {
  if (method.kind === "tangent") return 6 * dim + 2;
  let m = 3;
  while (m < 1e7 && expectedPlaneCandidates(m, dim, method.options) < 2) m++;
  return m;
}

/**
 * Refuses labelled points whose classes are all smaller than `method` needs
 * ({@link minPointsPerClass}), before a network is trained on them: the search runs on the
 * network's classes, which are about the size of the given ones. Throws a PhysmlInputError naming
 * `field` (the option that gave the points).
 */
export function checkClassSizes(data: LabelledPoints, method: GeneratorMethod, field: string): void {
  const counts = new Array<number>(data.classes).fill(0);
  for (const l of data.labels) counts[l]++;
  const largest = Math.max(...counts);
  const min = minPointsPerClass(method, data.dim);
  if (largest < min) {
    throw new PhysmlInputError(
      field,
      `points with a class of at least ${min} points for the ${method.kind} method in R^${data.dim}`,
      `${data.n} points`,
      `the largest class has ${largest}`,
    );
  }
}
