// Runs the packed kernel's per-level hash (shaders/packed_hash.wgsl) on the GPU for a list of
// (block words, code) inputs: the GPU half of its known-answer and CPU-agreement checks.
import { type GpuContext, withGpuErrors } from "@physml/gpu-device";
import { makeBuffer, readBack } from "./gpu-util.js";
import { getPipeline } from "./pipelines.js";

/** One evaluation: the block's Philox words r0, r1, r2 (round keys) and the code c. */
export interface PackedWordInput {
  keys: readonly [number, number, number];
  code: number;
}

/** `packed_word(r, c)` of every input, evaluated by WGSL; one u32 per input. */
export async function packedWordOnGpu(
  ctx: GpuContext,
  inputs: readonly PackedWordInput[],
): Promise<Uint32Array> {
  const kernel = "packed_hash_eval";
  const n = inputs.length;
  if (n === 0) return new Uint32Array(0);
  const pipeline = await getPipeline(ctx, {
    kernel,
    files: ["packed_hash.wgsl", "packed_hash_eval.wgsl"],
    entryPoint: "main",
  });
  const blocks = new Uint32Array(4 * n);
  const codes = new Uint32Array(n);
  inputs.forEach((inp, q) => {
    blocks.set(inp.keys, 4 * q);
    codes[q] = inp.code;
  });
  const { device } = ctx;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const blockBuf = makeBuffer(device, `${kernel}.blocks`, blocks.byteLength, usage, blocks);
  const codeBuf = makeBuffer(device, `${kernel}.codes`, codes.byteLength, usage, codes);
  const output = makeBuffer(device, `${kernel}.out`, 4 * n, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
  try {
    await withGpuErrors(ctx, kernel, () => {
      const bind = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: blockBuf } },
          { binding: 1, resource: { buffer: codeBuf } },
          { binding: 2, resource: { buffer: output, size: 4 * n } },
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
    return new Uint32Array(await readBack(ctx, kernel, output, 4 * n));
  } finally {
    blockBuf.destroy();
    codeBuf.destroy();
    output.destroy();
  }
}
