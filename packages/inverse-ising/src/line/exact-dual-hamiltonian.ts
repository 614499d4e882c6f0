// The exact dual of the nn + plaquette + diagonal model on a tiny L × L torus, by the Fourier
// (Kramers–Wannier) transform over bond variables b_l = s_i s_j. Written in bonds, the original's
// weight is W(b) = exp(β Σ b + Σ_p ω_p) with, per plaquette (edges bottom, top, left, right),
// ω_p = κ/2 (b_b b_t + b_l b_r) + λ/2 (b_b b_r + b_l b_t + b_b b_l + b_r b_t): on closed (curl-free)
// bonds each pair is the plaquette or a diagonal, so W is the Boltzmann weight. Each term is
// written as the mean of its two paths around the plaquette, so on a plaquette where a disorder
// line ends (curl −1) the two paths cancel: the plaquette's own plaquette and diagonal terms are
// half flipped there (`endpoints: "half"` of disorderLineSeries), whichever link the line enters by.
// Summing W over all b (every curl, every holonomy: the twist-summed original) gives the dual
// weight P*(σ*) ∝ ê(δσ*) = Σ_b W(b) Π_l b_l^{τ_l}, τ_l = (1 − σ*_a σ*_b)/2 for the plaquettes a, b
// beside l, and ⟨Π_{a∈A} σ*_a⟩ = Z_A/Z with Z_A the twist-summed original with lines ending at A.
// ê is a transfer-matrix trace over rows of horizontal bonds (the vertical bonds of a row summed by
// a Walsh transform), one per dual configuration; log P* in the Walsh basis is the dual Hamiltonian,
// every multi-spin term included.
import { checkInt } from "@physml/lattice-core";
import type { LineCouplings } from "./disorder.js";

/** The exact dual of the twist-summed original on the L × L torus (dual site of plaquette (x, y): x + L·y). */
export interface ExactDualHamiltonian {
  L: number;
  /** J_A of P*(σ*) ∝ exp(Σ_A J_A Π_{a∈A} σ*_a), indexed by the bit mask of A (A = ∅: normalisation). */
  couplings: Float64Array;
  /** ⟨Π_{a∈A} σ*_a⟩ under P*, indexed likewise. */
  correlators: Float64Array;
  /** min ê / max ê over dual configurations: negative means the dual weight is not a probability. */
  minWeightRatio: number;
}

/** In-place Walsh–Hadamard transform (unnormalised) of a length-2^n array. */
function walsh(a: Float64Array): void {
  for (let h = 1; h < a.length; h *= 2)
    for (let i = 0; i < a.length; i += 2 * h)
      for (let j = i; j < i + h; j++) {
        const [u, v] = [a[j], a[j + h]];
        a[j] = u + v;
        a[j + h] = u - v;
      }
}

const parity = (m: number): number => {
  let p = 0;
  for (let v = m; v; v &= v - 1) p ^= 1;
  return p;
};

/**
 * The exact dual Hamiltonian and correlators of the nn + plaquette + diagonal model at (β, κ, λ)
 * summed over its boundary twists, on the L × L torus (2 ≤ L ≤ 4: 2^(L²) dual configurations).
 */
export function exactDualHamiltonian(L: number, couplings: LineCouplings): ExactDualHamiltonian {
  checkInt("L", L, 2, 4);
  const beta = couplings.nn;
  const kappa = couplings.plaquette ?? 0;
  const lambda = couplings.nnn ?? 0;
  const R = 1 << L;
  const N = L * L;
  const bit = (m: number, x: number) => (((m >> (x % L)) & 1) === 1 ? -1 : 1);
  // K̂[H, H', m] = Σ_V exp(β(ΣH + ΣV) + Σ_x ω(H_x, H'_x, V_x, V_{x+1})) χ_m(V): bottom row H, top H', verticals V.
  const Khat = new Float64Array(R * R * R);
  const row = new Float64Array(R);
  for (let H = 0; H < R; H++)
    for (let Ht = 0; Ht < R; Ht++) {
      for (let V = 0; V < R; V++) {
        let e = 0;
        for (let x = 0; x < L; x++) {
          const [b, t, l, r] = [bit(H, x), bit(Ht, x), bit(V, x), bit(V, x + 1)];
          e +=
            beta * (b + l) + (kappa / 2) * (b * t + l * r) + (lambda / 2) * (b * r + l * t + b * l + r * t);
        }
        row[V] = Math.exp(e);
      }
      walsh(row);
      Khat.set(row, (H * R + Ht) * R);
    }
  const weight = new Float64Array(1 << N);
  let A = new Float64Array(R * R);
  let B = new Float64Array(R * R);
  const n = (mask: number, x: number, y: number) =>
    (mask >> ((((x % L) + L) % L) + L * (((y % L) + L) % L))) & 1;
  // σ* → −σ* leaves τ unchanged: half the configurations suffice.
  for (let mask = 0; mask < 1 << (N - 1); mask++) {
    A.fill(0);
    for (let i = 0; i < R; i++) A[i * R + i] = 1;
    for (let y = 0; y < L; y++) {
      let mh = 0;
      let mv = 0;
      for (let x = 0; x < L; x++) {
        mh |= (n(mask, x, y) ^ n(mask, x, y - 1)) << x;
        mv |= (n(mask, x, y) ^ n(mask, x - 1, y)) << x;
      }
      // B = A · T_y, T_y[H, H'] = χ_mh(H) K̂[H, H', mv].
      B.fill(0);
      for (let i = 0; i < R; i++)
        for (let H = 0; H < R; H++) {
          const a = A[i * R + H] * (parity(mh & H) ? -1 : 1);
          if (a === 0) continue;
          for (let Ht = 0; Ht < R; Ht++) B[i * R + Ht] += a * Khat[(H * R + Ht) * R + mv];
        }
      [A, B] = [B, A];
    }
    let tr = 0;
    for (let i = 0; i < R; i++) tr += A[i * R + i];
    weight[mask] = tr;
    weight[mask ^ ((1 << N) - 1)] = tr;
  }
  let max = 0;
  let min = Number.POSITIVE_INFINITY;
  for (const w of weight) {
    max = Math.max(max, w);
    min = Math.min(min, w);
  }
  const total = weight.reduce((p, q) => p + q, 0);
  const correlators = weight.map((w) => w / total);
  walsh(correlators);
  const J = weight.map((w) => Math.log(w / max) / (1 << N));
  walsh(J);
  return { L, couplings: J, correlators, minWeightRatio: min / max };
}

/** Bit mask of a set of dual sites (x, y), coordinates taken mod L, as `couplings` and `correlators` index it. */
export function dualSiteMask(L: number, sites: readonly (readonly [number, number])[]): number {
  let m = 0;
  for (const [x, y] of sites) m ^= 1 << ((((x % L) + L) % L) + L * (((y % L) + L) % L));
  return m;
}
