// Sections of O(k) on the quintic: degree-k monomials in z₀…z₄ modulo the ideal (p). Since (p)
// is principal, p itself is a Gröbner basis, so the monomials not divisible by the leading
// monomial of p (lexicographic order) are a basis of the quotient in every degree:
// C(k+4, 4) − C(k−1, 4) sections (5, 15, 35, 70, 125, 205 for k = 1…6).
import { checkInt } from "@physml/lattice-core";
import { N_COORDS, type Quintic } from "../geometry/quintic.js";
import type { PointsView } from "../geometry/sample.js";

/** A monomial basis of H⁰(X, O(k)). */
export interface SectionBasis {
  k: number;
  /** Number of sections N_k. */
  size: number;
  /** size × 5 exponents, row α = exponents of s_α. */
  exponents: Uint8Array;
}

/** Lexicographically largest monomial of p with a non-zero coefficient. */
export function leadingMonomial(q: Quintic): number[] {
  let best: number[] | null = null;
  for (const t of q.terms) {
    if (t.coefficient.re === 0 && t.coefficient.im === 0) continue;
    const e = [...t.exponents];
    if (best === null || lexGreater(e, best)) best = e;
  }
  if (best === null) throw new RangeError("leadingMonomial: the quintic has no non-zero term");
  return best;
}

function lexGreater(a: number[], b: number[]): boolean {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return a[j] > b[j];
  return false;
}

/** All exponent vectors of degree k in 5 variables, lexicographically descending. */
function monomials(k: number): number[][] {
  const out: number[][] = [];
  const e = new Array<number>(N_COORDS).fill(0);
  const rec = (j: number, left: number) => {
    if (j === N_COORDS - 1) {
      e[j] = left;
      out.push([...e]);
      return;
    }
    for (let x = left; x >= 0; x--) {
      e[j] = x;
      rec(j + 1, left - x);
    }
  };
  rec(0, k);
  return out;
}

/** The degree-k monomial basis of sections on the quintic `q` (k in [1, 12]). */
export function sectionBasis(q: Quintic, k: number): SectionBasis {
  checkInt("k", k, 1, 12);
  const lead = leadingMonomial(q);
  const kept = monomials(k).filter((e) => !e.every((x, j) => x >= lead[j]));
  const exponents = new Uint8Array(kept.length * N_COORDS);
  for (const [a, e] of kept.entries()) exponents.set(e, a * N_COORDS);
  return { k, size: kept.length, exponents };
}

/**
 * How to evaluate a basis cheaply: every monomial of degree ≤ k is its parent (one degree lower)
 * times one coordinate, so all of them cost one complex product each; a section is one of them
 * and its derivative ∂_j s_α = e_j · (s_α / z_j) is a degree k − 1 monomial times e_j.
 */
interface EvaluationPlan {
  /** Number of monomials of degree ≤ k. */
  count: number;
  parent: Int32Array;
  coord: Uint8Array;
  /** Index of each section among all monomials. */
  section: Int32Array;
  /** N × 5: index of s_α / z_j among all monomials (−1 when e_j = 0). */
  derivative: Int32Array;
}

const PLANS = new WeakMap<SectionBasis, EvaluationPlan>();

function planOf(basis: SectionBasis): EvaluationPlan {
  const cached = PLANS.get(basis);
  if (cached) return cached;
  const all: number[][] = [];
  const index = new Map<string, number>();
  const parent: number[] = [];
  const coord: number[] = [];
  for (let d = 0; d <= basis.k; d++) {
    for (const e of monomials(d)) {
      index.set(e.join(","), all.length);
      if (d === 0) {
        parent.push(-1);
        coord.push(0);
      } else {
        const j = e.findIndex((x) => x > 0);
        const p = [...e];
        p[j]--;
        parent.push(index.get(p.join(",")) as number);
        coord.push(j);
      }
      all.push(e);
    }
  }
  const N = basis.size;
  const section = new Int32Array(N);
  const derivative = new Int32Array(N * N_COORDS).fill(-1);
  for (let a = 0; a < N; a++) {
    const e = Array.from(basis.exponents.subarray(a * N_COORDS, (a + 1) * N_COORDS));
    section[a] = index.get(e.join(",")) as number;
    for (let j = 0; j < N_COORDS; j++) {
      if (e[j] === 0) continue;
      const p = [...e];
      p[j]--;
      derivative[a * N_COORDS + j] = index.get(p.join(",")) as number;
    }
  }
  const plan = {
    count: all.length,
    parent: Int32Array.from(parent),
    coord: Uint8Array.from(coord),
    section,
    derivative,
  };
  PLANS.set(basis, plan);
  return plan;
}

/**
 * Writes, for points [from, to) of `points`, the sections (and with `derivatives`, their
 * derivatives along the 4 affine coordinates of each point's patch, in increasing index order)
 * as rows of a real matrix [Re s | Im s] with 2N columns. Without derivatives there is one row per
 * point; with them five (s, ∂₁s, …, ∂₄s). Coordinates are the patch-normalised ones (z_patch = 1).
 */
export function sectionRows(
  basis: SectionBasis,
  points: PointsView,
  from: number,
  to: number,
  derivatives: boolean,
  out: Float64Array,
): void {
  const N = basis.size;
  const E = basis.exponents;
  const plan = planOf(basis);
  const { parent, coord, section, derivative } = plan;
  const rowsPer = derivatives ? 5 : 1;
  const W = 2 * N;
  const v = new Float64Array(2 * plan.count);
  const z = points.z;
  for (let i = from; i < to; i++) {
    const zo = 10 * i;
    v[0] = 1;
    v[1] = 0;
    for (let m = 1; m < plan.count; m++) {
      const p = 2 * parent[m];
      const c = zo + 2 * coord[m];
      const pr = v[p];
      const pi = v[p + 1];
      v[2 * m] = pr * z[c] - pi * z[c + 1];
      v[2 * m + 1] = pr * z[c + 1] + pi * z[c];
    }
    const r0 = (i - from) * rowsPer * W;
    for (let a = 0; a < N; a++) {
      out[r0 + a] = v[2 * section[a]];
      out[r0 + N + a] = v[2 * section[a] + 1];
    }
    if (!derivatives) continue;
    const patch = points.patch[i];
    let row = r0;
    for (let j = 0; j < N_COORDS; j++) {
      if (j === patch) continue;
      row += W;
      for (let a = 0; a < N; a++) {
        const m = derivative[a * N_COORDS + j];
        if (m < 0) {
          out[row + a] = 0;
          out[row + N + a] = 0;
        } else {
          const e = E[a * N_COORDS + j];
          out[row + a] = e * v[2 * m];
          out[row + N + a] = e * v[2 * m + 1];
        }
      }
    }
  }
}
