// The original's line correlators by boundary sector and by chain (block), combined with the
// sectors' weights into the dual fits' target and its covariance, and the jackknife over chains
// that refits the dual with each chain left out.
import { type CouplingCovariance, couplingCovariance } from "./coupling-covariance.js";
import { type DualFit, matchDualCouplings } from "./dual-fit.js";

export const KEYS = ["g1", "g2", "g2PathA", "g2PathB", "g3", "g4"] as const;
const nK = KEYS.length;

/** One boundary sector's weight and its block means (per key, one entry per block = whole chain). */
export interface SectorBlocks {
  weight: number;
  blocks: Float64Array[];
}

/** Block means (contiguous blocks = whole chains) of each series, for means and covariances. */
export function blockMeans(series: Record<(typeof KEYS)[number], Float64Array>, blocks: number) {
  const n = series.g1.length;
  return KEYS.map((k) =>
    Float64Array.from({ length: blocks }, (_, b) => {
      const a0 = Math.floor((b * n) / blocks);
      const a1 = Math.floor(((b + 1) * n) / blocks);
      let s = 0;
      for (let a = a0; a < a1; a++) s += series[k][a];
      return s / (a1 - a0);
    }),
  );
}

/**
 * The sector-weighted means of the line correlators and their covariance (each sector's
 * `Cov(block means)/blocks`, weighted by w²), leaving out block `omit` of every sector when given.
 */
export function combineSectors(
  sectors: SectorBlocks[],
  omit = -1,
): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(nK);
  const cov = new Float64Array(nK * nK);
  for (const { weight: w, blocks: bm } of sectors) {
    const kept = bm[0].map((_, b) => b).filter((b) => b !== omit);
    const n = kept.length;
    const mu = bm.map((x) => kept.reduce((p, b) => p + x[b], 0) / n);
    for (let i = 0; i < nK; i++) {
      mean[i] += w * mu[i];
      for (let j = 0; j < nK; j++) {
        let c = 0;
        for (const b of kept) c += (bm[i][b] - mu[i]) * (bm[j][b] - mu[j]);
        cov[i * nK + j] += (w * w * c) / (n - 1) / n;
      }
    }
  }
  return { mean, cov };
}

/** The dual fits' target: g1, g2, g3 and their 3 × 3 covariance. */
export const dualTarget = ({ mean, cov }: { mean: Float64Array; cov: Float64Array }) => {
  const idx = [0, 1, KEYS.indexOf("g3")];
  return {
    g1: mean[0],
    g2: mean[1],
    g3: mean[idx[2]],
    cov: idx.flatMap((i) => idx.map((j) => cov[i * nK + j])),
  };
};

/**
 * Jackknife covariance of the dual couplings over the original's chains: each sector's block b
 * (one chain) left out in turn, the dual refitted with exact moments over the same terms as `fit`
 * (nn; nn + nnn; or nn + nnn + d2 when `fit` has a t_d2), Cov = (B − 1)/B Σ_b (t_b − t̄)(t_b − t̄)ᵀ —
 * lattice-core's `jackknife` formula for a vector-valued fit.
 */
export async function jackknifeDual(
  L: number,
  sectors: SectorBlocks[],
  fit: DualFit,
  nnn: boolean,
): Promise<CouplingCovariance | undefined> {
  const d2 = fit.tD2 !== undefined;
  const names = ["nn", ...(nnn ? ["nnn"] : []), ...(d2 ? ["d2"] : [])];
  const B = sectors[0].blocks[0].length;
  const ts: number[][] = [];
  for (let b = 0; b < B; b++) {
    const r = await matchDualCouplings(L, dualTarget(combineSectors(sectors, b)), {
      seed: 0,
      moments: "exact",
      nnn,
      d2,
      start: [fit.tNn, fit.tNnn, fit.tD2 ?? 0],
    });
    ts.push([r.tNn, ...(nnn ? [r.tNnn] : []), ...(d2 ? [r.tD2 ?? Number.NaN] : [])]);
  }
  const k = names.length;
  const bar = names.map((_, i) => ts.reduce((p, t) => p + t[i], 0) / B);
  const cov = Array.from({ length: k * k }, (_, j) => {
    const [r, c] = [Math.floor(j / k), j % k];
    return ((B - 1) / B) * ts.reduce((p, t) => p + (t[r] - bar[r]) * (t[c] - bar[c]), 0);
  });
  const eye = Array.from({ length: k * k }, (_, j) => (j % (k + 1) === 0 ? 1 : 0));
  const out = couplingCovariance(names, eye, cov);
  return "covariance" in out ? out.covariance : undefined;
}
