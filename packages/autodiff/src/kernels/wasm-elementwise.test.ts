// The SIMD elementwise path against plain loops over explicitly broadcast indices: every layout
// it accepts (full, scalar, short periods, long ones kept resident or streamed, ragged last
// chunk) must give identical bits; layouts it refuses must still be right (the JavaScript loop
// takes them).

import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { tensor } from "../core/create.js";
import type { Tensor } from "../core/tensor.js";
import { add, div, fma2, mul, sub, tanhGrad } from "../ops/elementwise.js";

const rnd = seededUniform(7, -0.5, 0.5);
const rand = (shape: number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float64Array.from({ length: n }, rnd);
  return tensor(data).reshape(shape);
};

/** x broadcast to `out`, materialised by index arithmetic. */
function broadcastValues(x: Tensor, out: readonly number[]): Float64Array {
  const n = out.reduce((a, b) => a * b, 1);
  const r = new Float64Array(n);
  const d = x.toFloat64Array();
  for (let i = 0; i < n; i++) r[i] = at(d, x.shape, out, i);
  return r;
}

function at(d: Float64Array, xs: readonly number[], out: readonly number[], i: number): number {
  let off = 0;
  let stride = 1;
  let rem = i;
  const idx = out.map(() => 0);
  for (let k = out.length - 1; k >= 0; k--) {
    idx[k] = rem % out[k];
    rem = Math.floor(rem / out[k]);
  }
  for (let k = xs.length - 1, j = out.length - 1; k >= 0; k--, j--) {
    off += (xs[k] === 1 ? 0 : idx[j]) * stride;
    stride *= xs[k];
  }
  return d[off];
}

const cases: [string, number[], number[][]][] = [
  [
    "full",
    [10, 1024, 3],
    [
      [10, 1024, 3],
      [10, 1024, 3],
      [10, 1024, 3],
      [10, 1024, 3],
    ],
  ],
  [
    "batch-broadcast (long period)",
    [10, 1024, 64],
    [
      [1024, 64],
      [10, 1024, 64],
      [1024, 64],
      [10, 1024, 64],
    ],
  ],
  // 2^18 + 4096 elements: a multiple of the chunk, too long to keep resident, streamed instead
  ["period past the resident limit", [2, 266240], [[266240], [2, 266240], [266240], [2, 266240]]],
  ["row bias (short period)", [1000, 64], [[1000, 64], [64], [1000, 64], [1, 64]]],
  ["scalar", [3001], [[3001], [1], [3001], [1]]],
  ["ragged, odd length", [4097], [[4097], [4097], [1], [4097]]],
  [
    "column broadcast (refused, JavaScript)",
    [300, 10],
    [
      [300, 1],
      [300, 10],
      [300, 10],
      [1, 10],
    ],
  ],
  ["period not dividing the chunk (refused)", [1000, 10], [[10], [1000, 10], [1000, 10], [1000, 10]]],
];

describe("SIMD elementwise ≡ plain loops, bit for bit", () => {
  for (const [name, out, shapes] of cases) {
    it(name, () => {
      const xs = shapes.map(rand);
      const n = out.reduce((a, b) => a * b, 1);
      const bv = xs.map((x) => broadcastValues(x, out));
      const v = (k: number, i: number) => bv[k][i];
      const checks: [Tensor, (i: number) => number][] = [
        [add(xs[0], xs[1]), (i) => v(0, i) + v(1, i)],
        [sub(xs[0], xs[1]), (i) => v(0, i) - v(1, i)],
        [mul(xs[1], xs[2]), (i) => v(1, i) * v(2, i)],
        [div(xs[0], xs[3]), (i) => v(0, i) / v(3, i)],
        [fma2(xs[0], xs[1], xs[2], xs[3]), (i) => v(0, i) * v(1, i) + v(2, i) * v(3, i)],
        [tanhGrad(xs[2], xs[1]), (i) => v(1, i) * (1 - v(2, i) * v(2, i))],
      ];
      for (const [t, f] of checks) {
        expect([...t.shape]).toEqual(out);
        const d = t.toFloat64Array();
        let bad = -1;
        for (let i = 0; i < n && bad < 0; i++) if (!Object.is(d[i], f(i))) bad = i;
        expect(bad).toBe(-1);
      }
    });
  }
});
