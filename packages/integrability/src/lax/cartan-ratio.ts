// Whether a learned A_x is more than a conservation law in disguise. If the values A_x takes on the
// data span a solvable Lie algebra (abelian, or triangular in some constant gauge), the monodromy
// P exp ∮A_x dx is triangular too and its trace a sum of exponentials of ∮(diagonal) dx: functions
// of local conservation laws' integrals, flat and conserved on every solution, so a held-out
// residual and a conserved trace do not tell it from a Lax connection. Cartan's criterion tells:
// a Lie algebra of matrices is solvable exactly when tr(XY) = 0 for every X in its derived algebra
// and Y in it. The derived algebra of a non-solvable one holds a semisimple part on which the trace
// form is non-degenerate, so two commutators C, C' of A_x values with tr(CC') ≠ 0 witness it.
import { abs, commutator, concat, matmul, mean, mT, reshape, slice, type Tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { tracelessPart } from "./traceless.js";

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
  if (A.shape.length !== 3 || A.shape[1] !== A.shape[2])
    throw new PhysmlInputError("A", "a batch of square matrices [P, n, n]", `[${A.shape.join(", ")}]`);
  const [P, n] = A.shape;
  if (P < 2) return 0;
  const t = tracelessPart(A);
  const half = Math.floor(P / 2);
  // Ã_{p + ⌊P/2⌋ mod P}: the batch rolled by half
  const rolled = concat([slice(t, [half, 0, 0], [P, n, n]), slice(t, [0, 0, 0], [half, n, n])], 0);
  const commutators = meanAbsTraceProduct(commutator(t, rolled));
  if (commutators === 0) return 0;
  const values = meanAbsTraceProduct(t);
  return commutators / (values * values);
}

/** ⟨|tr(X_p X_q)|⟩ over every pair (p, q) of a batch X [P, n, n]: tr(X_p X_q) = vec(X_p)·vec(X_qᵀ). */
function meanAbsTraceProduct(X: Tensor): number {
  const [P, n] = X.shape;
  const traces = matmul(reshape(X, [P, n * n]), mT(reshape(mT(X), [P, n * n])));
  return mean(abs(traces)).item();
}
