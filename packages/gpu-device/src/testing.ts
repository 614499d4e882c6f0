// The adapter policy of every package's GPU tests, in one place. Call `testGpuContext` from
// `beforeAll` (never a test body). Where the test command promised a GPU — SwiftShader configured
// through VK_ICD_FILENAMES, as the repository's test script does, or PHYSML_REQUIRE_GPU=1 — a
// missing adapter fails the file; elsewhere the file's GPU tests skip, and the file says why once.
import type { GpuContext } from "./context.js";
import { getGpuContext } from "./device.js";

/** Why GPU tests skip when no adapter exists and none was promised. */
export const NO_GPU =
  "no WebGPU adapter (set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json for SwiftShader)";

/** True when the environment promised a GPU adapter to the tests. */
export function gpuPromised(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.VK_ICD_FILENAMES) || env.PHYSML_REQUIRE_GPU === "1";
}

/**
 * The GPU context for one test file, or null when there is no adapter and none was promised
 * (the caller then skips its GPU tests with {@link NO_GPU}). `file` names the test file in the
 * one-line notice printed when it skips.
 */
export async function testGpuContext(file: string): Promise<GpuContext | null> {
  const ctx = await getGpuContext();
  if (ctx) return ctx;
  if (gpuPromised()) {
    const why = process.env.VK_ICD_FILENAMES
      ? `VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}`
      : "PHYSML_REQUIRE_GPU=1";
    throw new Error(`${why} promised a GPU, but no WebGPU adapter was found`);
  }
  process.stderr.write(`${file}: GPU tests skipped: ${NO_GPU}\n`);
  return null;
}
