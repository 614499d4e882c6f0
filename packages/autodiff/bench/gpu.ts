// gpu.js (WebGPU mode) against the hand-written WGSL kernels of src/gpu and the CPU Float64
// path, on the same Dawn device. Run from packages/autodiff:
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
//     node --conditions=@physml/source --import tsx bench/gpu.ts [--quick]
// Each case runs a warm-up (compiles the pipelines), then alternates WGSL and gpu.js runs so
// that load from other processes hits both alike, and prints median ms and the largest error
// of each GPU result against the Float64 reference in units of its f32 error bound. The CPU
// column times the Float64 ops of this package (matmul, mul, sum on `Tensor`s).
import { describeAdapter, requireGpuContext } from "@physml/gpu-device";
import { WebGpuBackend } from "../src/gpu/backend.js";
import { matmul, mul, sum, tensor } from "../src/index.js";
import { type GpuJsBufferResult, gpuJsOnDawn } from "./gpu-gpujs.js";

const U = 2 ** -24;
const quick = process.argv.includes("--quick");
function flag(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
/** `--cases=matmul,elementwise,sum` (default all); `--reps=N` timed runs of the 1M cases (default 9). */
const cases = new Set((flag("cases") ?? "matmul,elementwise,sum").split(","));
const reps1M = Number(flag("reps") ?? 9);
/** Ops per readback in the resident timing (inputs already on the GPU). */
const RESIDENT_OPS = 4;

function rng(seed: number): () => number {
  let s = seed >>> 0; // mulberry32
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
type Run = () => unknown | Promise<unknown>;
/** Median ms of `reps` runs of each function, alternating which goes first; `warm` runs each once before. */
async function timeAll(reps: number, fs: Run[], warm = true): Promise<number[]> {
  if (warm) for (const f of fs) await f();
  const ts = fs.map(() => [] as number[]);
  for (let r = 0; r < reps; r++) {
    const order = r % 2 === 0 ? fs.map((_, i) => i) : fs.map((_, i) => fs.length - 1 - i);
    for (const i of order) {
      const t0 = performance.now();
      await fs[i]();
      ts[i].push(performance.now() - t0);
    }
  }
  return ts.map(median);
}
function rowsToFlat(x: Float32Array | Float32Array[]): Float64Array {
  if (x instanceof Float32Array) return Float64Array.from(x);
  const out = new Float64Array(x.length * (x[0]?.length ?? 0));
  x.forEach((r, i) => {
    out.set(r, i * r.length);
  });
  return out;
}
/** max_i |got − ref| / bound_i: ≤ 1 when every element is within its f32 bound. */
function worst(got: ArrayLike<number>, ref: ArrayLike<number>, bound: (i: number) => number): number {
  if (got.length !== ref.length) return Number.POSITIVE_INFINITY;
  let w = 0;
  for (let i = 0; i < ref.length; i++) w = Math.max(w, Math.abs(got[i] - ref[i]) / bound(i));
  return w;
}

/** Reference Float64 matmul (i-k-j loops) with Σ|a||b| per entry for the f32 bound. */
function cpuMatmul(a: Float64Array, b: Float64Array, n: number) {
  const c = new Float64Array(n * n);
  const abs = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) {
        const p = aik * b[k * n + j];
        c[i * n + j] += p;
        abs[i * n + j] += Math.abs(p);
      }
    }
  return { c, abs };
}

// ---------------------------------------------------------------- setup

const ctx = await requireGpuContext();
const wgsl = new WebGpuBackend(ctx);
const { gpu: gj, mod } = await gpuJsOnDawn(ctx);
type T1 = { thread: { x: number } };
type T2 = { thread: { x: number; y: number } };
const copy1 = (n: number) =>
  gj
    .createKernel(function (this: T1, a: number[]) {
      return a[this.thread.x];
    })
    .setOutput([n])
    .setPipeline(true);
const rows: string[] = [];
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
function row(name: string, t: number[], errW: number, errG: number) {
  const [cpu, wE, gE, wR, gR] = t.map(fmt);
  rows.push(
    `| ${name} | ${cpu} | ${wE} | ${gE} | ${wR} | ${gR} | ${errW.toPrecision(2)} | ${errG.toPrecision(2)} |`,
  );
  console.error(rows[rows.length - 1]);
}

// ---------------------------------------------------------------- matmul n×n · n×n

