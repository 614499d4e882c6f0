import { PhysmlInputError } from "../errors.js";
import { type Estimate, estimate } from "./estimate.js";

/**
 * Covariance Cov(a, b) = ⟨ab⟩ − ⟨a⟩⟨b⟩ of two observables measured on the same samples, with an
 * autocorrelation-aware error: the mean of the product series (a_t − ā)(b_t − b̄) analysed by
 * {@link estimate} (its τ_int is the one reported), with Bessel's factor n/(n − 1). The error of
 * ā and b̄ enters only at O(1/n) and is neglected.
 */
export function covarianceEstimate(a: ArrayLike<number>, b: ArrayLike<number>): Estimate {
  if (a.length !== b.length) throw new PhysmlInputError("b.length", `${a.length} (= a.length)`, b.length);
  const n = a.length;
  if (n < 3) throw new PhysmlInputError("a.length", "at least 3", n);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(a[i])) throw new PhysmlInputError(`a[${i}]`, "a finite number", a[i]);
    if (!Number.isFinite(b[i])) throw new PhysmlInputError(`b[${i}]`, "a finite number", b[i]);
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  const prod = new Float64Array(n);
  for (let i = 0; i < n; i++) prod[i] = (a[i] - ma) * (b[i] - mb);
  const e = estimate(prod);
  const bessel = n / (n - 1);
  return { mean: e.mean * bessel, error: e.error * bessel, tauInt: e.tauInt, n };
}
