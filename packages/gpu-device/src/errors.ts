/** What went wrong on the GPU: no adapter, a lost device, or a validation/out-of-memory/internal error. */
export type GpuErrorKind =
  | "no-adapter"
  | "device-lost"
  | "validation"
  | "out-of-memory"
  | "internal"
  | "timeout";

/** A typed GPU error naming the kernel (or setup step) that caused it. */
export class GpuError extends Error {
  readonly kind: GpuErrorKind;
  /** The kernel or step, e.g. `"ising_int.sweep"` or `"requestAdapter"`. */
  readonly kernel: string;

  constructor(kind: GpuErrorKind, kernel: string, message: string) {
    super(`[${kernel}] GPU ${kind}: ${message}`);
    this.name = "GpuError";
    this.kind = kind;
    this.kernel = kernel;
  }
}