for (const n of !cases.has("matmul") ? [] : quick ? [128, 256] : [256, 1024]) {
  // 1024³ takes seconds per call on SwiftShader: one timed run, one op per readback
  const big = n >= 1024;
  const reps = big ? 1 : 7;
  const ops = big ? 1 : RESIDENT_OPS;
  const a = randoms(n * n, 1);
  const b = randoms(n * n, 2);
  const a32 = Float32Array.from(a);
  const b32 = Float32Array.from(b);
  const ref = cpuMatmul(a, b, n);
  const bound = (i: number) => 1.01 * (n + 2) * U * ref.abs[i];

  const mmFn = function (this: T2 & { constants: { n: number } }, A: number[][], B: number[][]) {
    let s = 0;
    for (let k = 0; k < this.constants.n; k++) s += A[this.thread.y][k] * B[k][this.thread.x];
    return s;
  };
  const mm = gj.createKernel(mmFn).setConstants({ n }).setLoopMaxIterations(n).setOutput([n, n]);
  const mmP = gj
    .createKernel(mmFn)
    .setConstants({ n })
    .setLoopMaxIterations(n)
    .setOutput([n, n])
    .setPipeline(true);
  const copy2 = () =>
    gj
      .createKernel(function (this: T2, x: number[][]) {
        return x[this.thread.y][this.thread.x];
      })
      .setOutput([n, n])
      .setPipeline(true);
  const ha = (await copy2()(mod.input(a32, [n, n]))) as GpuJsBufferResult;
  const hb = (await copy2()(mod.input(b32, [n, n]))) as GpuJsBufferResult;
  const ta = tensor(a, [n, n]);
  const tb = tensor(b, [n, n]);
  const ga = wgsl.upload(a32, [n, n]);
  const gb = wgsl.upload(b32, [n, n]);

  let cW: Float32Array = new Float32Array(0);
  let cG: Float64Array = new Float64Array(0);
  const t = await timeAll(
    reps,
    [
      () => matmul(ta, tb),
      async () => {
        const c = wgsl.run((g) => g.matmul(g.upload(a32, [n, n]), g.upload(b32, [n, n])));
        cW = await c.toFloat32Array();
        c.release();
      },
      async () => {
        cG = rowsToFlat((await mm(mod.input(a32, [n, n]), mod.input(b32, [n, n]))) as Float32Array[]);
      },
      async () => {
        const outs = Array.from({ length: ops }, () => wgsl.matmul(ga, gb));
        await outs[ops - 1].toFloat32Array();
        for (const o of outs) o.release();
      },
      async () => {
        let last: GpuJsBufferResult | null = null;
        for (let i = 0; i < ops; i++) last = (await mmP(ha, hb)) as GpuJsBufferResult;
        await (last as GpuJsBufferResult).toArray();
      },
    ],
    !big,
  );
  // 1024³ has no warm-up: the WGSL pipelines are already compiled by the 256³ case (they do
  // not depend on n); gpu.js compiles its 1024 kernels inside the timed runs, well under 1 s of 30+
  row(
    `matmul ${n}³`,
    [t[0], t[1], t[2], t[3] / ops, t[4] / ops],
    worst(cW, ref.c, bound),
    worst(cG, ref.c, bound),
  );
  ga.release();
  gb.release();
}

// ---------------------------------------------------------------- elementwise x·y

if (cases.has("elementwise")) {
  const n = quick ? 1 << 18 : 1 << 20;
  const x = randoms(n, 3);
  const y = randoms(n, 4);
  const x32 = Float32Array.from(x);
  const y32 = Float32Array.from(y);
  const ref = new Float64Array(n);
  // correctly rounded product of the rounded inputs: 3u relative
  const bound = (i: number) => 3 * U * Math.abs(ref[i]) + 1e-45;
  const mulFn = function (this: T1, a: number[], b: number[]) {
    return a[this.thread.x] * b[this.thread.x];
  };
  const k = gj.createKernel(mulFn).setOutput([n]);
  const kP = gj.createKernel(mulFn).setOutput([n]).setPipeline(true);
  const hx = (await copy1(n)(x32)) as GpuJsBufferResult;
  const hy = (await copy1(n)(y32)) as GpuJsBufferResult;
  for (let i = 0; i < n; i++) ref[i] = x[i] * y[i];
  const tx = tensor(x);
  const ty = tensor(y);
  const gx = wgsl.upload(x32);
  const gy = wgsl.upload(y32);
  let oW: Float32Array = new Float32Array(0);
  let oG: Float64Array = new Float64Array(0);
  const t = await timeAll(reps1M, [
    () => mul(tx, ty),
    async () => {
      const o = wgsl.run((g) => g.mul(g.upload(x32), g.upload(y32)));
      oW = await o.toFloat32Array();
      o.release();
    },
    async () => {
      oG = rowsToFlat((await k(x32, y32)) as Float32Array);
    },
    async () => {
      const outs = Array.from({ length: RESIDENT_OPS }, () => wgsl.mul(gx, gy));
      await outs[RESIDENT_OPS - 1].toFloat32Array();
      for (const o of outs) o.release();
    },
    async () => {
      let last: GpuJsBufferResult | null = null;
      for (let i = 0; i < RESIDENT_OPS; i++) last = (await kP(hx, hy)) as GpuJsBufferResult;
      await (last as GpuJsBufferResult).toArray();
    },
  ]);
  row(
    `elementwise x·y, 2^${Math.log2(n)}`,
    [t[0], t[1], t[2], t[3] / RESIDENT_OPS, t[4] / RESIDENT_OPS],
    worst(oW, ref, bound),
    worst(oG, ref, bound),
  );
  gx.release();
  gy.release();
}

