// The WebGPU backend: runs the WGSL kernels of shaders/ and reproduces the CPU backend bit for
// bit (SPEC.md). Design:
// - spins stay on the GPU; a sweep of C colours is C dispatches, and many sweeps go into one
//   compute pass and one submit, with no readback in between;
// - each dispatch finds its sweep number, colour and sample index in its own 256-byte entry of
//   a per-submit parameter table, bound with a dynamic uniform offset (one writeBuffer per
//   submit, nothing written between dispatches);
// - measurements are reduced on the GPU into a small i32 array per measure() call
//   (`[chain][sample][17]` sums for the int layout, `[chain][sample][6]` corner-product sums
//   for the packed one; see measure-plan.ts), the only thing read back unless configurations
//   are asked for;
// - waits race device loss and a timeout (gpu-util.ts), so nothing hangs.
import { describeAdapter, type GpuContext, withGpuErrors } from "@physml/gpu-device";
import {
  type Couplings,
  checkInt,
  N_TERMS,
  PhysmlInputError,
  type SquareLattice,
} from "@physml/lattice-core";
import type { BackendInit, RawMeasurements, SamplerBackend } from "../backend.js";
import { N_FEATURES } from "../cpu/measure.js";
import { philoxKey } from "../rng/philox.js";
import { guarded, makeBuffer, readBack, waitIdle } from "./gpu-util.js";
import { initialSpins } from "./initial.js";
import { gpuKernel } from "./kernel/registry.js";
import type { DispatchGrids, GpuIsingKernel } from "./kernel/strategy.js";
import { slotTable } from "./layout.js";
import { compileShaderFiles } from "./pipelines.js";
import { checkCouplings, checkInit } from "./validate.js";

/** Parameter-table entries (dispatches) per submit; 2048 × 256 B = 512 KiB of uniforms. */
export const ENTRIES_PER_SUBMIT = 2048;
/** u32 words of one parameter entry used by the shaders (struct Pass in layout.wgsl). */
const PASS_WORDS = 9;
/** One step of a submit plan. */
type Op =
  | { kind: "sweep"; n: number; colour: number }
  | { kind: "measure"; sample: number }
  | { kind: "copy"; sample: number };

class WebGpuBackend implements SamplerBackend {
  readonly name = "webgpu" as const;
  readonly adapter: string;
  private n = 0;
  private disposed = false;
  private readonly ctx: GpuContext;
  /** The update kernel: spin layout, shaders, dispatch shape and measurement assembly. */
  private readonly kernel: GpuIsingKernel;
  private readonly colours: 2 | 4;
  private readonly chains: number;
  private readonly nSites: number;
  private readonly lattice: SquareLattice;
  private readonly key: [number, number];
  private readonly slots: Int32Array;
  private readonly stride: number;
  private readonly spins: GPUBuffer;
  private readonly thresholds: GPUBuffer;
  private readonly masks: GPUBuffer;
  private readonly passes: GPUBuffer;
  private readonly dummySums: GPUBuffer;
  private readonly layout: GPUBindGroupLayout;
  private readonly sweepPipeline: GPUComputePipeline;
  private readonly measurePipeline: GPUComputePipeline;
  private readonly sweepGroup: GPUBindGroup;
  /** The kernel's words of every Pass entry (layout.wgsl: t4, t8, mode). */
  private passWords: readonly number[] = [0, 0, 0];
  /** Learned wall time per site update (ns), to sleep instead of polling while the GPU works. */
  private nsPerUpdate = 0;
  private sweepRuns = 0;
  private readonly grids: DispatchGrids;

