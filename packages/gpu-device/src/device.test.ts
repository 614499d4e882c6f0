import { beforeAll, describe, expect, test } from "vitest";
import { resolveBackend } from "./backend-choice.js";
import { type GpuContext, withGpuErrors } from "./context.js";
import { GpuError } from "./errors.js";
import { gpuPromised, NO_GPU, testGpuContext } from "./testing.js";

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("gpu-device/device.test.ts");
});

describe("gpu-device", () => {
  test("cpu choice never touches the GPU", async () => {
    expect((await resolveBackend("cpu")).kind).toBe("cpu");
  });

  test.skipIf(!gpuPromised())("an adapter is found", () => {
    expect(ctx).not.toBeNull();
  });

  test("a WGSL compile error surfaces as a typed validation error naming the kernel", async (t) => {
    if (!ctx) t.skip(NO_GPU);
    const c = ctx as GpuContext;
    await expect(
      withGpuErrors(c, "broken_kernel", () => {
        const m = c.device.createShaderModule({
          code: "@compute @workgroup_size(1) fn main() { let x: u32 = 1.5; }",
        });
        c.device.createComputePipeline({ layout: "auto", compute: { module: m, entryPoint: "main" } });
      }),
    ).rejects.toSatisfy(
      (e: unknown) => e instanceof GpuError && e.kind === "validation" && e.kernel === "broken_kernel",
    );
  });
});
