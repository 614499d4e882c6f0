// The kernels of shaders/ named by their WGSL files, compiled through gpu-device's pipeline
// cache. Pipeline-overridable constants carry the lattice size and colouring, so the compiler
// sees them as constants (cheap index arithmetic) and one WGSL file serves every lattice.
import { compilePipeline, type GpuContext, type PipelineOptions } from "@physml/gpu-device";
import { shaderSource } from "./shader-source.js";
import type { WgslFile } from "./wgsl-sources.generated.js";

/** What to compile: the WGSL files (concatenated, in this order), entry point, constants, layout. */
export interface PipelineSpec extends PipelineOptions {
  files: readonly WgslFile[];
  entryPoint: string;
}

/** The pipeline of `spec`'s WGSL files, through gpu-device's `compilePipeline`: WGSL and validation errors reject with a `GpuError` naming the kernel. */
export function compileShaderFiles(ctx: GpuContext, spec: PipelineSpec): Promise<GPUComputePipeline> {
  const { files, ...options } = spec;
  return compilePipeline(ctx, { ...options, code: shaderSource(files) });
}
