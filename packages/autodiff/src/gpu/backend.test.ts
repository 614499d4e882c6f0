// Every GPU kernel against a CPU Float64 reference written out here with plain loops. The f32
// tolerances follow from the rounding model (u = 2⁻²⁴ per operation, 2⁻²³·|v| = one ulp) and
// from the accuracy table of the WGSL spec for the builtins (exp: 3 + 2|x| ulp, log: 3 ulp or
// 2⁻²¹ absolute on [0.5, 2], sin/cos: 2⁻¹¹ absolute on [-π, π], division: 2.5 ulp).
import type { GpuContext } from "@physml/gpu-device";
import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { seededUniform } from "@physml/lattice-core/testing";
import { beforeAll, describe, expect, type TestContext, test } from "vitest";
import { WebGpuBackend } from "./backend.js";
import { GpuInputError } from "./errors.js";
import type { GpuTensor } from "./gpu-tensor.js";
import type { BinaryOp, UnaryOp } from "./kernels/elementwise.js";
import { sumErrorDepth } from "./kernels/reduce.js";

const U = 2 ** -24; // unit roundoff of f32
const ULP = 2 ** -23; // one ulp relative to a value

let ctx: GpuContext | null = null;
let gpu: WebGpuBackend;
beforeAll(async () => {
  ctx = await testGpuContext("autodiff/gpu/backend.test.ts");
  if (ctx) gpu = new WebGpuBackend(ctx);
});
function needGpu(t: TestContext): void {
  if (!ctx) t.skip(NO_GPU);
}

function randoms(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, seededUniform(seed, lo, hi));
}
function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
/** Reads element `idx` (a multi-index into `outShape`) of an array of `shape` broadcast to it. */
function at(
  data: Float64Array,
  shape: readonly number[],
  outShape: readonly number[],
  idx: number[],
): number {
  let flat = 0;
  const off = outShape.length - shape.length;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + (shape[d] === 1 ? 0 : idx[d + off]);
  return data[flat];
}
function multiIndex(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}
function expectWithin(
  got: ArrayLike<number>,
  ref: ArrayLike<number>,
  tol: (i: number) => number,
  what: string,
) {
  expect(got.length, `${what}: length`).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(got[i] - ref[i]);
    if (!(err <= tol(i))) {
      throw new Error(
        `${what}[${i}]: got ${got[i]}, reference ${ref[i]}, error ${err} > tolerance ${tol(i)}`,
      );
    }
  }
}

/** Float64 reference matmul of [M, K]·[K, N] with the matching |A|·|B| for the error bound. */
function refMatmul(a: Float64Array, b: Float64Array, M: number, K: number, N: number, aOff = 0, bOff = 0) {
  const c = new Float64Array(M * N);
  const abs = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      let t = 0;
      for (let k = 0; k < K; k++) {
        const p = a[aOff + i * K + k] * b[bOff + k * N + j];
        s += p;
        t += Math.abs(p);
      }
      c[i * N + j] = s;
      abs[i * N + j] = t;
    }
  return { c, abs };
}
// (K + 2)·u·(|A||B|)ᵢⱼ: two input roundings and one product rounding per term plus K − 1
// sequential additions, to first order; 1.01 covers the second-order terms.
const matmulTol = (K: number, absAB: number) => 1.01 * (K + 2) * U * absAB + 1e-30;

