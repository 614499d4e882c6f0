// Fusions that must not change a single bit: the fused product-sum behind the mul/fma2/tanhGrad
// VJPs (mulTo) against mul then sumTo, and the dense primitive act(x·W + b) against the composed
// matmul/add/tanh — values and derivatives of first and second order, forward and reverse, with
// shapes large enough for the SIMD kernels.
import { describe, expect, it } from "vitest";
import { expectSameBits } from "../../test/values.js";
import { clearPool } from "../core/pool.js";
import {
  add,
  grad,
  jvp,
  matmul,
  matmulThreads,
  mean,
  mul,
  perSampleHessian,
  random,
  reshape,
  setMatmulThreads,
  sum,
  type Tensor,
  tanh,
  tensor,
  valueAndGrad,
} from "../index.js";
import { keptReadCount } from "../kernels/wasm-kept.js";
import { MLP } from "../nn/index.js";
import { dense } from "./dense.js";
import { fusedMulSum, mulTo, sumTo } from "./util.js";

const rand = (shape: number[], seed: number) => random.normal(random.key(seed), shape);

describe("mulTo ≡ sumTo(mul(…)), bit for bit", () => {
  // [name, factor shapes (or a number), target shape, whether the fused kernel takes it]
  const cases: [string, (number | number[])[], number[], boolean][] = [
    [
      "batched cotangent × row operand",
      [
        [10, 256, 64],
        [256, 64],
      ],
      [256, 64],
      true,
    ],
    [
      "two batched operands",
      [
        [10, 256, 64],
        [10, 256, 64],
      ],
      [256, 64],
      true,
    ],
    ["scalar and three factors", [[256, 64], -2, [10, 256, 64], [10, 256, 64]], [256, 64], true],
    ["sum over two leading axes", [[3, 4, 2000], [2000]], [2000], true],
    [
      "kept leading 1s in the target",
      [
        [8, 3000],
        [1, 3000],
      ],
      [1, 3000],
      true,
    ],
    // layouts the fused kernel refuses (run unfused, must still agree)
    [
      "sum over a middle axis",
      [
        [6, 5, 40],
        [6, 1, 40],
      ],
      [6, 1, 40],
      false,
    ],
    ["nothing to sum", [[50, 40], [40]], [50, 40], false],
  ];
  cases.forEach(([name, shapes, target, fuses], c) => {
    it(name, () => {
      const xs = shapes.map((s, i) => (typeof s === "number" ? s : rand(s, 10 * c + i)));
      let p = xs[0] as Tensor;
      for (const x of xs.slice(1)) p = mul(p, x);
      expect(fusedMulSum(xs, target) !== null).toBe(fuses);
      expectSameBits(mulTo(xs, target), sumTo(p, target));
    });
  });

  it("Float32 operands take the unfused path", () => {
    const a = tensor(rand([20, 500], 1).toFloat64Array(), [20, 500], "float32");
    const b = tensor(rand([500], 2).toFloat64Array(), [500], "float32");
    const r = mulTo([a, b], [500]);
    expect(r.dtype).toBe("float32");
    expectSameBits(r, sumTo(mul(a, b), [500]));
  });

  it("gradients through the fused VJPs match the closed form", () => {
    // f(w) = Σ tanh(x)·w·x with w broadcast over a batch: ∂f/∂w = Σ_batch tanh(x)·x
    const x = rand([10, 200, 64], 3);
    const w = rand([200, 64], 4);
    const g = grad((v: Tensor) => sum(mul(mul(tanh(x), v), x)))(w);
    expectSameBits(g, sum(mul(tanh(x), x), [0]));
  });
});

