// WebGPU backend of the generic Ising Metropolis rule: the generated kernel of
// ising-model-wgsl.ts, thresholds from lattice-core, one dispatch per (sweep, colour) with its
// parameters at a dynamic uniform offset. Spins are i32 [chain][site]; measurements read the
// spins back and use the CPU measurement, so they are bit-identical by construction.
import { type GpuContext, withGpuErrors } from "@physml/gpu-device";
import { type Model, modelTables } from "@physml/lattice-core";
import type { ModelBackend } from "../model/model-backend.js";
import { checkColouringFits, isingModelThresholds } from "../model/rules/ising-metropolis.js";
import { philoxKey } from "../rng/philox.js";
import { makeBuffer, readBack } from "./gpu-util.js";
import { isingModelWgsl } from "./ising-model-wgsl.js";
import { compileModelKernel, modelBindLayout } from "./model-bind-layout.js";
import { adapterText, concatClasses, type Pass, PassRunner } from "./model-gpu-common.js";
import { shaderSource } from "./shader-source.js";

const KERNEL = "ising_model.sweep";

class IsingModelGpu implements ModelBackend {
  readonly name = "webgpu";
  readonly adapter: string;
  private readonly runner: PassRunner;
  private readonly bind: GPUBindGroup;

  constructor(
    private readonly ctx: GpuContext,
    private readonly pipeline: GPUComputePipeline,
    layout: GPUBindGroupLayout,
    private readonly model0: Model,
    private readonly chains: number,
    key: [number, number],
    private readonly spinBuf: GPUBuffer,
    private readonly thresholdBuf: GPUBuffer,
    private readonly classBuf: GPUBuffer,
  ) {
    const { device } = ctx;
    this.adapter = adapterText(ctx);
    const classes = modelTables(model0).colouring.classes;
    this.runner = new PassRunner(ctx, KERNEL, key, classes, concatClasses(classes).starts, chains, 4);
    this.bind = device.createBindGroup({
      layout,
      entries: [
        { binding: 0, resource: { buffer: this.runner.params, size: 32 } },
        { binding: 1, resource: { buffer: spinBuf } },
        { binding: 2, resource: { buffer: thresholdBuf } },
        { binding: 3, resource: { buffer: classBuf } },
      ],
    });
  }

  async sweep(n0: number, count: number): Promise<void> {
    const passes: Pass[] = [];
    for (let n = n0; n < n0 + count; n++) passes.push(...this.runner.colourPasses(n, this.pipeline));
    await this.runner.run(this.bind, passes);
  }

  async spins(): Promise<Int8Array> {
    const N = modelTables(this.model0).lattice.nSites;
    const raw = new Int32Array(await readBack(this.ctx, KERNEL, this.spinBuf, 4 * this.chains * N));
    return Int8Array.from(raw);
  }

  setModel(model: Model): void {
    checkColouringFits(modelTables(this.model0).colouredTerms, model);
    this.ctx.device.queue.writeBuffer(this.thresholdBuf, 0, isingModelThresholds(model, this.chains));
  }

  async dispose(): Promise<void> {
    for (const b of [this.runner.params, this.spinBuf, this.thresholdBuf, this.classBuf]) b.destroy();
  }
}

/**
 * Uploads the spins and thresholds and compiles the kernel generated for `model` through
 * gpu-device's pipeline cache (a WGSL or validation error rejects with a `GpuError` naming
 * `ising_model.sweep`; samplers of the same model on one device share the pipeline).
 */
export async function createIsingModelGpu(
  model: Model,
  spins: Int8Array,
  chains: number,
  seed: number,
  ctx: GpuContext,
): Promise<ModelBackend> {
  const { device } = ctx;
  const layout = await modelBindLayout(ctx, KERNEL, ["storage", "read-only-storage", "read-only-storage"]);
  const pipeline = await compileModelKernel(ctx, layout, {
    kernel: KERNEL,
    code: `${shaderSource(["philox.wgsl"])}\n${isingModelWgsl(model)}`,
    entryPoint: "sweep",
  });
  const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  return withGpuErrors(ctx, KERNEL, () => {
    const classSites = concatClasses(modelTables(model).colouring.classes).sites;
    const spinBuf = makeBuffer(
      device,
      "ising_model.spins",
      4 * spins.length,
      S | GPUBufferUsage.COPY_SRC,
      Int32Array.from(spins),
    );
    const th = isingModelThresholds(model, chains);
    const thresholdBuf = makeBuffer(device, "ising_model.thresholds", th.byteLength, S, th);
    const classBuf = makeBuffer(device, "ising_model.classes", classSites.byteLength, S, classSites);
    return new IsingModelGpu(
      ctx,
      pipeline,
      layout.group,
      model,
      chains,
      philoxKey(seed),
      spinBuf,
      thresholdBuf,
      classBuf,
    );
  });
}
