// The subset of the WebAssembly JavaScript API the kernels use (the project's ES2023 lib without
// DOM does not type it), and instantiation that degrades to null instead of throwing.

export interface WasmMemory {
  /** A SharedArrayBuffer for a shared memory. */
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
/** The engine's WebAssembly namespace, or undefined where there is none. */
export const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * Instantiates a one-function module built by `moduleBytes` with a fresh memory of `pages`
 * 64 KiB pages; null when the engine lacks WebAssembly or rejects the module (e.g. no SIMD).
 */
export function instantiate<F>(
  bytes: Uint8Array,
  name: string,
  pages = 16,
): { mem: WasmMemory; fn: F } | null {
  try {
    if (!WA?.validate(bytes)) return null;
    const mem = new WA.Memory({ initial: pages });
    const inst = new WA.Instance(new WA.Module(bytes), { env: { mem } });
    return { mem, fn: inst.exports[name] as F };
  } catch {
    return null;
  }
}

/** Grows `mem` to at least `bytes` bytes. */
export function ensureBytes(mem: WasmMemory, bytes: number): void {
  const have = mem.buffer.byteLength;
  if (bytes > have) mem.grow(Math.ceil((bytes - have) / 65536));
}