  constructor(
    init: BackendInit,
    ctx: GpuContext,
    parts: {
      key: [number, number];
      layout: GPUBindGroupLayout;
      sweepPipeline: GPUComputePipeline;
      measurePipeline: GPUComputePipeline;
    },
  ) {
    const { device } = ctx;
    this.ctx = ctx;
    this.adapter = describeAdapter(ctx.adapter);
    this.kernel = gpuKernel(init.kernel);
    this.colours = init.colours;
    this.chains = init.chains;
    this.nSites = init.lattice.nSites;
    this.lattice = init.lattice;
    this.key = parts.key;
    this.layout = parts.layout;
    this.sweepPipeline = parts.sweepPipeline;
    this.measurePipeline = parts.measurePipeline;
    this.slots = slotTable(init.lattice, init.colours);
    this.grids = this.kernel.grids(init);
    this.stride = Math.max(256, device.limits.minUniformBufferOffsetAlignment);
    const S = GPUBufferUsage.STORAGE;
    const D = GPUBufferUsage.COPY_DST;
    this.spins = makeBuffer(device, "mcmc.spins", this.spinBytes(), S | D | GPUBufferUsage.COPY_SRC);
    this.thresholds = makeBuffer(
      device,
      "mcmc.thresholds",
      4 * this.kernel.thresholdWords(init.chains),
      S | D,
    );
    const table = this.kernel.measureTable;
    this.masks = makeBuffer(device, "mcmc.measureTable", table.byteLength, S | D, table);
    this.passes = makeBuffer(
      device,
      "mcmc.passes",
      ENTRIES_PER_SUBMIT * this.stride,
      GPUBufferUsage.UNIFORM | D,
    );
    this.dummySums = makeBuffer(device, "mcmc.noSums", 4 * this.kernel.sumsPerSample, S);
    this.sweepGroup = this.bindGroup(this.thresholds, this.dummySums);
    this.setCouplings(init.couplings);
    this.upload(initialSpins(init.init, this.chains, this.nSites, init.seed));
  }

  get sweepCount(): number {
    return this.n;
  }

  private spinBytes(): number {
    return 4 * this.kernel.spinWords(this.chains, this.nSites);
  }

  private bindGroup(table: GPUBuffer, sums: GPUBuffer): GPUBindGroup {
    return this.ctx.device.createBindGroup({
      layout: this.layout,
      entries: [
        { binding: 0, resource: { buffer: this.passes, size: 64 } },
        { binding: 1, resource: { buffer: this.spins } },
        { binding: 2, resource: { buffer: table } },
        { binding: 3, resource: { buffer: sums } },
      ],
    });
  }

  private live(): void {
    if (this.disposed)
      throw new PhysmlInputError("backend", "a backend that has not been disposed", "disposed");
  }

  setCouplings(couplings: Couplings[]): void {
    this.live();
    checkCouplings({ kernel: this.kernel.kind, colours: this.colours, chains: this.chains }, couplings);
    const { thresholds, pass } = this.kernel.couplingParams(couplings, this.lattice);
    if (thresholds) this.ctx.device.queue.writeBuffer(this.thresholds, 0, thresholds);
    this.passWords = pass;
  }

  private upload(spins: Int8Array): void {
    this.ctx.device.queue.writeBuffer(this.spins, 0, this.kernel.toLayout(spins, this.chains, this.slots));
  }

  /** Encodes and submits `ops` in chunks of at most ENTRIES_PER_SUBMIT dispatches, then waits. */
  private async run(
    ops: Op[],
    measureGroup: GPUBindGroup | null,
    configs: GPUBuffer | null,
    samples: number,
  ): Promise<void> {
    const { device } = this.ctx;
    const sweepKernel = this.kernel.sweepName;
    const kernel = measureGroup ? `${sweepKernel}+${this.kernel.measureName}` : sweepKernel;
    const words = this.stride / 4;
    const table = new Uint32Array(ENTRIES_PER_SUBMIT * words);
    const spinBytes = this.spinBytes();
    const [sx, sy, sz] = this.grids.sweep;
    const [mx, my, mz] = this.grids.measure;
    const t0 = performance.now();
    let updates = 0;
    let at = 0;
    while (at < ops.length) {
      // Take ops until the entry table is full (copies need no entry).
      let end = at;
      let entries = 0;
      while (end < ops.length && (ops[end].kind === "copy" || entries < ENTRIES_PER_SUBMIT)) {
        if (ops[end].kind !== "copy") entries++;
        end++;
      }
      let e = 0;
      for (let q = at; q < end; q++) {
        const op = ops[q];
        if (op.kind === "copy") continue;
        const o = e * words;
        table.fill(0, o, o + PASS_WORDS);
        table[o] = this.key[0];
        table[o + 1] = this.key[1];
        table[o + 5] = samples;
        table.set(this.passWords, o + 6);
        if (op.kind === "sweep") {
          table[o + 2] = op.n >>> 0;
          table[o + 3] = op.colour;
        } else table[o + 4] = op.sample;
        e++;
      }
      await withGpuErrors(this.ctx, kernel, () => {
        device.queue.writeBuffer(this.passes, 0, table, 0, e * words);
        const enc = device.createCommandEncoder({ label: kernel });
        let pass = enc.beginComputePass({ label: kernel });
        let entry = 0;
        for (let q = at; q < end; q++) {
          const op = ops[q];
          if (op.kind === "copy") {
            pass.end();
            enc.copyBufferToBuffer(this.spins, 0, configs as GPUBuffer, op.sample * spinBytes, spinBytes);
            pass = enc.beginComputePass({ label: kernel });
            continue;
          }
          if (op.kind === "sweep") {
            pass.setPipeline(this.sweepPipeline);
            pass.setBindGroup(0, this.sweepGroup, [entry * this.stride]);
            pass.dispatchWorkgroups(sx, sy, sz);
            updates += this.nSites / this.colours;
          } else {
            pass.setPipeline(this.measurePipeline);
            pass.setBindGroup(0, measureGroup as GPUBindGroup, [entry * this.stride]);
            pass.dispatchWorkgroups(mx, my, mz);
          }
          entry++;
        }
        pass.end();
        device.queue.submit([enc.finish()]);
      });
      at = end;
    }
    await waitIdle(this.ctx, kernel, (updates * this.chains * this.nsPerUpdate) / 1e6);
    // Learn the fastest rate seen on sweep-only runs: sleeping for a fraction of the time that
    // rate predicts can never overshoot the real completion by much.
    if (updates > 0 && !measureGroup) {
      const ns = ((performance.now() - t0) * 1e6) / (updates * this.chains);
      // The first run includes the adapter's lazy shader compilation: learn nothing from it.
      if (this.sweepRuns++ > 0)
        this.nsPerUpdate = this.nsPerUpdate === 0 ? ns : Math.min(ns, this.nsPerUpdate);
    }
  }

