// The WebGPU backend: f32 tensors in GPU buffers, elementwise / matmul / reduction kernels in
// WGSL. Ops only record commands into one open encoder; it is submitted when a result is read
// back, on `flush()`, or every `maxPendingDispatches` dispatches — never one submit (or wait)
// per op. The device comes from `@physml/gpu-device`, the one owner of the Dawn instance.
import {
  BufferPool,
  type GpuContext,
  GpuError,
  getPipeline,
  requireGpuContext,
  withGpuErrors,
} from "@physml/gpu-device";
import { GpuInputError } from "./errors.js";
import { GpuStorage, GpuTensor, type GpuTensorHost } from "./gpu-tensor.js";
import { foldDispatch, WORKGROUP_1D } from "./kernels/common.js";
import {
  BINARY_OPS,
  type BinaryLayout,
  type BinaryOp,
  binaryKey,
  binaryWgsl,
  UNARY_OPS,
  type UnaryOp,
  unaryKey,
  unaryWgsl,
} from "./kernels/elementwise.js";
import { MATMUL_BLOCK, MATMUL_THREADS, matmulKey, matmulVariant, matmulWgsl } from "./kernels/matmul.js";
import { REDUCE_WORKGROUP, type ReduceOp, reduceKey, reducePlan, reduceWgsl } from "./kernels/reduce.js";
import {
  broadcastShapes,
  broadcastStrides,
  checkShape,
  normaliseAxes,
  rowMajorStrides,
  shapeSize,
} from "./shape.js";

/** Anything with a shape and Float64 data, e.g. a `Tensor` of `@physml/autodiff`. */
export interface TensorSource {
  readonly shape: readonly number[];
  toFloat64Array(): Float64Array;
}

/** What `upload` accepts: a tensor, or flat data with a shape. */
export type UploadInput = TensorSource | Float64Array | Float32Array | readonly number[];

/** Options of {@link webgpuBackend}. */
export interface WebGpuBackendOptions {
  /** Submit the open command encoder after this many dispatches (default 64). */
  maxPendingDispatches?: number;
}

/** Results of {@link WebGpuBackend.run}: a tensor, or arrays / records of them. */
export type GpuTree = GpuTensor | readonly GpuTree[] | { readonly [k: string]: GpuTree };

const STORAGE = 0x0080; // GPUBufferUsage.STORAGE
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;
const MAP_READ = 0x0001;
const MAP_MODE_READ = 0x0001; // GPUMapMode.READ
const TENSOR_USAGE = STORAGE | COPY_SRC | COPY_DST;

/**
 * Opens the WebGPU backend on the shared device of `@physml/gpu-device`. Throws a typed
 * `GpuError` (kind `no-adapter`) with setup instructions when no adapter exists.
 */
export async function webgpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  return new WebGpuBackend(await requireGpuContext(), options);
}

/** f32 tensor ops on a WebGPU device. See the package README.gpu.md for an example. */
export class WebGpuBackend implements GpuTensorHost {
  readonly device: GPUDevice;
  private readonly pool: BufferPool;
  private readonly maxPending: number;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private pendingDispatches = 0;
  /** The first GPU error of the ops recorded since the last check (a chain, so memory stays flat). */
  private errorCheck: Promise<GpuError | null> = Promise.resolve(null);
  private readonly scopes: Set<GpuTensor>[] = [];

  constructor(
    readonly ctx: GpuContext,
    options: WebGpuBackendOptions = {},
  ) {
    const maxPending = options.maxPendingDispatches ?? 64;
    if (!Number.isInteger(maxPending) || maxPending < 1) {
      throw new GpuInputError("maxPendingDispatches", "an integer ≥ 1", maxPending);
    }
    this.device = ctx.device;
    this.pool = new BufferPool(ctx.device);
    this.maxPending = maxPending;
  }

  /** Buffers created by the pool so far (a pool working well stops growing in a loop). */
  get buffersCreated(): number {
    return this.pool.created;
  }

  // ---------------------------------------------------------------- data in and out

