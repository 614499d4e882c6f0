import { random, tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { CICY_LIST_MISSING, cicyListForTests } from "../../test/cicy-list.js";
import { CICY_COLS, CICY_ROWS, writePermuted } from "./data.js";
import { CicyEquivariantNet } from "./equivariant.js";

const { cicys } = await cicyListForTests();
const D = CICY_ROWS * CICY_COLS;

describe.skipIf(CICY_LIST_MISSING)("permutation-invariant CICY network", () => {
  it("embeds every row/column arrangement of a matrix identically, and different CICYs differently", () => {
    const sub = cicys.filter((_, i) => i % 300 === 0);
    const net = new CicyEquivariantNet({ seed: 2, channels: [8, 8], widths: [16] });
    const p = net.init();
    const x = new Float64Array(2 * sub.length * D);
    const keys = random.split(random.key(4), 2 * sub.length);
    sub.forEach((c, i) => {
      const id = (n: number) => Int32Array.from({ length: n }, (_, k) => k);
      writePermuted(c, id(c.rows), id(c.cols), x, i * D);
      const rp = random.permutation(keys[2 * i], c.rows);
      const cp = random.permutation(keys[2 * i + 1], c.cols);
      writePermuted(c, rp, cp, x, (sub.length + i) * D);
    });
    const e = net.embed(p, tensor(x, [2 * sub.length, D])).toFloat64Array();
    const E = 16;
    let same = 0;
    let apart = Infinity;
    for (let i = 0; i < sub.length; i++) {
      for (let k = 0; k < E; k++) same = Math.max(same, Math.abs(e[i * E + k] - e[(sub.length + i) * E + k]));
      if (i > 0) {
        let d = 0;
        for (let k = 0; k < E; k++) d = Math.max(d, Math.abs(e[i * E + k] - e[(i - 1) * E + k]));
        apart = Math.min(apart, d);
      }
    }
    // rounding only (≈1e-16) between arrangements; distinct CICYs at least four orders further apart
    expect(same).toBeLessThan(1e-12);
    expect(apart).toBeGreaterThan(1e-8);
  });
});
