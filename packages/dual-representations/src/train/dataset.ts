// A labelled data set as flat rows (n × d, Float64) with 0/1 labels, and the seeded train/test
// split every task uses.
import { random } from "@physml/autodiff";

/** n rows of d features and one 0/1 label per row. */
export interface Labelled {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
  readonly d: number;
}

/** Rows `idx` of a data set (copies). */
export function takeRows(data: Labelled, idx: ArrayLike<number>): Labelled {
  const { d } = data;
  const x = new Float64Array(idx.length * d);
  const y = new Float64Array(idx.length);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r];
    x.set(data.x.subarray(i * d, (i + 1) * d), r * d);
    y[r] = data.y[i];
  }
  return { x, y, n: idx.length, d };
}

/** A seeded random split: the first `round(fraction·n)` of a permutation train, the rest test. */
export function splitRows(
  data: Labelled,
  fraction: number,
  seed: number,
): { train: Labelled; test: Labelled } {
  const perm = random.permutation(random.key(seed), data.n);
  const cut = Math.round(fraction * data.n);
  return { train: takeRows(data, perm.subarray(0, cut)), test: takeRows(data, perm.subarray(cut)) };
}

/** The same rows with the features replaced by `f(row)` (a change of representation). */
export function mapRows(
  data: Labelled,
  d: number,
  f: (row: Float64Array, out: Float64Array) => void,
): Labelled {
  const x = new Float64Array(data.n * d);
  for (let r = 0; r < data.n; r++)
    f(data.x.subarray(r * data.d, (r + 1) * data.d), x.subarray(r * d, (r + 1) * d));
  return { x, y: data.y, n: data.n, d };
}

/** Fraction of rows with label 1. */
export function positiveShare(data: Labelled): number {
  let s = 0;
  for (let i = 0; i < data.n; i++) s += data.y[i];
  return data.n ? s / data.n : 0;
}

/**
 * Both splits with the training rows' per-feature mean subtracted (the test rows get the same
 * shift). Near-constant inputs (ordered spins are almost all +1) otherwise feed the hidden
 * units a large common offset that drowns the few informative deviations.
 */
export function centred(split: { train: Labelled; test: Labelled }): { train: Labelled; test: Labelled } {
  const { d } = split.train;
  const mu = new Float64Array(d);
  for (let r = 0; r < split.train.n; r++) for (let j = 0; j < d; j++) mu[j] += split.train.x[r * d + j];
  for (let j = 0; j < d; j++) mu[j] /= Math.max(1, split.train.n);
  const shift = (data: Labelled) =>
    mapRows(data, d, (row, out) => {
      for (let j = 0; j < d; j++) out[j] = row[j] - mu[j];
    });
  return { train: shift(split.train), test: shift(split.test) };
}
