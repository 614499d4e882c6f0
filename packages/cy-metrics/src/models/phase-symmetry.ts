// Which entries of G an invariant algebraic metric may have. The phase rotations
// z_j → ω^{a_j} z_j (ω = e^{2πi/5}, a ∈ Z₅⁵) that map p to a multiple of itself are
// automorphisms of X preserving the hyperplane class, so the Ricci-flat metric is invariant under
// them and so is the optimal G: a monomial s_α picks up ω^{a·α}, hence G_{αβ} can be non-zero
// only if a·(α − β) ≡ 0 (mod 5) for every such a. All 5⁵ rotations qualify for the Fermat
// quintic (G is then diagonal up to pairs like z₁⁵, z₂⁵); Σa ≡ 0 for the Dwork family ψ ≠ 0;
// a generic quintic keeps only the overall phase (every entry allowed).
import type { SectionBasis } from "../donaldson/sections.js";
import { N_COORDS, type Quintic } from "../geometry/quintic.js";

const ORDER = 5;

/** The phase rotations a ∈ Z₅⁵ under which every term of `q` picks up the same phase. */
export function phaseSymmetries(q: Quintic): Int8Array[] {
  const terms = q.terms.filter((t) => t.coefficient.re !== 0 || t.coefficient.im !== 0);
  const out: Int8Array[] = [];
  const a = new Int8Array(N_COORDS);
  for (let code = 0; code < ORDER ** N_COORDS; code++) {
    for (let j = 0, c = code; j < N_COORDS; j++, c = Math.floor(c / ORDER)) a[j] = c % ORDER;
    const charge = (e: readonly number[]) => e.reduce((s, x, j) => s + x * a[j], 0) % ORDER;
    const c0 = charge(terms[0].exponents);
    if (terms.every((t) => charge(t.exponents) === c0)) out.push(Int8Array.from(a));
  }
  return out;
}

/**
 * The upper-triangle entries (α ≤ β) of G allowed by the phase symmetries of `q`, as a flat list
 * α₀, β₀, α₁, β₁, … (diagonal entries are always allowed). With `symmetric = false` every entry.
 */
export function allowedEntries(q: Quintic, basis: SectionBasis, symmetric = true): Int32Array {
  const N = basis.size;
  const E = basis.exponents;
  const group = symmetric ? phaseSymmetries(q) : [];
  const out: number[] = [];
  for (let al = 0; al < N; al++) {
    for (let be = al; be < N; be++) {
      const ok = group.every((a) => {
        let s = 0;
        for (let j = 0; j < N_COORDS; j++) s += a[j] * (E[al * N_COORDS + j] - E[be * N_COORDS + j]);
        return ((s % ORDER) + ORDER) % ORDER === 0;
      });
      if (ok) out.push(al, be);
    }
  }
  return Int32Array.from(out);
}
