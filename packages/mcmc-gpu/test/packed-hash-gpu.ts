// Runs the packed kernel's per-level hash (shaders/packed_hash.wgsl) on the GPU for a list of
// (block words, code) inputs: the GPU half of its known-answer and CPU-agreement checks.
import type { GpuContext } from "@physml/gpu-device";
import type { WgslFile } from "../src/webgpu/wgsl-sources.generated.js";
import { evalOnGpu } from "./eval-gpu.js";

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
  const blocks = new Uint32Array(4 * inputs.length);
  const codes = new Uint32Array(inputs.length);
  inputs.forEach((inp, q) => {
    blocks.set(inp.keys, 4 * q);
    codes[q] = inp.code;
  });
  const files: WgslFile[] = ["packed_hash.wgsl", "packed_hash_eval.wgsl"];
  return evalOnGpu(ctx, "packed_hash_eval", files, [blocks, codes], inputs.length, 1);
}
