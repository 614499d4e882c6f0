// What a model sampler's Ising rule is built from: one file per rule (int.ts, packed.ts) turns
// this into the sampler's compute side, so the sampler picks a rule without branching on it.
import type { GpuContext } from "@physml/gpu-device";
import type { Model } from "@physml/lattice-core";
import type { ModelBackend } from "../model-backend.js";
import type { ModelSampler } from "../model-sampler.js";

/**
 * Where the chains run: a WebGPU context, or the CPU with the generic engine over given initial
 * spins (the model's own update rules). The engine comes from the caller, so the rules reach the
 * CPU backend's worker threads only when a Node caller passes them.
 */
export type IsingPlace =
  | { kind: "webgpu"; ctx: GpuContext }
  | { kind: "cpu"; genericCpu(initial: Int8Array): ModelSampler };

/** The validated inputs of an Ising model sampler. */
export interface IsingSetup {
  model: Model;
  chains: number;
  seed: number;
  init: "cold" | "hot";
  /** The Philox key of `seed`. */
  key: [number, number];
  place: IsingPlace;
  /** A sampler over `impl`, which runs the update rules named `rules`. */
  sampler(impl: ModelBackend, rules: readonly string[]): ModelSampler;
}

/** Builds the sampler of one Ising rule. */
export type IsingSamplerFactory = (setup: IsingSetup) => Promise<ModelSampler>;
