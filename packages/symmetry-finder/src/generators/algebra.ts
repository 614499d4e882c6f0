// Matrix Lie algebras as lists of n×n generators (row-major Float64Arrays): the true algebras of
// the test potentials, commutators, closure of a span, structure constants, and the checks of the
// issue (antisymmetry, orthogonality). Inner product: Frobenius, ⟨A, B⟩ = tr(AᵀB).
import { PhysmlInputError } from "@physml/lattice-core";
import type { AlgebraName } from "../data/potentials.js";

export type Generator = Float64Array;

export const frob = (a: Generator, b: Generator): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
export const frobNorm = (a: Generator): number => Math.sqrt(frob(a, a));

/** The unit-norm rotation generator of the (i, j) plane: (E_ji − E_ij)/√2. */
export function planeRotation(n: number, i: number, j: number): Generator {
  const g = new Float64Array(n * n);
  g[j * n + i] = Math.SQRT1_2;
  g[i * n + j] = -Math.SQRT1_2;
  return g;
}

/** Orthonormal basis of so(k) acting on the first k of n coordinates. */
export function soBasis(n: number, k = n): Generator[] {
  const out: Generator[] = [];
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) out.push(planeRotation(n, i, j));
  return out;
}

/** Orthonormal basis of the true algebra of a potential's level sets. */
export function trueAlgebra(name: AlgebraName, n: number): Generator[] {
  switch (name) {
    case "so":
      return soBasis(n);
    case "so2xso2":
      if (n !== 4) throw new PhysmlInputError("dim", "4 for so(2)⊕so(2)", n);
      return [planeRotation(4, 0, 1), planeRotation(4, 2, 3)];
    case "so3in4":
      if (n !== 4) throw new PhysmlInputError("dim", "4 for so(3) ⊂ so(4)", n);
      return soBasis(4, 3);
    case "none":
      return [];
  }
}

/** [A, B] = AB − BA. */
export function commutator(a: Generator, b: Generator, n: number): Generator {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j] - b[i * n + k] * a[k * n + j];
      c[i * n + j] = s;
    }
  }
  return c;
}

export interface Closure {
  /** max over pairs of |[G_a, G_b] − its projection on the span| (generators of unit norm). */
  residual: number;
  /** f[a][b][c] = ⟨[G_a, G_b], G_c⟩: [G_a, G_b] ≈ Σ_c f_ab^c G_c. */
  structureConstants: number[][][];
}

/** Closure of the span of orthonormal generators under the commutator. */
export function closure(gens: readonly Generator[], n: number): Closure {
  checkOrthonormal(gens);
  const d = gens.length;
  let residual = 0;
  const f = Array.from({ length: d }, () => Array.from({ length: d }, () => new Array<number>(d).fill(0)));
  for (let a = 0; a < d; a++) {
    for (let b = a + 1; b < d; b++) {
      const c = commutator(gens[a], gens[b], n);
      const rest = Float64Array.from(c);
      for (let k = 0; k < d; k++) {
        const coef = frob(c, gens[k]);
        f[a][b][k] = coef;
        f[b][a][k] = -coef;
        for (let i = 0; i < rest.length; i++) rest[i] -= coef * gens[k][i];
      }
      residual = Math.max(residual, frobNorm(rest));
    }
  }
  return { residual, structureConstants: f };
}

/** max |⟨G_a, G_b⟩ − δ_ab|: 0 for an orthonormal list. */
export function orthonormalityError(gens: readonly Generator[]): number {
  let e = 0;
  gens.forEach((a, i) => {
    gens.forEach((b, j) => {
      e = Math.max(e, Math.abs(frob(a, b) - (i === j ? 1 : 0)));
    });
  });
  return e;
}

function checkOrthonormal(gens: readonly Generator[]): void {
  const e = orthonormalityError(gens);
  if (e > 1e-8) throw new PhysmlInputError("generators", "an orthonormal list (Frobenius)", e);
}

/** |G + Gᵀ| / |G|: 0 for an antisymmetric (orthogonal-group) generator. */
export function antisymmetryError(g: Generator, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += (g[i * n + j] + g[j * n + i]) ** 2;
  return Math.sqrt(s) / frobNorm(g);
}

/** sin of the angle between G and the span of an orthonormal basis: |G − P G| / |G|. */
export function distanceToSpan(g: Generator, basis: readonly Generator[]): number {
  const rest = Float64Array.from(g);
  for (const b of basis) {
    const c = frob(g, b);
    for (let i = 0; i < rest.length; i++) rest[i] -= c * b[i];
  }
  return frobNorm(rest) / frobNorm(g);
}

/** Nested arrays for JSON. */
export function toMatrix(g: Generator, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(g.subarray(i * n, (i + 1) * n)));
}
