// createGpuModelTempering: the replica-exchange ladder of ./ladder.ts with every slot's sampler on
// a WebGPU device the caller supplies; reaches no Node built-in, so a browser bundle uses it.
import type { GpuContext } from "@physml/gpu-device";
import { createGpuModelSampler } from "./gpu-sampler.js";
import { buildModelTempering, type GpuModelTemperingOptions, type ModelTempering } from "./ladder.js";

/**
 * Creates a replica-exchange ladder whose samplers run on `ctx`'s device (in a browser, a context
 * from `requestGpuContext(navigator.gpu)`). Same seed, same ladder as
 * `createModelTempering({ backend: "webgpu" })`.
 *
 * @example
 * ```ts
 * const model = { spin: "ising", lattice: { chain: 32 }, terms: [{ name: "nn", coupling: 1, sites: [[0], [1]] }] };
 * const pt = await createGpuModelTempering({ model, slots: betaLadder(model, [0.2, 0.4, 0.6]), seed: 1 }, ctx);
 * await pt.thermalize(100);
 * const { slots, accepted, proposed } = await pt.run({ samples: 200 });
 * ```
 */
export async function createGpuModelTempering(
  o: GpuModelTemperingOptions,
  ctx: GpuContext,
): Promise<ModelTempering> {
  return buildModelTempering(o, (slot) => createGpuModelSampler(slot, ctx));
}
