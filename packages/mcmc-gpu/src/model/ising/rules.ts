// The Ising rules by `kernel` name, for every model sampler factory (CPU, Dawn, a page's WebGPU).
import type { KernelKind } from "../../backend.js";
import { intIsingSampler } from "./int.js";
import { packedIsingSampler } from "./packed.js";
import type { IsingSamplerFactory } from "./setup.js";

/** The sampler of each Ising rule (`kernel`). */
export const ISING_SAMPLERS: Readonly<Record<KernelKind, IsingSamplerFactory>> = {
  int: intIsingSampler,
  packed: packedIsingSampler,
};
