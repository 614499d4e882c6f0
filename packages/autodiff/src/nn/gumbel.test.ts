// nn/gumbel: samples against softmax((logits + g)/τ) computed in plain JS from the same Gumbel
// draws, along either axis; the straight-through sample is that softmax's one-hot argmax.
import { describe, expect, it } from "vitest";
import { AutodiffInputError, random, tensor } from "../index.js";
import { gumbelSoftmax } from "./index.js";

type Rows = number[][];

function softmaxRow(v: number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((a) => Math.exp(a - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((a) => a / s);
}

const transpose = (a: Rows): Rows => a[0].map((_, j) => a.map((r) => r[j]));

const logits = [
  [1.0, -0.5, 0.3, 2.0],
  [0.1, 0.2, 0.3, 0.4],
  [-1.0, 3.0, 0.0, 0.5],
];
const l = tensor(logits);

/** softmax((l + g)/τ) over the last axis of a row-major [rows, cols] array. */
function expected(key: number, tau: number, rows: Rows = logits): Rows {
  const g = random.gumbel(random.key(key), [rows.length, rows[0].length]).toArray() as Rows;
  return rows.map((r, i) => softmaxRow(r.map((v, j) => (v + g[i][j]) / tau)));
}

function expectClose(got: Rows, want: Rows): void {
  got.forEach((row, i) => {
    row.forEach((v, j) => {
      expect(Math.abs(v - want[i][j])).toBeLessThan(1e-14);
    });
  });
}

const oneHot = (rows: Rows): Rows => rows.map((r) => r.map((v) => (v === Math.max(...r) ? 1 : 0)));

describe("gumbelSoftmax values", () => {
  it("is softmax((logits + g)/τ) over the last axis, τ = 1 by default", () => {
    expectClose(gumbelSoftmax(l, { key: random.key(4), tau: 0.3 }).toArray() as Rows, expected(4, 0.3));
    expectClose(gumbelSoftmax(l, { key: random.key(4) }).toArray() as Rows, expected(4, 1));
    expectClose(gumbelSoftmax(l, { key: random.key(4), axis: 1 }).toArray() as Rows, expected(4, 1));
  });

  it("on a 3-D batch the default axis is the last one; float32 logits give float32 samples", () => {
    const l3 = tensor([...logits.flat(), ...logits.flat()], [2, 3, 4]);
    const got = gumbelSoftmax(l3, { key: random.key(7), tau: 0.8 }).toArray() as number[][][];
    const g = random.gumbel(random.key(7), [2, 3, 4]).toArray() as number[][][];
    got.forEach((m, a) => {
      expectClose(
        m,
        logits.map((r, i) => softmaxRow(r.map((v, j) => (v + g[a][i][j]) / 0.8))),
      );
    });
    const l32 = tensor(logits.flat(), [3, 4], "float32");
    expect(gumbelSoftmax(l32, { key: random.key(4) }).dtype).toBe("float32");
  });

  it("axis 0 normalises columns with the same draws", () => {
    const g = random.gumbel(random.key(5), [3, 4]).toArray() as Rows;
    const shifted = logits.map((r, i) => r.map((v, j) => (v + g[i][j]) / 0.5));
    const want = transpose(transpose(shifted).map(softmaxRow));
    const soft = gumbelSoftmax(l, { key: random.key(5), tau: 0.5, axis: 0 }).toArray() as Rows;
    expectClose(soft, want);
    const hard = gumbelSoftmax(l, { key: random.key(5), tau: 0.5, axis: 0, hard: true }).toArray() as Rows;
    expect(hard).toEqual(transpose(oneHot(transpose(want))));
  });

  it("hard: exactly the one-hot argmax of the soft sample along the axis", () => {
    const hard = gumbelSoftmax(l, { key: random.key(6), tau: 2, hard: true }).toArray() as Rows;
    expect(hard).toEqual(oneHot(expected(6, 2)));
    expect(gumbelSoftmax(l, { key: random.key(6), tau: 2, hard: false }).toArray()).not.toEqual(hard);
  });

  it("refuses τ that is not a finite number > 0, naming the field", () => {
    for (const tau of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => gumbelSoftmax(l, { key: random.key(1), tau })).toThrow(AutodiffInputError);
      expect(() => gumbelSoftmax(l, { key: random.key(1), tau })).toThrow(
        /^gumbelSoftmax\.tau: expected a finite number > 0/,
      );
    }
  });
});
