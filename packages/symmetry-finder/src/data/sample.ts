// Labelled point clouds from a potential: rejection sampling, uniform in the box and kept when
// V falls into one of the class bins (the paper's construction). Every class fills from the same
// stream, so the cost is set by the rarest bin.
import { random } from "@physml/autodiff";
import { checkInt, PhysmlInputError, plural } from "@physml/lattice-core";
import type { Potential } from "./potentials.js";

/** Points x (row-major [n, dim]) with integer class labels. */
export interface LabelledPoints {
  readonly x: Float64Array;
  readonly labels: Int32Array;
  readonly n: number;
  readonly dim: number;
  readonly classes: number;
}

export interface SampleOptions {
  /** Points per class. */
  perClass: number;
  seed: number;
  /** Give up after this many candidate points (default 2·10⁸). */
  maxTries?: number;
}

const CHUNK = 1 << 16;

/** Draws `perClass` points for every level of `pot`, interleaved by class in draw order. */
export function samplePotential(pot: Potential, opts: SampleOptions): LabelledPoints {
  checkInt("perClass", opts.perClass, 1, 1e7);
  const { dim, levels, halfWidth, box } = pot;
  const C = levels.length;
  const counts = new Int32Array(C);
  const x = new Float64Array(opts.perClass * C * dim);
  const labels = new Int32Array(opts.perClass * C);
  const maxTries = opts.maxTries ?? 2e8;
  const pt = new Float64Array(dim);
  let filled = 0;
  let tries = 0;
  let key = random.key(opts.seed);
  while (filled < labels.length) {
    if (tries >= maxTries) {
      throw new PhysmlInputError(
        "levels",
        "bins the box reaches often enough",
        `${filled} of ${plural(labels.length, "point")} after ${plural(tries, "try", "tries")}`,
      );
    }
    const [k0, k1] = random.split(key, 2);
    key = k1;
    const u = random.uniform(k0, [CHUNK, dim], { minval: -box, maxval: box }).toFloat64Array();
    for (let i = 0; i < CHUNK && filled < labels.length; i++) {
      for (let d = 0; d < dim; d++) pt[d] = u[i * dim + d];
      const v = pot.value(pt);
      // levels are ordered and further apart than the bins, so at most one matches
      for (let c = 0; c < C; c++) {
        if (Math.abs(v - levels[c]) <= halfWidth && counts[c] < opts.perClass) {
          x.set(pt, filled * dim);
          labels[filled++] = c;
          counts[c]++;
          break;
        }
      }
    }
    tries += CHUNK;
  }
  return { x, labels, n: labels.length, dim, classes: C };
}

/** The points whose label is `cls`, row-major [m, dim]; `labels` defaults to the data's own (pass a network's predictions to group by those). */
export function pointsOfClass(
  data: LabelledPoints,
  cls: number,
  labels: Int32Array = data.labels,
): Float64Array {
  const rows: number[] = [];
  for (let i = 0; i < data.n; i++) if (labels[i] === cls) rows.push(i);
  const out = new Float64Array(rows.length * data.dim);
  rows.forEach((r, j) => {
    out.set(data.x.subarray(r * data.dim, (r + 1) * data.dim), j * data.dim);
  });
  return out;
}
