// kernels/tanh-tangent: J ⊙ (1 − y²) and its reverse rule against their formulas, and the SIMD
// kernels against the JavaScript ones bit for bit (per-sample and shared J, padded rows, several
// chunks).

import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { tanhTangentJs, tanhTangentVjpJs } from "./tanh-tangent.js";
import { wasmTanhTangent, wasmTanhTangentVjp } from "./wasm-tanh-tangent.js";

/** Deterministic values in [−1, 1). */
const fill = (n: number, seed: number): Float64Array =>
  Float64Array.from({ length: n }, seededUniform(seed, -1, 1));

const same = (a: Float64Array, b: Float64Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

const SHAPES = [
  [64, 10, 64, false],
  [64, 10, 64, true],
  [300, 10, 64, false],
  [300, 10, 64, true],
  [5, 3, 13, false],
  [5, 3, 13, true],
  [1, 1, 1, true],
] as const;

describe("tanhTangent kernels", () => {
  it.each(SHAPES)(
    "value, B %i, d %i, n %i, shared %s: the formula, and SIMD = JavaScript",
    (B, d, n, shared) => {
      const y = fill(B * n, 6);
      const j = fill((shared ? 1 : B) * d * n, 7);
      const o = new Float64Array(B * d * n);
      tanhTangentJs(y, j, o, B, d, n, shared);
      // tanhGrad's expression, exactly
      const want = new Float64Array(B * d * n);
      for (let b = 0; b < B; b++)
        for (let i = 0; i < d; i++)
          for (let k = 0; k < n; k++) {
            const v = y[b * n + k];
            want[(b * d + i) * n + k] = j[((shared ? 0 : b) * d + i) * n + k] * (1 - v * v);
          }
      expect(same(o, want)).toBe(true);
      const w = new Float64Array(B * d * n);
      expect(wasmTanhTangent(y, j, w, B, d, n, shared)).toBe(true);
      expect(same(w, o)).toBe(true);
    },
  );

  it.each(SHAPES)(
    "reverse, B %i, d %i, n %i, shared %s: the formula, and SIMD = JavaScript",
    (B, d, n, shared) => {
      const g = fill(B * d * n, 1);
      const y = fill(B * n, 2);
      const j = fill((shared ? 1 : B) * d * n, 3);
      const dy = new Float64Array(B * n);
      const dj = new Float64Array(j.length);
      tanhTangentVjpJs(g, y, j, dy, dj, B, d, n, shared);
      // ȳ_bk = −2·y_bk·Σ_i Ḡ_bik·J_bik, J̄ = Ḡ ⊙ (1 − y²) (summed over b when shared)
      const wantJ = new Float64Array(j.length);
      let errY = 0;
      let errJ = 0;
      for (let b = 0; b < B; b++)
        for (let k = 0; k < n; k++) {
          const v = y[b * n + k];
          let s = 0;
          for (let i = 0; i < d; i++) {
            const q = (b * d + i) * n + k;
            const jq = shared ? i * n + k : q;
            s += g[q] * j[jq];
            wantJ[jq] += g[q] * (1 - v * v);
          }
          errY = Math.max(errY, Math.abs(dy[b * n + k] + 2 * v * s));
        }
      for (let q = 0; q < j.length; q++) errJ = Math.max(errJ, Math.abs(dj[q] - wantJ[q]));
      expect(errY).toBeLessThan(1e-14 * d);
      expect(errJ).toBeLessThan(1e-14 * B);
      const wy = new Float64Array(B * n);
      const wj = new Float64Array(j.length);
      expect(wasmTanhTangentVjp(g, y, j, wy, wj, B, d, n, shared)).toBe(true);
      expect(same(wy, dy)).toBe(true);
      expect(same(wj, dj)).toBe(true);
    },
  );
});
