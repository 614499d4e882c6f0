// gpu.js (WebGPU mode) against the hand-written WGSL kernels of src/gpu and the CPU Float64
// path, on the same Dawn device. Run from packages/autodiff:
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
//     node --conditions=@physml/source --import tsx bench/gpu.ts [--quick]
// Prints a markdown table (median ms of several runs after a warm-up that compiles the
// pipelines) and the largest error of each GPU result against the Float64 reference, measured
// in units of its f32 error bound (≤ 1 means within the bound).
import { describeAdapter, requireGpuContext } from "@physml/gpu-device";
import { WebGpuBackend } from "../src/gpu/index.js";
import { type GpuJsBufferResult, type GpuJsKernel, gpuJsOnDawn } from "./gpu-gpujs.js";

const U = 2 ** -24;
const quick = process.argv.includes("--quick");

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}
function randoms(n: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => 2 * r() - 1);
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
/** Median wall time (ms) of `reps` runs, after one warm-up run (compiles the pipelines) if `warm`. */
async function time(reps: number, f: () => unknown | Promise<unknown>, warm = true): Promise<number> {
  if (warm) await f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}
function flat(x: Float32Array | Float32Array[] | number[]): Float64Array {
  if (Array.isArray(x) && x.length > 0 && typeof x[0] !== "number") {
    const rows = x as Float32Array[];
    const out = new Float64Array(rows.length * rows[0].length);
    rows.forEach((r, i) => {
      out.set(r, i * r.length);
    });
    return out;
  }
  return Float64Array.from(x as ArrayLike<number>);
}
/** max_i |got − ref| / bound_i: ≤ 1 when every element is within its f32 bound. */
function worst(got: ArrayLike<number>, ref: ArrayLike<number>, bound: (i: number) => number): number {
  if (got.length !== ref.length) return Number.POSITIVE_INFINITY;
  let w = 0;
  for (let i = 0; i < ref.length; i++) w = Math.max(w, Math.abs(got[i] - ref[i]) / bound(i));
  return w;
}

// ---------------------------------------------------------------- CPU Float64 references

function cpuMatmul(a: Float64Array, b: Float64Array, n: number): { c: Float64Array; abs: Float64Array } {
  const c = new Float64Array(n * n);
  const abs = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      const aa = Math.abs(aik);
      const row = i * n;
      const brow = k * n;
      for (let j = 0; j < n; j++) {
        c[row + j] += aik * b[brow + j];
        abs[row + j] += aa * Math.abs(b[brow + j]);
      }
    }
  }
  return { c, abs };
}
function cpuMatmulOnly(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  return c;
}

// ---------------------------------------------------------------- setup

const ctx = await requireGpuContext();
const wgsl = new WebGpuBackend(ctx);
const { gpu: gj, mod } = await gpuJsOnDawn(ctx);
const rows: string[] = [];
const notes: string[] = [];
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
function row(
  name: string,
  cpu: number,
  w: [number, number],
  g: [number, number],
  errW: number,
  errG: number,
) {
  rows.push(
    `| ${name} | ${fmt(cpu)} | ${fmt(w[0])} | ${fmt(g[0])} | ${fmt(w[1])} | ${fmt(g[1])} | ${errW.toPrecision(2)} | ${errG.toPrecision(2)} |`,
  );
  console.error(rows[rows.length - 1]);
}
const RESIDENT_OPS = 4; // ops per readback in the resident timing (1 for the 1024³ matmul)

// ---------------------------------------------------------------- matmul n×n·n×n

