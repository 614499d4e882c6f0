import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { beforeAll, describe, expect, test } from "vitest";
import { Tensor } from "../core/tensor.js";
import { WebGpuBackend } from "./backend.js";
import { gpuToTensor, tensorToGpu } from "./tensor-bridge.js";

let gpu: WebGpuBackend | null = null;
beforeAll(async () => {
  const ctx = await testGpuContext("autodiff/gpu/tensor-bridge.test.ts");
  if (ctx) gpu = new WebGpuBackend(ctx);
});

describe("Tensor ↔ GPU", () => {
  test("a float64 Tensor goes up as f32 and comes back as float64 or float32", async (t) => {
    if (!gpu) t.skip(NO_GPU);
    const g = gpu as WebGpuBackend;
    const x = Tensor._of(new Float64Array([0.1, -2, 3.5, 1e-3, 7, 8]), [2, 3]);
    const y = g.mul(tensorToGpu(g, x), 2);
    const back = await gpuToTensor(y);
    expect(back.shape).toEqual([2, 3]);
    expect(back.dtype).toBe("float64");
    // doubling is exact in f32, so the only error is the rounding of the input to f32
    expect([...back.toFloat64Array()]).toEqual([...x.toFloat64Array()].map((v) => 2 * Math.fround(v)));
    expect((await gpuToTensor(y, "float32")).dtype).toBe("float32");
  });

  test("a traced Tensor is refused rather than cut off from its derivative", (t) => {
    if (!gpu) t.skip(NO_GPU);
    const x = Tensor._of(new Float64Array([1, 2]), [2]);
    const boxed = Tensor._box({ level: 1, kind: "rev", nb: 0 }, x, null, null);
    expect(() => tensorToGpu(gpu as WebGpuBackend, boxed)).toThrow(
      expect.objectContaining({ field: "tensorToGpu.x" }),
    );
    expect(() => (gpu as WebGpuBackend).upload(boxed)).toThrow(
      expect.objectContaining({ field: "upload.x" }),
    );
  });
});
