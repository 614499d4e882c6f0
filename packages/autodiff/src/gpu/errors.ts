/**
 * Bad input to the GPU backend (a shape mismatch, an axis out of range, a released tensor):
 * names the field and what was allowed. GPU-side failures are `GpuError` from
 * `@physml/gpu-device` instead.
 */
export class GpuInputError extends Error {
  /** The argument or field at fault, e.g. `"matmul.b.shape"`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "GpuInputError";
    this.field = field;
  }
}
