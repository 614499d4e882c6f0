import { beforeAll, describe, expect, it } from "vitest";
import { CICY_LIST_MISSING, cicyListForTests } from "../../test/cicy-list.js";
import { arrangementKey, CICY_COLS, CICY_ROWS } from "./data.js";
import { fixedTrainingSet, hodgeAccuracy, sampleInputs, trainCicy } from "./model.js";
import { splitPermutations } from "./split.js";

const { cicys } = await cicyListForTests();
const D = CICY_ROWS * CICY_COLS;
const sorted = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y);

describe.skipIf(CICY_LIST_MISSING)("the paper's fixed augmented set", () => {
  const sub = cicys.filter((_, i) => i % 97 === 0);
  // built when the suite runs (not while a skipped suite is collected)
  let split: ReturnType<typeof splitPermutations>;
  beforeAll(() => {
    split = splitPermutations(sub, 4);
  });

  it("holds `arrangements` inputs of every training CICY, each a permutation of its matrix, none held out", () => {
    const set = fixedTrainingSet(sub, { seed: 2, arrangements: 7 }, split);
    expect(set.index.length).toBe(7 * split.train.length);
    const count = new Map<number, number>();
    for (let s = 0; s < set.index.length; s++) {
      const c = sub[set.index[s]];
      count.set(c.id, (count.get(c.id) ?? 0) + 1);
      // the label of an input is its CICY's: the entries are that matrix's, padding all zero
      const entries = set.x.subarray(s * D, (s + 1) * D);
      const pad = CICY_ROWS * CICY_COLS - c.rows * c.cols;
      expect(sorted(entries)).toEqual(sorted([...c.matrix, ...new Array(pad).fill(0)]));
      expect(split.exclude.has(arrangementKey(c.id, set.x, s * D))).toBe(false);
    }
    expect([...count.values()].every((v) => v === 7)).toBe(true);
    // drawn once from the seed: the same set every time
    expect(fixedTrainingSet(sub, { seed: 2, arrangements: 7 }, split).x).toEqual(set.x);
  });

  it("sampleInputs keeps input and label together", () => {
    const set = fixedTrainingSet(sub, { seed: 2, arrangements: 5 }, split);
    const part = sampleInputs(set, 50, 3);
    expect(part.index.length).toBe(50);
    const byKey = new Map<string, number>();
    for (let s = 0; s < set.index.length; s++) byKey.set(arrangementKey(0, set.x, s * D), set.index[s]);
    for (let s = 0; s < 50; s++) {
      // keyed by the entries alone: no two CICYs of this subset share an arrangement
      expect(byKey.get(arrangementKey(0, part.x, s * D))).toBe(part.index[s]);
    }
  });

  // The diagnosis of issue 13: the paper's network memorises a small fixed set, so a run stuck at
  // the size baseline is not a bug in the labels, the loss or the optimiser.
  it("the MLP memorises 60 CICYs × 1 arrangement past 95% on both heads; the stopping rule is the training accuracy", () => {
    const few = cicys.filter((_, i) => i % 131 === 0);
    const t = trainCicy(few, { seed: 1, arrangements: 1, batch: 16, lr: 1e-3, maxEpochs: 150 });
    const last = t.history[t.history.length - 1];
    expect(t.converged).toBe(true);
    expect(last.h11Train).toBeGreaterThan(0.95);
    expect(last.h21Train).toBeGreaterThan(0.95);
    // recounted independently on the whole fixed set (it is smaller than the evaluation sample)
    const set = fixedTrainingSet(few, { seed: 1, arrangements: 1 }, t.split);
    const acc = hodgeAccuracy(t.net, t.state.params, few, set);
    expect([acc.h11, acc.h21]).toEqual([last.h11Train, last.h21Train]);
    // the h21 head has 102 classes: chance and the size baseline are far below 95%
    expect(new Set(few.map((c) => c.h21)).size).toBeGreaterThan(20);
  }, 60_000);
});
