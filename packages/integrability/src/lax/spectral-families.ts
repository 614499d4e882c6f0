// The systems whose connection family A(p) is learned with the spectral parameter p as an input:
// each one's powers of p, the range p is drawn from and held out at, and the gauge invariant that
// reads p̂ off a learned family (the known connection at p̂ is the reference).
import { abs, add, div, exp, mul, sqrt, type Tensor, tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { PhysmlInputError } from "@physml/lattice-core";
import { SINE_GORDON_WEIGHTS } from "./field-connection-systems.js";
import type { LaxParams } from "./model.js";
import { liftProductIndex, quadraticLiftInputs } from "./quadratic-lift.js";
import { halfTraceProduct, spectralInvariant } from "./spectral-connection.js";
import { tracelessPart } from "./traceless.js";
import type { ConnectionWeights } from "./zero-curvature.js";

/** Systems whose connection family can be learned. */
export const SPECTRAL_FAMILY_SYSTEMS = ["kdv", "sine-gordon", "heisenberg"] as const;
export type SpectralFamilySystemName = (typeof SPECTRAL_FAMILY_SYSTEMS)[number];

/**
 * Where in the range [a, b] the held-out λ lie, as fractions of b − a from a: two outside it
 * (extrapolation) and three inside. Training draws λ uniformly, so no held-out value was trained on.
 */
export const HELD_OUT_FRACTIONS = [-0.2, 0.15, 0.45, 0.8, 1.2] as const;

/** The held-out λ of a training range (see {@link HELD_OUT_FRACTIONS}). */
export function heldOutLambdas(range: readonly [number, number]): number[] {
  const [a, b] = range;
  return HELD_OUT_FRACTIONS.map((q) => a + q * (b - a));
}

/**
 * The largest |λ| of KdV's range: the held-out λ reach 20% of the range beyond it, and
 * tr P exp ∮A_x dx grows as cosh(ℓ√λ̂) (ℓ = 40), about 1e25 at λ̂ = 2.
 */
export const MAX_SPECTRAL_LAMBDA = 2;

/**
 * The largest |k| of sine-Gordon's range, and 1 over it the smallest: on the vacuum
 * tr P exp ∮A_x dx = 2 cosh(ℓ(k + 1/k)/4) (ℓ = 40), and the held-out k reach 20% of the range
 * (in log |k|) beyond it: about 1e21 at k = 3^(−1.4).
 */
export const MAX_SPECTRAL_K = 3;

/**
 * The largest |λ| of Heisenberg's range, and 1 over it the smallest. Its A_x = λ[S]× is in so(3),
 * so the trace 1 + 2cos θ of the monodromy stays in [−1, 3] at every λ; the held-out λ reach 20%
 * of the range (in log |λ|) beyond it, 3^1.4 ≈ 4.7, where A_x turns S by about 0.6 rad per grid
 * step of the default grid (N = 128 over ℓ = 16).
 */
export const MAX_SPECTRAL_HEISENBERG = 3;

/** The range rule of each system, as the command line states it. */
export const SPECTRAL_RANGE_RULES: Record<SpectralFamilySystemName, string> = {
  kdv: `-${MAX_SPECTRAL_LAMBDA} <= a < b <= ${MAX_SPECTRAL_LAMBDA}`,
  "sine-gordon": `1/${MAX_SPECTRAL_K} <= a < b <= ${MAX_SPECTRAL_K} or -${MAX_SPECTRAL_K} <= a < b <= -1/${MAX_SPECTRAL_K} (k = 0 is a pole)`,
  heisenberg: `1/${MAX_SPECTRAL_HEISENBERG} <= a < b <= ${MAX_SPECTRAL_HEISENBERG} or -${MAX_SPECTRAL_HEISENBERG} <= a < b <= -1/${MAX_SPECTRAL_HEISENBERG} (A = 0 at λ = 0)`,
};

/** How a system's family is parametrised, drawn, held out and read off. */
export interface SpectralFamily {
  /** The spectral parameter's name. */
  parameter: string;
  /** The known connection's short name in tables ("AKNS's at λ̂"). */
  knownShort: string;
  /** Lowest and highest power of the parameter in A_x and in A_t. */
  powers: { Ax: readonly [number, number]; At: readonly [number, number] };
  /** The training range when none is given. */
  defaultRange: readonly [number, number];
  /**
   * How the parameter is spread over the range: uniformly in p (KdV), or in log |p| (sine-Gordon,
   * whose k and 1/k play the roles of the two light-cone directions).
   */
  scale: "linear" | "log";
  /** The features of the vacuum φ = 0. */
  vacuum: readonly number[];
  /**
   * p̂ per row of the learned A_x, A_t on the vacuum ([K, n, n] each, called only when needed) →
   * [K]: a gauge invariant equal to p for the known family.
   */
  readout(Ax: () => Tensor, At: () => Tensor, sign: number): Tensor;
  /** Whether `range` is allowed (see {@link SPECTRAL_RANGE_RULES}). */
  fits(range: readonly number[]): boolean;
  /** The most |dp̂/dp| the spectral hinge allows (none: only the floor). */
  slopeCeiling?: number;
  /** Loss weights (none: the system's fixed-λ learner's). */
  weights?: ConnectionWeights;
}

const KDV_FAMILY: SpectralFamily = {
  parameter: "λ",
  knownShort: "AKNS",
  powers: { Ax: [0, 1], At: [0, 2] },
  defaultRange: [-0.5, 0.5],
  scale: "linear",
  vacuum: [0, 0, 0],
  // λ̂ = ½ tr Ã_x², the vacuum's monodromy invariant (see spectralInvariant)
  readout: (Ax) => spectralInvariant(Ax()),
  fits: (r) => r.length === 2 && r.every((v) => Math.abs(v) <= MAX_SPECTRAL_LAMBDA) && r[0] < r[1],
};

const SINE_GORDON_FAMILY: SpectralFamily = {
  parameter: "k",
  knownShort: "the known connection",
  powers: { Ax: [-1, 1], At: [-1, 1] },
  defaultRange: [0.5, 2],
  scale: "log",
  vacuum: [0, 0, 0, 1],
  /**
   * k̂ = ±2√(½ tr (Ã_x + Ã_t)²) on the vacuum, with the range's sign. Why it is invariant: on a
   * constant field a flat connection has constant commuting A_x, A_t, and Ψ = exp(xA_x + tA_t);
   * along the light-cone ray x = t = s it is exp(s(A_x + A_t)), whose growth rates (the eigenvalues
   * ±μ of A_x + A_t, ½ tr (A_x + A_t)² = μ²) no constant gauge, and no gauge periodic in x and t,
   * changes. The known connection has A_x + A_t = 2A_u = (k/2)σ₃ there: μ = k/2. ½ tr Ã_x² alone
   * is ((k + 1/k)/4)², the same at k and 1/k; A_x + A_t tells them apart. k and −k are one
   * connection in the constant gauge J = iσ₂ (J A(−k) J⁻¹ = A(k)), so only |k| is read off, and
   * the sign is the range's. A negative invariant (no real k̂) reads as its modulus, which the
   * comparison of traces with the known connection at k̂ then rejects.
   */
  readout: (Ax, At, sign) => mul(sqrt(abs(spectralInvariant(tracelessPart(add(Ax(), At()))))), 2 * sign),
  /**
   * The class holds the known family at k̂ = ck (and c/k) for every c, and as c grows A_x tends to
   * (ck/4)σ₃, nearly abelian: with 𝓛_MC, which such an A_x satisfies, seed 0 drifted there
   * without a ceiling (k̂ from 19 to 52 across the held-out k, training 𝓛_ZC 6.7e-8 after 300 LM
   * iterations, variation up to 0.49; measured). With |dk̂/dk| in [0.5, 2] the scale c stays in
   * [0.5, 2].
   */
  slopeCeiling: 2,
  /**
   * Without 𝓛_MC (Σ|A_x| ≥ 1 pointwise): the known family misses it where cos φ ≈ −1 and k ≈ 1
   * (A_x's diagonal k/4 + cos φ/(4k) vanishes there), 𝓛_MC 4.6e-3 on seed 0's training points
   * (measured), so the hinge pulls the family off flatness; a fixed-k learner escapes by choosing
   * its k, a family cannot. A_x → 0 is excluded by 𝓛_EQ and by the spectral hinge.
   */
  weights: { ...SINE_GORDON_WEIGHTS, mc: 0 },
  fits: (r) => oneSide(r, MAX_SPECTRAL_K),
};

/** Whether `r` is a < b on one side of 0 with 1/max <= |a|, |b| <= max. */
const oneSide = (r: readonly number[], max: number) =>
  r.length === 2 &&
  r[0] < r[1] &&
  (r[0] > 0 || r[1] < 0) &&
  r.every((v) => Math.abs(v) >= 1 / max && Math.abs(v) <= max);

const HEISENBERG_FAMILY: SpectralFamily = {
  parameter: "λ",
  knownShort: "the known connection",
  powers: { Ax: [1, 1], At: [1, 2] },
  /**
   * One side of λ = 0, spread in log |λ|: at λ = 0 the known connection is A = 0, flat on every
   * field, and its monodromy tells no trajectory apart; x → cx, t → c²t maps solutions to
   * solutions and the known connection at λ to the one at λ/c, so only ratios of λ matter. λ and
   * −λ are not one connection: a constant gauge is an automorphism of so(3) and X ↦ −X is not
   * one, and on the vacuum ½ tr (A_x A_t) = λ³ changes sign; so a negative range is a range of its
   * own, read with its sign.
   */
  defaultRange: [0.5, 2],
  scale: "log",
  // S = (0, 0, 1), S_x = 0
  vacuum: [0, 0, 1, 0, 0, 0],
  /**
   * λ̂ = s√(−½ tr A_x²) on the vacuum, s the sign of ½ tr (A_x A_t) there. On a constant field a
   * flat connection has constant commuting A_x, A_t, and Ψ = exp(xA_x + tA_t): in so(3) both are
   * multiples aX, bX of one unit rotation generator X, and ½ tr A_x² = −a² (the monodromy's trace
   * is 1 + 2cos(ℓ|a|)) and ½ tr (A_x A_t) = −ab (whether x and t turn the same way) are what no
   * constant gauge changes. The known connection has A_x = λ[S]×, A_t = −λ²[S]× there:
   * ½ tr A_x² = −λ²|S|² = −λ² and ½ tr (A_x A_t) = λ³. The range's sign is not used: the family's
   * own sign is read off.
   */
  readout: (Ax, At) => {
    const X = Ax();
    const joint = halfTraceProduct(X, At());
    return mul(sqrt(abs(spectralInvariant(X))), div(joint, add(abs(joint), 1e-300)));
  },
  fits: (r) => oneSide(r, MAX_SPECTRAL_HEISENBERG),
};

const FAMILIES: Record<SpectralFamilySystemName, SpectralFamily> = {
  kdv: KDV_FAMILY,
  "sine-gordon": SINE_GORDON_FAMILY,
  heisenberg: HEISENBERG_FAMILY,
};

/** The family of `system`. */
export function spectralFamily(system: SpectralFamilySystemName): SpectralFamily {
  return FAMILIES[system];
}

/** Checks `range` against the family's rule (a PhysmlInputError naming `field` and the rule). */
export function checkFamilyRange(
  system: SpectralFamilySystemName,
  range: readonly number[],
  field = "range",
): [number, number] {
  if (!range.every(Number.isFinite) || !spectralFamily(system).fits(range))
    throw new PhysmlInputError(
      field,
      `two numbers a,b with ${SPECTRAL_RANGE_RULES[system]}`,
      range.join(","),
    );
  return [range[0], range[1]];
}

/** The sign of a range that excludes 0 (1 for a range through 0). */
const rangeSign = (range: readonly [number, number]) => (range[1] < 0 ? -1 : 1);

/** [log |p|] of the range's ends, in increasing order. */
function logEnds(range: readonly [number, number]): [number, number] {
  const [a, b] = range.map((v) => Math.log(Math.abs(v)));
  return a < b ? [a, b] : [b, a];
}

/** The held-out parameters of a range: {@link HELD_OUT_FRACTIONS} in p or in log |p|, increasing. */
export function heldOutParameters(family: SpectralFamily, range: readonly [number, number]): number[] {
  if (family.scale === "linear") return heldOutLambdas(range);
  const s = rangeSign(range);
  return heldOutLambdas(logEnds(range))
    .map((v) => s * Math.exp(v))
    .sort((x, y) => x - y);
}

/** `count` points spread over the range, ends included ([count, 1]), where the slope is read. */
export function spreadParameters(
  family: SpectralFamily,
  range: readonly [number, number],
  count: number,
): Tensor {
  const spread = (r: readonly [number, number]) =>
    Float64Array.from({ length: count }, (_, k) => r[0] + ((r[1] - r[0]) * k) / (count - 1));
  if (family.scale === "linear") return tensor(spread(range), [count, 1]);
  const s = rangeSign(range);
  return tensor(
    spread(logEnds(range)).map((v) => s * Math.exp(v)),
    [count, 1],
  );
}

/** Parameters drawn from uniforms u ∈ [0, 1) ([K, 1]): uniform in p or in log |p|. */
export function drawParameters(family: SpectralFamily, range: readonly [number, number], u: Tensor): Tensor {
  if (family.scale === "linear") return add(mul(u, range[1] - range[0]), range[0]);
  const [a, b] = logEnds(range);
  return mul(exp(add(mul(u, b - a), a)), rangeSign(range));
}

/** The sign p̂ is read with (see {@link SpectralFamily.readout}). */
export function readoutSign(range: readonly [number, number]): number {
  return rangeSign(range);
}

/**
 * A linear map of `inputs` inputs onto (a11, a12, a21, a22): {input: {output: weight}}, biases
 * (sine-Gordon's inputs (φ_x, φ_t, sin φ, cos φ); KdV's the quadratic lift of (φ, φ_x, φ_xx), 3 = φ²).
 */
function layer2x2(
  inputs: number,
  w: Record<number, Record<number, number>>,
  b: Record<number, number> = {},
): LinearParams {
  const W = new Float64Array(inputs * 4);
  for (const [i, row] of Object.entries(w))
    for (const [o, v] of Object.entries(row)) W[Number(i) * 4 + Number(o)] = v;
  return {
    w: tensor(W, [inputs, 4]),
    b: tensor(
      Float64Array.from({ length: 4 }, (_, o) => b[o] ?? 0),
      [4],
    ),
  } as LinearParams;
}

const sineGordonLayer = (w: Record<number, Record<number, number>>, b: Record<number, number> = {}) =>
  layer2x2(4, w, b);

/**
 * AKNS's connection of KdV (`kdvConnection(λ)`) in the parameters of the family's model (the
 * quadratic lift of (φ, φ_x, φ_xx), powers λ⁰, λ¹ of A_x and λ⁰ to λ² of A_t): A_x = [[0, 1], [−φ, 0]]
 * + λE₂₁, A_t = [[φ_x, −2φ], [φ_xx + 2φ², −φ_x]] + λ(−4E₁₂ + 2φE₂₁) − 4λ²E₂₁. The truth in tests.
 */
export function kdvFamilyParams(): LaxParams {
  const kdvLayer = (w: Record<number, Record<number, number>>, b: Record<number, number> = {}) =>
    layer2x2(9, w, b);
  return {
    L: [kdvLayer({ 0: { 2: -1 } }, { 1: 1 }), kdvLayer({}, { 2: 1 })],
    M: [
      kdvLayer({ 0: { 1: -2 }, 1: { 0: 1, 3: -1 }, 2: { 2: 1 }, 3: { 2: 2 } }),
      kdvLayer({ 0: { 2: 2 } }, { 1: -4 }),
      kdvLayer({}, { 2: -4 }),
    ],
  };
}

/**
 * The known sine-Gordon connection (`sineGordonConnection(k)`) in the parameters of the family's
 * model (inputs (φ_x, φ_t, sin φ, cos φ), powers k⁻¹, k⁰, k¹ of A_x and A_t): A_x =
 * (cos φ σ₃ + sin φ σ₁)/(4k) − ((φ_x + φ_t)/4)J + (k/4)σ₃ and A_t the same with the k⁻¹ term
 * negated (J = [[0, 1], [−1, 0]]). An `init` for starting near it, and the truth in tests.
 */
export function sineGordonFamilyParams(): LaxParams {
  const rotation = (sign: number) =>
    sineGordonLayer({ 2: { 1: sign / 4, 2: sign / 4 }, 3: { 0: sign / 4, 3: -sign / 4 } });
  const momentum = () => sineGordonLayer({ 0: { 1: -0.25, 2: 0.25 }, 1: { 1: -0.25, 2: 0.25 } });
  const light = () => sineGordonLayer({}, { 0: 0.25, 3: -0.25 });
  return { L: [rotation(1), momentum(), light()], M: [rotation(-1), momentum(), light()] };
}

/** Heisenberg's lifted inputs (S, S_x: 6 features), and the index of f_i f_j (i ≤ j) among them. */
const HEISENBERG_LIFT = quadraticLiftInputs(6);
const product = (i: number, j: number) => liftProductIndex(6, i, j);

/**
 * An affine map of Heisenberg's lifted features (S, S_x and their 21 products) onto the upper
 * triangle ((1,2), (1,3), (2,3)) of [v]× = [[0, −v₃, v₂], [v₃, 0, −v₁], [−v₂, v₁, 0]], the
 * family's so(3) outputs: v[a] lists (input index, coefficient) of v_a.
 */
function crossLayer(v: readonly (readonly [number, number])[][]): LinearParams {
  const W = new Float64Array(HEISENBERG_LIFT * 3);
  // v₁ is −(2,3), v₂ is (1,3), v₃ is −(1,2): (output, sign) of each component
  const slots: [number, number][] = [
    [2, -1],
    [1, 1],
    [0, -1],
  ];
  for (const [a, terms] of v.entries())
    for (const [input, c] of terms) W[input * 3 + slots[a][0]] += slots[a][1] * c;
  return { w: tensor(W, [HEISENBERG_LIFT, 3]), b: tensor(new Float64Array(3), [3]) } as LinearParams;
}

/**
 * The known Heisenberg connection (`heisenbergConnection(λ)`) in the parameters of the family's
 * model (inputs (S, S_x) and their products, powers λ¹ of A_x and λ¹, λ² of A_t): A_x = λ[S]×,
 * A_t = λ[S × S_x]× − λ²[S]×. An `init` for starting near it, and the truth in tests.
 */
export function heisenbergFamilyParams(): LaxParams {
  const S = (c: number) => [0, 1, 2].map((a): [number, number][] => [[a, c]]);
  // S × S_x = (S₂S_x3 − S₃S_x2, S₃S_x1 − S₁S_x3, S₁S_x2 − S₂S_x1), S_x at inputs 3–5
  const spinCross: [number, number][][] = [
    [
      [product(1, 5), 1],
      [product(2, 4), -1],
    ],
    [
      [product(2, 3), 1],
      [product(0, 5), -1],
    ],
    [
      [product(0, 4), 1],
      [product(1, 3), -1],
    ],
  ];
  return { L: [crossLayer(S(1))], M: [crossLayer(spinCross), crossLayer(S(-1))] };
}
