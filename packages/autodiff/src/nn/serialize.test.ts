// nn/serialize: JSON and .npy round trips of nested trees, non-finite numbers and float32
// leaves are exact; malformed input is refused by field.
import { encodeNpy } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { AutodiffInputError, random, type Tensor, tensor } from "../index.js";
import { fromNpy, loadParams, loadParamsNpy, saveParams, saveParamsNpy, toNpy } from "./index.js";

const a = random.normal(random.key(1), [2, 3]);
const b = tensor([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-310, -2.5]);
const c = tensor([0.1, -3, 7.25], [3], "float32");

function expectSame(got: unknown, want: Tensor): void {
  const t = got as Tensor;
  expect(t.shape).toEqual(want.shape);
  expect(t.dtype).toBe(want.dtype);
  expect(Array.from(t.toFloat64Array())).toEqual(Array.from(want.toFloat64Array()));
}

describe("saveParams / loadParams", () => {
  it("round-trips nested objects and arrays exactly, non-finite numbers and float32 included", () => {
    const tree = { layers: [{ w: a, b }, { w: c }], scale: b };
    const back = loadParams(saveParams(tree)) as unknown as typeof tree;
    expect(Object.keys(back)).toEqual(["layers", "scale"]);
    expect(Array.isArray(back.layers)).toBe(true);
    expect(back.layers.length).toBe(2);
    expectSame(back.layers[0].w, a);
    expectSame(back.layers[0].b, b);
    expectSame(back.layers[1].w, c);
    expectSame(back.scale, b);
  });

  it("writes non-finite numbers as strings and skips undefined fields", () => {
    const json = JSON.parse(saveParams({ b, none: undefined }));
    expect(Object.keys(json)).toEqual(["b"]);
    expect(json.b).toEqual({
      __tensor__: true,
      shape: [5],
      dtype: "float64",
      data: ["NaN", "Infinity", "-Infinity", 1e-310, -2.5],
    });
    expectSame(loadParams(saveParams(a)), a);
  });

  it("refuses invalid JSON, non-tree JSON and non-tree input by field", () => {
    expect(() => loadParams("{oops")).toThrow(
      /^loadParams\.json: expected JSON written by saveParams, got invalid JSON \(/,
    );
    for (const bad of ["3", "null", '"w"', '{"w": true}']) {
      expect(() => loadParams(bad)).toThrow(
        /^loadParams\.json: expected a tree of tensors written by saveParams/,
      );
    }
    expect(() => saveParams({ w: 3 } as unknown as object)).toThrow(/^saveParams\.tree\.w: /);
  });
});

describe(".npy", () => {
  it("float32 leaves are written as <f4 and read back as float32", () => {
    const bytes = toNpy(c);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + bytes[8] + 256 * bytes[9]));
    expect(header).toContain("'descr': '<f4'");
    expect(header).toContain("'shape': (3,)");
    expect(bytes.length - 10 - bytes[8] - 256 * bytes[9]).toBe(12);
    expectSame(fromNpy(bytes), c);
    expectSame(fromNpy(toNpy(b)), b);
  });

  it("refuses bytes that are not .npy and integer arrays", () => {
    expect(() => fromNpy(new Uint8Array([1, 2, 3]))).toThrow(
      /^fromNpy\.bytes: expected a float32\/float64 \.npy file/,
    );
    expect(() => fromNpy(encodeNpy(new Int32Array([1, 2]), [2]))).toThrow(
      /^fromNpy\.bytes: expected a float32\/float64 \.npy file, got <i4$/,
    );
  });

  it("one file per leaf keyed by its path; numeric parts rebuild arrays, others objects", () => {
    const files = saveParamsNpy({ layers: [{ w: a, b }, { w: c }], scale: b });
    expect(Object.keys(files)).toEqual(["layers.0.w", "layers.0.b", "layers.1.w", "scale"]);
    const back = loadParamsNpy(files) as unknown as { layers: { w: Tensor; b?: Tensor }[]; scale: Tensor };
    expect(Array.isArray(back.layers)).toBe(true);
    expect(Array.isArray(back)).toBe(false);
    expectSame(back.layers[0].w, a);
    expectSame(back.layers[0].b, b);
    expectSame(back.layers[1].w, c);
    expectSame(back.scale, b);
    expectSame(loadParamsNpy(saveParamsNpy(a)), a);
    // only all-digit parts are indices: 10 is, w1 and 2b are keys
    const eleven = Array.from({ length: 11 }, (_, i) => tensor([i]));
    const odd = loadParamsNpy(saveParamsNpy({ w1: { x: a }, "2b": { x: c }, list: eleven })) as unknown as {
      w1: { x: Tensor };
      "2b": { x: Tensor };
      list: Tensor[];
    };
    expect(Array.isArray(odd.w1)).toBe(false);
    expect(Array.isArray(odd["2b"])).toBe(false);
    expectSame(odd["2b"].x, c);
    expect(Array.isArray(odd.list)).toBe(true);
    expect(odd.list.map((t) => t.item())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // a container is an array when its first child's key is all digits
    const named = loadParamsNpy({ "a.w1": toNpy(a), "b.2b": toNpy(c) }) as unknown as Record<string, unknown>;
    expect(Array.isArray(named.a)).toBe(false);
    expect(Array.isArray(named.b)).toBe(false);
    expect(() => loadParamsNpy({})).toThrow(/^loadParamsNpy\.files: expected at least one entry, got 0$/);
    expect(() => loadParamsNpy({})).toThrow(AutodiffInputError);
  });
});
