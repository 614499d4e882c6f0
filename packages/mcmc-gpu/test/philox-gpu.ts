// Runs Philox4x32-10 on the GPU for a list of (counter, key) inputs: the GPU half of the
// known-answer and CPU-agreement checks of the random stream.
import type { GpuContext } from "@physml/gpu-device";
import { evalOnGpu } from "./eval-gpu.js";

/** One Philox evaluation: counter words c0..c3 and key words k0, k1. */
export interface PhiloxInput {
  counter: readonly [number, number, number, number];
  key: readonly [number, number];
}

/** Philox4x32-10 of every input, evaluated by `shaders/philox.wgsl`; 4 words per input. */
export async function philoxOnGpu(ctx: GpuContext, inputs: readonly PhiloxInput[]): Promise<Uint32Array> {
  const words = new Uint32Array(6 * inputs.length);
  inputs.forEach((inp, r) => {
    words.set(inp.counter, 6 * r);
    words.set(inp.key, 6 * r + 4);
  });
  return evalOnGpu(ctx, "philox_eval", ["philox.wgsl", "philox_eval.wgsl"], [words], inputs.length, 4);
}
