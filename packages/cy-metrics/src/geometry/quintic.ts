// A quintic threefold in P⁴ described as data: a list of monomial terms with complex
// coefficients. The Dwork family p_ψ = Σ z_i⁵ − 5ψ Π z_i (the Fermat quintic at ψ = 0) is one
// such description; everything else (line polynomials, gradients, section bases) is derived.
import { PhysmlInputError } from "@physml/lattice-core";
import type { Complex } from "../complex.js";

/** One term c · Π z_j^{e_j} of a homogeneous quintic. */
export interface QuinticTerm {
  /** Exponents of z₀…z₄, non-negative integers summing to 5. */
  exponents: readonly [number, number, number, number, number];
  coefficient: Complex;
}

/** A quintic hypersurface in P⁴: p(z) = Σ_terms c Π z_j^{e_j}. */
export interface Quintic {
  terms: readonly QuinticTerm[];
  /** The Dwork parameter when the quintic was built by {@link dworkQuintic}. */
  psi?: Complex;
}

/** Number of homogeneous coordinates of P⁴. */
export const N_COORDS = 5;

/**
 * The Dwork quintic p_ψ = z₀⁵ + z₁⁵ + z₂⁵ + z₃⁵ + z₄⁵ − 5ψ z₀z₁z₂z₃z₄ (ψ = 0: the Fermat
 * quintic). This is cyjax's `Dwork()` convention (factor −5), so its ψ is the same number.
 */
export function dworkQuintic(psi: Complex = { re: 0, im: 0 }): Quintic {
  if (!Number.isFinite(psi.re) || !Number.isFinite(psi.im)) {
    throw new PhysmlInputError("psi", "a finite complex number", `${psi.re} + ${psi.im}i`);
  }
  const terms: QuinticTerm[] = [];
  for (let j = 0; j < N_COORDS; j++) {
    const e: [number, number, number, number, number] = [0, 0, 0, 0, 0];
    e[j] = 5;
    terms.push({ exponents: e, coefficient: { re: 1, im: 0 } });
  }
  if (psi.re !== 0 || psi.im !== 0) {
    terms.push({ exponents: [1, 1, 1, 1, 1], coefficient: { re: -5 * psi.re, im: -5 * psi.im } });
  }
  return { terms, psi: { re: psi.re, im: psi.im } };
}

/** A general quintic from its terms (validated: exponents non-negative integers of total degree 5). */
export function quinticFromTerms(terms: readonly QuinticTerm[]): Quintic {
  if (terms.length === 0) throw new PhysmlInputError("terms", "at least one term", 0);
  for (const [t, term] of terms.entries()) {
    const e = term.exponents;
    if (
      e.length !== N_COORDS ||
      e.some((x) => !Number.isInteger(x) || x < 0) ||
      e.reduce((a, b) => a + b) !== 5
    ) {
      throw new PhysmlInputError(`terms[${t}].exponents`, "5 non-negative integers summing to 5", `[${e}]`);
    }
    const c = term.coefficient;
    if (!Number.isFinite(c.re) || !Number.isFinite(c.im)) {
      throw new PhysmlInputError(`terms[${t}].coefficient`, "a finite complex number", `${c.re} + ${c.im}i`);
    }
  }
  return {
    terms: terms.map((t) => ({
      exponents: [...t.exponents],
      coefficient: { ...t.coefficient },
    })) as QuinticTerm[],
  };
}

/**
 * p(z) and its holomorphic gradient ∂p/∂z_j at one point. `z` holds 5 interleaved complex
 * coordinates from `off`; `grad` receives 5 interleaved complex numbers; returns p(z) into `value`
 * (2 doubles). `scale` (optional, 1 double) receives Σ_terms |c Π z^e|, the size against which a
 * residual |p(z)| is small.
 */
