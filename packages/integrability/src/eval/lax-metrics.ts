// Checks of a learned Lax pair on held-out data: the relative Lax residual, the conserved
// quantities F_k = tr Lᵏ along held-out trajectories, tr L² against H, and the entry formulas.
// A pair is any two batched maps, so the known pairs are checked by the same code.

/** A Lax pair as batched maps x [B, d] → [B, n, n]. */
export interface LaxPairFns {
  size: number;
  L(x: Tensor): Tensor;
  M(x: Tensor): Tensor;
}

import { jvp, matmul, sub, type Tensor, tensor } from "@physml/autodiff";
import { energies, type HamiltonianSystem } from "../data/hamiltonian.js";
import { simulate } from "../data/integrators.js";
import { type PhaseSamples, samplePhaseSpace } from "../data/sampling.js";
import { type DictionaryTerm, type FittedFormula, fitFormula } from "./dictionary.js";
import { leastSquares, tracePowers } from "./linalg-small.js";

/** |L̇ − [L, M]| / |L̇| (Frobenius norms summed over the samples). */
export function laxResidual(pair: LaxPairFns, s: PhaseSamples): number {
  const x = tensor(s.x, [s.count, s.dim]);
  const [L, Ldot] = jvp((z: Tensor) => pair.L(z), [x], [tensor(s.xdot, [s.count, s.dim])]) as [
    Tensor,
    Tensor,
  ];
  const M = pair.M(x);
  const r = sub(Ldot, sub(matmul(L, M), matmul(M, L))).toFloat64Array();
  const ld = Ldot.toFloat64Array();
  let num = 0;
  let den = 0;
  for (let i = 0; i < r.length; i++) {
    num += r[i] * r[i];
    den += ld[i] * ld[i];
  }
  return Math.sqrt(num / den);
}

/** Options of {@link conservedQuantities}. */
export interface ConservedOptions {
  trajectories: number;
  /** Integration time of each trajectory. */
  time: number;
  /** Yoshida step. */
  h: number;
  seed: number;
  /** Half-width of the box the initial states are drawn from. */
  box: number;
  /** Draw them with total momentum 0 (see `samplePhaseSpace`). */
  restFrame?: boolean;
}

/** F_k along held-out trajectories and tr L² against H. */
export interface ConservedReport {
  /**
   * Per k = 1…n: the relative variation along a trajectory, (max_t F_k − min_t F_k) / |mean_t F_k|,
   * the largest over the held-out trajectories. Where F_k vanishes (|mean_t F_k| below
   * {@link VANISHING_TRACE} of mean_t ‖L‖_F^k, the size a trace of Lᵏ can have: tr L at total
   * momentum 0, a traceless L), the ratio would be rounding over rounding; the variation is then
   * taken relative to that size times {@link VANISHING_TRACE} instead.
   */
  variation: number[];
  /**
   * Per k: the mean over trajectories of std_t F_k divided by the std of F_k over all held-out
   * states — how much F_k moves along a trajectory compared with across phase space (stricter:
   * blind to constant offsets such as L → L + c·1; near 1 for an F_k that is constant anyway).
   */
  variationVsPhaseSpace: number[];
  /** R² of the linear fit tr L² ≈ a + b H over all held-out states. */
  trL2VsH: number;
  /** F_k(t) for the first trajectory, for the report: [k][t]. */
  series: number[][];
  times: number[];
}

/**
 * A trace counts as vanishing below this fraction of ‖L‖_F^k (|tr Lᵏ| ≤ √n ‖L‖_F^k); its
 * variation is then measured against this fraction of ‖L‖_F^k, so a trace that is 0 to rounding
 * passes and one that moves by more than 10⁻⁹ of L's size fails a 10⁻³ target.
 */
export const VANISHING_TRACE = 1e-6;

function std(v: readonly number[]): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
}

/** Integrates held-out trajectories and evaluates tr Lᵏ along them. */
export function conservedQuantities(
  pair: LaxPairFns,
  sys: HamiltonianSystem,
  o: ConservedOptions,
): ConservedReport {
  const d = 2 * sys.dof;
  const n = pair.size;
  const z0 = samplePhaseSpace(sys, o.trajectories, o.seed, o.box, o.restFrame).x;
  const steps = Math.round(o.time / o.h);
  const traj = simulate(sys, z0, o.trajectories, {
    integrator: "yoshida4",
    h: o.h,
    steps,
    every: Math.max(1, Math.round(steps / 100)),
  });
  const T = traj.times.length;
  const count = o.trajectories * T;
  const L = pair.L(tensor(traj.states, [count, d])).toFloat64Array();
  const F = Array.from({ length: count }, (_, r) =>
    tracePowers(L.subarray(r * n * n, (r + 1) * n * n), n, n),
  );
  const column = (k: number) => F.map((f) => f[k]);
  const along = (k: number, b: number) => column(k).slice(b * T, (b + 1) * T);
  const norms = Array.from({ length: count }, (_, r) => {
    let s2 = 0;
    for (let i = r * n * n; i < (r + 1) * n * n; i++) s2 += L[i] * L[i];
    return Math.sqrt(s2);
  });
  const variation = Array.from({ length: n }, (_, k) => {
    let worst = 0;
    for (let b = 0; b < o.trajectories; b++) {
      const v = along(k, b);
      const mean = v.reduce((a, c) => a + c, 0) / T;
      const size = norms.slice(b * T, (b + 1) * T).reduce((a, x) => a + x ** (k + 1), 0) / T;
      const scale = Math.max(Math.abs(mean), VANISHING_TRACE * size);
      worst = Math.max(worst, (Math.max(...v) - Math.min(...v)) / scale);
    }
    return worst;
  });
  const variationVsPhaseSpace = Array.from({ length: n }, (_, k) => {
    let s = 0;
    for (let b = 0; b < o.trajectories; b++) s += std(along(k, b));
    return s / o.trajectories / std(column(k));
  });
  const H = energies(sys, traj.states, count);
  const X = new Float64Array(2 * count);
  for (let r = 0; r < count; r++) {
    X[2 * r] = 1;
    X[2 * r + 1] = H[r];
  }
  const { r2 } = leastSquares(
    X,
    F.map((f) => f[1]),
    count,
    2,
  );
  return {
    variation,
    variationVsPhaseSpace,
    trL2VsH: r2,
    series: Array.from({ length: n }, (_, k) => F.slice(0, T).map((f) => f[k])),
    times: Array.from(traj.times),
  };
}

/** Formulas for every entry of L and M fitted on the dictionary over the samples. */
export function laxFormulas(
  pair: LaxPairFns,
  s: PhaseSamples,
  dict: readonly DictionaryTerm[],
): { L: FittedFormula[][]; M: FittedFormula[][] } {
  const n = pair.size;
  const x = tensor(s.x, [s.count, s.dim]);
  const fit = (A: Float64Array) =>
    Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) =>
        fitFormula(
          dict,
          s.x,
          s.dim,
          Array.from({ length: s.count }, (_, r) => A[r * n * n + i * n + j]),
        ),
      ),
    );
  return { L: fit(pair.L(x).toFloat64Array()), M: fit(pair.M(x).toFloat64Array()) };
}
