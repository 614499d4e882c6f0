// The direct SIMD convolution against plain loops (forward and weight gradient), over the
// geometries its blocking has to handle: channel counts that are not multiples of the 4-channel
// tile, an odd number of active taps (the weight gradient's tap pairs), ragged sample blocks,
// circular and zero boundaries, non-square kernels; the layer epilogue (bias, tanh); and the same
// bits on 1, 2 and 3 threads.

import { seededUniform } from "@physml/lattice-core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { matmulThreads, setMatmulThreads } from "./matmul-threads.js";
import type { ConvGeom } from "./types.js";
import { wasmConvForward, wasmConvWeightGrad } from "./wasm-conv.js";
import { wasmMatmulAvailable } from "./wasm-matmul.js";

const rnd = seededUniform(4242, -1, 1);
const initial = matmulThreads();
afterAll(() => setMatmulThreads(initial));

/** The input under tap t of site (i, j), or 0 outside a zero-padded lattice. */
function under(x: Float64Array, g: ConvGeom, n: number, ci: number, i: number, j: number, t: number): number {
  let a = i + ((t / g.kw) | 0) - (g.kh >> 1);
  let b = j + (t % g.kw) - (g.kw >> 1);
  if (g.circular) {
    a = (a + g.H) % g.H;
    b = (b + g.W) % g.W;
  } else if (a < 0 || a >= g.H || b < 0 || b >= g.W) return 0;
  return x[((n * g.Ci + ci) * g.H + a) * g.W + b];
}

function loopsForward(x: Float64Array, w: Float64Array, g: ConvGeom): Float64Array {
  const K = g.kh * g.kw;
  const y = new Float64Array(g.N * g.Co * g.H * g.W);
  for (let n = 0; n < g.N; n++)
    for (let co = 0; co < g.Co; co++)
      for (let i = 0; i < g.H; i++)
        for (let j = 0; j < g.W; j++) {
          let s = 0;
          for (let ci = 0; ci < g.Ci; ci++)
            for (const t of g.taps) s += w[(co * g.Ci + ci) * K + t] * under(x, g, n, ci, i, j, t);
          y[((n * g.Co + co) * g.H + i) * g.W + j] = s;
        }
  return y;
}

function loopsWeightGrad(x: Float64Array, gy: Float64Array, g: ConvGeom): Float64Array {
  const K = g.kh * g.kw;
  const dw = new Float64Array(g.Co * g.Ci * K);
  for (let co = 0; co < g.Co; co++)
    for (let ci = 0; ci < g.Ci; ci++)
      for (const t of g.taps) {
        let s = 0;
        for (let n = 0; n < g.N; n++)
          for (let i = 0; i < g.H; i++)
            for (let j = 0; j < g.W; j++)
              s += gy[((n * g.Co + co) * g.H + i) * g.W + j] * under(x, g, n, ci, i, j, t);
        dw[(co * g.Ci + ci) * K + t] = s;
      }
  return dw;
}

/** Largest |a − b| relative to the largest |b|. */
function relErr(a: Float64Array, b: Float64Array): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

const geom = (
  N: number,
  Ci: number,
  Co: number,
  H: number,
  W: number,
  kh: number,
  kw: number,
  taps: number[],
  circular: boolean,
): ConvGeom => ({
  N,
  Ci,
  Co,
  H,
  W,
  kh,
  kw,
  taps: Int32Array.from(taps),
  circular,
});

