// createModelTempering: the replica-exchange ladder of ./ladder.ts over createModelSampler's
// samplers (CPU worker threads, or WebGPU on Dawn). Node only; a browser uses
// createGpuModelTempering (./gpu-tempering.ts).
import type { BackendChoice } from "@physml/gpu-device";
import { buildModelTempering, type GpuModelTemperingOptions, type ModelTempering } from "./ladder.js";
import { createModelSampler } from "./sampler.js";

/** Options of {@link createModelTempering}. */
export interface ModelTemperingOptions extends GpuModelTemperingOptions {
  backend?: BackendChoice;
}

/**
 * Creates a replica-exchange ladder for any model description: one sampler per slot, each
 * starting at its own couplings.
 *
 * @example
 * const model = { spin: "xy", lattice: { chain: 32 }, terms: [{ name: "nn", coupling: 1, sites: [[0], [1]] }] };
 * const pt = await createModelTempering({ model, slots: betaLadder(model, [0.5, 1, 1.5, 2]), seed: 1 });
 * await pt.thermalize(300);
 * const { slots, accepted, proposed } = await pt.run({ samples: 2000 });
 */
export async function createModelTempering(o: ModelTemperingOptions): Promise<ModelTempering> {
  return buildModelTempering(o, (slot) => createModelSampler({ ...slot, backend: o.backend }));
}