describe("WebGPU backend: matmul", () => {
  test.for([
    [1, 1, 1],
    [3, 5, 7],
    [64, 64, 64],
    [65, 17, 130],
    [70, 200, 33],
    [5, 0, 4],
    [33, 12, 20], // vec4 kernel (K, N multiples of 4), M and N/4 off the grid
    [130, 68, 132],
  ])("M=%i K=%i N=%i matches the Float64 reference", async ([M, K, N], t) => {
    needGpu(t);
    const a = randoms(M * K, 1 + M, -1, 1);
    const b = randoms(K * N, 2 + N, -1, 1);
    const c = await gpu.matmul(gpu.upload(a, [M, K]), gpu.upload(b, [K, N])).toFloat64Array();
    const ref = refMatmul(a, b, M, K, N);
    expectWithin(c, ref.c, (i) => matmulTol(K, ref.abs[i]), "matmul");
  });

  test.for([
    [5, 4, 6],
    [5, 4, 8],
  ])("batched with broadcasting over leading dimensions (M=%i K=%i N=%i)", async ([M, K, N], t) => {
    needGpu(t);
    const a = randoms(2 * 1 * M * K, 11);
    const b = randoms(3 * K * N, 12);
    const out = gpu.matmul(gpu.upload(a, [2, 1, M, K]), gpu.upload(b, [3, K, N]));
    expect(out.shape).toEqual([2, 3, M, N]);
    const c = await out.toFloat64Array();
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) {
        const ref = refMatmul(a, b, M, K, N, i * M * K, j * K * N);
        const got = c.subarray((i * 3 + j) * M * N, (i * 3 + j + 1) * M * N);
        expectWithin(got, ref.c, (q) => matmulTol(K, ref.abs[q]), `batch ${i},${j}`);
      }
  });

  test("1-D operands are promoted and squeezed like NumPy", async (t) => {
    needGpu(t);
    const v = gpu.upload([1, 2, 3]);
    const m = gpu.upload([1, 0, 2, 1, 0, 3], [3, 2]); // rows (1,0), (2,1), (0,3)
    const vm = gpu.matmul(v, m);
    expect(vm.shape).toEqual([2]);
    expect([...(await vm.toFloat64Array())]).toEqual([5, 11]);
    const mv = gpu.matmul(gpu.upload([1, 2, 3, 4, 5, 6], [2, 3]), v);
    expect(mv.shape).toEqual([2]);
    expect([...(await mv.toFloat64Array())]).toEqual([14, 32]);
    const dot = gpu.matmul(v, v);
    expect(dot.shape).toEqual([]);
    expect([...(await dot.toFloat64Array())]).toEqual([14]);
  });

  test("mismatched inner dimensions are a typed error naming the field", (t) => {
    needGpu(t);
    expect(() =>
      gpu.matmul(gpu.upload(new Float64Array(6), [2, 3]), gpu.upload(new Float64Array(8), [4, 2])),
    ).toThrow(expect.objectContaining({ name: "GpuInputError", field: "matmul.b.shape" }));
  });
});

