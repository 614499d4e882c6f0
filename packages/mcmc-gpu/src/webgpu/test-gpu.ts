// The adapter policy of this package's GPU tests, in one place: request the context (call from
// `beforeAll`, never a test body); without an adapter the GPU tests skip with NO_GPU, except that
// with SwiftShader configured (VK_ICD_FILENAMES set, as in CI) a missing adapter is a failure.
import { type GpuContext, getGpuContext } from "@physml/gpu-device";

export const NO_GPU = "no WebGPU adapter (set VK_ICD_FILENAMES for SwiftShader)";

/** The GPU context for a test file, or null (tests then skip with NO_GPU). */
export async function testGpuContext(): Promise<GpuContext | null> {
  const ctx = await getGpuContext();
  if (!ctx && process.env.VK_ICD_FILENAMES)
    throw new Error(`VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES} but no WebGPU adapter was found`);
  return ctx;
}
