// Levenberg–Marquardt for a residual vector r(θ) of a parameter tree: the Jacobian comes from
// autodiff's batched forward mode (one pass pushes a one-hot tangent per parameter), the step
// solves (JᵀJ + λ diag JᵀJ) δ = −Jᵀr. For the few hundred parameters of an affine Lax pair this
// converges in tens of iterations where L-BFGS needs thousands (the Lax loss is a zero-residual
// least-squares problem, for which Gauss–Newton steps are nearly exact).
import {
  jvpBatched,
  matmul,
  reshape,
  type Tensor,
  tensor,
  transpose,
  treeLeaves,
  treeRavel,
  treeUnflatten,
  treeUnravel,
} from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { solveSpd } from "../eval/linalg-small.js";

/** Options of {@link levenbergMarquardt}. */
export interface LevenbergOptions<P extends object = object> {
  maxIter: number;
  /** Stop when Σr² falls below this. */
  tol?: number;
  /** Parameters per batched forward pass (bounds the memory of the Jacobian pass; default 256). */
  chunk?: number;
  /**
   * Continue an interrupted run from `params` with the iteration count and damping its
   * `onIteration` last reported: the run goes on exactly as it would have.
   */
  start?: LevenbergProgress;
  /** Called after every accepted iteration with the run's state, e.g. to checkpoint it. */
  onIteration?: (state: LevenbergProgress & { params: P }) => void;
}

/**
 * A Levenberg–Marquardt run between two iterations, besides its parameters: everything its next
 * iteration depends on (the residuals are recomputed at the parameters).
 */
export interface LevenbergProgress {
  /** Iterations done so far (they count against `maxIter`). */
  iterations: number;
  /** The damping λ the next iteration starts with. */
  lambda: number;
}

/** Result: the parameters, Σr² there and the iterations taken. */
export interface LevenbergResult<P> {
  params: P;
  value: number;
  iterations: number;
}

/** Above this many parameters the normal equations (P² memory, P³/3 work) are refused. */
export const MAX_LM_PARAMS = 4000;

const sumSq = (v: Float64Array) => v.reduce((a, b) => a + b * b, 0);

/** Minimises Σ r(θ)² from `params`. */
export function levenbergMarquardt<P extends object>(
  residual: (p: P) => Tensor,
  params: P,
  o: LevenbergOptions<P>,
): LevenbergResult<P> {
  const leaves = treeLeaves(params as never);
  const P = leaves.reduce((a, l) => a + l.size, 0);
  if (P > MAX_LM_PARAMS)
    throw new PhysmlInputError("parameters", `at most ${MAX_LM_PARAMS} for Levenberg–Marquardt`, P);
  const chunk = o.chunk ?? 256;
  const tol = o.tol ?? 0;
  const start = o.start;
  if (start && (!Number.isInteger(start.iterations) || start.iterations < 0))
    throw new PhysmlInputError("start.iterations", "an integer >= 0", start.iterations);
  if (start && !(start.lambda > 0 && Number.isFinite(start.lambda)))
    throw new PhysmlInputError("start.lambda", "a finite number > 0", start.lambda);
  let theta = treeRavel(params);
  let p = params;
  let r = residual(p).toFloat64Array();
  let f = sumSq(r);
  let lambda = start?.lambda ?? 1e-3;
  let it = start?.iterations ?? 0;
  while (it < o.maxIter && f > tol) {
    // JᵀJ and Jᵀr, a chunk of parameters (rows of Jᵀ) at a time
    const Jt: Float64Array[] = [];
    for (let c0 = 0; c0 < P; c0 += chunk) {
      const m = Math.min(chunk, P - c0);
      let off = 0;
      const tangents = leaves.map((l) => {
        const t = new Float64Array(m * l.size);
        for (let i = 0; i < l.size; i++) {
          const row = off + i - c0;
          if (row >= 0 && row < m) t[row * l.size + i] = 1;
        }
        off += l.size;
        return tensor(t, [m, ...l.shape]);
      });
      const [, J] = jvpBatched(residual, [p], [treeUnflatten(p as never, tangents) as P], 1) as [
        Tensor,
        Tensor,
      ];
      Jt.push(reshape(J, [m, -1]).toFloat64Array());
    }
    const N = r.length;
    const JtT = tensor(concatRows(Jt, P * N), [P, N]);
    const JJ = matmul(JtT, transpose(JtT)).toFloat64Array();
    const g = matmul(JtT, tensor(r, [N, 1])).toFloat64Array();
    let accepted = false;
    for (let tries = 0; tries < 12 && !accepted; tries++) {
      const A = Float64Array.from(JJ);
      for (let i = 0; i < P; i++) A[i * P + i] += lambda * JJ[i * P + i] + 1e-14;
      const d = solveSpd(A, g, P);
      const next = theta.map((t, i) => t - d[i]);
      const np = treeUnravel(params, next);
      const nr = residual(np).toFloat64Array();
      const nf = sumSq(nr);
      if (Number.isFinite(nf) && nf < f) {
        [theta, p, r, f] = [next, np, nr, nf];
        lambda = Math.max(lambda / 3, 1e-12);
        accepted = true;
      } else lambda *= 4;
    }
    if (!accepted) break;
    it++;
    o.onIteration?.({ iterations: it, lambda, params: p });
  }
  return { params: p, value: f, iterations: it };
}

function concatRows(parts: Float64Array[], size: number): Float64Array {
  const out = new Float64Array(size);
  let k = 0;
  for (const part of parts) {
    out.set(part, k);
    k += part.length;
  }
  return out;
}