// [op, reference, domain, tolerance(x, ref)] — tolerances from the WGSL accuracy table plus the
// rounding of the input to f32 (|f'(x)|·|x|·u).
const UNARY_CASES: [UnaryOp, (x: number) => number, [number, number], (x: number, r: number) => number][] = [
  ["neg", (x) => -x, [-5, 5], (x) => Math.abs(x) * U],
  ["abs", Math.abs, [-5, 5], (x) => Math.abs(x) * U],
  ["relu", (x) => Math.max(x, 0), [-5, 5], (x) => Math.abs(x) * U],
  ["exp", Math.exp, [-10, 10], (x, r) => r * (Math.abs(x) * U + (3 + 2 * Math.abs(x)) * ULP)],
  ["log", Math.log, [0.01, 100], (_, r) => U + Math.max(3 * ULP * Math.abs(r), 2 ** -21)],
  ["sqrt", Math.sqrt, [0, 100], (_, r) => r * (U / 2 + 5 * ULP)],
  ["sin", Math.sin, [-Math.PI, Math.PI], (x) => 2 ** -11 + Math.abs(x) * U],
  ["cos", Math.cos, [-Math.PI, Math.PI], (x) => 2 ** -11 + Math.abs(x) * U],
  // tanh = sign·(1 − e)/(1 + e), e = exp(−2|x|): the error of e enters with weight ≤ 2e
  [
    "tanh",
    Math.tanh,
    [-12, 12],
    (x, r) =>
      Math.abs(x) * U * (1 - r * r) +
      ULP * (6 * Math.abs(r) + 2 * Math.exp(-2 * Math.abs(x)) * (3 + 4 * Math.abs(x))),
  ],
  [
    "sigmoid",
    (x) => 1 / (1 + Math.exp(-x)),
    [-20, 20],
    (x, r) =>
      Math.abs(x) * U * r * (1 - r) +
      ULP * (6 + 2 * Math.abs(x)) * r +
      ULP * Math.exp(-Math.abs(x)) * (3 + 2 * Math.abs(x)),
  ],
  [
    "softplus",
    (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
    [-20, 20],
    (x, r) => {
      const e = Math.exp(-Math.abs(x));
      const sig = 1 / (1 + Math.exp(-x));
      return (
        Math.abs(x) * U * sig + 4 * ULP * r + (e >= 1e-4 ? 2 ** -21 : 0) + e * (3 + 2 * Math.abs(x)) * ULP
      );
    },
  ],
];

describe("WebGPU backend: elementwise", () => {
  test.for(UNARY_CASES)(
    "%s matches Math in Float64 within the WGSL accuracy bound",
    async ([op, f, [lo, hi], tol], t) => {
      needGpu(t);
      const x = randoms(3001, op.length * 7919, lo, hi); // 3001: not a multiple of the workgroup
      const got = await gpu.unary(op, gpu.upload(x)).toFloat64Array();
      const ref = x.map(f);
      expectWithin(got, ref, (i) => tol(x[i], ref[i]), op);
    },
  );

  // add/sub/mul and min/max/comparisons are exact (correctly rounded) on f32-rounded inputs
  const F = Math.fround;
  const EXACT: [BinaryOp, (x: number, y: number) => number][] = [
    ["add", (x, y) => F(F(x) + F(y))],
    ["sub", (x, y) => F(F(x) - F(y))],
    ["mul", (x, y) => F(F(x) * F(y))],
    ["maximum", (x, y) => Math.max(F(x), F(y))],
    ["minimum", (x, y) => Math.min(F(x), F(y))],
    ["greater", (x, y) => (F(x) > F(y) ? 1 : 0)],
    ["less", (x, y) => (F(x) < F(y) ? 1 : 0)],
    ["equal", (x, y) => (F(x) === F(y) ? 1 : 0)],
  ];

  test.for(EXACT)("%s: same shape, broadcast and scalar operands are exact in f32", async ([op, f], t) => {
    needGpu(t);
    const sa = [3, 1, 5];
    const sb = [4, 1];
    const out = [3, 4, 5];
    const a = randoms(size(sa), 31);
    const b = randoms(size(sb), 32);
    b[1] = a[2]; // one tie for `equal`
    const bc = gpu.binary(op, gpu.upload(a, sa), gpu.upload(b, sb));
    expect(bc.shape).toEqual(out);
    const ref = Float64Array.from({ length: size(out) }, (_, i) => {
      const idx = multiIndex(i, out);
      return f(at(a, sa, out, idx), at(b, sb, out, idx));
    });
    expectWithin(await bc.toFloat64Array(), ref, () => 0, `${op} broadcast`);

    const c = randoms(size(sa), 33);
    const same = await gpu.binary(op, gpu.upload(a, sa), gpu.upload(c, sa)).toFloat64Array();
    expectWithin(
      same,
      a.map((x, i) => f(x, c[i])),
      () => 0,
      `${op} same`,
    );
    const s = 0.3;
    const right = await gpu.binary(op, gpu.upload(a, sa), s).toFloat64Array();
    expectWithin(
      right,
      a.map((x) => f(x, s)),
      () => 0,
      `${op} scalar right`,
    );
    const left = await gpu.binary(op, s, gpu.upload(a, sa)).toFloat64Array();
    expectWithin(
      left,
      a.map((x) => f(s, x)),
      () => 0,
      `${op} scalar left`,
    );
  });

  test("div is within 2.5 ulp plus the input rounding", async (t) => {
    needGpu(t);
    const a = randoms(1000, 41, -4, 4);
    const b = randoms(1000, 42, 0.1, 3);
    const got = await gpu.div(gpu.upload(a), gpu.upload(b)).toFloat64Array();
    const ref = a.map((x, i) => x / b[i]);
    expectWithin(got, ref, (i) => Math.abs(ref[i]) * (2 * U + 2.5 * ULP), "div");
  });

  test("pow follows exp2(y·log2 x), with the sign of x^y for negative bases and integer y", async (t) => {
    needGpu(t);
    const n = 1000;
    const r = seededUniform(43);
    const x = Float64Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1) * (0.5 + 2.5 * r()));
    const y = Float64Array.from({ length: n }, (_, i) => (x[i] < 0 ? Math.floor(7 * r()) - 3 : -3 + 6 * r()));
    const got = await gpu.pow(gpu.upload(x), gpu.upload(y)).toFloat64Array();
    const ref = x.map((v, i) => v ** y[i]);
    // log2 is 3 ulp or 2⁻²¹ absolute; it is scaled by |y|, exp2 adds 3 + 2|L| ulp
    const tol = (i: number) => {
      const L = Math.abs(y[i] * Math.log2(Math.abs(x[i])));
      const logErr = Math.abs(y[i]) * Math.max(2 ** -21, 3 * ULP * Math.abs(Math.log2(Math.abs(x[i]))));
      return Math.abs(ref[i]) * (Math.LN2 * (logErr + L * U) + (3 + 2 * L) * ULP + (Math.abs(y[i]) + L) * U);
    };
    expectWithin(got, ref, tol, "pow");
  });
});