  private sweepOps(first: number, count: number, ops: Op[] = []): Op[] {
    for (let s = 0; s < count; s++) {
      for (let k = 0; k < this.colours; k++) ops.push({ kind: "sweep", n: first + s, colour: k });
    }
    return ops;
  }

  async sweep(n: number): Promise<void> {
    this.live();
    checkInt("sweeps", n, 0, Number.MAX_SAFE_INTEGER);
    if (n === 0) return;
    await this.run(this.sweepOps(this.n, n), null, null, 0);
    this.n = (this.n + n) >>> 0;
  }

  async measure(sweeps: number, every: number, withConfigurations: boolean): Promise<RawMeasurements> {
    this.live();
    checkInt("sweeps", sweeps, 0, Number.MAX_SAFE_INTEGER);
    checkInt("every", every, 1, Number.MAX_SAFE_INTEGER);
    const { device } = this.ctx;
    const samples = Math.floor(sweeps / every);
    const n = this.nSites;
    const sumBytes = this.chains * samples * this.kernel.sumsPerSample * 4;
    const spinBytes = this.spinBytes();
    if (withConfigurations && samples * spinBytes > device.limits.maxBufferSize) {
      throw new PhysmlInputError(
        "samples",
        `at most ${Math.floor(device.limits.maxBufferSize / spinBytes)} configurations per measure() call on this device`,
        samples,
      );
    }
    const sums = makeBuffer(device, "mcmc.sums", sumBytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const configs = withConfigurations
      ? makeBuffer(
          device,
          "mcmc.configurations",
          samples * spinBytes,
          GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
        )
      : null;
    try {
      const ops: Op[] = [];
      for (let s = 1; s <= sweeps; s++) {
        this.sweepOps(this.n + s - 1, 1, ops);
        if (s % every === 0) {
          ops.push({ kind: "measure", sample: s / every - 1 });
          if (configs) ops.push({ kind: "copy", sample: s / every - 1 });
        }
      }
      await this.run(ops, this.bindGroup(this.masks, sums), configs, samples);
      this.n = (this.n + sweeps) >>> 0;
      const raw =
        samples > 0
          ? new Int32Array(await readBack(this.ctx, this.kernel.measureName, sums, sumBytes))
          : new Int32Array(0);
      const terms = new Float64Array(this.chains * samples * N_TERMS);
      const features = new Float64Array(this.chains * samples * N_FEATURES);
      this.kernel.assemble(raw, this.chains * samples, n, terms, features);
      const out: RawMeasurements = { chains: this.chains, samples, terms, features };
      if (configs && samples > 0) {
        const bytes = await readBack(this.ctx, "configurations", configs, samples * spinBytes);
        const all = new Int8Array(this.chains * samples * n);
        for (let t = 0; t < samples; t++)
          this.unpack(bytes.slice(t * spinBytes, (t + 1) * spinBytes), all, t * n, samples * n);
        out.configurations = all;
      } else if (configs) out.configurations = new Int8Array(0);
      return out;
    } finally {
      sums.destroy();
      configs?.destroy();
    }
  }

  private unpack(bytes: ArrayBuffer, out: Int8Array, offset: number, chainStride: number): void {
    this.kernel.fromLayout(bytes, this.chains, this.slots, out, offset, chainStride);
  }

  async snapshot(): Promise<Int8Array> {
    this.live();
    const bytes = await readBack(this.ctx, "snapshot", this.spins, this.spinBytes());
    const out = new Int8Array(this.chains * this.nSites);
    this.unpack(bytes, out, 0, this.nSites);
    return out;
  }

  async restore(spins: Int8Array, sweepCount: number): Promise<void> {
    this.live();
    if (spins.length !== this.chains * this.nSites) {
      throw new PhysmlInputError(
        "spins.length",
        `${this.chains * this.nSites} (chains · sites)`,
        spins.length,
      );
    }
    for (let i = 0; i < spins.length; i++) {
      if (spins[i] !== 1 && spins[i] !== -1) throw new PhysmlInputError(`spins[${i}]`, "±1", spins[i]);
    }
    checkInt("sweepCount", sweepCount, 0, 0xffffffff);
    await withGpuErrors(this.ctx, "restore", () => this.upload(spins));
    await guarded(this.ctx, "restore", this.ctx.device.queue.onSubmittedWorkDone());
    this.n = sweepCount;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of [this.spins, this.thresholds, this.masks, this.passes, this.dummySums]) b.destroy();
  }
}

