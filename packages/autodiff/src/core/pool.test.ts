// The array pool may only ever hold arrays nobody can reach. These tests run passes big enough for
// the pool (arrays ≥ 64 KB), then keep computing on recycled arrays and check that earlier results
// never change, that repeated runs give identical bits, and that passes under an outer transform
// release nothing (their tensors are on that transform's tape).
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  add,
  EscapedTensorError,
  grad,
  jvp,
  matmul,
  mean,
  mul,
  random,
  sum,
  type Tensor,
  tanh,
  tensor,
  valueAndGrad,
  vjp,
} from "../index.js";
import { MLP } from "../nn/index.js";
import { allocShared, allocUninit } from "./create.js";
import { clearPool, pooledByteCount, withCallArena } from "./pool.js";

const rand = (shape: number[], seed: number) => random.normal(random.key(seed), shape);
const x = rand([128, 96], 1);
const f = (w: Tensor) => mean(mul(tanh(matmul(x, w)), tanh(matmul(x, w)).sum(0)));
const w0 = rand([96, 96], 2);

const bits = (t: Tensor) => Array.from(t.toFloat64Array(), (v) => (Object.is(v, -0) ? "-0" : String(v)));

afterEach(() => {
  vi.useRealTimers();
  clearPool();
});

describe("array pool", () => {
  it("a backward pass recycles its dead arrays; the gradients it returned stay intact", () => {
    clearPool();
    const [v1, g1] = valueAndGrad(f)(w0);
    expect(pooledByteCount()).toBeGreaterThan(0);
    const saved = bits(g1);
    // more passes and forward work of the same sizes draw on the recycled arrays
    for (let s = 3; s < 7; s++) {
      grad(f)(rand([96, 96], s));
      tanh(matmul(x, rand([96, 96], 10 + s)));
    }
    expect(bits(g1)).toEqual(saved);
    const [v2, g2] = valueAndGrad(f)(w0);
    expect(v2.item()).toBe(v1.item());
    expect(bits(g2)).toEqual(saved);
  });

  it("a pullback called repeatedly gives the same bits and leaves earlier results alone", () => {
    clearPool();
    const [y, pull] = vjp((w: Tensor) => tanh(matmul(x, w)), w0);
    const ct = rand([...y.shape], 20);
    const first = pull(ct)[0] as Tensor;
    const saved = bits(first);
    for (let i = 0; i < 3; i++)
      expect(bits(pull(rand([...y.shape], 21 + i))[0] as Tensor)).not.toEqual(saved);
    expect(bits(first)).toEqual(saved);
    expect(bits(pull(ct)[0] as Tensor)).toEqual(saved);
  });

  it("passes under an outer transform release nothing, and second derivatives agree", () => {
    const v = rand([96, 96], 30);
    // forward over reverse: the inner backward pass runs on boxes of the jvp trace
    clearPool();
    const fwdRev = jvp((w: Tensor) => grad(f)(w), [w0], [v])[1] as Tensor;
    expect(pooledByteCount()).toBe(0);
    // reverse over reverse: the inner pass is recorded on the outer tape; the outer pass may recycle
    const revRev = grad((w: Tensor) => sum(mul(grad(f)(w), v)))(w0);
    const a = fwdRev.toFloat64Array();
    const b = revRev.toFloat64Array();
    let err = 0;
    for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]) / (1 + Math.abs(a[i])));
    expect(err).toBeLessThan(1e-12);
    // and again with the pool full: the same bits
    expect(bits(grad((w: Tensor) => sum(mul(grad(f)(w), v)))(w0))).toEqual(bits(revRev));
    expect(bits(jvp((w: Tensor) => grad(f)(w), [w0], [v])[1] as Tensor)).toEqual(bits(fwdRev));
  });

  it("the outermost call recycles its forward arrays too: a tensor kept from inside it throws, the results stand", () => {
    clearPool();
    const kept: Tensor[] = [];
    const g = (w: Tensor) => {
      const h = tanh(matmul(x, w)); // on the tape: a residual of the call
      const c = tanh(x); // not on the tape, but made inside the call
      kept.push(h, c);
      return mean(mul(h, add(h, mean(c))));
    };
    const [v1, g1] = valueAndGrad(g)(w0);
    const saved = bits(g1);
    for (const t of kept) {
      expect(() => t.toFloat64Array()).toThrow(EscapedTensorError);
      expect(() => add(t, 1)).toThrow(EscapedTensorError);
    }
    // the recycled arrays serve the next calls; the returned value and gradients are untouched
    for (let s = 3; s < 6; s++) valueAndGrad(g)(rand([96, 96], s));
    expect(bits(g1)).toEqual(saved);
    const [v2, g2] = valueAndGrad(g)(w0);
    expect(v2.item()).toBe(v1.item());
    expect(bits(g2)).toEqual(saved);
  });

  it("a call that uses an outer transform's tensor from a closure recycles nothing", () => {
    const inner = (s: Tensor) => grad((w: Tensor) => mean(mul(tanh(matmul(x, w)), s)))(w0);
    clearPool();
    // d/ds of s·∇_w mean(tanh(x w)) is ∇_w mean(tanh(x w)): the jvp's tangent must come out intact
    const [, dg] = jvp(inner, [tensor(0.7)], [tensor(1)]) as [Tensor, Tensor];
    expect(pooledByteCount()).toBe(0);
    const want = grad((w: Tensor) => mean(tanh(matmul(x, w))))(w0).toFloat64Array();
    const got = dg.toFloat64Array();
    let err = 0;
    for (let i = 0; i < got.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
    expect(err).toBeLessThan(1e-15);
  });

  it("empties itself after two idle seconds", () => {
    vi.useFakeTimers();
    clearPool();
    grad(f)(w0);
    expect(pooledByteCount()).toBeGreaterThan(0);
    vi.advanceTimersByTime(1500);
    expect(pooledByteCount()).toBeGreaterThan(0);
    vi.advanceTimersByTime(1000);
    expect(pooledByteCount()).toBe(0);
  });

  it.skipIf(typeof SharedArrayBuffer !== "function")(
    "arrays on shared memory (only inside a grad call) are pooled apart: each kind comes back as its own kind",
    () => {
      clearPool();
      const n = 1 << 14;
      const [shared, plain] = withCallArena(
        0,
        () => [allocShared(n), allocUninit("float64", n)],
        () => [],
      );
      expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(plain.buffer).not.toBeInstanceOf(SharedArrayBuffer);
      expect(pooledByteCount()).toBe(2 * n * 8);
      // the plain array went in last: a pool that mixed the kinds would hand it out first
      const again = withCallArena(
        0,
        () => [allocShared(n), allocUninit("float64", n)],
        () => [],
      );
      expect(again[0]).toBe(shared);
      expect(again[1]).toBe(plain);
      // outside a grad call nothing would take it back: an ordinary array
      expect(allocShared(n).buffer).not.toBeInstanceOf(SharedArrayBuffer);
    },
  );

  describe.skipIf(typeof SharedArrayBuffer !== "function")(
    "a returned input gradient (computed on shared memory)",
    () => {
      // one tanh layer and a linear head: ∂/∂x Σ_r (tanh(x W₁ + b₁) W₂ + b₂) = ((1 − h²) ⊙ W₂ᵀ) W₁ᵀ,
      // written out in loops as the independent truth
      const net = new MLP([16, 8, 1], { key: random.key(3), activation: "tanh" });
      const [l1, l2] = net.params;
      const closedForm = (X: Tensor): Float64Array => {
        const [R, I] = X.shape;
        const H = l1.w.shape[1];
        const [xs, w1, b1, w2] = [X, l1.w, l1.b!, l2.w].map((t) => t.toFloat64Array());
        const out = new Float64Array(R * I);
        for (let r = 0; r < R; r++)
          for (let j = 0; j < H; j++) {
            let z = b1[j];
            for (let i = 0; i < I; i++) z += xs[r * I + i] * w1[i * H + j];
            const a = (1 - Math.tanh(z) ** 2) * w2[j];
            for (let i = 0; i < I; i++) out[r * I + i] += a * w1[i * H + j];
          }
        return out;
      };
      const maxDiff = (a: Float64Array, b: Float64Array) =>
        a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
      const X = rand([1024, 16], 4);

      it("from grad: on ordinary memory, the closed form's values, intact after later calls that reuse its shared array", () => {
        clearPool();
        const g = grad((x: Tensor) => sum(net.apply(net.params, x)));
        const first = g(X);
        expect(first._raw().buffer).not.toBeInstanceOf(SharedArrayBuffer);
        expect(maxDiff(first.toFloat64Array(), closedForm(X))).toBeLessThan(1e-12);
        const saved = bits(first);
        for (let s = 5; s < 8; s++)
          expect(g(rand([1024, 16], s))._raw().buffer).not.toBeInstanceOf(SharedArrayBuffer);
        expect(bits(first)).toEqual(saved);
      });

      it("from a pullback outside any grad call: the same", () => {
        clearPool();
        const [y, pull] = vjp((x: Tensor) => net.apply(net.params, x), X);
        const first = pull(tensor(new Array(y.shape[0]).fill([1])))[0] as Tensor;
        expect(first._raw().buffer).not.toBeInstanceOf(SharedArrayBuffer);
        expect(maxDiff(first.toFloat64Array(), closedForm(X))).toBeLessThan(1e-12);
        const saved = bits(first);
        for (let s = 5; s < 8; s++) pull(rand([...y.shape], s));
        expect(bits(first)).toEqual(saved);
      });
    },
  );
});
