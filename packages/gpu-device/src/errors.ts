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

/**
 * A bad value of an environment variable the GPU layer reads (e.g. `PHYSML_BACKEND=bogus`): an
 * input error, not a GPU failure. Its message names the variable and the allowed values, in the
 * same form as a bad flag: `PHYSML_BACKEND: expected one of auto|cpu|webgpu (environment
 * variable), got bogus`.
 */
export class EnvironmentVariableError extends Error {
  /** The variable, e.g. `"PHYSML_BACKEND"`. */
  readonly variable: string;
  /** The allowed values in words. */
  readonly allowed: string;
  /** The value found. */
  readonly received: string;

  constructor(variable: string, allowed: string, received: string) {
    super(
      `${variable}: expected ${allowed} (environment variable), got ${received === "" ? '""' : received}`,
    );
    this.name = "EnvironmentVariableError";
    this.variable = variable;
    this.allowed = allowed;
    this.received = received;
  }
}