export function evalQuintic(
  q: Quintic,
  z: Float64Array,
  off: number,
  value: Float64Array,
  grad: Float64Array,
  scale?: Float64Array,
): void {
  // powers z_j^e for e = 0…5
  const pw = POW;
  for (let j = 0; j < N_COORDS; j++) {
    const zr = z[off + 2 * j];
    const zi = z[off + 2 * j + 1];
    pw[12 * j] = 1;
    pw[12 * j + 1] = 0;
    for (let e = 1; e <= 5; e++) {
      const pr = pw[12 * j + 2 * (e - 1)];
      const pi = pw[12 * j + 2 * (e - 1) + 1];
      pw[12 * j + 2 * e] = pr * zr - pi * zi;
      pw[12 * j + 2 * e + 1] = pr * zi + pi * zr;
    }
  }
  let vr = 0;
  let vi = 0;
  let sc = 0;
  grad.fill(0, 0, 2 * N_COORDS);
  for (const term of q.terms) {
    const e = term.exponents;
    let mr = term.coefficient.re;
    let mi = term.coefficient.im;
    for (let j = 0; j < N_COORDS; j++) {
      const ar = pw[12 * j + 2 * e[j]];
      const ai = pw[12 * j + 2 * e[j] + 1];
      const t = mr * ar - mi * ai;
      mi = mr * ai + mi * ar;
      mr = t;
    }
    vr += mr;
    vi += mi;
    sc += Math.hypot(mr, mi);
    for (let j = 0; j < N_COORDS; j++) {
      if (e[j] === 0) continue;
      // ∂_j of c Π z^e = e_j c z_j^{e_j − 1} Π_{l≠j} z_l^{e_l}
      let dr = e[j] * term.coefficient.re;
      let di = e[j] * term.coefficient.im;
      for (let l = 0; l < N_COORDS; l++) {
        const ex = l === j ? e[l] - 1 : e[l];
        if (ex === 0) continue;
        const ar = pw[12 * l + 2 * ex];
        const ai = pw[12 * l + 2 * ex + 1];
        const t = dr * ar - di * ai;
        di = dr * ai + di * ar;
        dr = t;
      }
      grad[2 * j] += dr;
      grad[2 * j + 1] += di;
    }
  }
  value[0] = vr;
  value[1] = vi;
  if (scale) scale[0] = sc;
}

const POW = new Float64Array(12 * N_COORDS);

/**
 * Coefficients a₀…a₅ (interleaved complex, a_d multiplies t^d) of the degree-5 polynomial
 * t ↦ p(u + t v) whose roots are the intersections of the line u + t v with the quintic.
 * `u`, `v` are 5 interleaved complex coordinates each.
 */
export function linePolynomial(q: Quintic, u: Float64Array, v: Float64Array, out: Float64Array): void {
  out.fill(0, 0, 12);
  const acc = LINE_ACC;
  for (const term of q.terms) {
    // acc = c · Π_j (u_j + t v_j)^{e_j}, a polynomial of degree ≤ 5 in t
    acc.fill(0);
    acc[0] = term.coefficient.re;
    acc[1] = term.coefficient.im;
    let deg = 0;
    for (let j = 0; j < N_COORDS; j++) {
      const ur = u[2 * j];
      const ui = u[2 * j + 1];
      const vr = v[2 * j];
      const vi = v[2 * j + 1];
      for (let r = 0; r < term.exponents[j]; r++) {
        // multiply acc by (u_j + t v_j), highest degree first so acc can be updated in place
        deg++;
        for (let d = deg; d >= 0; d--) {
          const lr = d < deg ? acc[2 * d] : 0;
          const li = d < deg ? acc[2 * d + 1] : 0;
          const hr = d > 0 ? acc[2 * (d - 1)] : 0;
          const hi = d > 0 ? acc[2 * (d - 1) + 1] : 0;
          acc[2 * d] = lr * ur - li * ui + (hr * vr - hi * vi);
          acc[2 * d + 1] = lr * ui + li * ur + (hr * vi + hi * vr);
        }
      }
    }
    for (let d = 0; d <= 5; d++) {
      out[2 * d] += acc[2 * d];
      out[2 * d + 1] += acc[2 * d + 1];
    }
  }
}

const LINE_ACC = new Float64Array(12);
