// nn/layers: Linear and MLP values against a plain-JS forward pass (Σᵢ xᵢWᵢⱼ + bⱼ, then the
// activation's formula), their parameters against the initialisers with the split keys, and
// every input check by the field it names.
import { describe, expect, it } from "vitest";
import { AutodiffInputError, mul, random, type Tensor } from "../index.js";
import { type ActivationName, activationFn, glorotUniform, Linear, MLP, zerosInit } from "./index.js";

const FORMULA: Record<ActivationName, (v: number) => number> = {
  tanh: Math.tanh,
  relu: (v) => Math.max(v, 0),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  gelu: (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
  softplus: (v) => Math.log1p(Math.exp(v)),
  identity: (v) => v,
};

type Rows = number[][];

/** act(x·W + b) row by row in plain JS. */
function dense(x: Rows, w: Rows, b: number[] | undefined, act: (v: number) => number): Rows {
  return x.map((row) =>
    w[0].map((_, j) => act(row.reduce((acc, xi, i) => acc + xi * w[i][j], b ? b[j] : 0))),
  );
}

function forward(
  params: { w: Tensor; b?: Tensor }[],
  x: Rows,
  act: (v: number) => number,
  fin = FORMULA.identity,
): Rows {
  return params.reduce(
    (h, p, l) =>
      dense(
        h,
        p.w.toArray() as Rows,
        p.b?.toArray() as number[] | undefined,
        l < params.length - 1 ? act : fin,
      ),
    x,
  );
}

function expectClose(got: Tensor, want: Rows): void {
  const g = got.toArray() as Rows;
  expect(g.length).toBe(want.length);
  g.forEach((row, i) => {
    expect(row.length).toBe(want[i].length);
    row.forEach((v, j) => {
      expect(Math.abs(v - want[i][j])).toBeLessThan(1e-12 * (1 + Math.abs(want[i][j])));
    });
  });
}

// Inputs with both signs and magnitudes past relu's kink and sigmoid's linear range.
const x = random.normal(random.key(2), [5, 3], { std: 2 });
const xs = x.toArray() as Rows;

describe("Linear", () => {
  it("computes x·W + b for a batch and for one vector (the unfused path)", () => {
    const lin = new Linear(3, 4, { key: random.key(1) });
    expectClose(lin.apply(lin.params, x), forward([lin.params], xs, FORMULA.identity));
    const one = lin.apply(lin.params, random.normal(random.key(2), [3], { std: 2 }));
    expect(one.shape).toEqual([4]);
    expectClose(one.reshape([1, 4]), forward([lin.params], [xs[0]], FORMULA.identity));
  });

  it("draws W with glorotUniform and b with zeros from the two halves of the key", () => {
    const key = random.key(9);
    const [kw] = random.split(key, 2);
    const lin = new Linear(3, 4, { key });
    expect(lin.params.w.toArray()).toEqual(glorotUniform(kw, [3, 4]).toArray());
    expect(lin.params.b.shape).toEqual([4]);
    expect(Array.from(lin.params.b.toFloat64Array())).toEqual([0, 0, 0, 0]);
    expect([lin.inF, lin.outF, lin.bias]).toEqual([3, 4, true]);
  });

  it("uses the given init and biasInit, and drops b with bias: false", () => {
    const key = random.key(9);
    const [kw, kb] = random.split(key, 2);
    const ones = (_k: unknown, s: readonly number[]) => zerosInit(kw, s).add(1);
    const lin = new Linear(3, 2, {
      key,
      init: zerosInit,
      biasInit: (k, s) => glorotUniform(k, [...s, 1]).reshape(s),
    });
    expect(Array.from(lin.params.w.toFloat64Array())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(lin.params.b.toArray()).toEqual(glorotUniform(kb, [2, 1]).reshape([2]).toArray());
    const nob = new Linear(3, 2, { key, bias: false, init: ones });
    expect(Object.keys(nob.params)).toEqual(["w"]);
    expect(nob.bias).toBe(false);
    expectClose(nob.apply(nob.params, x), forward([nob.params], xs, FORMULA.identity));
  });

  it("refuses non-positive or fractional sizes and a wrong last dimension, naming the field", () => {
    const key = random.key(0);
    expect(() => new Linear(0, 2, { key })).toThrow(/^Linear\.inF: expected an integer >= 1, got 0$/);
    expect(() => new Linear(2, 1.5, { key })).toThrow(/^Linear\.outF: expected an integer >= 1, got 1.5$/);
    const lin = new Linear(3, 2, { key });
    expect(() => lin.apply(lin.params, random.normal(key, [5, 4]))).toThrow(
      /^Linear\.apply\.x: expected shape \[\.\.\., 3\], got \[5,4\]$/,
    );
  });
});

describe("MLP", () => {
  const names = Object.keys(FORMULA) as ActivationName[];

  it.each(names)("hidden activation %s matches its formula; the last layer is linear", (name) => {
    const net = new MLP([3, 4, 4, 2], { key: random.key(3), activation: name });
    expectClose(net.apply(net.params, x), forward(net.params, xs, FORMULA[name]));
  });

  it("defaults to tanh hidden layers; finalActivation and function activations apply", () => {
    const net = new MLP([3, 4, 2], { key: random.key(4) });
    expectClose(net.apply(net.params, x), forward(net.params, xs, Math.tanh));
    const sig = new MLP([3, 4, 2], { key: random.key(4), activation: "relu", finalActivation: "sigmoid" });
    expectClose(sig.apply(sig.params, x), forward(sig.params, xs, FORMULA.relu, FORMULA.sigmoid));
    const twice = new MLP([3, 4, 2], {
      key: random.key(4),
      activation: (t) => mul(t, 2),
      finalActivation: "tanh",
    });
    expectClose(
      twice.apply(twice.params, x),
      forward(twice.params, xs, (v) => 2 * v, Math.tanh),
    );
  });

  it("without bias: layers have no b and tanh still applies (the unfused path)", () => {
    const net = new MLP([3, 4, 2], { key: random.key(5), bias: false });
    expect(net.params.map((p) => Object.keys(p))).toEqual([["w"], ["w"]]);
    expectClose(net.apply(net.params, x), forward(net.params, xs, Math.tanh));
  });

  it("layer l gets the widths [l, l+1], init, and the l-th of widths.length − 1 split keys", () => {
    const key = random.key(6);
    const net = new MLP([3, 5, 4, 2], { key, init: glorotUniform });
    expect(net.widths).toEqual([3, 5, 4, 2]);
    expect(net.layers.map((l) => [l.inF, l.outF])).toEqual([
      [3, 5],
      [5, 4],
      [4, 2],
    ]);
    random.split(key, 3).forEach((k, l) => {
      expect(net.params[l].w.toArray()).toEqual(
        new Linear(net.widths[l], net.widths[l + 1], { key: k }).params.w.toArray(),
      );
    });
  });

  it("refuses fewer than two widths, a wrong number of layer parameters and unknown activations", () => {
    const key = random.key(0);
    expect(() => new MLP([3], { key })).toThrow(/^MLP\.widths: expected at least two layer widths/);
    const net = new MLP([3, 4, 2], { key });
    expect(() => net.apply(net.params.slice(0, 1), x)).toThrow(
      /^MLP\.apply\.params: expected 2 layers, got 1$/,
    );
    expect(() => new MLP([3, 2], { key, activation: "swish" as ActivationName })).toThrow(AutodiffInputError);
    expect(() => activationFn("swish" as ActivationName)).toThrow(
      /^activation: expected tanh \| relu \| sigmoid \| gelu \| softplus \| identity, got swish$/,
    );
    const f = (t: Tensor) => t;
    expect(activationFn(f)).toBe(f);
    expect(activationFn("identity")(x)).toBe(x);
    expect(new MLP([3, 2], { key }).layers.length).toBe(1);
  });
});
