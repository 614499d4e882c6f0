import { checkFinite, PhysmlInputError } from "../errors.js";

/**
 * Onsager's exact results for the nearest-neighbour Ising model on the infinite square lattice,
 * H = −J Σ⟨ij⟩ s_i s_j with J = 1 and inverse temperature β (so the coupling is K = β).
 */

/** Critical coupling β_c = ½ ln(1 + √2) ≈ 0.4406868. */
export const BETA_C = 0.5 * Math.log(1 + Math.SQRT2);

function checkBeta(beta: number): number {
  checkFinite("beta", beta);
  if (beta < 0) throw new PhysmlInputError("beta", "a finite number >= 0", beta);
  return beta;
}

/** Arithmetic–geometric mean, to full double precision. */
function agm(a: number, b: number): number {
  for (let k = 0; k < 60 && Math.abs(a - b) > 1e-16 * a; k++) [a, b] = [(a + b) / 2, Math.sqrt(a * b)];
  return (a + b) / 2;
}

/** Complete elliptic integral of the first kind K(k) given the complementary modulus k' = √(1−k²). */
function ellipticK(kPrime: number): number {
  return Math.PI / (2 * agm(1, kPrime));
}

/**
 * Tanh–sinh (double-exponential) quadrature of f on [a, b], refined until two successive levels
 * agree to ~1e-15 relative. It copes with the near-endpoint structure of the Onsager integrand
 * close to β_c.
 */
function tanhSinh(f: (x: number) => number, a: number, b: number): number {
  const half = (b - a) / 2;
  const tMax = 3.2;
  let h = 0.5;
  const node = (t: number): number => {
    const u = (Math.PI / 2) * Math.sinh(t);
    const w = ((Math.PI / 2) * Math.cosh(t)) / Math.cosh(u) ** 2;
    // 1 − tanh(u) computed without cancellation, so nodes hug the endpoints accurately.
    const oneMinus = 2 / (1 + Math.exp(2 * u));
    if (w === 0) return 0;
    return w * (f(b - half * oneMinus) + (t === 0 ? 0 : f(a + half * oneMinus)));
  };
  let sum = node(0);
  for (let t = h; t <= tMax; t += h) sum += node(t);
  let prev = sum * h * half;
  for (let level = 0; level < 12; level++) {
    h /= 2;
    for (let t = h; t <= tMax; t += 2 * h) sum += node(t);
    const cur = sum * h * half;
    if (Math.abs(cur - prev) <= 1e-15 * Math.max(1, Math.abs(cur))) return cur;
    prev = cur;
  }
  return prev;
}

/**
 * Reduced free energy per site βf = −ln Z / N (dimensionless: β times the free energy per site f)
 * of the infinite lattice: −βf = ln(2 cosh 2β) + (1/π) ∫_0^{π/2} ln[(1 + √(1 − κ² sin²θ))/2] dθ, κ = 2 sinh 2β / cosh² 2β.
 */
export function onsagerReducedFreeEnergy(beta: number): number {
  checkBeta(beta);
  const s = Math.sinh(2 * beta);
  const ch2 = Math.cosh(2 * beta) ** 2;
  // 1 − κ² sin²θ = cos²θ + κ'² sin²θ with κ' = |1 − sinh² 2β| / cosh² 2β, free of cancellation.
  const kp = Math.abs(1 - s * s) / ch2;
  const integral = tanhSinh(
    (th) => {
      const c = Math.cos(th);
      const sn = Math.sin(th);
      return Math.log1p(Math.sqrt(c * c + kp * kp * sn * sn)) - Math.LN2;
    },
    0,
    Math.PI / 2,
  );
  const lnTwoCosh = 2 * beta + Math.log1p(Math.exp(-4 * beta)); // ln(2 cosh 2β) without overflow
  return -(lnTwoCosh + integral / Math.PI);
}

/**
 * (2/π) K(κ) − 1 given κ and κ' = √(1 − κ²). For κ² ≤ ½ it sums Σ_{n≥1} [(2n−1)!!/(2n)!!]² κ^{2n}
 * term by term: 1/agm(1, κ') − 1 would lose every digit below ε/κ² to cancellation, and at
 * high temperature κ ≈ 4β is small.
 */
function twoOverPiKMinusOne(kappa: number, kPrime: number): number {
  const k2 = kappa * kappa;
  if (k2 > 0.5) return (2 * ellipticK(kPrime)) / Math.PI - 1;
  let c = 1;
  let power = 1;
  let sum = 0;
  for (let n = 1; n < 200; n++) {
    c *= (2 * n - 1) / (2 * n);
    power *= k2;
    const term = c * c * power;
    sum += term;
    if (term <= 1e-17 * sum) break;
  }
  return sum;
}

/**
 * Energy per site u = ⟨−Σ⟨ij⟩ s_i s_j⟩ / N = ∂f/∂β of the infinite lattice (J = 1):
 * u = −coth 2β [1 + (2/π)(2 tanh² 2β − 1) K(κ)]; u(β_c) = −√2. With g = (2/π)K − 1 the bracket is
 * 2 tanh² 2β (1 + g) − g, which keeps full relative precision as β → 0 (u ≈ −2β).
 */
export function onsagerEnergyPerSite(beta: number): number {
  checkBeta(beta);
  if (beta === 0) return 0;
  const s = Math.sinh(2 * beta);
  const ch2 = Math.cosh(2 * beta) ** 2;
  const kp = Math.abs(1 - s * s) / ch2;
  const coth = 1 / Math.tanh(2 * beta);
  const t2 = Math.tanh(2 * beta) ** 2;
  if (kp === 0) return -coth;
  const g = twoOverPiKMinusOne((2 * s) / ch2, kp);
  return -coth * (2 * t2 * (1 + g) - g);
}

/**
 * Spontaneous magnetisation per site of the infinite lattice (Onsager–Yang):
 * m = (1 − sinh^{−4} 2β)^{1/8} for β > β_c, and 0 for β ≤ β_c.
 */
export function onsagerMagnetization(beta: number): number {
  checkBeta(beta);
  if (beta <= BETA_C) return 0;
  const s = Math.sinh(2 * beta);
  const x = 1 - 1 / s ** 4;
  return x > 0 ? x ** 0.125 : 0;
}