  /**
   * Copies data to the GPU as f32. `x` is a tensor (anything with `shape` and
   * `toFloat64Array()`), or flat row-major data with `shape` (default: 1-D).
   */
  upload(x: UploadInput, shape?: readonly number[]): GpuTensor {
    let data: Float64Array | Float32Array | readonly number[];
    let s: readonly number[];
    if (isTensorSource(x)) {
      // a Tensor boxed by grad/jvp would lose its derivative on the GPU: refuse it
      if ((x as { _trace?: unknown })._trace) {
        throw new GpuInputError(
          "upload.x",
          "a concrete Tensor (GPU ops are not differentiable)",
          "a traced Tensor",
        );
      }
      data = x.toFloat64Array();
      s = shape ?? x.shape;
    } else {
      data = x;
      s = shape ?? [x.length];
    }
    checkShape("upload.shape", s);
    if (shapeSize(s) !== data.length) {
      throw new GpuInputError("upload.shape", `a shape holding ${data.length} values (the data length)`, [
        ...s,
      ]);
    }
    const bytes = this.checkBytes("upload.shape", s);
    const f32 = data instanceof Float32Array ? data : Float32Array.from(data);
    const buffer = this.pool.acquire(bytes, TENSOR_USAGE);
    if (f32.length > 0) this.device.queue.writeBuffer(buffer, 0, f32);
    return this.track(new GpuTensor(this, s, new GpuStorage(buffer)));
  }

  /** @internal reads a tensor back; use `tensor.toFloat32Array()`. */
  async readback(t: GpuTensor): Promise<Float32Array> {
    const src = t.bufferFor("toFloat32Array");
    const bytes = t.size * 4;
    if (bytes === 0) {
      await this.checkErrors();
      return new Float32Array(0);
    }
    const staging = this.pool.acquire(bytes, MAP_READ | COPY_DST);
    this.endPass();
    this.openEncoder().copyBufferToBuffer(src, 0, staging, 0, bytes);
    this.flush();
    try {
      await this.checkErrors();
      await withGpuErrors(this.ctx, "autodiff.readback", () => staging.mapAsync(MAP_MODE_READ, 0, bytes));
      const out = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
      staging.unmap();
      return out;
    } finally {
      this.pool.release(staging);
    }
  }

  /** @internal returns a buffer to the pool (reusable after the next submit). */
  releaseBuffer(buffer: GPUBuffer): void {
    this.pool.release(buffer);
  }

  /** Submits the recorded work without waiting for it. */
  flush(): void {
    this.endPass();
    if (this.encoder) {
      const enc = this.encoder;
      this.encoder = null;
      this.pendingDispatches = 0;
      this.checked("autodiff.submit", () => this.device.queue.submit([enc.finish()]));
    }
    this.pool.recycle();
  }

