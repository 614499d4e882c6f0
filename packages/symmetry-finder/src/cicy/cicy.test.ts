import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { CICY_LIST_MISSING, cicyListForTests } from "../../test/cicy-list.js";
import { neighbourAnalysis } from "../eval/neighbours.js";
import { augment, CICY_COLS, CICY_ROWS, cicyListMissing, readCicyList } from "./data.js";
import { CicyNet } from "./model.js";

const { cicys, dropped } = await cicyListForTests();
const D = CICY_ROWS * CICY_COLS;

describe("a missing CICY list", () => {
  it("is named, with where it was looked for and how to point elsewhere, and reading it is refused", async () => {
    const path = join(import.meta.dirname, "no-such-dir", "cicy3o.json.gz");
    const why = cicyListMissing(path);
    expect(why).toContain(path);
    expect(why).toContain("PHYSML_CICY_DATA");
    const err = await readCicyList(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PhysmlInputError);
    expect(String((err as Error).message)).toContain("PHYSML_CICY_DATA");
  });
});

describe("a copy of shared/data/cicy3 given as its directory", () => {
  it("is read through the list inside it, and a directory without one is named with the file looked for", async () => {
    const dir = await mkdtemp(join(tmpdir(), "physml-cicy-"));
    try {
      // the quintic and one product placeholder (h¹¹ = h²¹ = 0), in the list's own format
      const list = {
        "1": { h11: 0, h21: 0, matrix: [[1], [1]], c2: [] },
        "7890": { h11: 1, h21: 101, matrix: [[5]], c2: [50] },
      };
      const empty = join(dir, "empty");
      await mkdir(empty);
      expect(cicyListMissing(empty)).toContain(join(empty, "cicy3o.json.gz"));
      await writeFile(join(dir, "cicy3o.json.gz"), gzipSync(JSON.stringify(list)));
      expect(cicyListMissing(dir)).toBeNull();
      const { cicys: read, dropped: placeholders } = await readCicyList(dir);
      expect(placeholders).toBe(1);
      expect(read.map((c) => [c.id, c.rows, c.cols, c.h11, c.h21])).toEqual([[7890, 1, 1, 1, 101]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(CICY_LIST_MISSING)("CICY list", () => {
  it("holds 7890 matrices of which 22 are product placeholders; 7890 is the quintic", () => {
    expect(cicys.length + dropped).toBe(7890);
    expect(dropped).toBe(22);
    const q = cicys[cicys.length - 1];
    expect([q.id, q.rows, q.cols, q.matrix[0], q.h11, q.h21]).toEqual([7890, 1, 1, 5, 1, 101]);
  });

  it("every matrix is a Calabi–Yau threefold: Σ_r (row sum − 1) − #columns = 3, before and after permutation", () => {
    const sub = cicys.filter((_, i) => i % 37 === 0);
    const { x, index } = augment(sub, 3, 11);
    for (let s = 0; s < index.length; s++) {
      const c = sub[index[s]];
      let dimSum = 0;
      let total = 0;
      for (let r = 0; r < CICY_ROWS; r++) {
        let row = 0;
        for (let q = 0; q < CICY_COLS; q++) row += x[s * D + r * CICY_COLS + q];
        if (r < c.rows) dimSum += row - 1;
        else expect(row).toBe(0);
        total += row;
      }
      expect(dimSum - c.cols).toBe(3);
      expect(total).toBe(c.matrix.reduce((a, b) => a + b, 0));
    }
  });
});

describe.skipIf(CICY_LIST_MISSING)("CICY network", () => {
  it("gives identical embeddings to identical inputs, so the neighbour analysis of duplicated CICYs scores 1", () => {
    const net = new CicyNet({ seed: 1, widths: [32, 16] });
    const p = net.init();
    const sub = cicys.slice(0, 40);
    // copies without permutation: every CICY appears 3 times with the same input
    const data = augment(sub, 1, 3, true);
    const x = new Float64Array(3 * data.x.length);
    for (let c = 0; c < 3; c++) x.set(data.x, c * data.x.length);
    const index = Int32Array.from({ length: 3 * sub.length }, (_, s) => s % sub.length);
    const emb = net.embed(p, tensor(x, [index.length, D])).toFloat64Array();
    const r = neighbourAnalysis(emb, index, { k: 10 });
    expect(r.meanScore).toBe(1);
  });
});