// ---------------------------------------------------------------- sum

if (cases.has("sum")) {
  const n = quick ? 1 << 18 : 1 << 20;
  const C = 1024; // gpu.js: stage 1 sums C consecutive values per thread, stage 2 the n/C partials
  const x = randoms(n, 5);
  const x32 = Float32Array.from(x);
  let ref = 0;
  let absSum = 0;
  for (const v of x) {
    ref += v;
    absSum += Math.abs(v);
  }
  const tx = tensor(x);
  // any summation of depth d: |error| ≤ (d + 1)·u·Σ|x|; both GPU versions have d ≤ C + n/C
  const bound = () => 1.01 * (C + n / C + 1) * U * absSum;
  const stageFn = function (this: T1 & { constants: { c: number } }, v: number[]) {
    let s = 0;
    for (let i = 0; i < this.constants.c; i++) s += v[this.thread.x * this.constants.c + i];
    return s;
  };
  const stage = (out: number, c: number, pipeline: boolean) =>
    gj
      .createKernel(stageFn)
      .setConstants({ c })
      .setLoopMaxIterations(c)
      .setOutput([out])
      .setPipeline(pipeline);
  const s1 = stage(n / C, C, true);
  const s2 = stage(1, n / C, false);
  const s1r = stage(n / C, C, true);
  const s2r = stage(1, n / C, true);
  const hx = (await copy1(n)(x32)) as GpuJsBufferResult;
  const gx = wgsl.upload(x32);
  let sW = 0;
  let sG = 0;
  const t = await timeAll(reps1M, [
    () => sum(tx),
    async () => {
      const s = wgsl.run((g) => g.sum(g.upload(x32)));
      sW = (await s.toFloat32Array())[0];
      s.release();
    },
    async () => {
      const part = (await s1(x32)) as GpuJsBufferResult;
      sG = ((await s2(part)) as Float32Array)[0];
    },
    async () => {
      const outs = Array.from({ length: RESIDENT_OPS }, () => wgsl.sum(gx));
      await outs[RESIDENT_OPS - 1].toFloat32Array();
      for (const o of outs) o.release();
    },
    async () => {
      let last: GpuJsBufferResult | null = null;
      for (let i = 0; i < RESIDENT_OPS; i++)
        last = (await s2r((await s1r(hx)) as GpuJsBufferResult)) as GpuJsBufferResult;
      await (last as GpuJsBufferResult).toArray();
    },
  ]);
  row(
    `sum, 2^${Math.log2(n)}`,
    [t[0], t[1], t[2], t[3] / RESIDENT_OPS, t[4] / RESIDENT_OPS],
    worst([sW], [ref], bound),
    worst([sG], [ref], bound),
  );
  gx.release();
}

console.log(
  `adapter: ${describeAdapter(ctx.adapter)}; Node ${process.version}; ${quick ? "quick" : "full"} sizes`,
);
console.log("times: median ms, WGSL and gpu.js runs alternated; e2e = host arrays in → host array out;");
console.log(`resident = inputs already on the GPU, ${RESIDENT_OPS} ops per readback (1 for 1024³), per op;`);
console.log("err = max |gpu − f64| / f32 error bound (≤ 1 is within the bound)");
console.log("");
console.log(
  "| case | CPU f64 | WGSL e2e | gpu.js e2e | WGSL resident | gpu.js resident | WGSL err | gpu.js err |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(r);
gj.destroy();
wgsl.destroy();
