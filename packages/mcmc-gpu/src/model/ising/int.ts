// The single-site integer-threshold rule: the generic CPU engine, or its generated WGSL twin
// (bit-identical).
import { modelTables } from "@physml/lattice-core";
import { initialSpins } from "../../webgpu/initial.js";
import type { IsingSamplerFactory } from "./setup.js";

type WebGpuModel = typeof import("../../webgpu/ising-model-gpu.js");

/** The int rule's sampler (`kernel: "int"`). */
export const intIsingSampler: IsingSamplerFactory = async (s) => {
  const N = modelTables(s.model).lattice.nSites;
  const spins = initialSpins(s.init, s.chains, N, s.seed);
  if (s.place.kind === "cpu") return s.place.genericCpu(spins);
  // Loaded only when the GPU is chosen, so CPU-only users never load Dawn code.
  const { createIsingModelGpu } = (await import("../../webgpu/ising-model-gpu.js")) as WebGpuModel;
  const impl = await createIsingModelGpu(s.model, spins, s.chains, s.seed, s.place.ctx);
  return s.sampler(impl, ["ising-metropolis"]);
};
