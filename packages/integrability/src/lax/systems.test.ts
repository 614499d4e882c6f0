import { tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { LaxModel } from "./model.js";
import { chainDifferences, laxSetup } from "./systems.js";

describe("Toda's network inputs", () => {
  it("are q_i − q_{i+1} and p_i − P/3, so L(x) is unchanged by q → q + c and p → p + c", () => {
    const f = chainDifferences(3);
    const x = tensor([[0.3, -0.1, 0.2, 0.5, -0.2, 0.1]]);
    const P3 = (0.5 - 0.2 + 0.1) / 3;
    expect(Array.from(f.map(x).toFloat64Array())).toEqual(
      [0.3 - -0.1, -0.1 - 0.2, 0.2 - 0.3, 0.5 - P3, -0.2 - P3, 0.1 - P3].map((v) => expect.closeTo(v, 15)),
    );
    const setup = laxSetup("toda");
    const model = new LaxModel({ inputs: 6, size: 3, seed: 1, features: setup.features?.map });
    const p = model.init();
    const shifted = tensor([[1.3, 0.9, 1.2, 0.9, 0.2, 0.5]]);
    const a = model.L(p, x).toFloat64Array();
    const b = model.L(p, shifted).toFloat64Array();
    for (let i = 0; i < 9; i++) expect(b[i]).toBeCloseTo(a[i], 14);
  });
});