describe.skipIf(!wasmMatmulAvailable())("direct SIMD convolution", () => {
  // sums of at most a few hundred products of O(1) terms: rounding is ~1e-14 relative
  const tol = 1e-13;
  const cases: [string, ConvGeom][] = [
    ["PixelCNN B, 32 → 32 on 16×16", geom(6, 32, 32, 16, 16, 3, 3, [0, 1, 2, 3, 4], true)],
    ["type A, 1 → 5 (Co not a multiple of 4)", geom(5, 1, 5, 8, 8, 3, 3, [0, 1, 2, 3], true)],
    ["type B, 3 → 1, zero padding", geom(7, 3, 1, 6, 4, 3, 3, [0, 1, 2, 3, 4], false)],
    ["3 taps of 1 channel (odd K), 5×3 kernel", geom(3, 1, 6, 5, 12, 5, 3, [2, 7, 11], false)],
    ["full 3×5 kernel, circular, 7 samples", geom(7, 2, 3, 7, 8, 3, 5, [...Array(15).keys()], true)],
  ];
  for (const [name, g] of cases) {
    it(`${name}: forward and weight gradient equal the loops`, () => {
      setMatmulThreads(1);
      const K = g.kh * g.kw;
      const x = Float64Array.from({ length: g.N * g.Ci * g.H * g.W }, rnd);
      const w = Float64Array.from({ length: g.Co * g.Ci * K }, rnd);
      const gy = Float64Array.from({ length: g.N * g.Co * g.H * g.W }, rnd);
      const y = new Float64Array(g.N * g.Co * g.H * g.W).fill(Number.NaN);
      expect(wasmConvForward(x, w, y, g)).toBe(true);
      expect(relErr(y, loopsForward(x, w, g))).toBeLessThan(tol);
      const dw = new Float64Array(g.Co * g.Ci * K).fill(Number.NaN);
      expect(wasmConvWeightGrad(x, gy, dw, g)).toBe(true);
      expect(relErr(dw, loopsWeightGrad(x, gy, g))).toBeLessThan(tol);
    });
  }

  it("a batch past the threads' ~1000 claimable blocks (larger blocks), on 2 threads", () => {
    const g = geom(4100, 1, 1, 4, 4, 3, 3, [...Array(9).keys()], true);
    const x = Float64Array.from({ length: g.N * 16 }, rnd);
    const w = Float64Array.from({ length: 9 }, rnd);
    const gy = Float64Array.from({ length: g.N * 16 }, rnd);
    setMatmulThreads(2);
    const y = new Float64Array(g.N * 16);
    const dw = new Float64Array(9);
    expect(wasmConvForward(x, w, y, g)).toBe(true);
    expect(wasmConvWeightGrad(x, gy, dw, g)).toBe(true);
    expect(relErr(y, loopsForward(x, w, g))).toBeLessThan(tol);
    expect(relErr(dw, loopsWeightGrad(x, gy, g))).toBeLessThan(1e-12);
  });

  it("declines what it cannot do: widths not a multiple of 4, Float32 data", () => {
    const g = geom(2, 1, 1, 4, 6, 3, 3, [4], true);
    const y = new Float64Array(48);
    expect(wasmConvForward(new Float64Array(48), new Float64Array(9), y, g)).toBe(false);
    const g4 = geom(2, 1, 1, 4, 4, 3, 3, [4], true);
    expect(wasmConvForward(new Float32Array(32), new Float32Array(9), new Float32Array(32), g4)).toBe(false);
  });

  it("split over 2 and 3 threads: the same bits as one thread", () => {
    const g = geom(23, 8, 12, 8, 8, 3, 3, [0, 1, 2, 3, 4], true); // 12·40·64·23 multiply-adds: split
    const x = Float64Array.from({ length: g.N * g.Ci * 64 }, rnd);
    const w = Float64Array.from({ length: g.Co * g.Ci * 9 }, rnd);
    const gy = Float64Array.from({ length: g.N * g.Co * 64 }, rnd);
    const bias = Float64Array.from({ length: g.Co }, rnd);
    const run = (threads: number) => {
      setMatmulThreads(threads);
      const y = new Float64Array(g.N * g.Co * 64);
      const z = new Float64Array(g.N * g.Co * 64);
      const dw = new Float64Array(g.Co * g.Ci * 9);
      wasmConvForward(x, w, y, g);
      wasmConvForward(x, w, z, g, { bias, tanh: true });
      wasmConvWeightGrad(x, gy, dw, g);
      return [y, z, dw];
    };
    const one = run(1);
    const ref = loopsForward(x, w, g);
    expect(relErr(one[0], ref)).toBeLessThan(tol);
    // the layer epilogue: tanh(y + bias[co]) against Math.tanh, which differs in the last bits
    const act = ref.map((v, i) => Math.tanh(v + bias[Math.floor(i / 64) % g.Co]));
    expect(relErr(one[1], act)).toBeLessThan(1e-14);
    for (const threads of [2, 3]) {
      const many = run(threads);
      for (let k = 0; k < 3; k++) expect(many[k].every((v, i) => Object.is(v, one[k][i]))).toBe(true);
    }
  });
});