for (const n of quick ? [128, 256] : [256, 1024]) {
  // 1024³ takes seconds per call on SwiftShader: one timed run, one op per readback
  const big = n >= 1024;
  const reps = big ? 1 : 5;
  const ops = big ? 1 : RESIDENT_OPS;
  const a = randoms(n * n, 1);
  const b = randoms(n * n, 2);
  const a32 = Float32Array.from(a);
  const b32 = Float32Array.from(b);
  const ref = cpuMatmul(a, b, n);
  const bound = (i: number) => 1.01 * (n + 2) * U * ref.abs[i];
  const tCpu = await time(big ? 1 : 3, () => cpuMatmulOnly(a, b, n), !big);

  // WGSL: host → host, and with inputs resident on the GPU
  let cW: Float32Array = new Float32Array(0);
  const tW = await time(reps, async () => {
    const c = wgsl.run((g) => g.matmul(g.upload(a32, [n, n]), g.upload(b32, [n, n])));
    cW = await c.toFloat32Array();
    c.release();
  });
  const ga = wgsl.upload(a32, [n, n]);
  const gb = wgsl.upload(b32, [n, n]);
  const tWr =
    (await time(
      reps,
      async () => {
        const outs = Array.from({ length: ops }, () => wgsl.matmul(ga, gb));
        await outs[ops - 1].toFloat32Array();
        for (const o of outs) o.release();
      },
      !big,
    )) / ops;

  // gpu.js: the textbook kernel, one output element per thread
  const mm = gj
    .createKernel(function (
      this: { thread: { x: number; y: number }; constants: { n: number } },
      A: number[][],
      B: number[][],
    ) {
      let s = 0;
      for (let k = 0; k < this.constants.n; k++) s += A[this.thread.y][k] * B[k][this.thread.x];
      return s;
    })
    .setConstants({ n })
    .setLoopMaxIterations(n)
    .setOutput([n, n]);
  let cG: Float64Array = new Float64Array(0);
  const tG = await time(reps, async () => {
    cG = flat((await mm(mod.input(a32, [n, n]), mod.input(b32, [n, n]))) as Float32Array[]);
  });
  const copy = gj
    .createKernel(function (this: { thread: { x: number; y: number } }, x: number[][]) {
      return x[this.thread.y][this.thread.x];
    })
    .setOutput([n, n])
    .setPipeline(true);
  const copyB = gj
    .createKernel(function (this: { thread: { x: number; y: number } }, x: number[][]) {
      return x[this.thread.y][this.thread.x];
    })
    .setOutput([n, n])
    .setPipeline(true);
  const ha = (await copy(mod.input(a32, [n, n]))) as GpuJsBufferResult;
  const hb = (await copyB(mod.input(b32, [n, n]))) as GpuJsBufferResult;
  const mmP = gj
    .createKernel(function (
      this: { thread: { x: number; y: number }; constants: { n: number } },
      A: number[][],
      B: number[][],
    ) {
      let s = 0;
      for (let k = 0; k < this.constants.n; k++) s += A[this.thread.y][k] * B[k][this.thread.x];
      return s;
    })
    .setConstants({ n })
    .setLoopMaxIterations(n)
    .setOutput([n, n])
    .setPipeline(true);
  const tGr =
    (await time(
      reps,
      async () => {
        let last: GpuJsBufferResult | null = null;
        for (let i = 0; i < ops; i++) last = (await mmP(ha, hb)) as GpuJsBufferResult;
        await (last as GpuJsBufferResult).toArray();
      },
      !big,
    )) / ops;
  row(`matmul ${n}³`, tCpu, [tW, tWr], [tG, tGr], worst(cW, ref.c, bound), worst(cG, ref.c, bound));
  ga.release();
  gb.release();
}

// ---------------------------------------------------------------- elementwise x·y over 2^20

{
  const n = quick ? 1 << 18 : 1 << 20;
  const x = randoms(n, 3);
  const y = randoms(n, 4);
  const x32 = Float32Array.from(x);
  const y32 = Float32Array.from(y);
  const ref = new Float64Array(n);
  const tCpu = await time(5, () => {
    for (let i = 0; i < n; i++) ref[i] = x[i] * y[i];
  });
  // correctly rounded product of the rounded inputs: 3u relative
  const bound = (i: number) => 3 * U * Math.abs(ref[i]) + 1e-45;
  let oW: Float32Array = new Float32Array(0);
  const tW = await time(5, async () => {
    const o = wgsl.run((g) => g.mul(g.upload(x32), g.upload(y32)));
    oW = await o.toFloat32Array();
    o.release();
  });
  const gx = wgsl.upload(x32);
  const gy = wgsl.upload(y32);
  const tWr =
    (await time(5, async () => {
      const outs = Array.from({ length: RESIDENT_OPS }, () => wgsl.mul(gx, gy));
      await outs[RESIDENT_OPS - 1].toFloat32Array();
      for (const o of outs) o.release();
    })) / RESIDENT_OPS;
  const mulK = (pipeline: boolean) =>
    gj
      .createKernel(function (this: { thread: { x: number } }, a: number[], b: number[]) {
        return a[this.thread.x] * b[this.thread.x];
      })
      .setOutput([n])
      .setPipeline(pipeline);
  const k = mulK(false);
  let oG: Float64Array = new Float64Array(0);
  const tG = await time(5, async () => {
    oG = flat((await k(x32, y32)) as Float32Array);
  });
  const up1 = gj
    .createKernel(function (this: { thread: { x: number } }, a: number[]) {
      return a[this.thread.x];
    })
    .setOutput([n])
    .setPipeline(true);
  const up2 = gj
    .createKernel(function (this: { thread: { x: number } }, a: number[]) {
      return a[this.thread.x];
    })
    .setOutput([n])
    .setPipeline(true);
  const hx = (await up1(x32)) as GpuJsBufferResult;
  const hy = (await up2(y32)) as GpuJsBufferResult;
  const kP = mulK(true);
  const tGr =
    (await time(5, async () => {
      let last: GpuJsBufferResult | null = null;
      for (let i = 0; i < RESIDENT_OPS; i++) last = (await kP(hx, hy)) as GpuJsBufferResult;
      await (last as GpuJsBufferResult).toArray();
    })) / RESIDENT_OPS;
  row(
    `elementwise x·y, 2^${Math.log2(n)}`,
    tCpu,
    [tW, tWr],
    [tG, tGr],
    worst(oW, ref, bound),
    worst(oG, ref, bound),
  );
  gx.release();
  gy.release();
}

