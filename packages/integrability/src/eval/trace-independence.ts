// Whether a Lax matrix's conserved traces are more than one conserved quantity in disguise. Every
// system has pairs L = U(x) D(H) U(x)⁻¹, M = U̇U⁻¹ (U̇ a function of x through ẋ): exact, with
// every tr Lᵏ conserved and tr L² ∝ H for a suitable D, yet all traces functions of H alone. The
// residual, the conserved traces and tr L² vs H pass such a pair; the traces' gradients do not:
// functions of one quantity have parallel gradients, so their Jacobian has rank 1 at every state.
// Liouville integrability needs as many independent conserved traces as the system has degrees of
// freedom, so a learned pair is asked for the rank of that Jacobian along held-out states.
import { grad, matrixPower, mul, stack, sum, svdvals, type Tensor, tensor, trace } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { tracelessPart } from "../lax/traceless.js";

/**
 * The floor a ratio σ_r/σ_1 (see {@link TraceIndependence}) must exceed for r traces to count as
 * independent: the conservation target's resolution. A learned trace is conserved to 1e-3 of its
 * size, so a direction carrying less than that of its gradient is within what the learning may
 * leave, not evidence of another conserved quantity (the learned Toda pairs' tr L, constant up to
 * training error on boost-invariant inputs, gives 9e-7 to 3.4e-6; traces that are exactly functions
 * of fewer quantities give 1e-12 and less). Independent traces give 0.1 and more at the median
 * held-out state: Flaschka's 0.53 and 0.11, the learned Toda pairs' second 0.19–0.20 (README,
 * "Independent traces").
 */
export const INDEPENDENCE_FLOOR = 1e-3;

/** The rank of the traces' Jacobian along a set of states. */
export interface TraceIndependence {
  /**
   * Per r = 1…n: the median over the states of σ_r/σ_1, the singular values of the n×d matrix
   * whose rows are the gradients of tr L and of tr L̃ᵏ (k = 2…n, L̃ the traceless part), row k
   * divided by k·Sᵏ⁻¹ with S² the mean |tr L̃²| over the states (so every row has the units of
   * ∇ of an eigenvalue). The first is 1 unless every gradient vanishes (then every entry is 0).
   * Invariant under L → aL + b·1 (a, b constants) and under every gauge L → G(x) L G(x)⁻¹.
   * States where L or a gradient is not finite are left out; with none left every entry is 0.
   */
  ratios: number[];
  /** How many of `ratios` exceed {@link INDEPENDENCE_FLOOR}: the independent traces. */
  independent: number;
}

/**
 * The {@link TraceIndependence} of a Lax matrix `L` (batched, [B, d] → [B, n, n], written in
 * differentiable ops) at the states `x` ([B, d]).
 */
export function traceIndependence(L: (x: Tensor) => Tensor, x: Tensor): TraceIndependence {
  if (x.shape.length !== 2 || x.shape[0] < 1)
    throw new PhysmlInputError("x", "a batch of states [B, d] with B >= 1", `[${x.shape.join(", ")}]`);
  const [B, d] = x.shape;
  const values = L(x);
  const n = values.shape[1];
  // S: the size of L̃'s eigenvalues over the states (the finite ones: a diverged pair fails, not throws)
  const t2 = Array.from(trace(matrixPower(tracelessPart(values), 2)).toFloat64Array()).filter(
    Number.isFinite,
  );
  const S = t2.length > 0 ? Math.sqrt(t2.reduce((a, v) => a + Math.abs(v), 0) / t2.length) : 0;
  // F_1 = tr L, F_k = tr L̃ᵏ: the same spectral information as tr Lᵏ, blind to shifts of L
  const F = (k: number) => (z: Tensor) => {
    const Lz = L(z);
    return sum(trace(k === 1 ? Lz : matrixPower(tracelessPart(Lz), k)));
  };
  // each F_k at a state depends on that state alone: the gradient of the sum is per state
  const rows = Array.from({ length: n }, (_, i) => {
    const k = i + 1;
    const g = grad(F(k))(x) as Tensor;
    return k === 1 ? g : mul(g, S > 0 ? 1 / (k * S ** (k - 1)) : 0);
  });
  const J = stack(rows, 1).toFloat64Array();
  const block = n * d;
  const finite = Array.from({ length: B }, (_, b) => b).filter((b) =>
    J.subarray(b * block, (b + 1) * block).every(Number.isFinite),
  );
  if (finite.length === 0) return { ratios: Array.from({ length: n }, () => 0), independent: 0 };
  const kept = new Float64Array(finite.length * block);
  finite.forEach((b, i) => {
    kept.set(J.subarray(b * block, (b + 1) * block), i * block);
  });
  const s = svdvals(tensor(kept, [finite.length, n, d])).toFloat64Array();
  const m = Math.min(n, d);
  const ratios = Array.from({ length: n }, (_, r) => {
    if (r >= m) return 0;
    const perState = finite.map((_, b) => {
      const top = s[b * m];
      return top > 0 ? s[b * m + r] / top : 0;
    });
    return median(perState);
  });
  return { ratios, independent: ratios.filter((v) => v > INDEPENDENCE_FLOOR).length };
}

function median(v: number[]): number {
  const sorted = [...v].sort((a, b) => a - b);
  const h = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}
