// The explicit bind group layouts of the generated model kernels, one per device and shape.
// A pipeline compiled with an explicit layout only takes bind groups made with a layout
// group-equivalent to it (WebGPU: the same entries). The pipeline cache hands every sampler of a
// model the pipeline the first one compiled, so every sampler of a device gets the same layout
// object here, and the layout's cache key is built from its entries alone.
import { compilePipeline, type GpuContext, withGpuErrors } from "@physml/gpu-device";

/** Type of a storage binding (bindings 1, 2, … of a model kernel, in order). */
export type StorageBinding = "storage" | "read-only-storage";

/** A model kernel's bind group layout, the pipeline layout around it and its cache key. */
export interface ModelBindLayout {
  group: GPUBindGroupLayout;
  pipeline: GPUPipelineLayout;
  /** The pipeline cache's `layoutKey`: one string per list of entries, so it tells every layout here apart. */
  key: string;
}

/** Bytes of the per-dispatch `Pass` struct (model-gpu-common.ts) bound at binding 0. */
const PASS_BYTES = 32;

const layouts = new WeakMap<GPUDevice, Map<string, ModelBindLayout>>();

/**
 * The layout with the `Pass` uniform (dynamic offset) at binding 0 and `storage` at bindings
 * 1, 2, …, created on first use per device (inside error scopes, as `kernel`'s) and reused after.
 */
export async function modelBindLayout(
  ctx: GpuContext,
  kernel: string,
  storage: readonly StorageBinding[],
): Promise<ModelBindLayout> {
  const { device } = ctx;
  let perDevice = layouts.get(device);
  if (!perDevice) {
    perDevice = new Map();
    layouts.set(device, perDevice);
  }
  const key = `model.pass${PASS_BYTES}+${storage.join("+")}`;
  const hit = perDevice.get(key);
  if (hit) return hit;
  const C = GPUShaderStage.COMPUTE;
  const made = await withGpuErrors(ctx, kernel, () => {
    const group = device.createBindGroupLayout({
      label: key,
      entries: [
        {
          binding: 0,
          visibility: C,
          buffer: { type: "uniform", hasDynamicOffset: true, minBindingSize: PASS_BYTES },
        },
        ...storage.map((type, k) => ({ binding: k + 1, visibility: C, buffer: { type } })),
      ],
    });
    return { group, pipeline: device.createPipelineLayout({ bindGroupLayouts: [group] }), key };
  });
  // Two samplers racing here may each create one; both are group-equivalent, and the first kept wins.
  const kept = perDevice.get(key) ?? made;
  perDevice.set(key, kept);
  return kept;
}

/**
 * The pipeline of a generated model kernel with `layout`, through gpu-device's pipeline cache:
 * the generated source is its own cache key, so samplers share a pipeline exactly when their
 * kernels agree. `transient` kernels (couplings baked in) are compiled each time and not kept.
 */
export function compileModelKernel(
  ctx: GpuContext,
  layout: ModelBindLayout,
  spec: { kernel: string; code: string; entryPoint: string; transient?: boolean },
): Promise<GPUComputePipeline> {
  return compilePipeline(ctx, { ...spec, layout: layout.pipeline, layoutKey: layout.key });
}