const layouts = new WeakMap<GPUDevice, { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout }>();

/** The shared bind-group layout of every kernel (bindings in layout.wgsl and the kernels), one per device. */
function kernelLayouts(device: GPUDevice): { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout } {
  let l = layouts.get(device);
  if (l) return l;
  const C = GPUShaderStage.COMPUTE;
  const group = device.createBindGroupLayout({
    label: "mcmc.layout",
    entries: [
      { binding: 0, visibility: C, buffer: { type: "uniform", hasDynamicOffset: true, minBindingSize: 64 } },
      { binding: 1, visibility: C, buffer: { type: "storage" } },
      { binding: 2, visibility: C, buffer: { type: "read-only-storage" } },
      { binding: 3, visibility: C, buffer: { type: "storage" } },
    ],
  });
  l = { group, pipeline: device.createPipelineLayout({ bindGroupLayouts: [group] }) };
  layouts.set(device, l);
  return l;
}

/**
 * Creates the WebGPU backend on `ctx` (the shared context of `@physml/gpu-device`). Compiles
 * the kernels for this lattice and colouring, uploads thresholds and the initial spins.
 * Throws `PhysmlInputError` for bad input (odd sides, couplings the kernel cannot run) and
 * `GpuError` (naming the kernel) for anything the device rejects.
 */
export async function createWebGpuBackend(init: BackendInit, ctx: GpuContext): Promise<SamplerBackend> {
  checkInit(init, ctx);
  const { device } = ctx;
  const { group: layout, pipeline: pipelineLayout } = await withGpuErrors(ctx, "mcmc.layout", () =>
    kernelLayouts(device),
  );
  const constants = { LX: init.lattice.Lx, LY: init.lattice.Ly, COLOURS: init.colours };
  const common = { layout: pipelineLayout, layoutKey: "mcmc.layout", constants };
  const kernel = gpuKernel(init.kernel);
  const [sweepPipeline, measurePipeline] = await Promise.all([
    compileShaderFiles(ctx, { ...common, ...kernel.sweepShader(constants), entryPoint: "sweep" }),
    compileShaderFiles(ctx, {
      layout: pipelineLayout,
      layoutKey: "mcmc.layout",
      ...kernel.measureShader(init, constants),
      entryPoint: "measure",
    }),
  ]);
  const key = philoxKey(init.seed);
  return withGpuErrors(
    ctx,
    "mcmc.init",
    () => new WebGpuBackend(init, ctx, { key, layout, sweepPipeline, measurePipeline }),
  );
}
