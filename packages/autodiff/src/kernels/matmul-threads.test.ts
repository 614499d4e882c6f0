// Matrix products split over worker threads must give exactly the single-threaded bits: every
// entry of C is the same k-ordered sum whichever thread computes its block. Shapes cover both
// split paths (row blocks of op(A), and row blocks of a transposed A's M rows, each following
// the K blocks as they are staged), K blocking, a transposed B, ragged last blocks and the dense-layer
// epilogue; thread counts above the core count must work too.
import { afterAll, describe, expect, it } from "vitest";
import { AutodiffInputError } from "../errors.js";
import { matmulKernel } from "./matmul.js";
import { matmulThreads, setMatmulThreads } from "./matmul-threads.js";
import { wasmMatmulAvailable } from "./wasm-matmul.js";

let s = 12345;
const rnd = () => {
  s = (s * 1103515245 + 12345) & 0x7fffffff;
  return s / 0x40000000 - 1;
};

const initial = matmulThreads();
afterAll(() => setMatmulThreads(initial));

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
): Float64Array {
  setMatmulThreads(threads);
  const c = new Float64Array(M * N + 2).fill(Number.NaN);
  matmulKernel(a, 0, b, 0, c, 1, M, K, N, ta, tb, epi ? { bias, tanh: true } : null);
  expect(Number.isNaN(c[0]) && Number.isNaN(c[M * N + 1])).toBe(true);
  return c.subarray(1, 1 + M * N);
}

describe.skipIf(!wasmMatmulAvailable())("matrix products on worker threads", () => {
  const cases: [string, number, number, number, boolean, boolean, boolean][] = [
    ["row blocks, tanh epilogue", 1030, 64, 62, false, false, true],
    ["row blocks, transposed B", 1024, 64, 64, false, true, false],
    ["row blocks, K split into blocks of 256", 300, 700, 9, false, false, false],
    ["transposed A, K slabs accumulated", 64, 1030, 66, true, false, false],
    ["transposed A and B", 40, 2000, 12, true, true, false],
    // a transposed A is one job staged K block by K block (256 rows of A's storage each): ragged
    // M, N and last K block
    ["transposed A, K staged in blocks, ragged", 37, 1500, 13, true, false, false],
    ["transposed A and B, K staged in blocks, ragged", 45, 300, 66, true, true, false],
  ];
  for (const [name, M, K, N, ta, tb, epi] of cases) {
    it(`${name}: ${M}×${K}·${K}×${N}`, () => {
      const a = Float64Array.from({ length: M * K }, rnd);
      const b = Float64Array.from({ length: K * N }, rnd);
      const bias = Float64Array.from({ length: N }, rnd);
      const one = product(M, K, N, ta, tb, epi, 1, a, b, bias);
      for (const threads of [2, 3]) {
        const many = product(M, K, N, ta, tb, epi, threads, a, b, bias);
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
