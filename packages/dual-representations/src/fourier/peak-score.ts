// A separation feature that rewards a peak: the excess kurtosis of each learned coordinate z_j over
// a batch, or of each pair's power. On the signal-noise task a wave of random frequency lands in a
// Fourier coordinate rarely (one pair in N/2 − 1) and then with all its power — a heavy tail —
// while a single site sees every wave a little (a bounded cosine on the noise, no tail at all).
// For a unit row w with power share p_k in frequency pair k, the wave's 4th moment in z = w·x
// grows with Σ_k p_k² and its 2nd moment does not depend on how the power is spread, so the
// kurtosis is largest for rows in one pair (the DFT's) and smallest for rows spread evenly (the
// identity's): maximising it is independent component analysis with the wave's frequency as the
// hidden source. The Fisher score of z_j² (separationLoss) prefers the identity on this task
// (MEASUREMENTS.md). The pair form also asks that the two coordinates a pair-reading classifier
// sees together hold the same frequency: their powers then peak at once.
import { add, div, gather, mean, reshape, sqrt, square, sub, sum, type Tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { dftPairOrder } from "./basis.js";

/** What the peak reward is computed on: each coordinate, or each neighbouring pair's power. */
export const PEAK_FEATURES = ["coordinate", "pair"] as const;
export type PeakFeature = (typeof PEAK_FEATURES)[number];

/**
 * The mean over coordinates j of the excess kurtosis of z_j over the rows of z [B, d]:
 * m₄ / m₂² − 3, with m_p = (1/B) Σ_b (z_bj − z̄_j)^p the batch's central moments (0 for a
 * Gaussian, −1.5 for a cosine of uniform phase, large for a coordinate that is mostly small and
 * rarely large). A ratio of moments of the same degree, so scaling a row of W does not change it.
 * Higher is more peaked; a learned map's loss subtracts it times `LearnedMapOptions.peakWeight`.
 */
export function peakScore(z: Tensor): Tensor {
  const c = sub(z, mean(z, 0, true));
  const c2 = square(c);
  const m2 = mean(c2, 0);
  const m4 = mean(square(c2), 0);
  // The small constant keeps a coordinate that is constant on a batch from dividing by zero.
  return sub(mean(div(m4, add(square(m2), 1e-12))), 3);
}

/**
 * The mean over pairs m of the excess of E P_m² / (E P_m)² over its Gaussian value 2, where
 * P_m = u_a² + u_b² is the power of the pair (a, b) = (2m + 1, 2m + 2 mod d) — the pairs the shared
 * classifier reads, (cos k, sin k) in the real DFT — of the coordinates standardised over the batch
 * (u_j = (z_j − z̄_j) / √m₂, so scaling a row of W does not change it), and E the batch mean
 * (0 for independent Gaussian coordinates, whose P is χ²₂). Larger when each pair's two coordinates
 * are heavy-tailed and large together, as a frequency's cos and sin are when its wave is drawn.
 */
export function pairPeakScore(z: Tensor): Tensor {
  const [B, d] = z.shape;
  if (d % 2 !== 0) throw new PhysmlInputError("z", "an even number of columns (pairs)", d);
  const c = sub(z, mean(z, 0, true));
  // The small constant keeps a coordinate that is constant on a batch from dividing by zero.
  const u = div(c, sqrt(add(mean(square(c), 0, true), 1e-12)));
  const P = sum(square(reshape(gather(u, dftPairOrder(d), 1), [B, d / 2, 2])), 2);
  return sub(mean(div(mean(square(P), 0), square(mean(P, 0)))), 2);
}

/** The peak reward of `feature` on z [B, d]: {@link peakScore} or {@link pairPeakScore}. */
export const peakReward = (feature: PeakFeature, z: Tensor): Tensor =>
  feature === "pair" ? pairPeakScore(z) : peakScore(z);
