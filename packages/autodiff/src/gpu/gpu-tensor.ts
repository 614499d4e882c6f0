// A tensor living in a GPU buffer: f32, row-major, contiguous. Reshapes share the buffer, so
// storage is reference-counted and returned to the backend's pool when the last view goes.
import { GpuInputError } from "./errors.js";
import { shapeSize } from "./shape.js";

/** The backend operations a GpuTensor needs; implemented by `WebGpuBackend`. */
export interface GpuTensorHost {
  /** Reads the tensor back (submitting pending work first). */
  readback(t: GpuTensor): Promise<Float32Array>;
  /** Returns a buffer to the pool. */
  releaseBuffer(buffer: GPUBuffer): void;
}

/** A reference-counted GPU buffer shared by a tensor and its reshaped views. */
export class GpuStorage {
  refs = 1;
  constructor(readonly buffer: GPUBuffer) {}
}

/** An f32 tensor on the GPU. Create through a `WebGpuBackend`; read back with `toFloat64Array()`. */
export class GpuTensor {
  readonly shape: readonly number[];
  readonly size: number;
  private storage: GpuStorage | null;

  /** @internal use `WebGpuBackend.upload` or an op instead. */
  constructor(
    readonly host: GpuTensorHost,
    shape: readonly number[],
    storage: GpuStorage,
  ) {
    this.shape = Object.freeze([...shape]);
    this.size = shapeSize(shape);
    this.storage = storage;
  }

  /** True once {@link release} was called. */
  get released(): boolean {
    return this.storage === null;
  }

  /** @internal the buffer, or a typed error if the tensor was released. */
  bufferFor(field: string): GPUBuffer {
    if (!this.storage)
      throw new GpuInputError(field, "a GpuTensor that was not released", "a released GpuTensor");
    return this.storage.buffer;
  }

  /** @internal the shared storage, for views. */
  storageFor(field: string): GpuStorage {
    if (!this.storage)
      throw new GpuInputError(field, "a GpuTensor that was not released", "a released GpuTensor");
    return this.storage;
  }

  /** Reads the values back as f32 (row-major). Submits any pending GPU work. */
  toFloat32Array(): Promise<Float32Array> {
    return this.host.readback(this);
  }

  /** Reads the values back widened to Float64 (row-major), e.g. to compare with the CPU backend. */
  async toFloat64Array(): Promise<Float64Array> {
    return Float64Array.from(await this.host.readback(this));
  }

  /** Frees the GPU buffer (once no reshaped view uses it). Idempotent. */
  release(): void {
    const s = this.storage;
    if (!s) return;
    this.storage = null;
    s.refs--;
    if (s.refs === 0) this.host.releaseBuffer(s.buffer);
  }
}
