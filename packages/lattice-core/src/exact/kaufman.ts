import { checkFinite, checkInt, PhysmlInputError } from "../errors.js";
import { MAX_LATTICE_SIDE } from "../lattice/square.js";

/** Exact thermodynamics of the nearest-neighbour Ising model on a finite Lx × Ly torus. */
export interface KaufmanResult {
  /** ln Z at coupling K = β (H = −Σ⟨ij⟩ s_i s_j, 2N bonds). */
  lnZ: number;
  /** βf = −ln Z / N (dimensionless, as {@link onsagerReducedFreeEnergy}). */
  reducedFreeEnergyPerSite: number;
  /** ⟨−Σ⟨ij⟩ s_i s_j⟩ / N = −(1/N) ∂ ln Z/∂β (J = 1 units, as {@link onsagerEnergyPerSite}). */
  energyPerSite: number;
  /**
   * β² (1/N) ∂² ln Z/∂β² = β² Var(Σ s_i s_j) / N (k_B = 1); never negative. Deep in the ordered
   * phase it is below the rounding error of the sector sums (e.g. ~1e−31 on 8×8 at β = 10, where
   * the rounding error is ~1e−14): it is then reported as 0, and
   * `specificHeatPerSitePrecision` says how large it could be.
   */
  specificHeatPerSite: number;
  /** Absolute precision of `specificHeatPerSite` (a bound on the rounding error of the sums). */
  specificHeatPerSitePrecision: number;
}

/** Largest β accepted: beyond it cosh² 2β and its derivatives leave double range. */
export const KAUFMAN_MAX_BETA = 50;

/**
 * A sector Z_j = e^{scale} · G · (rest), kept as: the log-scale, the scaled "special" factor
 * (G, G', G'') — the γ_0 factor, which may vanish or be negative — and the first two log-derivatives
 * μ', μ'' of the positive remaining factors.
 */
interface Sector {
  scale: number;
  g: number;
  g1: number;
  g2: number;
  mu1: number;
  mu2: number;
  /** Σ of the absolute values of the terms summed into mu2 (for the rounding error). */
  mu2abs: number;
}

/** γ_l and its first two K-derivatives for l ≥ 1: cosh γ_l = cosh 2K coth 2K − cos(πl/n). */
function gammaL(l: number, n: number, K: number): [number, number, number] {
  const sh = Math.sinh(2 * K);
  const ch = Math.cosh(2 * K);
  const halfAngle = Math.sin((Math.PI * l) / (2 * n));
  // δ = cosh γ − 1 = (sinh 2K − 1)² / sinh 2K + 2 sin²(πl/2n), free of cancellation near β_c.
  const delta = (sh - 1) ** 2 / sh + 2 * halfAngle * halfAngle;
  const c = 1 + delta;
  const sinhG = Math.sqrt(delta * (2 + delta));
  const gamma = Math.log1p(delta + sinhG);
  const c1 = (2 * ch * (sh * sh - 1)) / (sh * sh);
  const c2 = 4 * sh - 4 / sh + (8 * ch * ch) / sh ** 3;
  const g1 = c1 / sinhG;
  const g2 = (c2 - c * g1 * g1) / sinhG;
  return [gamma, g1, g2];
}

/** γ_0 = 2K + ln tanh K (negative below β_c) and its K-derivatives. */
function gamma0(K: number): [number, number, number] {
  const sh = Math.sinh(2 * K);
  return [2 * K + Math.log(Math.tanh(K)), 2 + 2 / sh, (-4 * Math.cosh(2 * K)) / (sh * sh)];
}

/**
 * Multiplies a sector by the positive factor 2f(x), f = cosh or sinh (sinh needs x > 0): adds
 * ln(2f(x)) to the scale and its K-derivatives to μ', μ''. x1, x2 are dx/dK and d²x/dK².
 */
function logFactor(sector: Sector, sinh: boolean, x: number, x1: number, x2: number): void {
  const ax = Math.abs(x);
  const e = Math.exp(-2 * ax);
  const oneMinus = -Math.expm1(-2 * ax);
  if (sinh) {
    const coth = (1 + e) / oneMinus;
    const csch2 = (4 * e) / (oneMinus * oneMinus);
    sector.scale += ax + Math.log(oneMinus);
    sector.mu1 += coth * x1;
    sector.mu2 += -x1 * x1 * csch2 + coth * x2;
    sector.mu2abs += x1 * x1 * csch2 + Math.abs(coth * x2);
  } else {
    const tanh = (Math.sign(x) * oneMinus) / (1 + e);
    const sech2 = (4 * e) / ((1 + e) * (1 + e));
    sector.scale += ax + Math.log1p(e);
    sector.mu1 += tanh * x1;
    sector.mu2 += x1 * x1 * sech2 + tanh * x2;
    sector.mu2abs += x1 * x1 * sech2 + Math.abs(tanh * x2);
  }
}

