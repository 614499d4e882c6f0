// nn/masked: MaskedLinear against x·(W∘M) + b in plain JS, MaskedConv2d's parameters against its
// initialiser (drawn [kh, kw, in, out], stored [out, in, kh, kw]) and its options, and every
// input check by field.
import { describe, expect, it } from "vitest";
import { conv2d, random, type Tensor } from "../index.js";
import { glorotUniform, MaskedConv2d, MaskedLinear } from "./index.js";

type Rows = number[][];

const mask = [
  [1, 0, 1, 1],
  [0, 1, 1, 0],
  [1, 1, 0, 1],
];

describe("MaskedLinear", () => {
  it("is x·(W∘M) + b with W from glorotUniform on the first split key and b = 0", () => {
    const key = random.key(3);
    const ml = new MaskedLinear(3, 4, mask, { key });
    expect(ml.params.w.toArray()).toEqual(glorotUniform(random.split(key, 2)[0], [3, 4]).toArray());
    expect(ml.mask.toArray()).toEqual(mask);
    const p = { w: ml.params.w, b: random.normal(random.key(4), [4]) };
    const x = random.normal(random.key(5), [2, 3]);
    const w = p.w.toArray() as Rows;
    const b = p.b.toArray() as number[];
    const y = ml.apply(p, x).toArray() as Rows;
    (x.toArray() as Rows).forEach((row, n) => {
      for (let j = 0; j < 4; j++) {
        const want = row.reduce((acc, xi, i) => acc + xi * w[i][j] * mask[i][j], b[j]);
        expect(Math.abs(y[n][j] - want)).toBeLessThan(1e-14 * (1 + Math.abs(want)));
      }
    });
    expect(Array.from(ml.params.b.toFloat64Array())).toEqual([0, 0, 0, 0]);
  });

  it("takes init and bias: false", () => {
    const ml = new MaskedLinear(3, 4, mask, {
      key: random.key(3),
      bias: false,
      init: (_k, s) => glorotUniform(random.key(8), s),
    });
    expect(Object.keys(ml.params)).toEqual(["w"]);
    expect(ml.params.w.toArray()).toEqual(glorotUniform(random.key(8), [3, 4]).toArray());
  });

  it("refuses bad sizes, masks of the wrong shape or values, and a wrong input width", () => {
    const key = random.key(0);
    expect(() => new MaskedLinear(0, 4, mask, { key })).toThrow(
      /^MaskedLinear\.inF: expected an integer >= 1, got 0$/,
    );
    expect(() => new MaskedLinear(3, 2.5, mask, { key })).toThrow(
      /^MaskedLinear\.outF: expected an integer >= 1/,
    );
    expect(() => new MaskedLinear(2, 4, mask, { key })).toThrow(
      /^MaskedLinear\.mask: expected a 2×4 array of 0\/1/,
    );
    expect(
      () =>
        new MaskedLinear(
          3,
          4,
          [
            [1, 0, 1, 1],
            [0, 1, 1],
            [1, 1, 0, 1],
          ],
          { key },
        ),
    ).toThrow(/MaskedLinear\.mask/);
    expect(() => new MaskedLinear(3, 4, "1" as unknown as Rows, { key })).toThrow(/MaskedLinear\.mask/);
    expect(
      () =>
        new MaskedLinear(
          3,
          4,
          [
            [1, 0, 1, 1],
            [0, 1, 1, 0],
            [1, 1, 0, 2],
          ],
          { key },
        ),
    ).toThrow(/^MaskedLinear\.mask: expected entries 0 or 1, got another number$/);
    const ml = new MaskedLinear(3, 4, mask, { key });
    expect(() => ml.apply(ml.params, random.normal(key, [2, 4]))).toThrow(
      /^MaskedLinear\.apply\.x: expected shape \[\.\.\., 3\], got \[2,4\]$/,
    );
  });
});

describe("MaskedConv2d", () => {
  it("draws [kh, kw, in, out] and stores it as [out, in, kh, kw]; b = 0", () => {
    const key = random.key(2);
    const shapes: number[][] = [];
    const layer = new MaskedConv2d(2, 3, [3, 5], {
      key,
      mask: "B",
      init: (k, s) => {
        shapes.push([...s]);
        return glorotUniform(k, s);
      },
    });
    expect(shapes).toEqual([[3, 5, 2, 3]]);
    expect(layer.kernel).toEqual([3, 5]);
    const hwio = glorotUniform(random.split(key, 2)[0], [3, 5, 2, 3]).toArray() as number[][][][];
    const w = layer.params.w.toArray() as number[][][][];
    expect(layer.params.w.shape).toEqual([3, 2, 3, 5]);
    for (let o = 0; o < 3; o++)
      for (let i = 0; i < 2; i++)
        for (let y = 0; y < 3; y++) for (let x = 0; x < 5; x++) expect(w[o][i][y][x]).toBe(hwio[y][x][i][o]);
    expect(layer.params.b.shape).toEqual([3]);
    expect(Array.from(layer.params.b.toFloat64Array())).toEqual([0, 0, 0]);
  });

  it("applies conv2d with its mask, padding (circular by default) and bias", () => {
    const x = random.normal(random.key(7), [1, 2, 4, 4]);
    const b = random.normal(random.key(8), [3]);
    const run = (layer: MaskedConv2d) => layer.apply({ w: layer.params.w, b }, x).toArray();
    const conv = (w: Tensor, padding: "circular" | "zeros", mask: "A" | "B") =>
      conv2d(x, w, { padding, mask, bias: b }).toArray();
    const circ = new MaskedConv2d(2, 3, 3, { key: random.key(1), mask: "A" });
    expect(circ.padding).toBe("circular");
    expect(circ.kernel).toEqual([3, 3]);
    expect(run(circ)).toEqual(conv(circ.params.w, "circular", "A"));
    const zeros = new MaskedConv2d(2, 3, 3, { key: random.key(1), mask: "B", padding: "zeros" });
    expect(zeros.padding).toBe("zeros");
    expect(zeros.mask).toBe("B");
    expect(run(zeros)).toEqual(conv(zeros.params.w, "zeros", "B"));
    expect(run(zeros)).not.toEqual(conv(zeros.params.w, "circular", "B"));
    const nob = new MaskedConv2d(2, 3, 3, { key: random.key(1), mask: "A", bias: false });
    expect(Object.keys(nob.params)).toEqual(["w"]);
  });

  it("refuses bad channel counts and even or non-positive kernels", () => {
    const key = random.key(0);
    expect(() => new MaskedConv2d(0, 1, 3, { key, mask: "A" })).toThrow(
      /^MaskedConv2d\.inC: expected an integer >= 1/,
    );
    expect(() => new MaskedConv2d(1, 0, 3, { key, mask: "A" })).toThrow(
      /^MaskedConv2d\.outC: expected an integer >= 1/,
    );
    for (const k of [2, 0, -1, 1.5, [3, 4] as [number, number], [4, 3] as [number, number]])
      expect(() => new MaskedConv2d(1, 1, k, { key, mask: "B" })).toThrow(
        /^MaskedConv2d\.kernel: expected odd integers >= 1/,
      );
    expect(new MaskedConv2d(1, 1, 1, { key, mask: [[1]] }).kernel).toEqual([1, 1]);
  });
});
