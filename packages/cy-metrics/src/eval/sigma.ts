// The σ accuracy measure of a metric on X (as in cymetric, cyjax and Anderson et al.):
//   σ = (1/Vol_CY) ∫_X |1 − (J³/Vol_K) / (Ω∧Ω̄/Vol_CY)| dVol_CY,
// zero exactly for the Ricci-flat metric. Pointwise η = det g / |Ω|² (any constant cancels);
// with weights w, Vol_K/Vol_CY is estimated on the same points as mean(η w)/mean(w) (as cyjax
// does), so σ = mean(|1 − η mean(w)/mean(η w)| w) / mean(w). The error bar is a blocked
// jackknife over whole lines (the 5 points of a line are correlated), with the ratio re-estimated
// in every leave-one-block-out sample.
import { POINTS_PER_LINE } from "../geometry/sample.js";
import type { McValue } from "./volumes.js";

/** Number of jackknife blocks. */
const BLOCKS = 50;

function sigmaOf(eta: Float64Array, w: Float64Array, skipFrom: number, skipTo: number): number {
  let sw = 0;
  let sew = 0;
  for (let i = 0; i < w.length; i++) {
    if (i >= skipFrom && i < skipTo) continue;
    sw += w[i];
    sew += eta[i] * w[i];
  }
  const r = sw / sew;
  let s = 0;
  for (let i = 0; i < w.length; i++) {
    if (i >= skipFrom && i < skipTo) continue;
    s += Math.abs(1 - eta[i] * r) * w[i];
  }
  return s / sw;
}

/**
 * σ with a jackknife error from the pointwise ratio η_i = det g_i / |Ω_i|² and the weights w_i
 * (n a multiple of 5, lines consecutive; at least 2 lines).
 */
export function sigmaFromEta(eta: Float64Array, weight: Float64Array): McValue {
  const n = weight.length;
  const lines = Math.floor(n / POINTS_PER_LINE);
  if (lines < 2 || eta.length !== n)
    throw new RangeError("sigmaFromEta: need ≥ 2 lines and eta.length = weight.length");
  const mean = sigmaOf(eta, weight, 0, 0);
  const nb = Math.min(BLOCKS, lines);
  const per = Math.floor(lines / nb) * POINTS_PER_LINE;
  const loo = new Float64Array(nb);
  for (let b = 0; b < nb; b++) loo[b] = sigmaOf(eta, weight, b * per, (b + 1) * per);
  let avg = 0;
  for (const v of loo) avg += v;
  avg /= nb;
  let ss = 0;
  for (const v of loo) ss += (v - avg) ** 2;
  return { mean, error: Math.sqrt(((nb - 1) / nb) * ss) };
}