/** Sets the special factor 2f(x) of a sector in direct form, scaled by e^{|x|}. */
function specialFactor(sector: Sector, sinh: boolean, x: number, x1: number, x2: number): void {
  const ax = Math.abs(x);
  const e = Math.exp(-2 * ax);
  const even = 1 + e; // 2 cosh x / e^{|x|}
  const odd = -Math.sign(x) * Math.expm1(-2 * ax); // 2 sinh x / e^{|x|}
  sector.scale += ax;
  if (sinh) {
    sector.g = odd;
    sector.g1 = even * x1;
    sector.g2 = odd * x1 * x1 + even * x2;
  } else {
    sector.g = even;
    sector.g1 = odd * x1;
    sector.g2 = even * x1 * x1 + odd * x2;
  }
}

/** Kaufman's four sectors Z1…Z4 of the Lx × Ly torus at K > 0 (rows of length n = Lx, m = Ly rows). */
function kaufmanSectors(Lx: number, Ly: number, K: number): Sector[] {
  const n = Lx;
  const m = Ly;
  const sectors: Sector[] = Array.from({ length: 4 }, () => ({
    scale: 0,
    g: 1,
    g1: 0,
    g2: 0,
    mu1: 0,
    mu2: 0,
    mu2abs: 0,
  }));
  for (let r = 0; r < n; r++) {
    const [go, go1, go2] = gammaL(2 * r + 1, n, K);
    const h = m / 2;
    logFactor(sectors[0], false, h * go, h * go1, h * go2);
    logFactor(sectors[1], true, h * go, h * go1, h * go2);
    const [ge, ge1, ge2] = r === 0 ? gamma0(K) : gammaL(2 * r, n, K);
    if (r === 0) {
      specialFactor(sectors[2], false, h * ge, h * ge1, h * ge2);
      specialFactor(sectors[3], true, h * ge, h * ge1, h * ge2);
    } else {
      logFactor(sectors[2], false, h * ge, h * ge1, h * ge2);
      logFactor(sectors[3], true, h * ge, h * ge1, h * ge2);
    }
  }
  return sectors;
}

/**
 * Exact ln Z, energy and specific heat per site of the nearest-neighbour Ising model on the
 * finite Lx × Ly torus (Kaufman 1949; Ferdinand & Fisher 1969), at coupling K = β:
 * Z = ½ (2 sinh 2K)^{N/2} (Z1 + Z2 + Z3 + Z4) with m = Ly rows of length n = Lx and
 * Z1,2 = Π_{r<n} 2 cosh/sinh(½ m γ_{2r+1}), Z3,4 = Π_{r<n} 2 cosh/sinh(½ m γ_{2r}).
 * γ_0 = 2K + ln tanh K keeps its sign (Z4 < 0 below β_c). Everything is done in log space with
 * analytic K-derivatives, so sizes up to 2^15 per side neither overflow nor lose precision.
 */
export function kaufman(Lx: number, Ly: number, beta: number): KaufmanResult {
  checkInt("Lx", Lx, 2, MAX_LATTICE_SIDE);
  checkInt("Ly", Ly, 2, MAX_LATTICE_SIDE);
  checkFinite("beta", beta);
  if (beta < 0 || beta > KAUFMAN_MAX_BETA) {
    throw new PhysmlInputError("beta", `a number in [0, ${KAUFMAN_MAX_BETA}]`, beta);
  }
  const N = Lx * Ly;
  if (beta === 0)
    return {
      lnZ: N * Math.LN2,
      reducedFreeEnergyPerSite: -Math.LN2,
      energyPerSite: 0,
      specificHeatPerSite: 0,
      specificHeatPerSitePrecision: 0,
    };
  const n = Lx;
  const K = beta;
  const sectors = kaufmanSectors(Lx, Ly, K);
  const top = Math.max(...sectors.map((s) => s.scale));
  const w = sectors.map((s) => Math.exp(s.scale - top));
  let zs = 0;
  let z1 = 0;
  for (let j = 0; j < 4; j++) {
    const s = sectors[j];
    zs += w[j] * s.g;
    z1 += w[j] * (s.g1 + s.g * s.mu1);
  }
  const d1 = z1 / zs;
  let z2 = 0;
  let z2abs = 0;
  for (let j = 0; j < 4; j++) {
    const s = sectors[j];
    const dm = s.mu1 - d1;
    // Centred second derivative (Z_j'' − 2 D1 Z_j' + D1² Z_j) avoids cancelling O(N²) terms.
    z2 += w[j] * (s.g2 + 2 * s.g1 * dm + s.g * (dm * dm + s.mu2));
    z2abs += w[j] * (Math.abs(s.g2) + 2 * Math.abs(s.g1 * dm) + Math.abs(s.g) * (dm * dm + s.mu2abs));
  }
  const d2 = z2 / zs;
  const sh = Math.sinh(2 * K);
  const lnTwoSinh = 2 * K + Math.log(-Math.expm1(-4 * K)); // ln(2 sinh 2K) without overflow
  const lnZ = -Math.LN2 + (N / 2) * lnTwoSinh + top + Math.log(zs);
  const dlnZ = N / Math.tanh(2 * K) + d1;
  const d2lnZ = (-2 * N) / (sh * sh) + d2;
  // Rounding bound of ∂² ln Z: each of the ~n terms of a sum carries a relative error of a few
  // ε, so the result is uncertain by ~n·ε times the sum of the absolute values of its terms.
  const precision = (K * K * 8 * (n + 4) * Number.EPSILON * ((2 * N) / (sh * sh) + z2abs / Math.abs(zs))) / N;
  const heat = (K * K * d2lnZ) / N;
  return {
    lnZ,
    reducedFreeEnergyPerSite: -lnZ / N,
    energyPerSite: -dlnZ / N,
    // A variance is never negative: a value within its rounding error of 0 is 0.
    specificHeatPerSite: heat <= precision ? 0 : heat,
    specificHeatPerSitePrecision: precision,
  };
}

