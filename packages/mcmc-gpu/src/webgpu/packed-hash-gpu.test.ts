import type { GpuContext } from "@physml/gpu-device";
import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { beforeAll, describe, expect, test } from "vitest";
import { type PackedWordInput, packedWordOnGpu } from "../../test/packed-hash-gpu.js";
import { packedWord } from "../rng/packed-hash.js";

// Known answers of packed_word = lowbias32(lowbias32(c ^ r0) ^ r1) ^ r2, computed once with an
// independent Python implementation of lowbias32 (arbitrary-precision integers, masked).
const KAT: { input: PackedWordInput; out: number }[] = [
  { input: { keys: [0, 0, 0], code: 0 }, out: 0 },
  { input: { keys: [0x243f6a88, 0x85a308d3, 0x13198a2e], code: 5 }, out: 0xb32c06d6 },
  { input: { keys: [0xffffffff, 0xffffffff, 0xffffffff], code: 127 }, out: 0x1c77d579 },
];

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("mcmc-gpu/webgpu/packed-hash-gpu.test.ts");
});

describe("packed-kernel hash in WGSL", () => {
  test("known answers on the GPU", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const out = await packedWordOnGpu(
      ctx,
      KAT.map((k) => k.input),
    );
    expect(Array.from(out)).toEqual(KAT.map((k) => k.out));
  });

  test("agrees with the CPU on 4096 pseudo-random keys and every code 0…127", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    let s = 0x9e3779b9;
    const next = () => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return s >>> 0;
    };
    const inputs: PackedWordInput[] = Array.from({ length: 4096 }, (_, q) => ({
      keys: [next(), next(), next()],
      code: q & 127,
    }));
    const out = await packedWordOnGpu(ctx, inputs);
    const want = inputs.map((inp) => packedWord(inp.keys[0], inp.keys[1], inp.keys[2], inp.code));
    expect(Array.from(out)).toEqual(want);
  });
});
