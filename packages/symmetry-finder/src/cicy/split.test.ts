import { describe, expect, it } from "vitest";
import { CICY_LIST_MISSING, cicyListForTests } from "../../test/cicy-list.js";
import { arrangementKey, augment, CICY_COLS, CICY_ROWS } from "./data.js";
import { splitCicys, splitPermutations } from "./split.js";

const { cicys } = await cicyListForTests();
const D = CICY_ROWS * CICY_COLS;
// every 25th CICY plus the last ones (the quintic [5] among them: one row, one column)
const sub = cicys.filter((_, i) => i % 25 === 0 || i >= cicys.length - 20);

describe.skipIf(CICY_LIST_MISSING)("CICY splits", () => {
  it("permutations: exactly the CICYs whose entries are all equal have a single arrangement and go untested", () => {
    const s = splitPermutations(sub, 3);
    // a matrix is unchanged by every row and column permutation iff all its entries are equal
    const constant = sub.filter((c) => c.matrix.every((v) => v === c.matrix[0])).length;
    expect(constant).toBeGreaterThan(0);
    expect(s.singleArrangement).toBe(constant);
    expect(s.test.index.length).toBe(sub.length - constant);
    expect(s.exclude.size).toBe(s.test.index.length);
  });

  it("permutations: training draws never reproduce a held-out arrangement", () => {
    const s = splitPermutations(sub, 3);
    const data = augment(sub, 30, 9, false, { exclude: s.exclude });
    let hits = 0;
    for (let i = 0; i < data.index.length; i++) {
      if (s.exclude.has(arrangementKey(sub[data.index[i]].id, data.x, i * D))) hits++;
    }
    expect(hits).toBe(0);
    // without the exclusion the same draws do hit held-out arrangements (small CICYs have few)
    const free = augment(sub, 30, 9, false);
    let freeHits = 0;
    for (let i = 0; i < free.index.length; i++) {
      if (s.exclude.has(arrangementKey(sub[free.index[i]].id, free.x, i * D))) freeHits++;
    }
    expect(freeHits).toBeGreaterThan(0);
  });

  it("cicys: train and test partition the list, the test holds the requested share", () => {
    const s = splitCicys(sub, 0.2, 2, 5);
    const test = new Set(s.test.index);
    expect(test.size).toBe(Math.round(0.2 * sub.length));
    expect(s.train.length + test.size).toBe(sub.length);
    for (const i of s.train) expect(test.has(i)).toBe(false);
    expect(s.test.index.length).toBe(2 * test.size);
  });
});