describe("dense primitive ≡ tanh(matmul(x, W) + b), bit for bit", () => {
  const x = rand([300, 20], 5);
  const w = rand([20, 48], 6);
  const b = rand([48], 7);
  const fused = (x: Tensor, w: Tensor, b: Tensor) => dense(x, w, b, "tanh");
  const plain = (x: Tensor, w: Tensor, b: Tensor) => tanh(add(matmul(x, w), b));
  const loss = (f: typeof fused) => (p: Tensor[]) => mean(mul(f(p[0], p[1], p[2]), 1.5));

  it("values, and the identity activation", () => {
    expectSameBits(fused(x, w, b), plain(x, w, b));
    expectSameBits(dense(x, w, b, "identity"), add(matmul(x, w), b));
  });

  it("reverse mode (all three inputs)", () => {
    const [v1, g1] = valueAndGrad(loss(fused))([x, w, b]);
    const [v2, g2] = valueAndGrad(loss(plain))([x, w, b]);
    expectSameBits(v1, v2);
    (g1 as Tensor[]).forEach((g, i) => {
      expectSameBits(g, (g2 as Tensor[])[i]);
    });
  });

  it("forward mode with tangents on every input, and forward over reverse", () => {
    const t: [Tensor, Tensor, Tensor] = [rand([300, 20], 8), rand([20, 48], 9), rand([48], 10)];
    const [y1, dy1] = jvp(fused, [x, w, b], t);
    const [y2, dy2] = jvp(plain, [x, w, b], t);
    expectSameBits(y1, y2);
    expectSameBits(dy1, dy2);
    const hvp = (f: typeof fused) =>
      jvp((p: Tensor[]) => grad(loss(f))(p), [[x, w, b]], [t])[1] as unknown as Tensor[];
    const h2 = hvp(plain);
    hvp(fused).forEach((h, i) => {
      expectSameBits(h, h2[i]);
    });
  });

  it("the Calabi–Yau shaped workload: ∂/∂W of mean log|det| of per-sample input Hessians", () => {
    // MLP.apply uses dense for tanh and identity layers; compose the same network by hand
    const net = new MLP([6, 32, 32, 1], { key: random.key(11), activation: "tanh" });
    const X = rand([40, 6], 12);
    const byHand = (p: typeof net.params, z: Tensor) => {
      const h1 = plain(z, p[0].w, p[0].b);
      const h2 = plain(h1, p[1].w, p[1].b);
      return add(matmul(h2, p[2].w), p[2].b);
    };
    const cy = (apply: (p: typeof net.params, z: Tensor) => Tensor) => (p: typeof net.params) => {
      const H = perSampleHessian((z: Tensor) => reshape(apply(p, z), [z.shape[0]]))(X);
      return mean(mul(H, H));
    };
    const g1 = grad(cy((p, z) => net.apply(p, z)))(net.params);
    const g2 = grad(cy(byHand))(net.params);
    g1.forEach((layer, i) => {
      expectSameBits(layer.w, g2[i].w);
      expectSameBits(layer.b, g2[i].b);
    });
  });
});

