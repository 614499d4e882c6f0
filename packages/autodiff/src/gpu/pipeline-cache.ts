// Compute pipelines cached per device and shader key: WGSL compilation is by far the most
// expensive step of a first op call (tens of ms on SwiftShader), and every kernel here is
// generated from a small set of parameters that the key spells out.

const cache = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/** The pipeline for `key`, compiling `code()` (entry point `main`) on first use. */
export function getPipeline(device: GPUDevice, key: string, code: () => string): GPUComputePipeline {
  let perDevice = cache.get(device);
  if (!perDevice) {
    perDevice = new Map();
    cache.set(device, perDevice);
  }
  let pipeline = perDevice.get(key);
  if (!pipeline) {
    const module = device.createShaderModule({ label: key, code: code() });
    pipeline = device.createComputePipeline({
      label: key,
      layout: "auto",
      compute: { module, entryPoint: "main" },
    });
    perDevice.set(key, pipeline);
  }
  return pipeline;
}

/** Number of pipelines cached for a device (for tests). */
export function cachedPipelineCount(device: GPUDevice): number {
  return cache.get(device)?.size ?? 0;
}
