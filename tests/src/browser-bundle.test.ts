// The packages a browser needs for WebGPU sampling, bundled for a browser: no Node built-in and
// no Dawn may be reached from their entries, and the entries still offer what a page uses.
import { relative } from "node:path";
import { describe, expect, test } from "vitest";
import { bundleForBrowser } from "./browser-bundle.ts";

const here = import.meta.dirname;
const root = `${here}/../..`;

/** Each package's entry, and names a page needs from it (so an empty entry cannot pass). */
const ENTRIES: [string, string[]][] = [
  ["@physml/lattice-core", ["squareLattice", "defineModel", "PhysmlInputError", "encodeNpy"]],
  ["@physml/gpu-device", ["requestGpuContext", "gpuContextFromDevice", "GpuError", "getPipeline"]],
  [
    "@physml/mcmc-gpu",
    [
      "createGpuSampler",
      "Sampler",
      "Measurements",
      "philoxKey",
      "createGpuModelSampler",
      "createGpuModelTempering",
      "betaLadder",
      "ModelTempering",
      "ModelMeasurements",
    ],
  ],
];

describe("a browser bundle of the WebGPU sampling path", () => {
  test.each(ENTRIES)("%s reaches no Node built-in and no Dawn", async (entry, needed) => {
    const bundle = await bundleForBrowser(`export * from "${entry}";`, here);
    const reached = bundle.nodeOnly.map((i) => `${i.module} (imported by ${relative(root, i.importer)})`);
    expect(reached, `${entry} in a browser bundle reaches Node-only modules`).toEqual([]);
    expect(bundle.exports).toEqual(expect.arrayContaining(needed));
  });
});
