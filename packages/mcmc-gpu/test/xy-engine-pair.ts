// Two model-sampler engines of one XY model (4×4, nn 1.1, 3 chains) in the same random state, for
// the worker tests: one on shared buffers (what a worker receives), one on plain copies that only
// the test thread touches, so every job can be checked against the same job run locally.
import { defineModel, nearestNeighbourShapes } from "@physml/lattice-core";
import { ModelEngine, modelEngineDescriptor } from "../src/model/engine.js";
import { philox4x32 } from "../src/rng/philox.js";

/** The model, its chain count, and the shared and local engines, spins set from Philox(5, 6). */
export function xyEnginePair() {
  const model = defineModel({
    spin: "xy",
    lattice: { square: [4, 4] },
    terms: [{ name: "nn", coupling: 1.1, shapes: nearestNeighbourShapes(2) }],
  });
  const chains = 3;
  const bytes = chains * 16 * 2 * 8;
  const shared = new ModelEngine(modelEngineDescriptor(model, chains, [11, 12], 0, bytes, true));
  const ref = new ModelEngine(modelEngineDescriptor(model, chains, [11, 12], 0, bytes, false));
  const s = shared.state.spins as Float64Array;
  const w = new Uint32Array(4);
  for (let i = 0; i < s.length / 2; i++) {
    philox4x32(5, 6, i, 0, 0, 0, w);
    const a = (w[0] / 2 ** 32) * 2 * Math.PI;
    s[2 * i] = Math.cos(a);
    s[2 * i + 1] = Math.sin(a);
  }
  (ref.state.spins as Float64Array).set(s);
  return { model, chains, shared, ref, spins: s };
}
