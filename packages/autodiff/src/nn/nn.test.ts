// nn: Gumbel-softmax, layers, save/load, and an MLP that fits sin.
import { describe, expect, it } from "vitest";
import {
  AutodiffInputError,
  grad,
  matmul,
  mean,
  mul,
  random,
  reshape,
  softmax,
  sub,
  sum,
  type Tensor,
  tensor,
  treeLeaves,
  valueAndGrad,
} from "../index.js";
import { adam } from "../optim/index.js";
import {
  fromNpy,
  gumbelSoftmax,
  Linear,
  loadParams,
  loadParamsNpy,
  MLP,
  saveParams,
  saveParamsNpy,
  toNpy,
} from "./index.js";

describe("gumbelSoftmax", () => {
  const logits = tensor([
    [1.0, -0.5, 0.3, 2.0],
    [0.1, 0.2, 0.3, 0.4],
  ]);

  it("soft samples are distributions; hard samples are one-hot with the soft sample's argmax", () => {
    const soft = gumbelSoftmax(logits, { key: random.key(1), tau: 0.7 });
    const hard = gumbelSoftmax(logits, { key: random.key(1), tau: 0.7, hard: true });
    const s = soft.toArray() as number[][];
    const h = hard.toArray() as number[][];
    s.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
      const am = row.indexOf(Math.max(...row));
      expect(h[i]).toEqual(row.map((_, j) => (j === am ? 1 : 0)));
    });
  });

  it("straight-through: the hard sample's gradient is the soft sample's gradient", () => {
    const w = tensor([0.3, -1, 2, 0.5]);
    const f = (hard: boolean) => (l: Tensor) =>
      sum(mul(gumbelSoftmax(l, { key: random.key(2), tau: 0.5, hard }), w));
    expect(grad(f(true))(logits).toArray()).toEqual(grad(f(false))(logits).toArray());
  });

  it("argmax frequencies match softmax(logits) (Gumbel-max trick) within 4σ", () => {
    const n = 4000;
    const l = tensor([0.5, -1, 1.5]);
    const big = reshape(mul(tensor(new Float64Array(n).fill(1), [n, 1]), l), [n, 3]);
    const h = gumbelSoftmax(big, { key: random.key(3), hard: true }).toArray() as number[][];
    const counts = [0, 0, 0];
    for (const row of h) counts[row.indexOf(1)]++;
    const p = softmax(l).toFloat64Array();
    counts.forEach((c, i) => {
      expect(Math.abs(c / n - p[i])).toBeLessThan(4 * Math.sqrt((p[i] * (1 - p[i])) / n));
    });
  });

  it("rejects tau <= 0", () => {
    expect(() => gumbelSoftmax(logits, { key: random.key(1), tau: 0 })).toThrow(AutodiffInputError);
  });
});

describe("layers", () => {
  it("Linear computes x·W + b; MLP stacks layers with the activation", () => {
    const lin = new Linear(3, 2, { key: random.key(1) });
    const x = random.normal(random.key(2), [5, 3]);
    const y = lin.apply(lin.params, x);
    expect(y.shape).toEqual([5, 2]);
    expect(y.toArray()).toEqual(matmul(x, lin.params.w).add(lin.params.b).toArray());
    const net = new MLP([3, 4, 1], { key: random.key(3), activation: "relu" });
    const ref = net.layers[1].apply(net.params[1], net.layers[0].apply(net.params[0], x).relu());
    expect(net.apply(net.params, x).toArray()).toEqual(ref.toArray());
    expect(() => lin.apply(lin.params, random.normal(random.key(2), [5, 4]))).toThrow(AutodiffInputError);
  });

  it("Glorot-uniform weights lie in ±√(6/(in+out)) and seeds reproduce", () => {
    const lin = new Linear(30, 20, { key: random.key(4) });
    const a = Math.sqrt(6 / 50);
    const w = lin.params.w.toFloat64Array();
    expect(w.every((v) => Math.abs(v) <= a)).toBe(true);
    // The range is filled: U(±a) has E[w²] = a²/3, and for 600 draws the relative standard error
    // of the mean square is √(Var w² / n)/E[w²] = √(0.8/600) ≈ 3.7%; 4σ is 14.6%. P(max|w| < 0.95a)
    // is 0.95⁶⁰⁰ ≈ 4e-14.
    const meanSquare = w.reduce((acc, v) => acc + v * v, 0) / w.length;
    expect(Math.abs(meanSquare / ((a * a) / 3) - 1)).toBeLessThan(4 * Math.sqrt(0.8 / w.length));
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.95 * a);
    expect(new Linear(30, 20, { key: random.key(4) }).params.w.toArray()).toEqual(lin.params.w.toArray());
  });
});

describe("save / load", () => {
  const net = new MLP([3, 5, 2], { key: random.key(7) });

  it("JSON round trip is exact", () => {
    const back = loadParams(saveParams(net.params));
    const a = treeLeaves(net.params);
    const b = treeLeaves(back);
    expect(b.length).toBe(a.length);
    a.forEach((t, i) => {
      expect(b[i].shape).toEqual(t.shape);
      expect(b[i].toFloat64Array()).toEqual(t.toFloat64Array());
    });
    expect(() => loadParams("{oops")).toThrow(AutodiffInputError);
  });

  it(".npy bytes follow the NumPy format and round-trip exactly", () => {
    const t = random.normal(random.key(1), [2, 3]);
    const bytes = toNpy(t);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    const hlen = bytes[8] + 256 * bytes[9];
    expect((10 + hlen) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + hlen));
    expect(header).toContain("'descr': '<f8'");
    expect(header).toContain("'shape': (2, 3)");
    expect(fromNpy(bytes).toFloat64Array()).toEqual(t.toFloat64Array());
    const tree = loadParamsNpy(saveParamsNpy(net.params)) as typeof net.params;
    expect(Array.isArray(tree)).toBe(true);
    expect(tree[1].w.toFloat64Array()).toEqual(net.params[1].w.toFloat64Array());
  });
});

describe("training", () => {
  it("an MLP fits sin on [−π, π] to MSE < 1e-4", () => {
    const n = 64;
    const xs = tensor(
      Array.from({ length: n }, (_, i) => -Math.PI + (2 * Math.PI * i) / (n - 1)),
      [n, 1],
    );
    const ys = xs.sin();
    const net = new MLP([1, 24, 24, 1], { key: random.key(0) });
    const loss = (p: typeof net.params) => mean(mul(sub(net.apply(p, xs), ys), sub(net.apply(p, xs), ys)));
    const opt = adam({ lr: 1e-2 });
    let params = net.params;
    let state = opt.init(params);
    let mse = Number.POSITIVE_INFINITY;
    for (let it = 0; it < 3000 && mse >= 1e-4; it++) {
      const [v, g] = valueAndGrad(loss)(params);
      mse = v.item();
      ({ params, state } = opt.step(params, g, state));
    }
    expect(loss(params).item()).toBeLessThan(1e-4);
  });
});
