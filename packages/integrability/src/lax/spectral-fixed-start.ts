// A connection family's start from the fixed-λ learner's connection A*. For a family whose A_x has
// one power of λ (Heisenberg's A_x = λ(W g + b)): A* is flat at one λ₀, so A_x(λ) = (λ/λ₀)^p A*_x
// is A_x's family up to the scale of λ̂. Given A_x, zero curvature is linear in A_t's parameters
// (A_t is linear in them on fixed features, and the residual's normalisation |∂_t A_x| is A_x's),
// so Levenberg–Marquardt with A_x held solves for A_t's family (a linear least-squares problem but
// for 𝓛_NA's hinge; its damped steps take a few more than Gauss–Newton's one). For sine-Gordon,
// whose A(k) has the powers k⁻¹ to k¹, the equation's Lorentz symmetry gives the whole family from
// A* ({@link boostedSineGordonFamily}); for KdV, whose A_x has the powers λ⁰ and λ¹, its Galilean
// symmetry does ({@link galileanKdvFamily}). The whole family is then trained from there as from any
// other start.
import { concat, div, mul, slice, sub, type Tensor, tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { isObject, PhysmlInputError } from "@physml/lattice-core";
import { levenbergMarquardt } from "./levenberg.js";
import type { LaxParams } from "./model.js";
import { liftProductIndex, quadraticLiftInputs } from "./quadratic-lift.js";
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

/** The fixed-λ connection a family started from (`start: "fixed"`), as its learner reported it. */
export interface FixedStartRecord {
  /** The fixed learner's training 𝓛_ZC per attempt, and the chosen attempt. */
  attemptLosses: number[];
  attempt: number;
  /** Its held-out residual and whether its own validation passed. */
  residual: number;
  passed: boolean;
  /** The λ the fixed learner reads off its connection. */
  parameter: number;
  /**
   * Heisenberg: |λ̂| of its A*_x as the family's coefficient at λ = 1 (what A_x was divided by);
   * sine-Gordon: A*'s own k̂, the k₀ of its boosts; KdV: A*'s own λ̂, where its Galilean boosts
   * start (the family is A* there).
   */
  scale: number;
  /**
   * Σr² of the family's training residuals after the solve for A_t with A_x held, and its
   * iterations (sine-Gordon and KdV: at the boosted family, 0 iterations: nothing is solved).
   */
  solve: { value: number; iterations: number };
  /** Seconds of the fixed learner (training and evaluation) and of the solve. */
  seconds: number;
}

/**
 * The fixed stage's record stored in a resumed family's checkpoint (undefined when the checkpoint
 * has none: written before checkpoints carried it); a PhysmlInputError under `resume.fixed` names a
 * field that is not what the record holds.
 */
export function fixedStartRecordOf(raw: unknown): FixedStartRecord | undefined {
  if (raw === undefined) return undefined;
  const bad = (field: string, rule: string, got: unknown): never => {
    throw new PhysmlInputError(`resume.fixed${field}`, rule, typeof got === "number" ? got : typeof got);
  };
  if (!isObject(raw)) return bad("", "the fixed stage's record (an object)", raw);
  // a checkpoint stored as plain JSON (not through @physml/runs, which keeps them) has null for a
  // non-finite number (a diverged attempt's loss)
  const number = (field: string, v: unknown): number =>
    typeof v === "number" ? v : v === null ? Number.NaN : bad(field, "a number", v);
  const count = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
  const { attemptLosses, attempt, passed, solve } = raw;
  if (!Array.isArray(attemptLosses) || attemptLosses.length === 0)
    return bad(".attemptLosses", "a non-empty list of numbers", attemptLosses);
  const losses = attemptLosses.map((v, i) => number(`.attemptLosses.${i}`, v));
  if (!count(attempt) || attempt >= losses.length)
    return bad(".attempt", "an index into attemptLosses", attempt);
  if (typeof passed !== "boolean") return bad(".passed", "true | false", passed);
  if (!isObject(solve) || !count(solve.iterations))
    return bad(".solve", "{ value: a number, iterations: an integer >= 0 }", solve);
  return {
    attemptLosses: losses,
    attempt,
    residual: number(".residual", raw.residual),
    passed,
    parameter: number(".parameter", raw.parameter),
    scale: number(".scale", raw.scale),
    solve: { value: number(".solve.value", solve.value), iterations: solve.iterations },
    seconds: number(".seconds", raw.seconds),
  };
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
  /** See {@link FixedStartRecord.scale} (Heisenberg's: the scale A*_x is divided by). */
  scale: number;
  /** See {@link FixedStartRecord.solve}. */
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

/** Outputs of an affine map onto 2×2 matrices (a11, a12, a21, a22). */
const N2 = 4;

/**
 * An affine map onto 2×2 (`inputs` inputs) as one table, the weights' rows then the bias row, with
 * each row's traceless part taken: the trace of a flat connection is a flat abelian one of its own
 * (a conservation law's density and flux), which a boost need not carry and may not keep in the
 * family's class (KdV's φ² density gets an a² term in A_x). `what` names the map in an error.
 */
function tracelessTable(p: LinearParams, inputs: number, what: string): Float64Array {
  if (p.w.shape[0] !== inputs || p.w.shape[1] !== N2)
    throw new PhysmlInputError("fixed.params", `an affine map of ${what} onto 2×2`, p.w.shape.join("×"));
  const t = Float64Array.from([...p.w.toFloat64Array(), ...p.b.toFloat64Array()]);
  for (let r = 0; r <= inputs; r++) {
    const half = (t[r * N2] + t[r * N2 + 3]) / 2;
    t[r * N2] -= half;
    t[r * N2 + 3] -= half;
  }
  return t;
}

/** A table of {@link tracelessTable}'s layout as the affine map's parameters. */
const affineOfTable = (v: Float64Array, inputs: number): LinearParams =>
  ({
    w: tensor(v.slice(0, inputs * N2), [inputs, N2]),
    b: tensor(v.slice(inputs * N2), [N2]),
  }) as LinearParams;

/**
 * Sine-Gordon's family A(k) from one flat connection A* (the fixed-k learner's, affine in
 * (φ_x, φ_t, sin φ, cos φ) onto 2×2, traceless part taken), by the equation's Lorentz symmetry: in
 * light-cone coordinates ξ = x + t, η = x − t, φ(ξ, η) ↦ φ(sξ, η/s) maps solutions to solutions, and
 * pulls A* back to a connection flat on every solution whose P = A_x + A_t and Q = A_x − A_t are
 * P_s = s P*(φ_ξ/s, sφ_η), Q_s = Q*(φ_ξ/s, sφ_η)/s. With s = k/k₀ the terms of P* without φ_ξ
 * (its constant, sin φ and cos φ terms) get the power k¹, its φ_ξ term k⁰, its φ_η term k²; Q*'s
 * constant, sin φ and cos φ terms k⁻¹, its φ_η term k⁰, its φ_ξ term k⁻². The Laurent class holds
 * k⁻¹ to k¹: the k² and k⁻² terms are left out (they are 0 for the known connection in any constant
 * gauge, and the polish takes up what A* had of them). k̂ of the family at k is k/k₀ times A*'s own
 * k̂: the caller takes k₀ = A*'s k̂ (this family's at k = 1 with k₀ = 1), so that k̂(k) = k.
 * Returns the family's parameters, lowest power first.
 */
export function boostedSineGordonFamily(Ax: LinearParams, At: LinearParams, k0: number): LaxParams {
  if (!(k0 > 0 && Number.isFinite(k0)))
    throw new PhysmlInputError("fixed", "a fixed-k connection whose k̂ is finite and not 0", k0);
  const rows = 5; // φ_x, φ_t, sin φ, cos φ, then the bias
  const [x, t] = [tracelessTable(Ax, 4, "4 features"), tracelessTable(At, 4, "4 features")];
  const P = x.map((v, i) => v + t[i]);
  const Q = x.map((v, i) => v - t[i]);
  const zero = () => new Float64Array(rows * N2);
  const [P1, P0, Qm1, Q0] = [zero(), zero(), zero(), zero()];
  for (let o = 0; o < N2; o++) {
    for (const r of [2, 3, 4]) {
      P1[r * N2 + o] = P[r * N2 + o] / k0;
      Qm1[r * N2 + o] = Q[r * N2 + o] * k0;
    }
    // P*'s φ_ξ term: p_x φ_x + p_t φ_t = (p_x + p_t) φ_ξ/… with φ_ξ = (φ_x + φ_t)/2 kept
    const xi = (P[o] + P[N2 + o]) / 2;
    [P0[o], P0[N2 + o]] = [xi, xi];
    // Q*'s φ_η term, φ_η = (φ_x − φ_t)/2
    const eta = (Q[o] - Q[N2 + o]) / 2;
    [Q0[o], Q0[N2 + o]] = [eta, -eta];
  }
  const layer = (a: Float64Array, b: Float64Array, sign: number): LinearParams =>
    affineOfTable(
      a.map((u, i) => (u + sign * b[i]) / 2),
      4,
    );
  const none = zero();
  // A_x = (P + Q)/2, A_t = (P − Q)/2 at each power k⁻¹, k⁰, k¹
  return {
    L: [layer(none, Qm1, 1), layer(P0, Q0, 1), layer(P1, none, 1)],
    M: [layer(none, Qm1, -1), layer(P0, Q0, -1), layer(P1, none, -1)],
  };
}

/**
 * The coefficients, in powers of a, of an affine map of the quadratic lift of m features (inputs:
 * the features, then f_i f_j for i ≤ j; `table` holds the weights' rows, then the bias row) with
 * feature k replaced by f_k − a: the map is a polynomial of degree 2 in a whose coefficients are
 * again affine maps of the lift. Returns [a⁰, a¹, a²].
 */
export function shiftedLiftCoefficients(
  table: Float64Array,
  m: number,
  k: number,
  outputs: number,
): Float64Array[] {
  const inputs = quadraticLiftInputs(m);
  if (table.length !== (inputs + 1) * outputs)
    throw new PhysmlInputError(
      "fixed.params",
      `an affine map of ${inputs} lifted inputs`,
      table.length / outputs - 1,
    );
  const product = (i: number, j: number) => liftProductIndex(m, i, j);
  const [a1, a2] = [new Float64Array(table.length), new Float64Array(table.length)];
  const addRow = (into: Float64Array, to: number, from: number, c: number) => {
    for (let o = 0; o < outputs; o++) into[to * outputs + o] += c * table[from * outputs + o];
  };
  const bias = inputs;
  // f_k − a: −a into the bias
  addRow(a1, bias, k, -1);
  // (f_k − a)² = f_k² − 2a f_k + a²
  addRow(a1, k, product(k, k), -2);
  addRow(a2, bias, product(k, k), 1);
  // (f_k − a) f_j = f_k f_j − a f_j
  for (let j = 0; j < m; j++) if (j !== k) addRow(a1, j, product(Math.min(j, k), Math.max(j, k)), -1);
  return [Float64Array.from(table), a1, a2];
}

/** Σₙ cₙ aⁿ with a = α + βλ, as coefficients of λ⁰ … λ^top (higher powers left out). */
function composeAffine(cs: Float64Array[], alpha: number, beta: number, top: number): Float64Array[] {
  const binom = (n: number, k: number) => {
    let r = 1;
    for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
    return r;
  };
  return Array.from({ length: top + 1 }, (_, k) => {
    const out = new Float64Array(cs[0].length);
    for (let n = k; n < cs.length; n++) {
      const c = binom(n, k) * alpha ** (n - k) * beta ** k;
      for (let i = 0; i < out.length; i++) out[i] += c * cs[n][i];
    }
    return out;
  });
}

/**
 * KdV's family A(λ) from one flat connection A* (the fixed-λ learner's, affine in the quadratic lift
 * of (φ, φ_x, φ_xx) onto 2×2) by the equation's Galilean symmetry: if φ solves
 * φ_t + φ_xxx + 6φφ_x = 0, so does φ(x + 6at, t) − a, and pulling A* back along it gives
 * B_x = A*_x(φ − a, φ_x, φ_xx), B_t = A*_t(φ − a, φ_x, φ_xx) − 6a A*_x(φ − a, φ_x, φ_xx)
 * (∂_t of the pulled-back A*_x picks up 6a ∂_x, and [B_x, 6aB_x] = 0), flat on every solution.
 * For AKNS's connection at λ₀ it is AKNS's at λ₀ + a in the same constant gauge. B is polynomial in
 * a (A*_x's φ² term gives a², A*_t's a², and −6aA*_x a³); with a = α + βλ the powers of λ above
 * the class's (λ¹ in A_x, λ² in A_t) are left out: they are 0 for AKNS in any constant gauge, whose
 * A_x has no φ², and the polish takes up what A* had of them. A*'s traceless part is boosted
 * ({@link tracelessTable}). The caller picks α, β so that λ̂ = λ.
 * Returns the family's parameters, lowest power first (λ⁰, λ¹ of A_x; λ⁰, λ¹, λ² of A_t).
 */
export function galileanKdvFamily(
  Ax: LinearParams,
  At: LinearParams,
  shift: { alpha: number; beta: number },
): LaxParams {
  const [m, inputs] = [3, 9];
  const table = (p: LinearParams) => tracelessTable(p, inputs, "9 lifted inputs");
  // φ is feature 0; the equation's 6φφ_x sets the boost's speed 6a
  const X = shiftedLiftCoefficients(table(Ax), m, 0, N2);
  const T = shiftedLiftCoefficients(table(At), m, 0, N2);
  // B_t's coefficient of aⁿ: A*_t's minus 6 times A*_x's of aⁿ⁻¹
  const Tb = [...T, new Float64Array(T[0].length)].map((v, n) =>
    n === 0 ? v : v.map((u, i) => u - 6 * X[n - 1][i]),
  );
  const layer = (v: Float64Array) => affineOfTable(v, inputs);
  return {
    L: composeAffine(X, shift.alpha, shift.beta, 1).map(layer),
    M: composeAffine(Tb, shift.alpha, shift.beta, 2).map(layer),
  };
}
