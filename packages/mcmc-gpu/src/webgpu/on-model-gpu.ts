// WebGPU backend of the O(n) rules (f32): the generated kernels of on-model-wgsl.ts, one
// dispatch per (sweep, rule, colour) with its parameters at a dynamic uniform offset. The
// per-chain proposal widths live in the OnMetropolis rule object; while it is adapting, every
// sweep reads back the per-chain acceptance counts and moves the widths as the CPU rule does.
import { type GpuContext, withGpuErrors } from "@physml/gpu-device";
import { type Model, modelTables } from "@physml/lattice-core";
import type { ModelBackend } from "../model/model-backend.js";
import type { OnMetropolis } from "../model/rules/on-metropolis.js";
import { philoxKey } from "../rng/philox.js";
import { makeBuffer, readBack } from "./gpu-util.js";
import { compileModelKernel, modelBindLayout } from "./model-bind-layout.js";
import { adapterText, concatClasses, type Pass, PassRunner } from "./model-gpu-common.js";
import { onModelWgsl } from "./on-model-wgsl.js";
import { shaderSource } from "./shader-source.js";

const KERNEL = "on_model";

class OnModelGpu implements ModelBackend {
  readonly name = "webgpu";
  readonly adapter: string;
  private readonly runner: PassRunner;
  private readonly bind: GPUBindGroup;
  private readonly N: number;
  private readonly n: number;

  constructor(
    private readonly ctx: GpuContext,
    private readonly pipelines: { metropolis: GPUComputePipeline; overrelax: GPUComputePipeline },
    layout: GPUBindGroupLayout,
    model: Model,
    private readonly chains: number,
    key: [number, number],
    private readonly buffers: Record<"spins" | "couplings" | "classes" | "widths" | "accepted", GPUBuffer>,
    private readonly rule: OnMetropolis,
    private readonly overrelaxation: number,
  ) {
    const { device } = ctx;
    this.adapter = adapterText(ctx);
    const tb = modelTables(model);
    const classes = tb.colouring.classes;
    this.runner = new PassRunner(ctx, KERNEL, key, classes, concatClasses(classes).starts, chains, 1);
    this.bind = device.createBindGroup({
      layout,
      entries: [
        { binding: 0, resource: { buffer: this.runner.params, size: 32 } },
        ...(["spins", "couplings", "classes", "widths", "accepted"] as const).map((b, q) => ({
          binding: q + 1,
          resource: { buffer: buffers[b] },
        })),
      ],
    });
    this.N = tb.lattice.nSites;
    this.n = (model.spin as { n: number }).n;
  }

  private run(passes: Pass[]): Promise<void> {
    return this.runner.run(this.bind, passes);
  }

  private sweepPasses(n: number): Pass[] {
    const out = this.runner.colourPasses(n, this.pipelines.metropolis);
    for (let r = 0; r < this.overrelaxation; r++)
      out.push(...this.runner.colourPasses(n, this.pipelines.overrelax));
    return out;
  }

  async sweep(n0: number, count: number): Promise<void> {
    const rule = this.rule;
    const { device } = this.ctx;
    if (!rule.adapting) {
      const passes: Pass[] = [];
      for (let n = n0; n < n0 + count; n++) passes.push(...this.sweepPasses(n));
      await this.run(passes);
      return;
    }
    for (let n = n0; n < n0 + count; n++) {
      device.queue.writeBuffer(this.buffers.accepted, 0, new Uint32Array(this.chains));
      device.queue.writeBuffer(this.buffers.widths, 0, Float32Array.from(rule.widths));
      await this.run(this.sweepPasses(n));
      const acc = new Uint32Array(await readBack(this.ctx, KERNEL, this.buffers.accepted, 4 * this.chains));
      for (let c = 0; c < this.chains; c++) {
        rule.accepted[c] += acc[c];
        rule.attempted[c] += this.N;
        rule.widths[c] = Math.min(10, Math.max(1e-3, rule.widths[c] * Math.exp(acc[c] / this.N - 0.5)));
      }
    }
    device.queue.writeBuffer(this.buffers.widths, 0, Float32Array.from(rule.widths));
  }

  async spins(): Promise<Float64Array> {
    const bytes = 4 * this.chains * this.N * this.n;
    return Float64Array.from(new Float32Array(await readBack(this.ctx, KERNEL, this.buffers.spins, bytes)));
  }

  setModel(model: Model): void {
    this.rule.setModel(model);
    this.ctx.device.queue.writeBuffer(
      this.buffers.couplings,
      0,
      Float32Array.from(model.terms, (t) => t.coupling),
    );
  }

  async dispose(): Promise<void> {
    this.runner.params.destroy();
    for (const b of Object.values(this.buffers)) b.destroy();
  }
}

/**
 * Uploads the spins (as f32) and compiles the kernels generated for `model` through
 * gpu-device's pipeline cache (a WGSL or validation error rejects with a `GpuError` naming
 * `on_model.metropolis` or `on_model.overrelax`; samplers of the same model on one device share
 * them, whatever their couplings, which live in a buffer).
 */
export async function createOnModelGpu(
  model: Model,
  spins: Float64Array,
  chains: number,
  seed: number,
  rule: OnMetropolis,
  overrelaxation: number,
  ctx: GpuContext,
): Promise<ModelBackend> {
  const { device } = ctx;
  const layout = await modelBindLayout(ctx, KERNEL, [
    "storage",
    "read-only-storage",
    "read-only-storage",
    "read-only-storage",
    "storage",
  ]);
  const code = `${shaderSource(["philox.wgsl"])}\n${onModelWgsl(model)}`;
  const pipeline = (entryPoint: "metropolis" | "overrelax") =>
    compileModelKernel(ctx, layout, { kernel: `${KERNEL}.${entryPoint}`, code, entryPoint });
  const [metropolis, overrelax] = await Promise.all([pipeline("metropolis"), pipeline("overrelax")]);
  const S = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  return withGpuErrors(ctx, KERNEL, () => {
    const classSites = concatClasses(modelTables(model).colouring.classes).sites;
    const f32 = Float32Array.from(spins);
    const buffers = {
      spins: makeBuffer(device, `${KERNEL}.spins`, f32.byteLength, S | GPUBufferUsage.COPY_SRC, f32),
      couplings: makeBuffer(
        device,
        `${KERNEL}.couplings`,
        4 * model.terms.length,
        S,
        Float32Array.from(model.terms, (t) => t.coupling),
      ),
      classes: makeBuffer(device, `${KERNEL}.classes`, classSites.byteLength, S, classSites),
      widths: makeBuffer(device, `${KERNEL}.widths`, 4 * chains, S, Float32Array.from(rule.widths)),
      accepted: makeBuffer(device, `${KERNEL}.accepted`, 4 * chains, S | GPUBufferUsage.COPY_SRC),
    };
    return new OnModelGpu(
      ctx,
      { metropolis, overrelax },
      layout.group,
      model,
      chains,
      philoxKey(seed),
      buffers,
      rule,
      overrelaxation,
    );
  });
}
