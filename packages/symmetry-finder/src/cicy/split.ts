// Train/test splits of the CICY list that never show a test input during training. Two questions,
// two splits: "permutations" holds out one permuted matrix of every CICY (does the network
// recognise a manifold from an arrangement it never saw? — the paper's question, and the one the
// embedding analysis needs, since every CICY is trained on); "cicys" holds out whole manifolds
// (does it predict Hodge numbers of manifolds it never saw?).
import { type Key, random } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { arrangementKey, CICY_COLS, CICY_ROWS, type Cicy, writePermuted } from "./data.js";

const D = CICY_ROWS * CICY_COLS;

export interface CicySplit {
  kind: "permutations" | "cicys";
  /** Indices (into the full list) of the CICYs trained on. */
  train: number[];
  /** Test inputs [n, 180] and, per input, the index of its CICY in the full list. */
  test: { x: Float64Array; index: Int32Array };
  /** Arrangements that training must never draw (the held-out matrices of the permutations split). */
  exclude: Set<string>;
  /** CICYs with a single arrangement (every permutation gives the same matrix): trained on, not tested, in the permutations split. */
  singleArrangement: number;
}

/** True when 30 random row/column permutations all reproduce the matrix (chance of a miss ≤ 2⁻³⁰). */
function hasSingleArrangement(c: Cicy, key: Key): boolean {
  const ref = new Float64Array(D);
  const x = new Float64Array(D);
  const id = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
  writePermuted(c, id(c.rows), id(c.cols), ref, 0);
  const keys = random.split(key, 60);
  for (let t = 0; t < 30; t++) {
    writePermuted(
      c,
      random.permutation(keys[2 * t], c.rows),
      random.permutation(keys[2 * t + 1], c.cols),
      x,
      0,
    );
    for (let k = 0; k < D; k++) if (x[k] !== ref[k]) return false;
  }
  return true;
}

/**
 * One held-out arrangement per CICY that has more than one; training draws that hit a held-out
 * arrangement are redrawn (see `augment`'s `exclude`).
 */
export function splitPermutations(cicys: readonly Cicy[], seed: number): CicySplit {
  const keys = random.split(random.key(seed), 3 * cicys.length);
  const tested: number[] = [];
  cicys.forEach((c, i) => {
    if (!hasSingleArrangement(c, keys[3 * i])) tested.push(i);
  });
  const x = new Float64Array(tested.length * D);
  const exclude = new Set<string>();
  tested.forEach((i, s) => {
    const c = cicys[i];
    writePermuted(
      c,
      random.permutation(keys[3 * i + 1], c.rows),
      random.permutation(keys[3 * i + 2], c.cols),
      x,
      s * D,
    );
    exclude.add(arrangementKey(c.id, x, s * D));
  });
  return {
    kind: "permutations",
    train: cicys.map((_, i) => i),
    test: { x, index: Int32Array.from(tested) },
    exclude,
    singleArrangement: cicys.length - tested.length,
  };
}

/** A random `testFraction` of the CICYs held out whole, each tested in `copies` random arrangements. */
export function splitCicys(
  cicys: readonly Cicy[],
  testFraction: number,
  copies: number,
  seed: number,
): CicySplit {
  if (!(testFraction > 0 && testFraction < 1))
    throw new PhysmlInputError("testFraction", "a number in (0, 1)", testFraction);
  const [kp, ka] = random.split(random.key(seed), 2);
  const order = Array.from(random.permutation(kp, cicys.length));
  const nTest = Math.max(1, Math.round(testFraction * cicys.length));
  const testIdx = order.slice(0, nTest).sort((a, b) => a - b);
  const train = order.slice(nTest).sort((a, b) => a - b);
  const keys = random.split(ka, 2 * nTest * copies);
  const x = new Float64Array(nTest * copies * D);
  const index = new Int32Array(nTest * copies);
  let s = 0;
  for (let copy = 0; copy < copies; copy++) {
    for (const i of testIdx) {
      const c = cicys[i];
      writePermuted(
        c,
        random.permutation(keys[2 * s], c.rows),
        random.permutation(keys[2 * s + 1], c.cols),
        x,
        s * D,
      );
      index[s] = i;
      s++;
    }
  }
  return { kind: "cicys", train, test: { x, index }, exclude: new Set(), singleArrangement: 0 };
}
