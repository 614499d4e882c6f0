// Runs Philox4x32-10 on the GPU for a list of (counter, key) inputs: the GPU half of the
// known-answer and CPU-agreement checks of the random stream.
import { type GpuContext, withGpuErrors } from "@physml/gpu-device";
import { makeBuffer, readBack } from "./gpu-util.js";
import { getPipeline } from "./pipelines.js";

/** One Philox evaluation: counter words c0..c3 and key words k0, k1. */
export interface PhiloxInput {
  counter: readonly [number, number, number, number];
  key: readonly [number, number];
}

/** Philox4x32-10 of every input, evaluated by `shaders/philox.wgsl`; 4 words per input. */
export async function philoxOnGpu(ctx: GpuContext, inputs: readonly PhiloxInput[]): Promise<Uint32Array> {
  const kernel = "philox_eval";
  const pipeline = await getPipeline(ctx, {
    kernel,
    files: ["philox.wgsl", "philox_eval.wgsl"],
    entryPoint: "main",
  });
  const n = inputs.length;
  if (n === 0) return new Uint32Array(0);
  const words = new Uint32Array(6 * n);
  inputs.forEach((inp, r) => {
    words.set(inp.counter, 6 * r);
    words.set(inp.key, 6 * r + 4);
  });
  const { device } = ctx;
  const input = makeBuffer(
    device,
    `${kernel}.in`,
    words.byteLength,
    GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    words,
  );
  const output = makeBuffer(
    device,
    `${kernel}.out`,
    16 * n,
    GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
  );
  try {
    await withGpuErrors(ctx, kernel, () => {
      const bind = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: input } },
          { binding: 1, resource: { buffer: output, size: 16 * n } },
        ],
      });
      const enc = device.createCommandEncoder({ label: kernel });
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(Math.ceil(n / 64));
      pass.end();
      device.queue.submit([enc.finish()]);
    });
    return new Uint32Array(await readBack(ctx, kernel, output, 16 * n));
  } finally {
    input.destroy();
    output.destroy();
  }
}
