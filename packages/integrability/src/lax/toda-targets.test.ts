// Toda(3) at the command's defaults (seed 0) against the three targets and against
// Flaschka's pair. A Lax matrix is fixed only up to L → c·G L G⁻¹ + d·1 (G orthogonal here, and
// it may depend on the state; in the rest frame, where training samples, c and d are constants),
// so the learned L is compared with Flaschka's through its spectrum: the eigenvalues at the same
// held-out states must be one affine map of those of Flaschka's L(z), the periodic chain's Lax
// matrix with spectral parameter z on its corner entries (a₃z, a₃/z). Symmetric L allows z = ±1,
// two spectra that no gauge relates (the product of the off-diagonal signs is gauge invariant).
// It trains from a random start at the command's full budget (about a minute of one core); the
// other Toda tests check the set-up on hand-written pairs.
import { eigvalsh, tensor } from "@physml/autodiff";
import { beforeAll, describe, expect, it } from "vitest";
import { flaschkaPair } from "../data/flaschka.js";
import { samplePhaseSpace } from "../data/sampling.js";
import { toda } from "../data/systems.js";
import { type LearnLaxResult, learnLax } from "./learn.js";
import type { LaxModel, LaxParams } from "./model.js";
import { laxSetup } from "./systems.js";

const n = 3;
const setup = laxSetup("toda");

/** Flaschka's L at the spectral parameter z = ±1: the corner entries a₃ multiplied by z. */
function flaschkaL(z: ArrayLike<number>, corner: 1 | -1): Float64Array {
  const L = flaschkaPair(z, n).L;
  L[n - 1] *= corner;
  L[(n - 1) * n] *= corner;
  return L;
}

/** Sorted eigenvalues of the learned L and of Flaschka's L(z) at the same states, row by row. */
function spectra(model: LaxModel, params: LaxParams, x: Float64Array, count: number, corner: 1 | -1) {
  const learned = eigvalsh(model.L(params, tensor(x, [count, 2 * n]))).toFloat64Array();
  const F = new Float64Array(count * n * n);
  for (let r = 0; r < count; r++) F.set(flaschkaL(x.subarray(2 * n * r, 2 * n * (r + 1)), corner), n * n * r);
  return { learned, flaschka: eigvalsh(tensor(F, [count, n, n])).toFloat64Array() };
}

/** The better of the affine spectrum fits against Flaschka's L(1) and L(−1). */
function bestFit(model: LaxModel, params: LaxParams, x: Float64Array, count: number) {
  const fits = ([1, -1] as const).map((corner) => {
    const s = spectra(model, params, x, count, corner);
    return { corner, ...affineSpectrumR2(s.learned, s.flaschka) };
  });
  return fits[0].r2 >= fits[1].r2 ? fits[0] : fits[1];
}

/**
 * R² of the best affine fit μ ≈ c·λ + d of the learned eigenvalues on Flaschka's, over every
 * state and eigenvalue. A negative c reverses the order, so both pairings are fitted.
 */
function affineSpectrumR2(learned: Float64Array, flaschka: Float64Array): { r2: number; c: number } {
  const fit = (reversed: boolean) => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let r = 0; r < learned.length / n; r++)
      for (let i = 0; i < n; i++) {
        xs.push(flaschka[n * r + (reversed ? n - 1 - i : i)]);
        ys.push(learned[n * r + i]);
      }
    const m = xs.length;
    const mx = xs.reduce((a, v) => a + v, 0) / m;
    const my = ys.reduce((a, v) => a + v, 0) / m;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let k = 0; k < m; k++) {
      sxy += (xs[k] - mx) * (ys[k] - my);
      sxx += (xs[k] - mx) ** 2;
      syy += (ys[k] - my) ** 2;
    }
    const c = sxy / sxx;
    return { r2: 1 - (syy - c * sxy) / syy, c };
  };
  const a = fit(false);
  const b = fit(true);
  return a.r2 >= b.r2 ? a : b;
}

describe("Toda(3) learned at the command's defaults (seed 0)", () => {
  const { model: defaults, targets } = setup;
  if (!defaults || !targets) throw new Error("Toda's set-up names its model and targets");
  let result: LearnLaxResult;
  beforeAll(() => {
    result = learnLax({
      system: "toda",
      seed: 0,
      adamSteps: defaults.adamSteps,
      lbfgsIter: defaults.lbfgsIter,
      polish: defaults.polish,
    });
  }, 600_000);
  // held-out rest-frame states, drawn apart from the training (seed 0) and evaluation (1000) ones
  const count = 256;
  const held = samplePhaseSpace(toda(n), count, 7, setup.box, true);

  it("meets the issue's targets on held-out data and trajectories", () => {
    expect(result.hidden).toEqual(defaults.hidden);
    expect(result.validation?.passed).toBe(true);
    expect(result.laxResidual).toBeLessThan(targets.residual);
    const c = result.conserved;
    expect(c?.variation).toHaveLength(3);
    for (const v of c?.variation ?? []) expect(v).toBeLessThan(targets.variation);
    expect(c?.trL2VsH).toBeGreaterThan(targets.trL2VsH ?? Number.POSITIVE_INFINITY);
    // tr L² and tr L³ independent (Toda's two relative degrees of freedom), tr L constant on the
    // boost-invariant inputs: measured σ_r/σ_1 = 1, 0.20, 9e-7 at the median held-out state
    const ti = result.traceIndependence;
    expect(ti?.independent).toBe(targets.independentTraces);
    expect(ti?.ratios[1]).toBeGreaterThan(0.1);
  });

  it("has the spectrum of Flaschka's L(z), z = ±1, up to scale and shift; an untrained pair has not", () => {
    const fit = bestFit(result.model, result.state.params, held.x, count);
    // 1 − R² is the fit's relative squared error; the held-out Lax residual (8e-6 for this seed)
    // bounds how far the learned spectrum moves along a trajectory, so 1e-6 leaves room
    expect(1 - fit.r2).toBeLessThan(1e-6);
    expect(Math.abs(fit.c)).toBeGreaterThan(1e-3);
    const untrained = bestFit(result.model, result.model.init(), held.x, count);
    expect(1 - untrained.r2).toBeGreaterThan(1e-2);
  });
});
