// Statistics of feature series from independent chains: binning errors per feature and the
// covariance of the means from the spread of the chain means.
import { estimateChains } from "@physml/lattice-core";

/** Feature series `[A][chain][sample]` → means, binning errors, τ_int and the covariance of the means. */
export function summariseSeries(series: readonly (readonly Float64Array[])[]): {
  mean: number[];
  error: number[];
  tauInt: number[];
  covariance: number[][];
} {
  const est = series.map((perChain) => estimateChains(perChain as Float64Array[]));
  const chainMeans = series.map((perChain) => perChain.map((v) => v.reduce((x, y) => x + y, 0) / v.length));
  return {
    mean: est.map((e) => e.mean),
    error: est.map((e) => e.error),
    tauInt: est.map((e) => e.tauInt),
    covariance: meanCovariance(chainMeans),
  };
}

/**
 * Covariance of the grand means from per-chain means `[A][chains]`: the sample covariance of the
 * chain means over the number of chains (chains are independent, so no autocorrelation enters).
 */
export function meanCovariance(chainMeans: readonly (readonly number[])[]): number[][] {
  const A = chainMeans.length;
  const C = A > 0 ? chainMeans[0].length : 0;
  const mu = chainMeans.map((m) => m.reduce((x, y) => x + y, 0) / C);
  return chainMeans.map((ma, a) =>
    chainMeans.map((mb, b) => {
      let s = 0;
      for (let c = 0; c < C; c++) s += (ma[c] - mu[a]) * (mb[c] - mu[b]);
      return C > 1 ? s / (C - 1) / C : 0;
    }),
  );
}
