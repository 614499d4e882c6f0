// The Killing-span hinge 𝓛_S: the traceless A_x samples must span a subspace on which the Killing
// form tr(XY) is non-degenerate. The traps of the unconstrained learner leave a subspace invariant
// (abelian, nilpotent, or triangular: in a Borel subalgebra), and the trace form is degenerate on
// the nilpotent part of their algebra; on a simple one (so(3), sl(2, ℝ), their conjugates) it is not.
// Everything is read from two Gram matrices of the samples, so only eigenvalues are needed (autodiff's
// eigvalsh, whose derivative needs no eigenvalue gap) and no principal directions are chosen.
import {
  abs,
  add,
  div,
  eigvalsh,
  matmul,
  maximum,
  mul,
  reshape,
  slice,
  sub,
  type Tensor,
  transpose,
} from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { tracelessPart } from "./traceless.js";

/**
 * κ_S of 𝓛_S. The known Heisenberg connection's ρ is the smallest over the largest spread of S in
 * the samples, lowered further by a skewed gauge: 0.13–0.50 in the so(3) form and 0.07–0.28 in one
 * non-orthogonal gauge on the data measured, so this floor can exclude it.
 */
export const KILLING_SPAN_FLOOR = 0.1;

/** r of 𝓛_S: the dimension of so(3) and sl(2, ℝ), the algebras of the known 3×3 connections. */
export const KILLING_SPAN_RANK = 3;

/** The samples 𝓛_S reads (the batch's first ones; a seeded sampler's order is already random). */
export const KILLING_SPAN_POINTS = 64;

/**
 * The Killing-span ratio ρ of a batch of n×n matrices A [B, n, n] (their traceless parts Ã_b):
 * with the first k = min(B, `points`) samples, the Killing Gram K_ab = tr(Ã_a Ã_b)/k and the
 * Frobenius Gram G_ab = tr(Ã_a Ã_bᵀ)/k; ρ = |μ|₍ᵣ₎ / g₍₁₎, the r-th largest |eigenvalue| of K
 * over the largest eigenvalue of G.
 *
 * Why these: the non-zero eigenvalues of G are those of the samples' second-moment matrix C on
 * the n² entries, and K's are those of C^{1/2} P C^{1/2}, P the transpose (tr XY = ⟨X, P Y⟩): the
 * Killing form on the samples' span weighted by their spread, |μ|₍ᵢ₎ ≤ g₍₁₎. For samples in so(n)
 * K = −G, so ρ = g₍ᵣ₎/g₍₁₎, the spread of the samples' r-th direction against their first. For
 * samples in a nilpotent algebra K = 0; in a Borel (triangular) one K sees only the diagonal, so a
 * span of r or more directions with a nilpotent one has |μ|₍ᵣ₎ = 0; so does a span of fewer than r
 * (an abelian ρ·X). Over the largest spread, a large abelian part beside a small irreducible one
 * keeps ρ small (over g₍ᵣ₎ it did not: measured, the learner ended there). K is invariant under a
 * constant gauge Ã ↦ gÃg⁻¹; G only under an orthogonal one, so a skewed gauge lowers ρ.
 */
export function killingSpanRatio(A: Tensor, rank = KILLING_SPAN_RANK, points = KILLING_SPAN_POINTS): Tensor {
  const [B, n] = [A.shape[0], A.shape[1]];
  const k = Math.min(B, points);
  if (!Number.isInteger(rank) || rank < 1 || rank > Math.min(k, n * n - 1))
    throw new PhysmlInputError("killingSpanRank", `an integer in [1, ${Math.min(k, n * n - 1)}]`, rank);
  const X = tracelessPart(slice(A, [0, 0, 0], [k, n, n]));
  const V = reshape(X, [k, n * n]);
  const Vt = reshape(transpose(X, [0, 2, 1]), [k, n * n]);
  const K = mul(matmul(V, transpose(Vt, [1, 0])), 1 / k);
  const G = mul(matmul(V, transpose(V, [1, 0])), 1 / k);
  const mu = abs(eigvalsh(K));
  const g = eigvalsh(G);
  // the r-th largest |μ| (chosen by value, then taken from the tensor so its derivative flows)
  const order = Array.from(mu.toFloat64Array().entries())
    .sort((a, b) => b[1] - a[1])
    .map(([i]) => i);
  const pick = (t: Tensor, i: number) => reshape(slice(t, [i], [i + 1]), []);
  return div(pick(mu, order[rank - 1]), add(pick(g, k - 1), 1e-300));
}

/** 𝓛_S = max(0, κ_S − ρ) with ρ of {@link killingSpanRatio}. */
export function killingSpanHinge(
  A: Tensor,
  floor = KILLING_SPAN_FLOOR,
  rank = KILLING_SPAN_RANK,
  points = KILLING_SPAN_POINTS,
): Tensor {
  return maximum(sub(floor, killingSpanRatio(A, rank, points)), 0);
}
