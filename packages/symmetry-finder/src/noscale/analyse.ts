// No-scale structure of a Kähler potential at sampled points (Burgess et al.'s classes):
//   standard:     K_A K^{AB̄} K_B̄ = 3;
//   generalised:  det ∂_A∂_B̄ e^{−K/3} = 0 — for an invertible K_{AB̄} the same condition, since
//                 ∂∂̄e^{−K/3} = (e^{−K/3}/9)(K_A K_B̄ − 3K_{AB̄}) gives
//                 det ∂∂̄e^{−K/3} / ((−e^{−K/3}/3)ⁿ det K_{AB̄}) = 1 − K_A K^{AB̄} K_B̄ / 3;
//                 both sides are computed independently, which checks the derivatives;
//   axionic:      standard, and K depends on every field only through z + z̄ (Im K_A = 0);
//   scaling:      K(λ^{q_A} z_A) = K(z) − 3 ln λ for weights q_A (the uniform case: K(λ^w z) =
//                 K(z) − 3w ln λ, q_A = 1/w).
import { random, type Tensor, tensor } from "@physml/autodiff";
import * as C from "@physml/autodiff/complex";
import { checkInt, PhysmlInputError } from "@physml/lattice-core";
import type { KahlerPotential } from "./expression.js";
import { scalingWeightsFromRows } from "./scaling.js";

export interface NoScaleOptions {
  /** Points to evaluate at (default 64). */
  points?: number;
  /** Re z_A drawn from [reMin, reMax] (default [0.5, 2]). */
  re?: [number, number];
  /** Im z_A drawn from [imMin, imMax] (default [−1, 1]). */
  im?: [number, number];
  /** Agreement tolerance for "= 3", "= 0" and a constant weight (default 10⁻⁸). */
  tol?: number;
  seed: number;
}

export interface NoScaleReport {
  fields: string[];
  points: number;
  /** K_A K^{AB̄} K_B̄: mean, min, max over the points. */
  kineticMean: number;
  kineticMin: number;
  kineticMax: number;
  /** det ∂∂̄e^{−K/3} / ((−e^{−K/3}/3)ⁿ det K_{AB̄}): the largest |value| over the points. */
  detRatioMaxAbs: number;
  /** max over points of |det ∂∂̄e^{−K/3}| itself. */
  detMaxAbs: number;
  /** Fields whose imaginary part K does not depend on. */
  shiftSymmetric: string[];
  /** The uniform scaling weight, when K(λz) = K(z) − 3w ln λ holds at every point (checked at λ = 2). */
  scalingWeight?: number;
  /**
   * Per-field weights q_A with K(λ^{q_A} z_A) = K(z) − 3 ln λ (checked at λ = 2), when they exist:
   * 1/w for every field when the uniform weight w exists, else the least-squares (minimum-norm)
   * solution, e.g. T: 1, φ: ½ for −3 ln(T + T̄ − φφ̄).
   */
  scalingWeights?: Record<string, number>;
  standard: boolean;
  generalised: boolean;
  axionic: boolean;
  scaling: boolean;
  /** The classes that hold, or "not no-scale". */
  verdict: string;
}

/** Points z [B, n] with K finite and real (others are redrawn), from the given box. */
function samplePoints(K: KahlerPotential, B: number, o: Required<NoScaleOptions>): C.ComplexTensor {
  const n = K.fields.length;
  const re: number[] = [];
  const im: number[] = [];
  let key = random.key(o.seed);
  for (let round = 0; round < 50 && re.length < B * n; round++) {
    const [k1, k2, k3] = random.split(key, 3);
    key = k3;
    const x = random.uniform(k1, [B, n], { minval: o.re[0], maxval: o.re[1] }).toFloat64Array();
    const y = random.uniform(k2, [B, n], { minval: o.im[0], maxval: o.im[1] }).toFloat64Array();
    const v = K.evaluate(C.complex(tensor(x, [B, n]), tensor(y, [B, n])));
    const vr = v.re.toFloat64Array();
    const vi = v.im.toFloat64Array();
    for (let b = 0; b < B && re.length < B * n; b++) {
      if (Number.isFinite(vr[b]) && Math.abs(vi[b]) <= 1e-12 * (1 + Math.abs(vr[b]))) {
        re.push(...x.subarray(b * n, (b + 1) * n));
        im.push(...y.subarray(b * n, (b + 1) * n));
      }
    }
  }
  if (re.length < B * n) {
    throw new PhysmlInputError("kahler", "a real potential somewhere in the sampling box", K.text);
  }
  return C.complex(tensor(re, [B, n]), tensor(im, [B, n]));
}

const realK =
  (K: KahlerPotential) =>
  (z: C.ComplexTensor): Tensor =>
    C.real(K.evaluate(z));