/** One boundary sector of the torus and its share of the sum over all four. */
export interface TwistSector {
  /** Antiperiodic along [x, y]. */
  twist: [boolean, boolean];
  /** ln Z of the sector (−Infinity when its weight is below the rounding error of the sums). */
  lnZ: number;
  /** Z_sector / Σ_sectors Z: the probability of the sector when the twist is summed over. */
  weight: number;
}

/**
 * The nearest-neighbour Ising model on the Lx × Ly torus with each of the four Z2 boundary twists
 * (periodic or antiperiodic along x and y), exactly: the twisted partition functions are the
 * other sign combinations of Kaufman's sectors, Z_{00} ∝ Z1+Z2+Z3+Z4, Z_{10} ∝ Z1−Z2+Z3−Z4
 * (antiperiodic along the rows, x), Z_{01} ∝ Z1+Z2−Z3−Z4, Z_{11} ∝ −Z1+Z2+Z3−Z4 (checked
 * against enumeration of twisted models in the tests). Summing the twist is what makes the
 * Kramers–Wannier map exact on a finite torus: the twist-summed model at β has the link
 * correlators of the periodic model at the dual β̃, and vice versa. Sectors in order
 * [periodic, x, y, both]. A weight below the rounding error of the sums (deep in the ordered
 * phase on large tori) is reported as 0.
 */
export function kaufmanTwistSectors(Lx: number, Ly: number, beta: number): TwistSector[] {
  checkInt("Lx", Lx, 2, 1 << 15);
  checkInt("Ly", Ly, 2, 1 << 15);
  checkFinite("beta", beta);
  if (beta < 0 || beta > KAUFMAN_MAX_BETA) {
    throw new PhysmlInputError("beta", `a number in [0, ${KAUFMAN_MAX_BETA}]`, beta);
  }
  const twists: [boolean, boolean][] = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ];
  const N = Lx * Ly;
  if (beta === 0) return twists.map((twist) => ({ twist, lnZ: N * Math.LN2, weight: 0.25 }));
  const signs = [
    [1, 1, 1, 1],
    [1, -1, 1, -1],
    [1, 1, -1, -1],
    [-1, 1, 1, -1],
  ];
  const sectors = kaufmanSectors(Lx, Ly, beta);
  const top = Math.max(...sectors.map((s) => s.scale));
  const terms = sectors.map((s) => Math.exp(s.scale - top) * s.g);
  // Rounding bound of a signed sum: each sector's log-scale is a sum of ~Lx terms as large as
  // |top| in all, so its exponential is uncertain by ~(|top| + Lx)·ε relative.
  const bound = 16 * (Math.abs(top) + Lx + 8) * Number.EPSILON * terms.reduce((a, t) => a + Math.abs(t), 0);
  const values = signs.map((sg) => {
    const v = sg.reduce((a, sj, j) => a + sj * terms[j], 0);
    return v > bound ? v : 0;
  });
  const total = values.reduce((a, b) => a + b, 0);
  const lnTwoSinh = 2 * beta + Math.log(-Math.expm1(-4 * beta));
  return twists.map((twist, t) => ({
    twist,
    lnZ:
      values[t] > 0 ? -Math.LN2 + (N / 2) * lnTwoSinh + top + Math.log(values[t]) : Number.NEGATIVE_INFINITY,
    weight: values[t] / total,
  }));
}
