// Runs a one-entry-point evaluation shader over n inputs: u32 input arrays bound at 0, 1, …, a
// u32 output (outWords per input) bound after them, one invocation per input (workgroups of 64).
// Shared by the GPU halves of the random streams' known-answer and CPU-agreement checks.
import { type GpuContext, withGpuErrors } from "@physml/gpu-device";
import { makeBuffer, readBack } from "../src/webgpu/gpu-util.js";
import { compileShaderFiles } from "../src/webgpu/pipelines.js";
import type { WgslFile } from "../src/webgpu/wgsl-sources.generated.js";

/** The outputs of `kernel` (built from `files`, entry point `main`) for `n` inputs. */
export async function evalOnGpu(
  ctx: GpuContext,
  kernel: string,
  files: readonly WgslFile[],
  inputs: readonly Uint32Array[],
  n: number,
  outWords: number,
): Promise<Uint32Array> {
  if (n === 0) return new Uint32Array(0);
  const pipeline = await compileShaderFiles(ctx, { kernel, files: [...files], entryPoint: "main" });
  const { device } = ctx;
  const ins = inputs.map((data, q) =>
    makeBuffer(
      device,
      `${kernel}.in${q}`,
      data.byteLength,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
      data,
    ),
  );
  const outBytes = 4 * outWords * n;
  const output = makeBuffer(
    device,
    `${kernel}.out`,
    outBytes,
    GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
  );
  try {
    await withGpuErrors(ctx, kernel, () => {
      const bind = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          ...ins.map((buffer, q) => ({ binding: q, resource: { buffer } })),
          { binding: ins.length, resource: { buffer: output, size: outBytes } },
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
    return new Uint32Array(await readBack(ctx, kernel, output, outBytes));
  } finally {
    for (const b of ins) b.destroy();
    output.destroy();
  }
}
