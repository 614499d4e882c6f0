// Limited-memory BFGS (Nocedal & Wright, Alg. 7.4/7.5). `step` fits the Optimizer interface
// (fixed step length along the quasi-Newton direction); `minimize` runs the full method with a
// backtracking Armijo line search, which is what one normally wants for deterministic losses.
import type { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { type TreeLike, treeLeaves, treeRavel, treeUnravel } from "../transforms/tree.js";
import { type LearningRate, lrAt, type Optimizer, pairLeaves } from "./types.js";

export interface LbfgsState {
  readonly step: number;
  readonly s: readonly Float64Array[];
  readonly y: readonly Float64Array[];
  readonly prevParams: Float64Array | null;
  readonly prevGrad: Float64Array | null;
}

export interface LbfgsOptions {
  /** Step length along the direction in `step` (default 1). */
  lr?: LearningRate;
  /** Number of stored curvature pairs (default 10). */
  historySize?: number;
}

export interface MinimizeOptions {
  maxIter?: number;
  /** Stop when the gradient's max-norm falls below this (default 1e-8). */
  gtol?: number;
  /** Armijo sufficient-decrease constant (default 1e-4). */
  c1?: number;
  /**
   * Continue an interrupted run from the state its `onIteration` last reported (the `params`
   * argument then only gives the tree's shape). The run goes on exactly as it would have.
   */
  start?: LbfgsMinimizeState;
  /** Called after every accepted iteration with the run's state, e.g. to checkpoint it. */
  onIteration?: (state: LbfgsMinimizeState) => void;
}

/**
 * A line-searched L-BFGS run between two iterations: everything its next iteration depends on
 * (the loss and gradient are recomputed at `params`). Stored by `saveLbfgsMinimizeState`.
 */
export interface LbfgsMinimizeState {
  /** Iterations done so far (they count against `maxIter`). */
  readonly iterations: number;
  /** The flattened parameters (leaves in tree order). */
  readonly params: Float64Array;
  /** The stored curvature pairs, oldest first. */
  readonly s: readonly Float64Array[];
  readonly y: readonly Float64Array[];
}

export interface MinimizeResult<P> {
  params: P;
  value: number;
  iterations: number;
  converged: boolean;
}

export interface LbfgsOptimizer extends Optimizer<LbfgsState> {
  /** Minimises `valueAndGrad(params) → [loss, grads]` from `params`. */
  minimize<P extends TreeLike>(
    valueAndGrad: (params: P) => [Tensor, P],
    params: P,
    opts?: MinimizeOptions,
  ): MinimizeResult<P>;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** −H·g by the two-loop recursion with the scaling γ = sᵀy/yᵀy of the newest pair. */
function direction(g: Float64Array, S: readonly Float64Array[], Y: readonly Float64Array[]): Float64Array {
  const q = Float64Array.from(g);
  const m = S.length;
  const alpha = new Float64Array(m);
  const rho = S.map((s, i) => 1 / dot(Y[i], s));
  for (let i = m - 1; i >= 0; i--) {
    alpha[i] = rho[i] * dot(S[i], q);
    const y = Y[i];
    for (let k = 0; k < q.length; k++) q[k] -= alpha[i] * y[k];
  }
  const gamma = m > 0 ? dot(S[m - 1], Y[m - 1]) / dot(Y[m - 1], Y[m - 1]) : 1;
  for (let k = 0; k < q.length; k++) q[k] *= gamma;
  for (let i = 0; i < m; i++) {
    const beta = rho[i] * dot(Y[i], q);
    const s = S[i];
    for (let k = 0; k < q.length; k++) q[k] += s[k] * (alpha[i] - beta);
  }
  for (let k = 0; k < q.length; k++) q[k] = -q[k];
  return q;
}

/** Adds (s, y) if it has positive curvature, keeping at most `m` pairs. */
function push(S: Float64Array[], Y: Float64Array[], s: Float64Array, y: Float64Array, m: number): void {
  if (dot(s, y) <= 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) return;
  S.push(s);
  Y.push(y);
  if (S.length > m) {
    S.shift();
    Y.shift();
  }
}

function checkStart(start: LbfgsMinimizeState, n: number, m: number): void {
  const ok = (v: Float64Array) => v.length === n;
  if (!Number.isInteger(start.iterations) || start.iterations < 0)
    throw new AutodiffInputError("minimize.start.iterations", "an integer >= 0", start.iterations);
  if (!ok(start.params))
    throw new AutodiffInputError("minimize.start.params", `a vector of size ${n}`, start.params.length);
  if (start.s.length !== start.y.length || start.s.length > m || !start.s.every(ok) || !start.y.every(ok))
    throw new AutodiffInputError(
      "minimize.start.s",
      `at most ${m} pairs (s, y) of vectors of size ${n}`,
      `${start.s.length} s and ${start.y.length} y`,
    );
}

/** L-BFGS; see `LbfgsOptimizer.minimize` for the line-searched solver. */
export function lbfgs(opts: LbfgsOptions = {}): LbfgsOptimizer {
  const m = opts.historySize ?? 10;
  if (!Number.isInteger(m) || m < 1) throw new AutodiffInputError("lbfgs.historySize", "an integer >= 1", m);
  const lr = opts.lr ?? 1;
  return {
    init: () => ({ step: 0, s: [], y: [], prevParams: null, prevGrad: null }),
    step(params, grads, state) {
      pairLeaves(params, grads);
      const x = treeRavel(params, "params");
      const g = treeRavel(grads, "grads");
      const S = [...state.s];
      const Y = [...state.y];
      if (state.prevParams && state.prevGrad) {
        push(
          S,
          Y,
          x.map((v, i) => v - state.prevParams![i]),
          g.map((v, i) => v - state.prevGrad![i]),
          m,
        );
      }
      const d = direction(g, S, Y);
      const a = lrAt(lr as LearningRate, state.step, "lbfgs.lr");
      const xn = x.map((v, i) => v + a * d[i]);
      return {
        params: treeUnravel(params, xn),
        state: { step: state.step + 1, s: S, y: Y, prevParams: x, prevGrad: g },
      };
    },
    minimize(valueAndGrad, params, o = {}) {
      const maxIter = o.maxIter ?? 500;
      const gtol = o.gtol ?? 1e-8;
      const c1 = o.c1 ?? 1e-4;
      const n = treeLeaves(params, "params").reduce((a, l) => a + l.size, 0);
      const start = o.start;
      if (start) checkStart(start, n, m);
      const S: Float64Array[] = start ? start.s.map((v) => Float64Array.from(v)) : [];
      const Y: Float64Array[] = start ? start.y.map((v) => Float64Array.from(v)) : [];
      const evalAt = (x: Float64Array): [number, Float64Array] => {
        const [v, g] = valueAndGrad(treeUnravel(params, x));
        const val = v.item();
        if (!Number.isFinite(val)) return [Number.POSITIVE_INFINITY, new Float64Array(x.length)];
        return [val, treeRavel(g, "grads")];
      };
      let x = start ? Float64Array.from(start.params) : treeRavel(params, "params");
      let [f, g] = evalAt(x);
      let it = start?.iterations ?? 0;
      const gmax = (v: Float64Array) => v.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
      while (it < maxIter && gmax(g) > gtol) {
        it++;
        let d = direction(g, S, Y);
        let slope = dot(g, d);
        if (!(slope < 0)) {
          // not a descent direction (numerical trouble): restart from steepest descent
          S.length = 0;
          Y.length = 0;
          d = g.map((v) => -v);
          slope = dot(g, d);
        }
        let t = S.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
        let xn = x;
        let fn = f;
        let gn = g;
        let accepted = false;
        for (let ls = 0; ls < 60; ls++) {
          xn = x.map((v, i) => v + t * d[i]);
          [fn, gn] = evalAt(xn);
          if (fn <= f + c1 * t * slope) {
            accepted = true;
            break;
          }
          t *= 0.5;
        }
        if (!accepted) break;
        push(
          S,
          Y,
          xn.map((v, i) => v - x[i]),
          gn.map((v, i) => v - g[i]),
          m,
        );
        x = xn;
        f = fn;
        g = gn;
        o.onIteration?.({ iterations: it, params: Float64Array.from(x), s: [...S], y: [...Y] });
      }
      // a start where the loss is not finite has a zero stand-in gradient: not a minimum
      const converged = Number.isFinite(f) && gmax(g) <= gtol;
      return { params: treeUnravel(params, x), value: f, iterations: it, converged };
    },
  };
}
