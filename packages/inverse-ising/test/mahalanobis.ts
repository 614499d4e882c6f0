import { cholesky, choleskySolve } from "../src/fit/newton.js";

/** d·M⁻¹·d for a k × k covariance M (NaN when it is missing or not positive definite): the χ² contribution of one fit. */
export function mahalanobis2(M: number[][] | undefined, d: readonly number[]): number {
  if (!M) return Number.NaN;
  const k = d.length;
  const Lc = cholesky(Float64Array.from(M.flat()), k);
  if (!Lc) return Number.NaN;
  const x = choleskySolve(Lc, k, d);
  return d.reduce((p, v, i) => p + v * x[i], 0);
}