  /** Submits the recorded work, waits until the GPU finished it, and surfaces any GPU error. */
  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await this.checkErrors();
  }

  /** Releases every pooled buffer. Tensors of this backend must not be used afterwards. */
  destroy(): void {
    this.flush();
    this.pool.destroy();
  }

  // ---------------------------------------------------------------- per-computation scope

  /**
   * Runs `f` (synchronous GPU ops) and releases every tensor it created except those in its
   * result — so a whole computation runs on the GPU without leaking intermediates.
   */
  run<T extends GpuTree>(f: (gpu: this) => T): T {
    const scope = new Set<GpuTensor>();
    this.scopes.push(scope);
    let result: T;
    try {
      result = f(this);
    } finally {
      this.scopes.pop();
    }
    const keep = new Set<GpuTensor>();
    collectTensors(result, keep);
    const parent = this.scopes[this.scopes.length - 1];
    for (const t of scope) {
      if (!keep.has(t)) t.release();
      else parent?.add(t);
    }
    return result;
  }

  // ---------------------------------------------------------------- views

  /** Same data, new shape (shares the buffer). One entry may be -1. */
  reshape(x: GpuTensor, shape: readonly number[]): GpuTensor {
    const s = [...shape];
    const free = s.indexOf(-1);
    if (free >= 0) {
      const rest = shapeSize(s.filter((_, i) => i !== free));
      if (rest === 0 || x.size % rest !== 0) {
        throw new GpuInputError("reshape.shape", `a shape whose -1 can be inferred for ${x.size} values`, [
          ...shape,
        ]);
      }
      s[free] = x.size / rest;
    }
    checkShape("reshape.shape", s);
    if (shapeSize(s) !== x.size) {
      throw new GpuInputError("reshape.shape", `a shape holding ${x.size} values`, s);
    }
    const storage = x.storageFor("reshape.x");
    storage.refs++;
    return this.track(new GpuTensor(this, s, storage));
  }

  // ---------------------------------------------------------------- elementwise

  /** Applies a unary op elementwise. */
  unary(op: UnaryOp, x: GpuTensor): GpuTensor {
    if (!(UNARY_OPS as readonly string[]).includes(op)) {
      throw new GpuInputError("unary.op", `one of ${UNARY_OPS.join(", ")}`, op);
    }
    const src = x.bufferFor(`${op}.x`);
    const out = this.alloc(x.shape);
    if (x.size > 0) this.dispatch1d(unaryKey(op), () => unaryWgsl(op), [src, out.bufferFor(op)], x.size, []);
    return out;
  }

  /**
   * Applies a binary op elementwise with NumPy broadcasting; either side may be a JS number
   * (a scalar, rounded to f32).
   */
  binary(op: BinaryOp, a: GpuTensor | number, b: GpuTensor | number): GpuTensor {
    if (!(BINARY_OPS as readonly string[]).includes(op)) {
      throw new GpuInputError("binary.op", `one of ${BINARY_OPS.join(", ")}`, op);
    }
    if (typeof a === "number" && typeof b === "number") {
      throw new GpuInputError(`${op}.a`, "a GpuTensor when b is a number", a);
    }
    if (typeof a === "number" || typeof b === "number") {
      const layout: BinaryLayout = typeof b === "number" ? "scalar-right" : "scalar-left";
      const t = (typeof b === "number" ? a : b) as GpuTensor;
      const s = (typeof b === "number" ? b : a) as number;
      const src = t.bufferFor(`${op}.${layout === "scalar-right" ? "a" : "b"}`);
      const out = this.alloc(t.shape);
      const bits = new Uint32Array(new Float32Array([s]).buffer)[0];
      if (t.size > 0) {
        this.dispatch1d(
          binaryKey(op, layout),
          () => binaryWgsl(op, layout),
          [src, out.bufferFor(op)],
          t.size,
          [bits],
        );
      }
      return out;
    }
    const ba = a.bufferFor(`${op}.a`);
    const bb = b.bufferFor(`${op}.b`);
    if (sameShape(a.shape, b.shape)) {
      const out = this.alloc(a.shape);
      if (a.size > 0) {
        this.dispatch1d(
          binaryKey(op, "same"),
          () => binaryWgsl(op, "same"),
          [ba, bb, out.bufferFor(op)],
          a.size,
          [],
        );
      }
      return out;
    }
    const shape = broadcastShapes(`${op}.b.shape`, a.shape, b.shape);
    const out = this.alloc(shape);
    if (out.size > 0) {
      const extra = [
        shape.length,
        ...shape,
        ...broadcastStrides(a.shape, shape),
        ...broadcastStrides(b.shape, shape),
      ];
      this.dispatch1d(
        binaryKey(op, "broadcast"),
        () => binaryWgsl(op, "broadcast"),
        [ba, bb, out.bufferFor(op)],
        out.size,
        extra,
      );
    }
    return out;
  }

  /** Elementwise a + b, broadcasting. */
  add(a: GpuTensor | number, b: GpuTensor | number): GpuTensor {
    return this.binary("add", a, b);
  }
  /** Elementwise a − b, broadcasting. */
  sub(a: GpuTensor | number, b: GpuTensor | number): GpuTensor {
    return this.binary("sub", a, b);
  }
  /** Elementwise a · b, broadcasting. */
  mul(a: GpuTensor | number, b: GpuTensor | number): GpuTensor {
    return this.binary("mul", a, b);
  }
  /** Elementwise a / b, broadcasting. */
  div(a: GpuTensor | number, b: GpuTensor | number): GpuTensor {
    return this.binary("div", a, b);
  }
  /** Elementwise a^b (negative a only with integer b), broadcasting. */
  pow(a: GpuTensor | number, b: GpuTensor | number): GpuTensor {
    return this.binary("pow", a, b);
  }
  /** Elementwise max(a, b), broadcasting. */
  maximum(a: GpuTensor | number, b: GpuTensor | number): GpuTensor {
    return this.binary("maximum", a, b);
  }
  /** Elementwise min(a, b), broadcasting. */
  minimum(a: GpuTensor | number, b: GpuTensor | number): GpuTensor {
    return this.binary("minimum", a, b);
  }
  /** Elementwise −x. */
  neg(x: GpuTensor): GpuTensor {
    return this.unary("neg", x);
  }
  /** Elementwise eˣ. */
  exp(x: GpuTensor): GpuTensor {
    return this.unary("exp", x);
  }
  /** Elementwise ln x. */
  log(x: GpuTensor): GpuTensor {
    return this.unary("log", x);
  }
  /** Elementwise √x. */
  sqrt(x: GpuTensor): GpuTensor {
    return this.unary("sqrt", x);
  }
  /** Elementwise tanh x (stable for large |x|). */
  tanh(x: GpuTensor): GpuTensor {
    return this.unary("tanh", x);
  }
  /** Elementwise 1/(1 + e⁻ˣ) (stable). */
  sigmoid(x: GpuTensor): GpuTensor {
    return this.unary("sigmoid", x);
  }
  /** Elementwise max(x, 0). */
  relu(x: GpuTensor): GpuTensor {
    return this.unary("relu", x);
  }

  // ---------------------------------------------------------------- matmul

  /**
   * Matrix product with NumPy `matmul` semantics: `[..., M, K] · [..., K, N] → [..., M, N]`,
   * leading (batch) dimensions broadcast; a 1-D operand is promoted to a row / column and the
   * added dimension removed from the result.
   */
  matmul(a: GpuTensor, b: GpuTensor): GpuTensor {
    if (a.shape.length === 0 || b.shape.length === 0) {
      throw new GpuInputError("matmul.shape", "operands of rank ≥ 1 (use mul for scalars)", [
        a.shape.length,
        b.shape.length,
      ]);
    }
    const ba = a.bufferFor("matmul.a");
    const bb = b.bufferFor("matmul.b");
    const as = a.shape.length === 1 ? [1, a.shape[0]] : [...a.shape];
    const bs = b.shape.length === 1 ? [b.shape[0], 1] : [...b.shape];
    const M = as[as.length - 2];
    const K = as[as.length - 1];
    const N = bs[bs.length - 1];
    if (bs[bs.length - 2] !== K) {
      throw new GpuInputError("matmul.b.shape", `${K} rows to match a's ${K} columns`, [...b.shape]);
    }
    const batchA = as.slice(0, -2);
    const batchB = bs.slice(0, -2);
    const batch = broadcastShapes("matmul.batch", batchA, batchB);
    const outShape = [...batch];
    if (a.shape.length > 1) outShape.push(M);
    if (b.shape.length > 1) outShape.push(N);
    const out = this.alloc(outShape);
    const nBatch = shapeSize(batch);
    if (nBatch === 0 || M === 0 || N === 0) return out;
    const sa = broadcastStrides(batchA, batch);
    const sb = broadcastStrides(batchB, batch);
    const bstr = rowMajorStrides(batch);
    const maxZ = this.device.limits.maxComputeWorkgroupsPerDimension;
    const tile = MATMUL_BLOCK * MATMUL_THREADS;
    const gx = Math.ceil(N / tile);
    const gy = Math.ceil(M / tile);
    const variant = matmulVariant(K, N);
    for (let base = 0; base < nBatch; base += maxZ) {
      const count = Math.min(maxZ, nBatch - base);
      const info = new Uint32Array(4 + 2 * count);
      info[0] = M;
      info[1] = K;
      info[2] = N;
      info[3] = base;
      for (let z = 0; z < count; z++) {
        let rem = base + z;
        let ia = 0;
        let ib = 0;
        for (let d = 0; d < batch.length; d++) {
          const c = Math.floor(rem / bstr[d]);
          rem -= c * bstr[d];
          ia += c * sa[d];
          ib += c * sb[d];
        }
        info[4 + 2 * z] = ia * M * K;
        info[5 + 2 * z] = ib * K * N;
      }
      this.dispatch(
        matmulKey(variant),
        () => matmulWgsl(variant),
        info,
        [ba, bb, out.bufferFor("matmul")],
        [gx, gy, count],
      );
    }
    return out;
  }

  // ---------------------------------------------------------------- reductions

  /** Sum over `axes` (default: all), NumPy style; `keepdims` keeps reduced axes as size 1. */
  sum(x: GpuTensor, axes?: number | readonly number[], keepdims = false): GpuTensor {
    return this.reduce("sum", x, axes, keepdims);
  }

  /** Maximum over `axes` (default: all); the axes must not be empty. */
  max(x: GpuTensor, axes?: number | readonly number[], keepdims = false): GpuTensor {
    return this.reduce("max", x, axes, keepdims);
  }

  /** Sum or max over `axes`. Adjacent axes run in one go; others one axis at a time. */
  reduce(op: ReduceOp, x: GpuTensor, axes?: number | readonly number[], keepdims = false): GpuTensor {
    const rank = x.shape.length;
    const ax = normaliseAxes(`${op}.axes`, axes, rank);
    const keptShape = x.shape.map((d, i) => (ax.includes(i) ? 1 : d));
    const finalShape = keepdims ? keptShape : x.shape.filter((_, i) => !ax.includes(i));
    if (op === "max" && ax.some((i) => x.shape[i] === 0)) {
      throw new GpuInputError(`${op}.axes`, "axes of non-zero length (max of nothing is undefined)", ax);
    }
    if (ax.length === 0) return this.reshape(x, finalShape);
    const contiguous = ax[ax.length - 1] - ax[0] === ax.length - 1;
    if (contiguous) {
      const outer = shapeSize(x.shape.slice(0, ax[0]));
      const n = shapeSize(x.shape.slice(ax[0], ax[ax.length - 1] + 1));
      const inner = shapeSize(x.shape.slice(ax[ax.length - 1] + 1));
      return this.reduceBlock(op, x, outer, n, inner, finalShape);
    }
    // non-adjacent axes: one at a time from the last, keeping dims so indices stay valid
    let cur = x;
    for (let k = ax.length - 1; k >= 0; k--) {
      const next = this.reduce(op, cur, ax[k], true);
      if (cur !== x) cur.release();
      cur = next;
    }
    const out = this.reshape(cur, finalShape);
    cur.release();
    return out;
  }

  private reduceBlock(
    op: ReduceOp,
    x: GpuTensor,
    outer: number,
    n: number,
    inner: number,
    finalShape: readonly number[],
  ): GpuTensor {
    const src = x.bufferFor(`${op}.x`);
    if (outer * inner === 0) return this.alloc(finalShape);
    if (n === 0) return this.fill(finalShape, 0); // an empty sum
    if (n === 1) return this.reshape(x, finalShape);
    // serial passes [outer, m, inner] → [outer, P, inner] until one partial is left
    let cur: GPUBuffer = src;
    let m = n;
    for (const P of reducePlan(n)) {
      const count = outer * P * inner;
      const dst = this.pool.acquire(count * 4, TENSOR_USAGE);
      this.dispatch1d(
        reduceKey(op),
        () => reduceWgsl(op),
        [cur, dst],
        count,
        [m, inner, P],
        REDUCE_WORKGROUP,
      );
      if (cur !== src) this.pool.release(cur);
      cur = dst;
      m = P;
    }
    return this.track(new GpuTensor(this, finalShape, new GpuStorage(cur)));
  }

  /** A tensor of `shape` filled with `value` (f32). */
  fill(shape: readonly number[], value: number): GpuTensor {
    checkShape("fill.shape", shape);
    this.checkBytes("fill.shape", shape);
    const data = new Float32Array(shapeSize(shape)).fill(value);
    return this.upload(data, shape);
  }

  // ---------------------------------------------------------------- plumbing

  private alloc(shape: readonly number[]): GpuTensor {
    const buffer = this.pool.acquire(this.checkBytes("shape", shape), TENSOR_USAGE);
    return this.track(new GpuTensor(this, shape, new GpuStorage(buffer)));
  }

  /** Bytes of an f32 tensor of `shape`, or a typed error if the device cannot bind that much. */
  private checkBytes(field: string, shape: readonly number[]): number {
    const bytes = shapeSize(shape) * 4;
    const limits = this.device.limits;
    const max = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
    if (bytes > max) {
      throw new GpuInputError(field, `at most ${Math.floor(max / 4)} elements (this device's buffer limit)`, [
        ...shape,
      ]);
    }
    return bytes;
  }

  private track(t: GpuTensor): GpuTensor {
    this.scopes[this.scopes.length - 1]?.add(t);
    return t;
  }

  /** A 1-D dispatch over n elements; info = [n, rowThreads, ...extra]. */
  private dispatch1d(
    key: string,
    code: () => string,
    buffers: GPUBuffer[],
    n: number,
    extra: number[],
    workgroup = WORKGROUP_1D,
  ): void {
    const g = foldDispatch(Math.ceil(n / workgroup), this.device.limits.maxComputeWorkgroupsPerDimension);
    const info = new Uint32Array([n, g.x * workgroup, ...extra]);
    this.dispatch(key, code, info, buffers, [g.x, g.y, 1]);
  }

  /** Records one dispatch: `info` goes to binding 0, `buffers` to bindings 1, 2, ... */
  private dispatch(
    key: string,
    code: () => string,
    info: Uint32Array,
    buffers: GPUBuffer[],
    groups: [number, number, number],
  ): void {
    const infoBuffer = this.pool.acquire(info.byteLength, STORAGE | COPY_DST);
    this.device.queue.writeBuffer(infoBuffer, 0, info);
    this.checked(key, () => {
      const pipeline = getPipeline(this.device, { kernel: key, key, code });
      const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: infoBuffer } }];
      buffers.forEach((buffer, i) => {
        entries.push({ binding: i + 1, resource: { buffer } });
      });
      const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
      const pass = this.openPass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    });
    // the info buffer is reusable once this encoder has been submitted
    this.pool.release(infoBuffer);
    if (++this.pendingDispatches >= this.maxPending) this.flush();
  }

  private openEncoder(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder();
    return this.encoder;
  }

  private openPass(): GPUComputePassEncoder {
    this.pass ??= this.openEncoder().beginComputePass();
    return this.pass;
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  /**
   * Runs `body` (synchronous GPU calls) inside validation and out-of-memory error scopes that
   * are pushed and popped in the same tick, so they cannot interleave with other users of the
   * shared device; the outcome is collected and surfaced by the next readback or sync.
   */
  private checked(kernel: string, body: () => void): void {
    const d = this.device;
    d.pushErrorScope("validation");
    d.pushErrorScope("out-of-memory");
    try {
      body();
    } finally {
      const oom = d.popErrorScope();
      const validation = d.popErrorScope();
      const previous = this.errorCheck;
      this.errorCheck = Promise.all([previous, validation, oom]).then(([p, v, o]) => {
        if (p) return p;
        if (v) return new GpuError("validation", kernel, v.message);
        if (o) return new GpuError("out-of-memory", kernel, o.message);
        return null;
      });
    }
  }

  private async checkErrors(): Promise<void> {
    if (this.ctx.lostReason) throw new GpuError("device-lost", "autodiff", this.ctx.lostReason);
    const pending = this.errorCheck;
    this.errorCheck = Promise.resolve(null);
    const e = await pending;
    if (e) throw e;
  }
}

function isTensorSource(x: UploadInput): x is TensorSource {
  return typeof (x as TensorSource).toFloat64Array === "function" && Array.isArray((x as TensorSource).shape);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function collectTensors(x: GpuTree, into: Set<GpuTensor>): void {
  if (x instanceof GpuTensor) into.add(x);
  else if (Array.isArray(x)) for (const y of x) collectTensors(y, into);
  else if (x && typeof x === "object") for (const y of Object.values(x)) collectTensors(y as GpuTree, into);
}
