// What a model sampler's Ising rule is built from: one file per rule (int.ts, packed.ts) turns
// this into the sampler's compute side, so the sampler picks a rule without branching on it.
import type { GpuContext } from "@physml/gpu-device";
import type { Model } from "@physml/lattice-core";
import type { ModelBackend } from "../model-backend.js";
import type { ModelSampler } from "../model-sampler.js";

/** The validated inputs of an Ising model sampler. */
export interface IsingSetup {
  model: Model;
  chains: number;
  seed: number;
  init: "cold" | "hot";
  /** The Philox key of `seed`. */
  key: [number, number];
  /** The WebGPU context when the GPU was chosen, else null (CPU). */
  gpu: GpuContext | null;
  /** The generic CPU engine over these initial spins (the model's own update rules). */
  genericCpu(initial: Int8Array): ModelSampler;
  /** A sampler over `impl`, which runs the update rules named `rules`. */
  sampler(impl: ModelBackend, rules: readonly string[]): ModelSampler;
}

/** Builds the sampler of one Ising rule. */
export type IsingSamplerFactory = (setup: IsingSetup) => Promise<ModelSampler>;
