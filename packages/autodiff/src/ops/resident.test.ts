// Dense outputs of a grad call living in the product module's resident region
// (kernels/wasm-resident.ts): written and read in place by the products, taken back and reused
// when the call ends, never read once reused, bit for bit the composed rules on 1, 2 and 3 threads.
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { expectSameBits } from "../../test/values.js";
import { EscapedTensorError } from "../errors.js";
import {
  add,
  grad,
  matmul,
  matmulThreads,
  mul,
  random,
  setMatmulThreads,
  sum,
  type Tensor,
  tanh,
  vmap,
} from "../index.js";
import { wasmMatmulAvailable } from "../kernels/wasm-matmul.js";
import { residentOffset, residentUsable } from "../kernels/wasm-resident.js";
import { dense } from "./dense.js";

const rand = (shape: number[], seed: number) => random.normal(random.key(seed), shape);

/** The engine's garbage collector as a function (V8's flag set at run time), or null. */
function collector(): (() => void) | null {
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as () => void) : null;
  } catch {
    return null;
  }
}
const plainTanh = (x: Tensor, w: Tensor, b: Tensor) => tanh(add(matmul(x, w), b));
const fused = (x: Tensor, w: Tensor, b: Tensor) => dense(x, w, b, "tanh");

// shared memory (the resident region needs the threads' module) is there in Node with SIMD
const canReside = wasmMatmulAvailable() && typeof SharedArrayBuffer === "function";
if (!canReside) console.log("resident.test.ts: skipped, no WebAssembly SIMD or SharedArrayBuffer here");

describe.skipIf(!canReside)("dense outputs in the module's resident region", () => {
  const R = 1024;
  const x = rand([R, 12], 80);
  const ps = [rand([12, 64], 81), rand([64], 82), rand([64, 32], 83), rand([32], 84)];
  const ct = rand([R, 32], 85);
  // `at` collects where the two outputs sit in the module (−1: not resident)
  const two = (f: typeof plainTanh, at?: number[]) => (p: Tensor[]) => {
    const h = f(x, p[0], p[1]);
    const y = f(h, p[2], p[3]);
    at?.push(residentOffset(h._raw()), residentOffset(y._raw()));
    return sum(mul(y, ct));
  };

  it("are written and read in place, bit for bit the composed rules, on 1, 2 and 3 threads", () => {
    const want = grad(two(plainTanh))(ps) as Tensor[];
    const before = matmulThreads();
    try {
      for (const n of [1, 2, 3]) {
        setMatmulThreads(n);
        const at: number[] = [];
        const got = grad(two(fused, at))(ps) as Tensor[];
        got.forEach((g, i) => {
          expectSameBits(g, want[i]);
        });
        expect(Math.min(...at)).toBeGreaterThan(0);
      }
    } finally {
      setMatmulThreads(before);
    }
  });

  it("take the same places again in the next call, and a tensor kept from a call is expired, not reused", () => {
    const offsets: number[][] = [];
    let kept: Tensor | null = null;
    for (let call = 0; call < 2; call++) {
      const at: number[] = [];
      grad((p: Tensor[]) => {
        const h = fused(x, p[0], p[1]);
        if (call === 0) kept = h._concrete();
        return two(fused, at)(p);
      })(ps);
      offsets.push(at);
    }
    expect(offsets[0][0]).toBeGreaterThan(0);
    expect(offsets[0][1]).toBeGreaterThan(offsets[0][0]);
    expect(offsets[1]).toEqual(offsets[0]);
    // the first call's h sat where the second call's h was written: using it throws
    expect(() => kept!.toFloat64Array()).toThrow(EscapedTensorError);
  });

  // input gradients are resident too: the layer below forms ga from one where it is
  // (tanhGradTo), or, as an identity layer, reads it as its ga; x's gradient comes back out of
  // the region when the call returns it
  it("input gradients in the region: an identity layer between two tanh layers, x's gradient returned", () => {
    const wI = rand([64, 32], 87);
    const bI = rand([32], 88);
    const three = (f: typeof plainTanh, g: typeof plainTanh) => (p: Tensor[]) =>
      sum(mul(f(g(f(p[4], p[0], p[1]), wI, bI), p[2], p[3]), ct));
    const args = [...ps.slice(0, 2), rand([32, 32], 89), ps[3], x];
    const plainId = (x: Tensor, w: Tensor, b: Tensor) => add(matmul(x, w), b);
    const want = grad(three(plainTanh, plainId))(args) as Tensor[];
    const before = matmulThreads();
    try {
      for (const n of [1, 2, 3]) {
        setMatmulThreads(n);
        const got = grad(three(fused, (x, w, b) => dense(x, w, b, "identity")))(args) as Tensor[];
        got.forEach((g, i) => {
          expectSameBits(g, want[i]);
          expect(residentOffset(g._raw())).toBe(-1);
        });
      }
    } finally {
      setMatmulThreads(before);
    }
  });

  // other products do not know the region: their threads are posted the module's buffer as a
  // shared array and read the output's rows through it
  it("are read by a plain matrix product's threads, bit for bit, on 1, 2 and 3 threads", () => {
    const loss = (f: typeof plainTanh) => (p: Tensor[]) => sum(mul(matmul(f(x, p[0], p[1]), p[2]), ct));
    const want = grad(loss(plainTanh))(ps) as Tensor[];
    const before = matmulThreads();
    try {
      for (const n of [1, 2, 3]) {
        setMatmulThreads(n);
        const got = grad(loss(fused))(ps) as Tensor[];
        got.forEach((g, i) => {
          expectSameBits(g, want[i]);
        });
      }
    } finally {
      setMatmulThreads(before);
    }
  });

  // a grad call under vmap may leave its views alive in the transform's boxes: the region waits
  // until the garbage collector has taken them all, then serves the next call again
  it("under an outer transform (per-example gradients) stay correct, and the region comes back once they are collected", async () => {
    const xs = rand([4, R / 4, 12], 86);
    const per = (f: typeof plainTanh) =>
      vmap((xi: Tensor) => grad((p: Tensor[]) => sum(mul(f(f(xi, p[0], p[1]), p[2], p[3]), 0.5)))(ps));
    const want = per(plainTanh)(xs) as unknown as Tensor[];
    const got = per(fused)(xs) as unknown as Tensor[];
    got.forEach((g, i) => {
      expectSameBits(g, want[i]);
    });
    // the dense outputs of the first example's call were made before vmap's boxes were seen
    expect(residentUsable()).toBe(false);
    const gc = collector();
    if (gc === null) {
      console.log("resident.test.ts: the region's return after collection not checked, no gc() here");
      return;
    }
    for (let i = 0; i < 20 && !residentUsable(); i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(residentUsable()).toBe(true);
    const at: number[] = [];
    grad(two(fused, at))(ps);
    expect(Math.min(...at)).toBeGreaterThan(0);
  });
});