describe("WebGPU backend: reductions", () => {
  const shape = [7, 300, 5];
  const x = randoms(size(shape), 51, -1, 1);

  /** Float64 reference reduction over `axes` with the Σ|x| of each output for the bound. */
  function refReduce(op: "sum" | "max", axes: number[]) {
    const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const out = new Float64Array(size(outShape)).fill(op === "sum" ? 0 : Number.NEGATIVE_INFINITY);
    const abs = new Float64Array(out.length);
    for (let i = 0; i < x.length; i++) {
      const idx = multiIndex(i, shape).map((c, d) => (axes.includes(d) ? 0 : c));
      let o = 0;
      for (let d = 0; d < shape.length; d++) o = o * outShape[d] + idx[d];
      if (op === "sum") out[o] += x[i];
      else out[o] = Math.max(out[o], Math.fround(x[i]));
      abs[o] += Math.abs(x[i]);
    }
    return { out, abs };
  }

  test.for([[[0]], [[1]], [[2]], [[1, 2]], [[0, 1]], [[0, 2]], [[0, 1, 2]]])(
    "sum over axes %j matches Float64 within depth·u·Σ|x|",
    async ([axes], t) => {
      needGpu(t);
      const got = await gpu.sum(gpu.upload(x, shape), axes).toFloat64Array();
      const { out, abs } = refReduce("sum", axes);
      const n = axes.reduce((p, a) => p * shape[a], 1);
      // adjacent axes are one reduction of n values; [0, 2] is two, of 5 and then 7
      const adjacent = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
      const depth = adjacent ? sumErrorDepth(n) : sumErrorDepth(shape[2]) + sumErrorDepth(shape[0]);
      expectWithin(got, out, (i) => 1.01 * (depth + 1) * U * abs[i], `sum ${axes}`);
    },
  );

  test.for([[[0]], [[1]], [[2]], [[0, 2]], [[0, 1, 2]]])("max over axes %j is exact", async ([axes], t) => {
    needGpu(t);
    const got = await gpu.max(gpu.upload(x, shape), axes).toFloat64Array();
    expectWithin(got, refReduce("max", axes).out, () => 0, `max ${axes}`);
  });

  test("keepdims and negative axes give NumPy shapes", (t) => {
    needGpu(t);
    const v = gpu.upload(x, shape);
    expect(gpu.sum(v, -1, true).shape).toEqual([7, 300, 1]);
    expect(gpu.max(v, [0, -1]).shape).toEqual([300]);
    expect(gpu.sum(v).shape).toEqual([]);
    expect(() => gpu.sum(v, 3)).toThrow(GpuInputError);
  });

  test("a sum of 2^20 + 3 values takes three passes and stays within its bound", async (t) => {
    needGpu(t);
    const n = (1 << 20) + 3;
    const big = randoms(n, 52, 0, 1);
    const got = (await gpu.sum(gpu.upload(big)).toFloat64Array())[0];
    let ref = 0;
    for (const v of big) ref += v; // all positive: Σ|x| = Σx, and f64 summation error is negligible
    expect(Math.abs(got - ref)).toBeLessThanOrEqual(1.01 * (sumErrorDepth(n) + 1) * U * ref);
  });
});