// ---------------------------------------------------------------- sum of 2^20 values

{
  const n = quick ? 1 << 18 : 1 << 20;
  const C = 1024; // gpu.js: stage 1 sums C consecutive values per thread, stage 2 the n/C partials
  const x = randoms(n, 5);
  const x32 = Float32Array.from(x);
  let ref = 0;
  let absSum = 0;
  const tCpu = await time(5, () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i];
    ref = s;
  });
  for (const v of x) absSum += Math.abs(v);
  // any summation order of depth d: |error| ≤ (d + 1)·u·Σ|x|; serial stages give d ≤ C + n/C
  const bound = () => 1.01 * (C + n / C + 1) * U * absSum;
  let sW = 0;
  const tW = await time(5, async () => {
    const s = wgsl.run((g) => g.sum(g.upload(x32)));
    sW = (await s.toFloat32Array())[0];
    s.release();
  });
  const gx = wgsl.upload(x32);
  const tWr =
    (await time(5, async () => {
      const outs = Array.from({ length: RESIDENT_OPS }, () => wgsl.sum(gx));
      await outs[RESIDENT_OPS - 1].toFloat32Array();
      for (const o of outs) o.release();
    })) / RESIDENT_OPS;
  type Ctx = { thread: { x: number }; constants: { c: number } };
  const stage = (out: number, c: number, pipeline: boolean): GpuJsKernel =>
    gj
      .createKernel(function (this: Ctx, v: number[]) {
        let s = 0;
        for (let i = 0; i < this.constants.c; i++) s += v[this.thread.x * this.constants.c + i];
        return s;
      })
      .setConstants({ c })
      .setLoopMaxIterations(c)
      .setOutput([out])
      .setPipeline(pipeline);
  const s1 = stage(n / C, C, true);
  const s2 = stage(1, n / C, false);
  let sG = 0;
  const tG = await time(5, async () => {
    const part = (await s1(x32)) as GpuJsBufferResult;
    sG = ((await s2(part)) as Float32Array)[0];
  });
  const up = gj
    .createKernel(function (this: { thread: { x: number } }, a: number[]) {
      return a[this.thread.x];
    })
    .setOutput([n])
    .setPipeline(true);
  const hx = (await up(x32)) as GpuJsBufferResult;
  const s1r = stage(n / C, C, true);
  const s2r = stage(1, n / C, true);
  const tGr =
    (await time(5, async () => {
      let last: GpuJsBufferResult | null = null;
      for (let i = 0; i < RESIDENT_OPS; i++)
        last = (await s2r((await s1r(hx)) as GpuJsBufferResult)) as GpuJsBufferResult;
      await (last as GpuJsBufferResult).toArray();
    })) / RESIDENT_OPS;
  row(
    `sum, 2^${Math.log2(n)}`,
    tCpu,
    [tW, tWr],
    [tG, tGr],
    worst([sW], [ref], bound),
    worst([sG], [ref], bound),
  );
  gx.release();
}

console.log(
  `adapter: ${describeAdapter(ctx.adapter)}; Node ${process.version}; ${quick ? "quick sizes" : "full sizes"}`,
);
console.log("times: median ms; e2e = host arrays in → host array out; resident = inputs already on the GPU,");
console.log(
  `${RESIDENT_OPS} ops per readback, per op; err = max |gpu − f64| / f32 bound (≤ 1 is within the bound)`,
);
console.log("");
console.log(
  "| case | CPU f64 | WGSL e2e | gpu.js e2e | WGSL resident | gpu.js resident | WGSL err | gpu.js err |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(r);
for (const n of notes) console.log(n);
gj.destroy();
wgsl.destroy();
