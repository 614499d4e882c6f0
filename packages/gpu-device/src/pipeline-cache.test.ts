import { beforeAll, describe, expect, test } from "vitest";
import type { GpuContext } from "./context.js";
import { GpuError } from "./errors.js";
import {
  type ComputePipelineSpec,
  cachedPipelineCount,
  compilePipeline,
  getPipeline,
} from "./pipeline-cache.js";
import { NO_GPU, testGpuContext } from "./testing.js";

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("gpu-device/pipeline-cache.test.ts");
});

// out[i] = i·K (entry point main) or 2·i·K (entry point twice); `tag` makes each test's source
// its own, so the tests do not share cache entries.
function scaleWgsl(tag: string): string {
  return `// ${tag}
override K: u32 = 1u;
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x < arrayLength(&out)) { out[g.x] = g.x * K; }
}
@compute @workgroup_size(64) fn twice(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x < arrayLength(&out)) { out[g.x] = 2u * g.x * K; }
}
`;
}

/** Runs `pipeline` over n u32 outputs and reads them back. */
async function run(c: GpuContext, pipeline: GPUComputePipeline, n: number): Promise<number[]> {
  const { device } = c;
  const out = device.createBuffer({ size: 4 * n, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const staging = device.createBuffer({
    size: 4 * n,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: out } }],
    }),
  );
  pass.dispatchWorkgroups(Math.ceil(n / 64));
  pass.end();
  enc.copyBufferToBuffer(out, 0, staging, 0, 4 * n);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const values = [...new Uint32Array(staging.getMappedRange().slice(0))];
  staging.unmap();
  staging.destroy();
  out.destroy();
  return values;
}

describe("pipeline cache", () => {
  test("generated code without a key is refused before any device call", () => {
    const untyped = {
      kernel: "test.nokey",
      code: () => scaleWgsl("nokey"),
    } as unknown as ComputePipelineSpec;
    expect(() => getPipeline({} as GPUDevice, untyped)).toThrow("pipeline test.nokey: a key is needed");
  });

  test("the same shader, entry point and constants give the same pipeline; the source is generated once", (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const { device } = ctx;
    let generated = 0;
    const spec = {
      kernel: "test.same",
      key: "test.same",
      code: () => {
        generated++;
        return scaleWgsl("same");
      },
    };
    const before = cachedPipelineCount(device);
    const a = getPipeline(device, spec);
    const b = getPipeline(device, { ...spec, kernel: "another label" });
    expect(b).toBe(a);
    expect(generated).toBe(1);
    expect(cachedPipelineCount(device)).toBe(before + 1);
  });

  test("entry points and constants are part of the key, and they reach the kernel", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const { device } = ctx;
    const code = scaleWgsl("variants");
    const main3 = getPipeline(device, { kernel: "test.main3", code, constants: { K: 3 } });
    const main5 = getPipeline(device, { kernel: "test.main5", code, constants: { K: 5 } });
    const twice3 = getPipeline(device, {
      kernel: "test.twice3",
      code,
      entryPoint: "twice",
      constants: { K: 3 },
    });
    const plain = getPipeline(device, { kernel: "test.plain", code });
    expect(new Set([main3, main5, twice3, plain]).size).toBe(4);
    expect(getPipeline(device, { kernel: "x", code, entryPoint: "main", constants: { K: 5 } })).toBe(main5);
    expect(getPipeline(device, { kernel: "y", code, entryPoint: "main", constants: {} })).toBe(plain);
    const n = 100; // two workgroups, the second partial
    const expected = (k: number) => Array.from({ length: n }, (_, i) => i * k);
    expect(await run(ctx, main3, n)).toEqual(expected(3));
    expect(await run(ctx, main5, n)).toEqual(expected(5));
    expect(await run(ctx, twice3, n)).toEqual(expected(6));
    expect(await run(ctx, plain, n)).toEqual(expected(1));
  });

  test("concurrent compilations share one, and the synchronous path finds its result", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const c = ctx;
    let generated = 0;
    const spec = {
      kernel: "test.shared",
      key: "test.shared",
      code: () => {
        generated++;
        return scaleWgsl("shared");
      },
    };
    const [a, b] = await Promise.all([compilePipeline(c, spec), compilePipeline(c, spec)]);
    expect(b).toBe(a);
    expect(generated).toBe(1);
    expect(getPipeline(c.device, spec)).toBe(a);
    expect(await compilePipeline(c, spec)).toBe(a);
    expect(generated).toBe(1);
  });

  test("a WGSL error is a GpuError naming the kernel, and a failed compilation is not cached", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const c = ctx;
    let generated = 0;
    const spec = {
      kernel: "test.broken",
      key: "test.broken",
      code: () => {
        generated++;
        return "@compute @workgroup_size(1) fn main() { let x: u32 = 1.5; }";
      },
    };
    const before = cachedPipelineCount(c.device);
    const isBroken = (e: unknown) =>
      e instanceof GpuError && e.kind === "validation" && e.kernel === "test.broken";
    await expect(compilePipeline(c, spec)).rejects.toSatisfy(isBroken);
    await expect(compilePipeline(c, spec)).rejects.toSatisfy(isBroken);
    expect(generated).toBe(2);
    expect(cachedPipelineCount(c.device)).toBe(before);
  });

  test("a transient spec is compiled anew each time and never cached, and still fails as a GpuError", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const c = ctx;
    const spec = {
      kernel: "test.transient",
      code: scaleWgsl("transient"),
      constants: { K: 3 },
      transient: true,
    };
    const before = cachedPipelineCount(c.device);
    const a = await compilePipeline(c, spec);
    const b = await compilePipeline(c, spec);
    const sync = getPipeline(c.device, spec);
    expect(b).not.toBe(a);
    expect(sync).not.toBe(a);
    expect(cachedPipelineCount(c.device)).toBe(before);
    expect(await run(c, a, 5)).toEqual([0, 3, 6, 9, 12]);
    // The same source without the flag is cached as usual, apart from the transient ones.
    const kept = await compilePipeline(c, { ...spec, transient: false });
    expect(kept).not.toBe(a);
    expect(cachedPipelineCount(c.device)).toBe(before + 1);
    const broken = { kernel: "test.transient-broken", code: "fn main( {", transient: true };
    await expect(compilePipeline(c, broken)).rejects.toSatisfy(
      (e: unknown) => e instanceof GpuError && e.kernel === "test.transient-broken",
    );
    expect(cachedPipelineCount(c.device)).toBe(before + 1);
  });
});