describe("WebGPU backend: long middle axis", () => {
  test("sum and max over a middle axis of 5000 run in two passes with inner stride 7", async (t) => {
    needGpu(t);
    const shape = [3, 5000, 7];
    const x = randoms(size(shape), 53, -1, 1);
    const v = gpu.upload(x, shape);
    const [s, m] = await Promise.all([gpu.sum(v, 1).toFloat64Array(), gpu.max(v, 1).toFloat64Array()]);
    const refS = new Float64Array(21);
    const refM = new Float64Array(21).fill(Number.NEGATIVE_INFINITY);
    const abs = new Float64Array(21);
    for (let i = 0; i < 3; i++)
      for (let k = 0; k < 5000; k++)
        for (let j = 0; j < 7; j++) {
          const val = x[(i * 5000 + k) * 7 + j];
          refS[i * 7 + j] += val;
          abs[i * 7 + j] += Math.abs(val);
          refM[i * 7 + j] = Math.max(refM[i * 7 + j], Math.fround(val));
        }
    expectWithin(s, refS, (i) => 1.01 * (sumErrorDepth(5000) + 1) * U * abs[i], "sum axis 1");
    expectWithin(m, refM, () => 0, "max axis 1");
  });
});

describe("WebGPU backend: memory and scopes", () => {
  test("run() releases intermediates and keeps the returned tensors", async (t) => {
    needGpu(t);
    const a = gpu.upload([1, 2, 3, 4], [2, 2]);
    let inner: GpuTensor[] = [];
    const out = gpu.run((g) => {
      const p = g.matmul(a, a);
      const q = g.exp(g.neg(p));
      inner = [p, q];
      return { s: g.sum(q, 1), p };
    });
    expect(inner[1].released).toBe(true);
    expect(out.p.released).toBe(false);
    expect(a.released).toBe(false); // created outside the scope
    const s = await out.s.toFloat64Array();
    const ref = [Math.exp(-7) + Math.exp(-10), Math.exp(-15) + Math.exp(-22)];
    expectWithin(s, ref, (i) => 8 * ULP * ref[i], "scoped result");
    expect(() => gpu.exp(inner[1])).toThrow(expect.objectContaining({ field: "exp.x" }));
  });

  test("buffers are pooled: a loop of release-and-recompute stops allocating", async (t) => {
    needGpu(t);
    const local = new WebGpuBackend(ctx as GpuContext);
    const x = local.upload(randoms(1000, 61), [10, 100]);
    const step = () => local.run((g) => g.sum(g.tanh(g.mul(x, 0.5)), 1));
    const iterate = async () => {
      const r = step();
      await r.toFloat32Array();
      r.release();
    };
    // released buffers come back one submit later, so the steady state needs two sets
    for (let i = 0; i < 3; i++) await iterate();
    const before = local.buffersCreated;
    for (let i = 0; i < 5; i++) await iterate();
    expect(local.buffersCreated).toBe(before);
    local.destroy();
  });

  test("bad upload shapes are typed errors", (t) => {
    needGpu(t);
    expect(() => gpu.upload([1, 2, 3], [2, 2])).toThrow(expect.objectContaining({ field: "upload.shape" }));
    expect(() => gpu.upload([1, 2], [2.5])).toThrow(GpuInputError);
    // larger than any storage binding: refused before anything is allocated on the device
    expect(() => gpu.fill([1 << 20, 1 << 20], 0)).toThrow(expect.objectContaining({ field: "fill.shape" }));
  });
});