describe("dense backward on concrete operands (one pass through the product module) ≡ the composed rules", () => {
  // the composed rules run when the VJP is watched by a transform, so compare against the layer
  // built from matmul/add/tanh, whose VJPs never take the fused path
  const plainTanh = (x: Tensor, w: Tensor, b: Tensor) => tanh(add(matmul(x, w), b));
  const plainId = (x: Tensor, w: Tensor, b: Tensor) => add(matmul(x, w), b);
  const cases: [string, number[], number, boolean, number[]][] = [
    // [name, x shape, outputs, tanh, thread counts]
    ["odd R·O, tanh", [333, 17], 7, true, [1]],
    ["six outputs (the bias sum's column pairs alone)", [400, 30], 6, true, [1]],
    ["one output, identity (an MLP's last layer)", [1024, 64], 1, false, [1, 2]],
    ["leading batch dims folded into rows", [3, 50, 12], 40, true, [1]],
    ["large enough to split over threads", [1030, 64], 66, true, [1, 2, 3]],
    ["split over threads, I and O padded to multiples of 4", [700, 37], 45, true, [1, 2]],
  ];
  for (const [name, xs, O, isTanh, threadCounts] of cases) {
    it(name, () => {
      const I = xs[xs.length - 1];
      const x = rand(xs, 20);
      const w = rand([I, O], 21);
      const b = rand([O], 22);
      const act = isTanh ? "tanh" : "identity";
      const ct = rand([...xs.slice(0, -1), O], 23);
      const loss = (f: typeof plainTanh) => (p: Tensor[]) => sum(mul(f(p[0], p[1], p[2]), ct));
      const want = grad(loss(isTanh ? plainTanh : plainId))([x, w, b]) as Tensor[];
      const before = matmulThreads();
      try {
        for (const n of threadCounts) {
          setMatmulThreads(n);
          const got = grad(loss((x, w, b) => dense(x, w, b, act)))([x, w, b]) as Tensor[];
          got.forEach((g, i) => {
            expectSameBits(g, want[i]);
          });
          // only the weights wanted: x is a constant (its gradient is not formed)
          const gw = grad((p: Tensor[]) => sum(mul(dense(x, p[0], p[1], act), ct)))([w, b]) as Tensor[];
          expectSameBits(gw[0], want[1]);
          expectSameBits(gw[1], want[2]);
        }
      } finally {
        setMatmulThreads(before);
      }
    });
  }

  // the lower layer's cotangent (the upper layer's gx), its output and its gx are on shared memory,
  // so each thread forms its own rows of ga and copies its own rows of gx out; the upper layer's
  // forward product reads its input, the lower layer's output, the same way, and its weight
  // gradient's K blocks (1030 rows: four of 256 and a ragged one) are staged by the threads
  // a first layer (constant input, no gx): its weight gradient's threads form ga themselves, K
  // block by K block, from its cotangent and output on shared memory; x goes in whole first.
  // O even (1030 rows: a ragged last K block) and O odd (1100 rows: every K block of even length)
  for (const [R, I, O1, O2] of [
    [1030, 10, 64, 40],
    [1100, 12, 45, 24],
  ]) {
    it(`a first layer under another, ${R}×${I} → ${O1}: the threads form its ga`, () => {
      const x = rand([R, I], 40);
      const w1 = rand([I, O1], 41);
      const b1 = rand([O1], 42);
      const w2 = rand([O1, O2], 43);
      const b2 = rand([O2], 44);
      const ct = rand([R, O2], 45);
      const two = (f: typeof plainTanh) => (p: Tensor[]) => sum(mul(f(f(x, p[0], p[1]), p[2], p[3]), ct));
      const want = grad(two(plainTanh))([w1, b1, w2, b2]) as Tensor[];
      const before = matmulThreads();
      try {
        for (const n of [1, 2, 3]) {
          setMatmulThreads(n);
          const got = grad(two((x, w, b) => dense(x, w, b, "tanh")))([w1, b1, w2, b2]) as Tensor[];
          got.forEach((g, i) => {
            expectSameBits(g, want[i]);
          });
        }
      } finally {
        setMatmulThreads(before);
      }
    });
  }

  // rows and widths multiples of 4: each layer's forward reads the output the layer below left in
  // the product module, and each layer's backward the gx and x the layer above left there
  // (kernels/wasm-kept.ts); two calls in a row, so the second starts where the first's copies sit
  it("an MLP's stack 12 → 64 → 48 → 64 → 1: the layers read the copies the module kept", () => {
    const R = 1024;
    const widths = [12, 64, 48, 64, 1];
    const x = rand([R, 12], 50);
    const params = widths
      .slice(1)
      .flatMap((o, i) => [rand([widths[i], o], 51 + 2 * i), rand([o], 52 + 2 * i)]);
    const ct = rand([R, 1], 60);
    const stack = (f: typeof plainTanh, g: typeof plainId, withX: boolean) => (p: Tensor[]) => {
      let h = withX ? p[8] : x;
      for (let l = 0; l < 3; l++) h = f(h, p[2 * l], p[2 * l + 1]);
      return sum(mul(g(h, p[6], p[7]), ct));
    };
    const before = matmulThreads();
    try {
      for (const withX of [false, true]) {
        const ps = withX ? [...params, x] : params;
        const want = grad(stack(plainTanh, plainId, withX))(ps) as Tensor[];
        const fused = stack(
          (x, w, b) => dense(x, w, b, "tanh"),
          (x, w, b) => dense(x, w, b, "identity"),
          withX,
        );
        for (const n of [1, 2, 3]) {
          setMatmulThreads(n);
          const reads = keptReadCount();
          for (let call = 0; call < 2; call++) {
            const got = grad(fused)(ps) as Tensor[];
            got.forEach((g, i) => {
              expectSameBits(g, want[i]);
            });
          }
          // on one thread the backward's gx copies are read (the forward keeps no whole C there)
          expect(keptReadCount() - reads).toBeGreaterThanOrEqual(n === 1 ? 4 : 10);
        }
      }
    } finally {
      setMatmulThreads(before);
    }
  });

  // an output made outside a grad call stays as it is (it is never pooled), so the next call's
  // first layer may read the module's copy of it; after the pool drops its arrays the next call
  // starts afresh
  it("a layer's output made before a grad call is the first layer's input in it, then the pool is emptied", () => {
    const R = 1024;
    const x = rand([R, 16], 70);
    const w1 = rand([16, 32], 71);
    const b1 = rand([32], 72);
    const w2 = rand([32, 64], 73);
    const b2 = rand([64], 74);
    const ct = rand([R, 64], 75);
    const before = matmulThreads();
    try {
      for (const n of [1, 2, 3]) {
        setMatmulThreads(n);
        const loss = (f: typeof plainTanh) => (p: Tensor[]) => sum(mul(f(p[0], p[1], p[2]), ct));
        const h = dense(x, w1, b1, "tanh");
        const reads = keptReadCount();
        const got = [0, 1].map((call) => {
          if (call > 0) clearPool();
          return grad(loss((x, w, b) => dense(x, w, b, "tanh")))([h, w2, b2]) as Tensor[];
        });
        // with threads the first call's forward read h where the module kept it
        if (n > 1) expect(keptReadCount() - reads).toBeGreaterThanOrEqual(1);
        expectSameBits(h, plainTanh(x, w1, b1));
        const want = grad(loss(plainTanh))([h, w2, b2]) as Tensor[];
        for (const gs of got)
          gs.forEach((g, i) => {
            expectSameBits(g, want[i]);
          });
      }
    } finally {
      setMatmulThreads(before);
    }
  });

  it("two stacked layers: the lower one's operands on shared memory, O and I padded", () => {
    const x = rand([1030, 64], 30);
    const w1 = rand([64, 66], 31);
    const b1 = rand([66], 32);
    const w2 = rand([66, 40], 33);
    const b2 = rand([40], 34);
    const ct = rand([1030, 40], 35);
    const two = (f: typeof plainTanh) => (p: Tensor[]) => sum(mul(f(f(p[0], p[1], p[2]), p[3], p[4]), ct));
    const want = grad(two(plainTanh))([x, w1, b1, w2, b2]) as Tensor[];
    const before = matmulThreads();
    try {
      for (const n of [1, 2, 3]) {
        setMatmulThreads(n);
        const got = grad(two((x, w, b) => dense(x, w, b, "tanh")))([x, w1, b1, w2, b2]) as Tensor[];
        got.forEach((g, i) => {
          expectSameBits(g, want[i]);
        });
      }
    } finally {
      setMatmulThreads(before);
    }
  });
});
