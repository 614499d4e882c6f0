// Whether a learned A_x is more than a conservation law in disguise. If the values A_x takes on the
// data span a solvable Lie algebra (abelian, or triangular in some constant gauge), the monodromy
// P exp ∮A_x dx is triangular too and its trace a sum of exponentials of ∮(diagonal) dx: functions
// of local conservation laws' integrals, flat and conserved on every solution, so a held-out
// residual and a conserved trace do not tell it from a Lax connection. Cartan's criterion tells:
// a Lie algebra of matrices is solvable exactly when tr(XY) = 0 for every X in its derived algebra
// and Y in it. The derived algebra of a non-solvable one holds a semisimple part on which the trace
// form is non-degenerate, so two commutators C, C' of A_x values with tr(CC') ≠ 0 witness it.
import type { Tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";

/**
 * The floor {@link cartanRatio} must exceed for a learned connection to count as a Lax connection.
 * Solvable values give 0 up to rounding (in a non-orthogonal gauge their commutators are nilpotent,
 * not small, and tr(CC') cancels to about 1e-16); the known KdV, sine-Gordon and Heisenberg
 * connections give 2.5e-2 and more on the learners' held-out points, at every spectral parameter
 * tried (README, "Solvable connections").
 */
export const CARTAN_FLOOR = 1e-6;

/**
 * ⟨|tr(C_p C_q)|⟩ / ⟨|tr(Ã_p Ã_q)|⟩² over the values A_x takes at `A`'s points ([P, n, n]), the
 * means over every pair (p, q): Ã the traceless part (the trace commutes with everything), and
 * C_p = [Ã_p, Ã_{p + ⌊P/2⌋ mod P}] the commutators of points half a batch apart. Zero when the
 * values span a solvable Lie algebra (Cartan's criterion), positive otherwise; invariant under
 * scaling A_x and under every constant gauge A_x → G A_x G⁻¹ (both means are traces). 0 for fewer
 * than 2 points or a zero A_x; +∞ when the values are trace-orthogonal yet not solvable.
 */
export function cartanRatio(A: Tensor): number {
  const [P, n, m] = A.shape;
  if (A.shape.length !== 3 || n !== m)
    throw new PhysmlInputError("A", "a batch of square matrices [P, n, n]", `[${A.shape.join(", ")}]`);
  if (P < 2) return 0;
  const nn = n * n;
  const t = tracelessValues(A.toFloat64Array(), P, n);
  const half = Math.floor(P / 2);
  const C = new Float64Array(P * nn);
  for (let p = 0; p < P; p++) commutatorInto(t, p * nn, ((p + half) % P) * nn, n, C, p * nn);
  const commutators = meanAbsTraceProduct(C, P, n);
  if (commutators === 0) return 0;
  const values = meanAbsTraceProduct(t, P, n);
  return commutators / (values * values);
}

/** ⟨|tr(X_p X_q)|⟩ over every pair (p, q) of the P n×n matrices in x. */
function meanAbsTraceProduct(x: Float64Array, P: number, n: number): number {
  const nn = n * n;
  let sum = 0;
  for (let p = 0; p < P; p++)
    for (let q = 0; q < P; q++) {
      // tr(X_p X_q) = Σ_ij (X_p)_ij (X_q)_ji
      let tr = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) tr += x[p * nn + i * n + j] * x[q * nn + j * n + i];
      sum += Math.abs(tr);
    }
  return sum / (P * P);
}

/** A_p − (tr A_p / n)·1 for every point p. */
function tracelessValues(a: Float64Array, P: number, n: number): Float64Array {
  const t = Float64Array.from(a);
  const nn = n * n;
  for (let p = 0; p < P; p++) {
    let tr = 0;
    for (let i = 0; i < n; i++) tr += a[p * nn + i * (n + 1)];
    for (let i = 0; i < n; i++) t[p * nn + i * (n + 1)] -= tr / n;
  }
  return t;
}

/** out[o …] = X Y − Y X for the n×n matrices at x[ox …] and x[oy …]. */
function commutatorInto(
  x: Float64Array,
  ox: number,
  oy: number,
  n: number,
  out: Float64Array,
  o: number,
): void {
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++)
        s += x[ox + i * n + k] * x[oy + k * n + j] - x[oy + i * n + k] * x[ox + k * n + j];
      out[o + i * n + j] = s;
    }
}
