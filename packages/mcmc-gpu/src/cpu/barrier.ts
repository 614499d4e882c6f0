// A reusable barrier for the threads of one site-split sweep, on a shared Int32Array
// [arrived, generation, aborted]. Waiting uses Atomics.wait (allowed on Node's main thread);
// a thread that fails sets `aborted`, so the others stop instead of waiting forever.

const ARRIVED = 0;
const GENERATION = 1;
const ABORTED = 2;

/** Shared memory for one barrier. */
export function barrierBuffer(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(12));
}

/** Waits until `parties` threads have arrived. */
export function barrierWait(b: Int32Array, parties: number): void {
  const gen = Atomics.load(b, GENERATION);
  if (Atomics.add(b, ARRIVED, 1) === parties - 1) {
    Atomics.store(b, ARRIVED, 0);
    Atomics.add(b, GENERATION, 1);
    Atomics.notify(b, GENERATION);
    return;
  }
  while (Atomics.load(b, GENERATION) === gen) {
    if (Atomics.load(b, ABORTED)) throw new Error("mcmc-gpu: another sampler thread failed");
    Atomics.wait(b, GENERATION, gen, 1000);
  }
}

/** Marks the barrier as broken and wakes every waiter. */
export function barrierAbort(b: Int32Array): void {
  Atomics.store(b, ABORTED, 1);
  Atomics.add(b, GENERATION, 1);
  Atomics.notify(b, GENERATION);
}
