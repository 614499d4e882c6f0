// Noisy single-frequency signals x_j = a cos(2π k j / N + φ) + ε_j, φ uniform, ε white: class 0
// draws k from the low band 1 ≤ k < N/4, class 1 from the high band N/4 ≤ k < N/2. Every x_j has
// the same distribution in both classes (random phase), so a classifier that acts on each
// coordinate separately is at chance in position space; in the Fourier basis the class sits in
// which coordinates carry power. The orthonormal real DFT is the dual representation.
import { random } from "@physml/autodiff";
import type { Labelled } from "../train/dataset.js";

/**
 * Rows x_j = a_c cos(2π k j / N + φ) + noise·ε_j for both classes c, interleaved at random
 * (seeded): φ uniform, k = `frequency(c, u)` from a uniform u, `amplitudes[c]` per class.
 */
function labelledWaves(
  N: number,
  perClass: number,
  amplitudes: readonly [number, number],
  noise: number,
  seed: number,
  frequency: (label: 0 | 1, u: number) => number,
): Labelled {
  const [kk, kp, kn, ko] = random.split(random.key(seed), 4);
  const n = 2 * perClass;
  const uk = random.uniform(kk, [n]).toFloat64Array();
  const uphi = random.uniform(kp, [n]).toFloat64Array();
  const eps = random.normal(kn, [n * N]).toFloat64Array();
  const order = random.permutation(ko, n);
  const x = new Float64Array(n * N);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const label = order[r] < perClass ? 0 : 1;
    const k = frequency(label, uk[r]);
    const a = amplitudes[label];
    const phi = 2 * Math.PI * uphi[r];
    y[r] = label;
    for (let j = 0; j < N; j++)
      x[r * N + j] = a * Math.cos((2 * Math.PI * k * j) / N + phi) + noise * eps[r * N + j];
  }
  return { x, y, n, d: N };
}

/** Signals of both classes, interleaved at random (seeded). */
export function bandSignals(
  N: number,
  perClass: number,
  amplitude: number,
  noise: number,
  seed: number,
): Labelled {
  const q = N / 4;
  return labelledWaves(N, perClass, [amplitude, amplitude], noise, seed, (label, u) =>
    label === 0 ? 1 + Math.floor(u * (q - 1)) : q + Math.floor(u * q),
  );
}

/**
 * The paper's Figure 1 task: class 1 is a wave a cos(2π k j / N + φ) + ε_j with k uniform in
 * 1 ≤ k < N/2 and φ uniform, class 0 is the noise ε_j alone. Unlike the band task, the classes
 * differ coordinate by coordinate in position space too (⟨x_j²⟩ = σ² + a²/2 against σ²), and
 * Σ_j x_j² is the same statistic in both bases (Parseval); the DFT's advantage is that the
 * wave's power sits in one frequency pair.
 */
export function signalNoiseSignals(
  N: number,
  perClass: number,
  amplitude: number,
  noise: number,
  seed: number,
): Labelled {
  return labelledWaves(N, perClass, [0, amplitude], noise, seed, (_, u) => 1 + Math.floor(u * (N / 2 - 1)));
}

/**
 * The orthonormal real DFT as an N × N matrix F (rows: the constant, cos and sin at k = 1…N/2−1,
 * the alternating mode at N/2): x̂ = F x, F Fᵀ = 1.
 */
export function realDft(N: number): Float64Array {
  const F = new Float64Array(N * N);
  let row = 0;
  const put = (f: (j: number) => number, norm: number) => {
    for (let j = 0; j < N; j++) F[row * N + j] = f(j) / norm;
    row++;
  };
  put(() => 1, Math.sqrt(N));
  for (let k = 1; k < N / 2; k++) {
    put((j) => Math.cos((2 * Math.PI * k * j) / N), Math.sqrt(N / 2));
    put((j) => Math.sin((2 * Math.PI * k * j) / N), Math.sqrt(N / 2));
  }
  put((j) => (j % 2 ? -1 : 1), Math.sqrt(N));
  return F;
}

/** Rows x → M x for an m × d matrix M (row-major). */
export function applyMatrix(M: Float64Array, m: number, data: Labelled): Labelled {
  const { d } = data;
  const x = new Float64Array(data.n * m);
  for (let r = 0; r < data.n; r++)
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += M[i * d + j] * data.x[r * d + j];
      x[r * m + i] = s;
    }
  return { x, y: data.y, n: data.n, d: m };
}

/** Per row of W (m × N): its power per frequency pair ±k, k = 0…N/2 (plain DFT, O(N²)). */
function rowPowers(W: Float64Array, m: number, N: number): Float64Array[] {
  return Array.from({ length: m }, (_, i) => {
    const power = new Float64Array(Math.floor(N / 2) + 1);
    for (let k = 0; k < N; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < N; j++) {
        re += W[i * N + j] * Math.cos((2 * Math.PI * k * j) / N);
        im -= W[i * N + j] * Math.sin((2 * Math.PI * k * j) / N);
      }
      power[Math.min(k, N - k)] += re * re + im * im;
    }
    return power;
  });
}

const total = (p: Float64Array) => p.reduce((a, b) => a + b, 0);

/**
 * How Fourier-like the rows of W (m × N) are: per row, the largest share of its power in one
 * frequency pair ±k (1 for a pure cos/sin mode, 2/N for a single site); the mean over rows.
 */
export function fourierConcentration(W: Float64Array, m: number, N: number): number {
  const rows = rowPowers(W, m, N);
  return rows.reduce((a, p) => a + (total(p) > 0 ? Math.max(...p) / total(p) : 0), 0) / m;
}

/**
 * The task only fixes W up to rotations inside each band, so the measure that matters is this:
 * per row, the larger of its power shares in the low band (1 ≤ k < N/4) and in the high band
 * (N/4 ≤ k < N/2); the mean over rows (1: every row lies in one band, as the DFT rows do; about
 * ½ for a single site).
 */
export function bandAlignment(W: Float64Array, m: number, N: number): number {
  const q = N / 4;
  const rows = rowPowers(W, m, N);
  return (
    rows.reduce((a, p) => {
      let lo = 0;
      let hi = 0;
      for (let k = 1; k < N / 2; k++) {
        if (k < q) lo += p[k];
        else hi += p[k];
      }
      return a + (total(p) > 0 ? Math.max(lo, hi) / total(p) : 0);
    }, 0) / m
  );
}
