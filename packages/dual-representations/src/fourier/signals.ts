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
