// Rows of a [rows, n] array staged into a SIMD module's memory with each row padded to a multiple
// of 8 doubles (the kernels' vector width times their unroll), and copied back out: the staging
// shared by the per-sample kernels (weighted Gram, tanh tangents), with the memory they stage into.
import { ensureBytes, type WasmMemory } from "@physml/wasm-encode";

/** Past this many bytes of a call's regions the per-sample kernels leave the work to JavaScript. */
const MAX_BYTES = 1 << 30;

/** A view of `m`'s memory grown to hold `doubles`, or null past 1 GB (the caller falls back). */
export function stagingMemory(m: { mem: WasmMemory }, doubles: number): Float64Array | null {
  if (doubles * 8 > MAX_BYTES) return null;
  ensureBytes(m.mem, doubles * 8);
  return new Float64Array(m.mem.buffer);
}

/** n rounded up to a multiple of 8. */
export const paddedRow = (n: number): number => (n + 7) & ~7;

/** Rows [r0, r0 + rows) of `src` ([·, n]) into `buf` at `off`, np apart, zero padded. */
export function stageRows(
  buf: Float64Array,
  off: number,
  src: Float64Array,
  r0: number,
  rows: number,
  n: number,
  np: number,
): void {
  if (np === n) {
    buf.set(src.subarray(r0 * n, (r0 + rows) * n), off);
    return;
  }
  for (let r = 0; r < rows; r++) {
    buf.set(src.subarray((r0 + r) * n, (r0 + r + 1) * n), off + r * np);
    buf.fill(0, off + r * np + n, off + (r + 1) * np);
  }
}

/** `rows` rows of `buf` at `off` (np apart) into `dst` ([·, n]) from row r0. */
export function unstageRows(
  dst: Float64Array,
  r0: number,
  buf: Float64Array,
  off: number,
  rows: number,
  n: number,
  np: number,
): void {
  if (np === n) {
    dst.set(buf.subarray(off, off + rows * n), r0 * n);
    return;
  }
  for (let r = 0; r < rows; r++) dst.set(buf.subarray(off + r * np, off + r * np + n), (r0 + r) * n);
}
