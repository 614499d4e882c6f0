// Readout of a symmetry-control network's cyclic momenta on the two-body problem: how constant
// they stay along true orbits, and how they relate to the problem's known conserved quantities
// (total momentum P_x, P_y, the relative angular momentum L = r_x p_y − r_y p_x with r = q₁ − q₂ and
// p = (p₁ − p₂)/2, energy H, and on Kepler orbits the Runge–Lenz vector A; see kepler.ts). Cyclic
// momenta must Poisson-commute: {P_x, P_y} = {P_x, L} = {P_y, L} = 0 for this L, whereas the total
// angular momentum does not commute with P_x, P_y. {P_x, P_y, H, A_x} commute as well: the Kepler
// problem is superintegrable, so a network has no reason to prefer L over A_x.
import { type DictionaryTerm, type FittedFormula, fitFormula, monomials } from "../eval/dictionary.js";
import { angularMomentum as L, totalPx as Px, totalPy as Py, rungeLenz, twoBodyEnergy } from "./kepler.js";

/** The two-body problem's conserved quantities as dictionary terms (with the constant), H with ε/r². */
export function twoBodyInvariants(epsilon = 0): DictionaryTerm[] {
  return [
    { name: "1", value: () => 1 },
    { name: "Px", value: Px },
    { name: "Py", value: Py },
    { name: "L", value: L },
    { name: "H", value: (z) => twoBodyEnergy(z, epsilon) },
  ];
}

/** {@link twoBodyInvariants} of the Kepler problem (ε = 0). */
export const TWO_BODY_INVARIANTS: readonly DictionaryTerm[] = twoBodyInvariants();

// polynomials of degree ≤ `degree` in the named quantities, as dictionary terms over states
const polynomialsIn = (names: string[], of: (z: ArrayLike<number>) => number[], degree: number) =>
  monomials(names, degree).map((t) => ({ name: t.name, value: (z: ArrayLike<number>) => t.value(of(z)) }));

const invariantsAt = (epsilon: number) => (z: ArrayLike<number>) => [
  Px(z),
  Py(z),
  L(z),
  twoBodyEnergy(z, epsilon),
];

/**
 * Polynomials of degree ≤ 2 in (P_x, P_y, L, H) as dictionary terms over states: every function of
 * the invariants is itself conserved, so a cyclic momentum may be any of them.
 */
export function twoBodyInvariantPolynomials(epsilon = 0): DictionaryTerm[] {
  return polynomialsIn(["Px", "Py", "L", "H"], invariantsAt(epsilon), 2);
}

/** {@link twoBodyInvariantPolynomials} of the Kepler problem (ε = 0). */
export const TWO_BODY_INVARIANT_POLYNOMIALS: readonly DictionaryTerm[] = twoBodyInvariantPolynomials();

/**
 * Polynomials of degree ≤ 2 in (P_x, P_y, L, H, A_x, A_y), A the Runge–Lenz vector: on Kepler
 * orbits all are conserved, and momenta built on A (e.g. {P_x, P_y, H, A_x}) are as valid as on L.
 */
export function keplerInvariantPolynomials(epsilon = 0): DictionaryTerm[] {
  return polynomialsIn(
    ["Px", "Py", "L", "H", "Ax", "Ay"],
    (z) => [...invariantsAt(epsilon)(z), ...rungeLenz(z)],
    2,
  );
}

/**
 * The partial R² of L on polynomials of degree ≤ 2 in the learned momenta, beyond polynomials of
 * degree ≤ 4 in (P_x, P_y, H): 1 − SSE(both)/SSE(the latter alone). On near-circular orbits L is
 * nearly a function of the energy (R² 0.994 on (P_x, P_y, H) for the bench's orbits), so a plain
 * span R² of L cannot tell momenta that carry L from momenta that carry H.
 */
function lBeyondEnergy(states: Float64Array, momenta: Float64Array, cyclic: number, epsilon: number): number {
  // polynomials of degree ≤ 4 in (P_x, P_y, H): what of L these explain is no evidence of L
  const withoutL = polynomialsIn(["Px", "Py", "H"], (z) => [Px(z), Py(z), twoBodyEnergy(z, epsilon)], 4);
  const count = momenta.length / cyclic;
  const w = 8 + cyclic;
  const rows = new Float64Array(count * w);
  const y = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    const z = states.subarray(r * 8, r * 8 + 8);
    rows.set(z, r * w);
    rows.set(momenta.subarray(r * cyclic, (r + 1) * cyclic), r * w + 8);
    y[r] = L(z);
  }
  const learned = monomials(
    Array.from({ length: cyclic }, (_, i) => `P${i + 1}`),
    2,
  )
    .slice(1) // the constant is in withoutL
    .map((t) => ({
      name: t.name,
      value: (row: ArrayLike<number>) => t.value((row as Float64Array).subarray(8)),
    }));
  const sse = (terms: readonly DictionaryTerm[]) => 1 - fitFormula(terms, rows, w, y).r2;
  const base = sse(withoutL);
  return base > 0 ? 1 - sse([...withoutL, ...learned]) / base : 0;
}

