// The replica-packed rule: 32 chains per u32 word, on the CPU or its generated WGSL twin
// (bit-identical).
import { PackedCpuBackend } from "../packed/backend.js";
import { IsingPacked } from "../rules/ising-packed.js";
import type { IsingSamplerFactory } from "./setup.js";

type WebGpuPacked = typeof import("../../webgpu/ising-packed-gpu.js");

/** The packed rule's sampler (`kernel: "packed"`). */
export const packedIsingSampler: IsingSamplerFactory = async (s) => {
  const rule = new IsingPacked(s.model);
  const impl =
    s.place.kind === "webgpu"
      ? await ((await import("../../webgpu/ising-packed-gpu.js")) as WebGpuPacked).createIsingPackedGpu(
          s.model,
          rule,
          s.chains,
          s.seed,
          s.init,
          s.place.ctx,
        )
      : new PackedCpuBackend(s.model, s.chains, s.seed, s.init, s.key, rule);
  return s.sampler(impl, [rule.name]);
};
