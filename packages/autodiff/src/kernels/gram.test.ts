// kernels/gram: the weighted Gram kernels against the plain formulas (sums in any order), and the
// SIMD kernels against the JavaScript ones bit for bit (padded and unpadded rows, chunks).

import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { gramJs, gramVjpJs } from "./gram.js";
import { wasmGram, wasmGramVjp } from "./wasm-gram.js";

/** Deterministic values in [−1, 1). */
const fill = (n: number, seed: number): Float64Array =>
  Float64Array.from({ length: n }, seededUniform(seed, -1, 1));

const maxRel = (a: Float64Array, b: Float64Array) => {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
};

// [B, d, n]: the MLP's shape (n a multiple of 8), odd sizes (padded rows), one sample, and a
// batch of several chunks
const CASES: [number, number, number][] = [
  [64, 10, 64],
  [5, 3, 13],
  [1, 1, 1],
  [300, 10, 64],
  [7, 11, 9],
];

describe("gram kernels", () => {
  it.each(CASES)("H = J·diag(c)·Jᵀ (B %i, d %i, n %i) matches the formula", (B, d, n) => {
    const j = fill(B * d * n, 1);
    const c = fill(B * n, 2);
    const h = new Float64Array(B * d * d);
    gramJs(j, c, h, B, d, n);
    const want = new Float64Array(B * d * d);
    for (let b = 0; b < B; b++)
      for (let p = 0; p < d; p++)
        for (let q = 0; q < d; q++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += j[(b * d + p) * n + k] * c[b * n + k] * j[(b * d + q) * n + k];
          want[(b * d + p) * d + q] = s;
        }
    expect(maxRel(h, want)).toBeLessThan(1e-14 * n);
    const w = new Float64Array(B * d * d);
    expect(wasmGram(j, c, w, B, d, n)).toBe(true);
    expect(Buffer.from(w.buffer).equals(Buffer.from(h.buffer))).toBe(true);
  });

  it.each(CASES)("its cotangents (B %i, d %i, n %i) match the formula", (B, d, n) => {
    const j = fill(B * d * n, 3);
    const c = fill(B * n, 4);
    const g = fill(B * d * d, 5);
    const dj = new Float64Array(B * d * n);
    const dc = new Float64Array(B * n);
    gramVjpJs(j, c, g, dj, dc, B, d, n);
    // ∂⟨G, H⟩/∂J_pk = Σ_q (G_pq + G_qp)·c_k·J_qk, ∂⟨G, H⟩/∂c_k = Σ_pq G_pq·J_pk·J_qk
    const wantJ = new Float64Array(B * d * n);
    const wantC = new Float64Array(B * n);
    for (let b = 0; b < B; b++)
      for (let k = 0; k < n; k++) {
        for (let p = 0; p < d; p++) {
          let s = 0;
          for (let q = 0; q < d; q++) {
            const gpq = g[(b * d + p) * d + q];
            s += (gpq + g[(b * d + q) * d + p]) * c[b * n + k] * j[(b * d + q) * n + k];
            wantC[b * n + k] += gpq * j[(b * d + p) * n + k] * j[(b * d + q) * n + k];
          }
          wantJ[(b * d + p) * n + k] = s;
        }
      }
    expect(maxRel(dj, wantJ)).toBeLessThan(1e-14 * d);
    expect(maxRel(dc, wantC)).toBeLessThan(1e-14 * d * d);
    const wj = new Float64Array(B * d * n);
    const wc = new Float64Array(B * n);
    expect(wasmGramVjp(j, c, g, wj, wc, B, d, n)).toBe(true);
    expect(Buffer.from(wj.buffer).equals(Buffer.from(dj.buffer))).toBe(true);
    expect(Buffer.from(wc.buffer).equals(Buffer.from(dc.buffer))).toBe(true);
  });
});
