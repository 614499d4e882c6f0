import { AutodiffInputError } from "../errors.js";

/**
 * Bad input to the GPU backend (a shape mismatch, an axis out of range, a released tensor). It
 * is an `AutodiffInputError`, so one `catch` covers the CPU and GPU paths; the message names
 * the field, what was allowed and what was received. GPU-side failures (compile errors, lost
 * device, out of memory) are `GpuError` from `@physml/gpu-device` instead.
 */
export class GpuInputError extends AutodiffInputError {
  constructor(field: string, allowed: string, received: unknown, detail?: string) {
    super(field, allowed, received, detail);
    this.name = "GpuInputError";
  }
}
