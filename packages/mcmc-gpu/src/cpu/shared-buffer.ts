// Shared memory for the CPU backend's worker threads.

/** A SharedArrayBuffer of at least `bytes` bytes (never empty: 8 bytes at least). */
export function sharedBuffer(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(8, bytes));
}
