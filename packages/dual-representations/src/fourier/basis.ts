// The orthonormal real Fourier basis of a periodic lattice (a ring, a torus) and what is measured
// with it: a change of representation (rows x → F x), and how Fourier-like the rows of a learned
// map are. Modes are grouped in pairs ±k: cos(k·r) and sin(k·r) span the same plane as e^{±ik·r},
// and a self-conjugate k (k ≡ −k, e.g. k = 0) has a cos row only.
import type { Labelled } from "../train/dataset.js";

/** The real Fourier modes of a periodic lattice of shape `shape` (row-major sites). */
export interface FourierModes {
  /** N × N, row-major: the rows are the modes, F Fᵀ = 1. */
  basis: Float64Array;
  N: number;
  /** Per basis row, the index of its pair ±k. */
  pairOfRow: Int32Array;
  /** Per pair, its wavevector k (integers m_d, k_d = 2π m_d / shape_d), the representative of ±k. */
  wavevectors: number[][];
}

/** The multi-index of a row-major flat index (first axis slowest). */
function unflatten(i: number, shape: readonly number[]): number[] {
  const m = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    m[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return m;
}

const flatten = (m: readonly number[], shape: readonly number[]) =>
  m.reduce((acc, v, d) => acc * shape[d] + v, 0);

/**
 * The orthonormal real Fourier basis of a lattice of shape `shape`: wavevectors k in row-major
 * order, each pair ±k once (at the smaller flat index), a cos row √(2/N) cos(k·r) and a sin row
 * √(2/N) sin(k·r), or a single row cos(k·r)/√N when k ≡ −k. In one dimension: the constant, cos
 * and sin for k = 1…N/2−1, the alternating mode.
 */
export function realFourierModes(shape: readonly number[]): FourierModes {
  const N = shape.reduce((a, b) => a * b, 1);
  const sites = Array.from({ length: N }, (_, r) => unflatten(r, shape));
  const basis = new Float64Array(N * N);
  const pairOfRow = new Int32Array(N);
  const wavevectors: number[][] = [];
  let row = 0;
  const put = (f: (phase: number) => number, norm: number, k: number[]) => {
    for (let r = 0; r < N; r++) {
      const phase = sites[r].reduce((a, x, d) => a + (2 * Math.PI * ((k[d] * x) % shape[d])) / shape[d], 0);
      basis[row * N + r] = f(phase) / norm;
    }
    pairOfRow[row++] = wavevectors.length;
  };
  for (let i = 0; i < N; i++) {
    const k = unflatten(i, shape);
    const minus = flatten(
      k.map((m, d) => (shape[d] - m) % shape[d]),
      shape,
    );
    if (minus < i) continue;
    if (minus === i) put(Math.cos, Math.sqrt(N), k);
    else {
      put(Math.cos, Math.sqrt(N / 2), k);
      put(Math.sin, Math.sqrt(N / 2), k);
    }
    wavevectors.push(k);
  }
  return { basis, N, pairOfRow, wavevectors };
}

/**
 * The orthonormal real DFT of a ring of N sites as an N × N matrix F (rows: the constant, cos and
 * sin at k = 1…N/2−1, the alternating mode at N/2): x̂ = F x, F Fᵀ = 1.
 */
export const realDft = (N: number): Float64Array => realFourierModes([N]).basis;

/**
 * The order of a ring's N coordinates that puts pair m at positions 2m, 2m + 1: 1, 2, …, N − 1, 0.
 * In the real DFT (rows: constant, cos 1, sin 1, …, alternating) the pairs are (cos k, sin k) for
 * k = 1…N/2 − 1 and (alternating, constant); in position space they are neighbouring sites.
 */
export const dftPairOrder = (N: number): number[] => Array.from({ length: N }, (_, j) => (j + 1) % N);

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

/**
 * Per row of W (m × N): its power in each pair ±k (the squares of its coordinates in the real
 * Fourier basis, summed over the pair's rows; Σ over pairs = the row's squared norm).
 */
export function modePowers(W: Float64Array, m: number, modes: FourierModes): Float64Array[] {
  const { N, basis, pairOfRow } = modes;
  return Array.from({ length: m }, (_, i) => {
    const power = new Float64Array(modes.wavevectors.length);
    for (let b = 0; b < N; b++) {
      let s = 0;
      for (let j = 0; j < N; j++) s += basis[b * N + j] * W[i * N + j];
      power[pairOfRow[b]] += s * s;
    }
    return power;
  });
}

const total = (p: Float64Array) => p.reduce((a, b) => a + b, 0);

/**
 * How Fourier-like the rows of W (m × N, N the sites of a lattice of shape `shape`, a number for
 * a ring) are: per row, the largest share of its power in one pair ±k (1 for a pure cos/sin
 * mode, 2/N for a single site); the mean over rows.
 */
export function fourierConcentration(W: Float64Array, m: number, shape: number | readonly number[]): number {
  const rows = modePowers(W, m, realFourierModes(typeof shape === "number" ? [shape] : shape));
  return rows.reduce((a, p) => a + (total(p) > 0 ? Math.max(...p) / total(p) : 0), 0) / m;
}

/**
 * The band task only fixes W (m × N, a ring of N) up to rotations inside each band, so the measure
 * that matters is this: per row, the larger of its power shares in the low band (1 ≤ k < N/4) and
 * in the high band (N/4 ≤ k < N/2); the mean over rows (1: every row lies in one band, as the DFT
 * rows do; about ½ for a single site).
 */
export function bandAlignment(W: Float64Array, m: number, N: number): number {
  const q = N / 4;
  // On a ring the pairs are k = 0…N/2 in order.
  const rows = modePowers(W, m, realFourierModes([N]));
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
