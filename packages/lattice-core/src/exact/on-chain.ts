// Exact nearest-neighbour O(2) (XY) and O(3) (Heisenberg) rings, H = −K Σ_i s_i·s_{i+1}:
// the transfer kernel exp(K cos θ) has eigenvalues ∝ I_m(K) (m ∈ Z) for XY and ∝ i_l(K) with
// multiplicity 2l+1 for Heisenberg, so Z_L = Σ (mult) λ^L and ⟨s_i·s_{i+1}⟩ = ∂ ln Z / ∂K / L.
// L → ∞ gives I₁(K)/I₀(K) and coth K − 1/K.
import { checkInt, PhysmlInputError } from "../errors.js";

/** Modified Bessel I_m(x), integer m ≥ 0, x ≥ 0, from its positive power series. */
export function besselI(m: number, x: number): number {
  let term = (x / 2) ** m;
  for (let j = 1; j <= m; j++) term /= j;
  let sum = term;
  const q = (x * x) / 4;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * (k + m));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Modified spherical Bessel i_l(x) = √(π/2x) I_{l+½}(x), l ≥ 0, from its power series. */
export function sphericalBesselI(l: number, x: number): number {
  // i_l(x) = x^l Σ_k (x²/2)^k / (k! (2l+2k+1)!!)
  let dfact = 1;
  for (let j = 1; j <= 2 * l + 1; j += 2) dfact *= j;
  let term = x ** l / dfact;
  let sum = term;
  const q = (x * x) / 2;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * (2 * l + 2 * k + 1));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Exact averages of an O(n) ring. */
export interface OnChainExact {
  /** ⟨s_i · s_{i+1}⟩ (the energy per bond is −⟨s_i·s_{i+1}⟩ in units of J). */
  bond: number;
  /** ⟨H⟩ / L = −K·bond. (couplings absorbed: dimensionless) */
  reducedEnergyPerSite: number;
}

function ringAverage(
  K: number,
  L: number,
  lambda: (m: number) => number,
  dLambda: (m: number) => number,
  mult: (m: number) => number,
) {
  // Σ_m mult·λ_m^L and Σ_m mult·λ_m^{L−1} λ'_m, relative to λ_0 (the largest) to avoid overflow.
  const l0 = lambda(0);
  let z = 0;
  let dz = 0;
  for (let m = 0; m < 200; m++) {
    const r = lambda(m) / l0;
    const w = mult(m) * r ** (L - 1);
    z += w * r;
    dz += (w * dLambda(m)) / l0;
    if (m > 2 && r ** (L - 1) < 1e-18) break;
  }
  const bond = dz / z;
  return { bond, reducedEnergyPerSite: -K * bond };
}

function checkArgs(K: number, L: number): void {
  if (!Number.isFinite(K) || K < 0 || K > 50) throw new PhysmlInputError("K", "a number in [0, 50]", K);
  checkInt("L", L, 2, 2 ** 30);
}

/** Exact XY ring of L sites with coupling K ≥ 0 (β absorbed). */
export function xyChainExact(K: number, L: number): OnChainExact {
  checkArgs(K, L);
  if (K === 0) return { bond: 0, reducedEnergyPerSite: 0 };
  return ringAverage(
    K,
    L,
    (m) => besselI(m, K),
    (m) => (besselI(Math.abs(m - 1), K) + besselI(m + 1, K)) / 2,
    (m) => (m === 0 ? 1 : 2),
  );
}

/** Exact Heisenberg ring of L sites with coupling K ≥ 0 (β absorbed). */
export function heisenbergChainExact(K: number, L: number): OnChainExact {
  checkArgs(K, L);
  if (K === 0) return { bond: 0, reducedEnergyPerSite: 0 };
  return ringAverage(
    K,
    L,
    (l) => sphericalBesselI(l, K),
    // (2l+1) i_l' = l i_{l−1} + (l+1) i_{l+1}
    (l) =>
      ((l > 0 ? l * sphericalBesselI(l - 1, K) : 0) + (l + 1) * sphericalBesselI(l + 1, K)) / (2 * l + 1),
    (l) => 2 * l + 1,
  );
}