/** The readout of the cyclic momenta P_1…P_{n_c} along held-out orbits. */
export interface MomentumReadout {
  /** Per P_i, the worst orbit's (max − min) along it over the std of P_i over all states. */
  variation: number[];
  /** Per P_i, the mean over orbits of the same ratio. */
  meanVariation: number[];
  /** Per P_i, its least-squares fit on {1, P_x, P_y, L, H} with R². */
  onInvariants: FittedFormula[];
  /** Per P_i, its fit on polynomials of degree ≤ 2 in (P_x, P_y, L, H) with R². */
  onInvariantPolynomials: FittedFormula[];
  /**
   * Per P_i, the R² of its fit on polynomials of degree ≤ 2 in (P_x, P_y, L, H, A_x, A_y), A the
   * Runge–Lenz vector (conserved on Kepler orbits only). With 28 terms against the orbits' constant
   * values, a momentum unrelated to the invariants still reaches about 27/(orbits − 1) of its
   * spread between orbits: read it against `onInvariantPolynomials` (15 terms), not alone.
   */
  withRungeLenz: number[];
  /**
   * R² of P_x, P_y and L each fitted on polynomials of degree ≤ 2 in the learned P_1…P_{n_c}: 1 when
   * the learned momenta determine them.
   */
  spanR2: { Px: number; Py: number; L: number };
  /** The same R² for the Runge–Lenz vector's A_x and A_y. */
  rungeLenzSpan: { Ax: number; Ay: number };
  /**
   * The partial R² of L on polynomials of degree ≤ 2 in the learned momenta beyond polynomials of
   * degree ≤ 4 in (P_x, P_y, H): near 1 when the momenta carry L, near 0 when they carry only
   * P_x, P_y and the energy.
   */
  lBeyondEnergy: number;
}

/**
 * Reads out the cyclic momenta. `states` are `orbits` consecutive runs of `length` states ([·, 8]
 * row-major) of the two bodies with an ε/r² term (`epsilon`, default 0: Kepler) and `momenta`
 * ([states, n_c] row-major) the learned P_i at them.
 */
export function readMomenta(
  states: Float64Array,
  orbits: number,
  length: number,
  momenta: Float64Array,
  cyclic: number,
  epsilon = 0,
): MomentumReadout {
  const count = orbits * length;
  const invariants = twoBodyInvariants(epsilon);
  const polynomials = twoBodyInvariantPolynomials(epsilon);
  const kepler = keplerInvariantPolynomials(epsilon);
  const withRungeLenz: number[] = [];
  const variation: number[] = [];
  const meanVariation: number[] = [];
  const onInvariants: FittedFormula[] = [];
  const onInvariantPolynomials: FittedFormula[] = [];
  for (let i = 0; i < cyclic; i++) {
    const P = Float64Array.from({ length: count }, (_, r) => momenta[r * cyclic + i]);
    const mean = P.reduce((a, b) => a + b, 0) / count;
    const sd = Math.sqrt(P.reduce((a, b) => a + (b - mean) ** 2, 0) / count);
    let worst = 0;
    let total = 0;
    for (let b = 0; b < orbits; b++) {
      const seg = P.subarray(b * length, (b + 1) * length);
      // a P_i constant on every state (sd = 0) does not vary along any orbit
      const range = sd > 0 ? (Math.max(...seg) - Math.min(...seg)) / sd : 0;
      worst = Math.max(worst, range);
      total += range;
    }
    variation.push(worst);
    meanVariation.push(total / orbits);
    onInvariants.push(fitFormula(invariants, states, 8, P));
    onInvariantPolynomials.push(fitFormula(polynomials, states, 8, P));
    withRungeLenz.push(fitFormula(kepler, states, 8, P).r2);
  }
  const learned = monomials(
    Array.from({ length: cyclic }, (_, i) => `P${i + 1}`),
    2,
  );
  const target = (f: (z: ArrayLike<number>) => number) =>
    fitFormula(
      learned,
      momenta,
      cyclic,
      Array.from({ length: count }, (_, r) => f(states.subarray(r * 8, r * 8 + 8))),
    ).r2;
  return {
    variation,
    meanVariation,
    onInvariants,
    onInvariantPolynomials,
    withRungeLenz,
    spanR2: { Px: target(Px), Py: target(Py), L: target(L) },
    rungeLenzSpan: { Ax: target((z) => rungeLenz(z)[0]), Ay: target((z) => rungeLenz(z)[1]) },
    lBeyondEnergy: cyclic > 0 ? lBeyondEnergy(states, momenta, cyclic, epsilon) : 0,
  };
}
