// Roots of a complex polynomial: Aberth–Ehrlich simultaneous iteration (cubically convergent,
// finds all roots at once without deflation), then Newton polishing of every root on the
// original coefficients.

/** Result of {@link polynomialRoots}. */
export interface RootsResult {
  /** degree interleaved complex roots. */
  roots: Float64Array;
  /** True when the backward error is below 1e-12. */
  converged: boolean;
  /** Largest |p(x)| / Σ_d |a_d| |x|^d over the roots. */
  backwardError: number;
  iterations: number;
}

const MAX_ITER = 500;

/** p(x) and p'(x) by Horner; coefficients a₀…a_n interleaved (a_n multiplies x^n). */
function horner(a: Float64Array, n: number, xr: number, xi: number, out: Float64Array): void {
  let pr = a[2 * n];
  let pi = a[2 * n + 1];
  let dr = 0;
  let di = 0;
  for (let d = n - 1; d >= 0; d--) {
    const tr = dr * xr - di * xi + pr;
    di = dr * xi + di * xr + pi;
    dr = tr;
    const qr = pr * xr - pi * xi + a[2 * d];
    pi = pr * xi + pi * xr + a[2 * d + 1];
    pr = qr;
  }
  out[0] = pr;
  out[1] = pi;
  out[2] = dr;
  out[3] = di;
}

/**
 * All n roots of a₀ + a₁x + … + a_n xⁿ (interleaved complex coefficients, a_n ≠ 0).
 * Starting points lie on a circle whose radius is the geometric mean of the root moduli
 * (|a₀/a_n|^{1/n}), rotated off the real axis to avoid symmetric stalls.
 */
export function polynomialRoots(a: Float64Array, n: number): RootsResult {
  const lead = Math.hypot(a[2 * n], a[2 * n + 1]);
  if (!(lead > 0)) throw new RangeError("polynomialRoots: leading coefficient is zero");
  const roots = new Float64Array(2 * n);
  const radius = Math.max(Math.hypot(a[0], a[1]) / lead, 1e-300) ** (1 / n) || 1;
  for (let j = 0; j < n; j++) {
    const th = (2 * Math.PI * j) / n + 0.4;
    roots[2 * j] = radius * Math.cos(th);
    roots[2 * j + 1] = radius * Math.sin(th);
  }
  const h = new Float64Array(4);
  // stop once every correction is at the rounding level
  let maxRel = Infinity;
  let it = 0;
  for (; it < MAX_ITER && maxRel > 1e-15; it++) {
    maxRel = 0;
    for (let j = 0; j < n; j++) {
      const xr = roots[2 * j];
      const xi = roots[2 * j + 1];
      horner(a, n, xr, xi, h);
      if (h[0] === 0 && h[1] === 0) continue;
      // Newton ratio p/p'
      const dd = h[2] * h[2] + h[3] * h[3];
      if (dd === 0) {
        maxRel = Infinity;
        roots[2 * j] += radius * 1e-3;
        continue;
      }
      const nr = (h[0] * h[2] + h[1] * h[3]) / dd;
      const ni = (h[1] * h[2] - h[0] * h[3]) / dd;
      // Σ_{l≠j} 1/(x_j − x_l)
      let sr = 0;
      let si = 0;
      for (let l = 0; l < n; l++) {
        if (l === j) continue;
        const er = xr - roots[2 * l];
        const ei = xi - roots[2 * l + 1];
        const e2 = er * er + ei * ei;
        sr += er / e2;
        si -= ei / e2;
      }
      // w = ratio / (1 − ratio · sum)
      const br = 1 - (nr * sr - ni * si);
      const bi = -(nr * si + ni * sr);
      const b2 = br * br + bi * bi;
      const wr = (nr * br + ni * bi) / b2;
      const wi = (ni * br - nr * bi) / b2;
      roots[2 * j] = xr - wr;
      roots[2 * j + 1] = xi - wi;
      maxRel = Math.max(maxRel, Math.hypot(wr, wi) / Math.max(Math.hypot(xr, xi), 1e-300));
    }
  }
  // Newton polishing on the original coefficients
  for (let j = 0; j < n; j++) {
    for (let s = 0; s < 2; s++) {
      horner(a, n, roots[2 * j], roots[2 * j + 1], h);
      const dd = h[2] * h[2] + h[3] * h[3];
      if (dd === 0) break;
      roots[2 * j] -= (h[0] * h[2] + h[1] * h[3]) / dd;
      roots[2 * j + 1] -= (h[1] * h[2] - h[0] * h[3]) / dd;
    }
  }
  // converged: every root is an exact root of a polynomial within 1e-12 relative of the given
  // one (backward error |p(x)| / Σ|a_d||x|^d), which also holds for ill-conditioned clusters
  let backward = 0;
  for (let j = 0; j < n; j++) {
    const xr = roots[2 * j];
    const xi = roots[2 * j + 1];
    horner(a, n, xr, xi, h);
    const r = Math.hypot(xr, xi);
    let size = 0;
    for (let d = n; d >= 0; d--) size = size * r + Math.hypot(a[2 * d], a[2 * d + 1]);
    backward = Math.max(backward, Math.hypot(h[0], h[1]) / size);
  }
  return {
    roots,
    converged: backward < 1e-12 && Number.isFinite(backward),
    backwardError: backward,
    iterations: it,
  };
}
