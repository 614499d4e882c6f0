import type { GpuContext } from "@physml/gpu-device";
import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { seededUint32 } from "@physml/lattice-core/testing";
import { beforeAll, describe, expect, test } from "vitest";
import { type PhiloxInput, philoxOnGpu } from "../../test/philox-gpu.js";

// Independent reference: Philox4x32-10 written with BigInt, straight from the Random123
// definition (full 64-bit products, no 16-bit tricks), so it shares no code with the WGSL.
function philoxBig(ctr: readonly number[], key: readonly number[]): number[] {
  const M = 0xffffffffn;
  let [c0, c1, c2, c3] = ctr.map(BigInt);
  let [k0, k1] = key.map(BigInt);
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 = (k0 + 0x9e3779b9n) & M;
      k1 = (k1 + 0xbb67ae85n) & M;
    }
    const p0 = 0xd2511f53n * c0;
    const p1 = 0xcd9e8d57n * c2;
    [c0, c1, c2, c3] = [(p1 >> 32n) ^ c1 ^ k0, p1 & M, (p0 >> 32n) ^ c3 ^ k1, p0 & M];
  }
  return [c0, c1, c2, c3].map(Number);
}

const hex = (w: ArrayLike<number>) => Array.from(w, (x) => x.toString(16).padStart(8, "0")).join(" ");

// Random123 known-answer vectors (kat_vectors, philox4x32 10 rounds).
const KAT: { input: PhiloxInput; out: string }[] = [
  { input: { counter: [0, 0, 0, 0], key: [0, 0] }, out: "6627e8d5 e169c58d bc57ac4c 9b00dbd8" },
  {
    input: { counter: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], key: [0xffffffff, 0xffffffff] },
    out: "408f276d 41c83b0e a20bc7c6 6d5451fd",
  },
  {
    input: { counter: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], key: [0xa4093822, 0x299f31d0] },
    out: "d16cfe09 94fdcceb 5001e420 24126ea1",
  },
];

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("mcmc-gpu/webgpu/philox-gpu.test.ts");
});

describe("Philox4x32-10 in WGSL", () => {
  test("the BigInt reference reproduces the Random123 known answers", () => {
    for (const k of KAT) expect(hex(philoxBig(k.input.counter, k.input.key))).toBe(k.out);
  });

  test("known answers on the GPU (zero key and counter → 6627e8d5 e169c58d bc57ac4c 9b00dbd8)", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const out = await philoxOnGpu(
      ctx,
      KAT.map((k) => k.input),
    );
    KAT.forEach((k, r) => {
      expect(hex(out.subarray(4 * r, 4 * r + 4))).toBe(k.out);
    });
  });

  test("agrees with the BigInt reference on 4096 pseudo-random counters and keys", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    // Inputs from a fixed seeded stream; they cover carries in every 16-bit half product.
    const next = seededUint32(0x12345678);
    const inputs: PhiloxInput[] = Array.from({ length: 4096 }, () => ({
      counter: [next(), next(), next(), next()],
      key: [next(), next()],
    }));
    const out = await philoxOnGpu(ctx, inputs);
    for (let r = 0; r < inputs.length; r++) {
      const want = philoxBig(inputs[r].counter, inputs[r].key);
      expect(Array.from(out.subarray(4 * r, 4 * r + 4))).toEqual(want);
    }
  });
});
