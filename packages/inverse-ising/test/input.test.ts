// Bad input fails with one PhysmlInputError naming the field.
import { decodeNpy, encodeNpy, PhysmlInputError, standardSquareModel } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { inverseIsing, resolveInverseConfig, samplesFromNpy } from "../src/index.js";

const model = standardSquareModel(4, 4, { nn: 0.3, plaquette: 0, nnn: 0, field: 0 });
const ones = (n: number) => new Int8Array(n).fill(1);

function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PhysmlInputError);
    return (e as PhysmlInputError).field;
  }
  throw new Error("no error thrown");
}

describe("input checks", () => {
  it("names the length when samples do not fill whole configurations", () => {
    expect(fieldOf(() => inverseIsing(model, ones(40)))).toBe("samples.length");
  });
  it("names the first value that is not ±1", () => {
    const s = ones(64);
    s[37] = 0;
    expect(fieldOf(() => inverseIsing(model, s))).toBe("samples[37]");
  });
  it("rejects a .npy array of the wrong shape or with 0/1 values", () => {
    const npy = (data: Int8Array, shape: number[]) => decodeNpy(encodeNpy(data, shape));
    const wrongShape = () => samplesFromNpy(model, npy(ones(2 * 25), [2, 5, 5]), "x.npy");
    expect(fieldOf(wrongShape)).toBe("x.npy");
    expect(wrongShape).toThrow(/shape \(2, 5, 5\)/);
    expect(samplesFromNpy(model, npy(ones(32), [2, 4, 4])).count).toBe(2);
    expect(samplesFromNpy(model, npy(ones(32), [2, 16])).count).toBe(2);
    const zeros = new Int8Array(32);
    expect(fieldOf(() => samplesFromNpy(model, npy(zeros, [2, 4, 4]), "x.npy"))).toBe("x.npy[0]");
  });
  it("names the terms when two of them have the same local field (not identifiable)", () => {
    // All-up samples: every local pattern is the same, no term can be told from another.
    expect(fieldOf(() => inverseIsing(model, ones(16 * 8)))).toBe("terms");
  });
  it("needs at least two samples and a valid block count", () => {
    expect(fieldOf(() => inverseIsing(model, ones(16)))).toBe("samples");
  });
  it("names the configuration field: unknown term, no data source, both sources", () => {
    expect(fieldOf(() => resolveInverseConfig({ beta: 0.3, terms: ["nn", "foo"] as never }))).toBe("terms");
    expect(fieldOf(() => resolveInverseConfig({ L: 8 }))).toBe("samples");
    expect(fieldOf(() => resolveInverseConfig({ samples: "x.npy", beta: 0.3 }))).toBe("beta");
    expect(fieldOf(() => resolveInverseConfig({ beta: 0.3, L: 1 }))).toBe("L");
  });
});
