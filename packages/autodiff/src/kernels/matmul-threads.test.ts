// Matrix products split over worker threads must give exactly the single-threaded bits: every
// entry of C is the same k-ordered sum whichever thread computes its block. Shapes cover both
// split paths (row blocks of op(A), and row blocks of a transposed A's M rows, each following
// the K blocks as they are staged), K blocking, a transposed B, ragged last blocks and the dense-layer
// epilogue; thread counts above the core count must work too. Operands on a SharedArrayBuffer
// take another path (each thread copies its own rows of A in and its block of C out): the same
// bits again, at offsets into the buffer.

import { seededUniform } from "@physml/lattice-core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { AutodiffInputError } from "../errors.js";
import { matmulKernel } from "./matmul.js";
import { matmulThreads, matmulWorkersAlive, setMatmulThreads } from "./matmul-threads.js";
import { wasmMatmulAvailable } from "./wasm-matmul.js";

const rnd = seededUniform(12345, -1, 1);

const initial = matmulThreads();
afterAll(() => setMatmulThreads(initial));

/** A copy of `d` on a SharedArrayBuffer, `lead` elements into it. */
function onShared(d: Float64Array, lead: number): Float64Array {
  const s = new Float64Array(new SharedArrayBuffer((d.length + lead) * 8)).subarray(lead);
  s.set(d);
  return s;
}

function product(
  M: number,
  K: number,
  N: number,
  ta: boolean,
  tb: boolean,
  epi: boolean,
  threads: number,
  a: Float64Array,
  b: Float64Array,
  bias: Float64Array,
  shared = false,
): Float64Array {
  setMatmulThreads(threads);
  const c = shared ? onShared(new Float64Array(M * N + 2), 3) : new Float64Array(M * N + 2);
  c.fill(Number.NaN);
  matmulKernel(a, 0, b, 0, c, 1, M, K, N, ta, tb, epi ? { bias, tanh: true } : null);
  expect(Number.isNaN(c[0]) && Number.isNaN(c[M * N + 1])).toBe(true);
  return c.subarray(1, 1 + M * N);
}

describe.skipIf(!wasmMatmulAvailable())("matrix products on worker threads", () => {
  const cases: [string, number, number, number, boolean, boolean, boolean, boolean?][] = [
    ["row blocks, tanh epilogue", 1030, 64, 62, false, false, true],
    // op(A) of ≤ 128 KB is staged whole before the job goes out (an MLP's first layer)
    ["row blocks, small A staged at once, tanh epilogue", 1030, 10, 64, false, false, true],
    // A and C on shared memory: ragged M (zero rows of A), N < Np (C's rows copied one by one)
    ["row blocks, tanh epilogue, A and C shared", 1030, 64, 62, false, false, true, true],
    ["row blocks, K split into blocks of 256, A and C shared", 300, 700, 12, false, false, false, true],
    ["row blocks, transposed B", 1024, 64, 64, false, true, false],
    ["row blocks, K split into blocks of 256", 300, 700, 9, false, false, false],
    ["transposed A, K slabs accumulated", 64, 1030, 66, true, false, false],
    ["transposed A and B", 40, 2000, 12, true, true, false],
    // a transposed A is one job staged K block by K block (256 rows of A's storage each): ragged
    // M, N and last K block
    ["transposed A, K staged in blocks, ragged", 37, 1500, 13, true, false, false],
    ["transposed A and B, K staged in blocks, ragged", 45, 300, 66, true, true, false],
  ];
  for (const [name, M, K, N, ta, tb, epi, shared] of cases) {
    it(`${name}: ${M}×${K}·${K}×${N}`, () => {
      const a = Float64Array.from({ length: M * K }, rnd);
      const b = Float64Array.from({ length: K * N }, rnd);
      const bias = Float64Array.from({ length: N }, rnd);
      const one = product(M, K, N, ta, tb, epi, 1, a, b, bias);
      const other = Float64Array.from({ length: M * K }, rnd);
      for (const threads of [2, 3]) {
        // another A through the same layout first, so a row left unstaged would show
        product(M, K, N, ta, tb, epi, 1, other, b, bias);
        const many = product(M, K, N, ta, tb, epi, threads, shared ? onShared(a, 5) : a, b, bias, shared);
        let bad = -1;
        for (let i = 0; i < one.length && bad < 0; i++) if (!Object.is(one[i], many[i])) bad = i;
        expect(bad).toBe(-1);
      }
    });
  }

  it("rejects a thread count outside [1, 33], naming the argument", () => {
    for (const n of [0, 1.5, 34, Number.NaN]) {
      expect(() => setMatmulThreads(n)).toThrow(AutodiffInputError);
    }
    expect(() => setMatmulThreads(0)).toThrow(/setMatmulThreads\.n/);
  });
});

describe.skipIf(!wasmMatmulAvailable())("the worker pool", () => {
  /** Resolves once `f()` holds, or fails after 5 s. */
  const until = async (f: () => boolean) => {
    for (const t0 = Date.now(); !f(); await new Promise((r) => setTimeout(r, 10)))
      if (Date.now() - t0 > 5000) throw new Error("timed out");
  };

  it("raising the thread count ends the old workers; every count keeps the single-threaded bits", async () => {
    const [M, K, N] = [1030, 64, 62];
    const a = Float64Array.from({ length: M * K }, rnd);
    const b = Float64Array.from({ length: K * N }, rnd);
    const bias = Float64Array.from({ length: N }, rnd);
    const want = [...product(M, K, N, false, false, true, 1, a, b, bias)];
    // [threads, workers alive after]: above any count the other tests use, 6 threads start a new
    // pool of 5 workers and 7 one of 6 (the 5 end); 3 and 7 again keep those 6
    for (const [n, workers] of [
      [6, 5],
      [7, 6],
      [3, 6],
      [7, 6],
    ]) {
      expect([...product(M, K, N, false, false, true, n, a, b, bias)]).toEqual(want);
      await until(() => matmulWorkersAlive() === workers);
    }
    // operands on shared memory posted while workers sit out (3 threads), then read by them (7)
    const sa = onShared(a, 5);
    for (const n of [3, 7])
      expect([...product(M, K, N, false, false, true, n, sa, b, bias, true)]).toEqual(want);
  });
});