/** Analyses the no-scale structure of K at `points` sampled points. */
export function analyseNoScale(K: KahlerPotential, opts: NoScaleOptions): NoScaleReport {
  const o: Required<NoScaleOptions> = {
    points: checkInt("points", opts.points ?? 64, 1, 1e6),
    re: opts.re ?? [0.5, 2],
    im: opts.im ?? [-1, 1],
    tol: opts.tol ?? 1e-8,
    seed: opts.seed,
  };
  const B = o.points;
  const n = K.fields.length;
  const z = samplePoints(K, B, o);
  const k = realK(K);
  // first derivatives K_A at every point (points are independent, so ∂ of the sum)
  const KA = C.dz((w) => k(w).sum())(z); // [B, n]
  const g = C.ddbar(k)(z); // [B, n, n], g_{AB̄}
  // K_A K^{AB̄} K_B̄ = Σ_B conj(K_B) (g⁻¹ K)_B
  const x = C.solve(g, KA);
  const kin = C.real(C.sum(C.mul(C.conj(KA), x), -1)).toFloat64Array();
  // det ∂∂̄ e^{−K/3}, and the ratio to (−e^{−K/3}/3)ⁿ det g
  const omega = (w: C.ComplexTensor) => C.real(C.exp(C.mul(C.toComplex(k(w)), -1 / 3)));
  const detO = C.det(C.ddbar(omega)(z));
  const detG = C.det(g);
  const om = omega(z).toFloat64Array();
  const dO = detO.re.toFloat64Array();
  const dG = detG.re.toFloat64Array();
  let detRatioMaxAbs = 0;
  let detMaxAbs = 0;
  for (let b = 0; b < B; b++) {
    detMaxAbs = Math.max(detMaxAbs, Math.abs(dO[b]));
    detRatioMaxAbs = Math.max(detRatioMaxAbs, Math.abs(dO[b] / ((-om[b] / 3) ** n * dG[b])));
  }
  // shift symmetry: Im K_A = −½ ∂K/∂(Im z_A) vanishes everywhere
  const kaIm = KA.im.toFloat64Array();
  const kaRe = KA.re.toFloat64Array();
  const shiftSymmetric = K.fields.filter((_, a) => {
    for (let b = 0; b < B; b++)
      if (Math.abs(kaIm[b * n + a]) > o.tol * (1 + Math.abs(kaRe[b * n + a]))) return false;
    return true;
  });
  // uniform scaling weight: w = −(1/3) dK(λz)/d ln λ at λ = 1 = −(2/3) Re Σ_A z_A K_A
  const zr = z.re.toFloat64Array();
  const zi = z.im.toFloat64Array();
  const ws = Array.from({ length: B }, (_, b) => {
    let s = 0;
    for (let a = 0; a < n; a++) s += zr[b * n + a] * kaRe[b * n + a] - zi[b * n + a] * kaIm[b * n + a];
    return (-2 / 3) * s;
  });
  const wMean = ws.reduce((s, v) => s + v, 0) / B;
  let scalingWeight: number | undefined;
  if (ws.every((v) => Math.abs(v - wMean) <= o.tol * (1 + Math.abs(wMean)))) {
    // check the finite statement at λ = 2: K(2z) − K(z) = −3w ln 2
    const k1 = k(z).toFloat64Array();
    const k2 = k(C.mul(z, 2)).toFloat64Array();
    const ok = k1.every(
      (v, b) => Math.abs(k2[b] - v + 3 * wMean * Math.LN2) <= 1e3 * o.tol * (1 + Math.abs(v)),
    );
    if (ok) scalingWeight = wMean;
  }
  // per-field weights: rows 2 Re(z_A K_A) of Σ_A q_A 2 Re(z_A K_A) = −3
  const rows = new Float64Array(B * n);
  for (let i = 0; i < B * n; i++) rows[i] = 2 * (zr[i] * kaRe[i] - zi[i] * kaIm[i]);
  let q =
    scalingWeight !== undefined && scalingWeight !== 0
      ? K.fields.map(() => 1 / scalingWeight)
      : scalingWeightsFromRows(rows, B, n, 1e3 * o.tol);
  if (q !== undefined && scalingWeight === undefined) {
    const qs = q;
    const scaled = C.mul(
      z,
      tensor(
        Float64Array.from({ length: B * n }, (_, i) => 2 ** qs[i % n]),
        [B, n],
      ),
    );
    const k1 = k(z).toFloat64Array();
    const k2 = k(scaled).toFloat64Array();
    if (!k1.every((v, b) => Math.abs(k2[b] - v + 3 * Math.LN2) <= 1e3 * o.tol * (1 + Math.abs(v))))
      q = undefined;
  }
  const kineticMin = Math.min(...kin);
  const kineticMax = Math.max(...kin);
  if (![kineticMin, kineticMax, detRatioMaxAbs].every(Number.isFinite)) {
    throw new PhysmlInputError(
      "kahler",
      "a potential with an invertible Kähler metric K_AB̄ at the sampled points",
      K.text,
    );
  }
  const standard = Math.abs(kineticMin - 3) <= o.tol * 3 && Math.abs(kineticMax - 3) <= o.tol * 3;
  const generalised = detRatioMaxAbs <= o.tol;
  const axionic = standard && shiftSymmetric.length === n;
  const scaling = q !== undefined;
  const classes = [
    generalised && "generalised",
    standard && "standard",
    axionic && "axionic",
    scaling && standard && "scaling",
  ].filter((c): c is string => typeof c === "string");
  return {
    fields: [...K.fields],
    points: B,
    kineticMean: kin.reduce((s, v) => s + v, 0) / B,
    kineticMin,
    kineticMax,
    detRatioMaxAbs,
    detMaxAbs,
    shiftSymmetric,
    ...(scalingWeight !== undefined ? { scalingWeight } : {}),
    ...(q !== undefined ? { scalingWeights: Object.fromEntries(K.fields.map((f, a) => [f, q[a]])) } : {}),
    standard,
    generalised,
    axionic,
    scaling,
    verdict: classes.length > 0 ? `${classes.join(", ")} no-scale` : "not no-scale",
  };
}
