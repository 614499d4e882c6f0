// philox-wasm.ts on a host without WebAssembly (mocked away): no WebAssembly instance, and the
// kernels' fastPhilox is the JavaScript Philox of philox.ts, with the published known answers.
import { expect, test, vi } from "vitest";

vi.mock("@physml/wasm-encode", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@physml/wasm-encode")>()),
  WA: undefined,
}));

test("without WebAssembly, fastPhilox is the JavaScript fallback", async () => {
  const { createWasmPhilox, fastPhilox } = await import("./philox-wasm.js");
  expect(createWasmPhilox()).toBeNull();
  expect(createWasmPhilox()).toBeNull();
  // The fallback keeps separate arrays (the WebAssembly instance shares its one memory).
  expect(fastPhilox.need.buffer).not.toBe(fastPhilox.words.buffer);
  // Random123 kat_vectors, philox4x32_10.
  fastPhilox.setKey(0, 0);
  fastPhilox.philox(0, 0, 0, 0);
  expect(Array.from(fastPhilox.words.subarray(0, 4))).toEqual([
    0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8,
  ]);
  fastPhilox.setKey(0xa4093822, 0x299f31d0);
  fastPhilox.philoxNextBlock(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707343);
  expect(Array.from(fastPhilox.words.subarray(4, 8))).toEqual([
    0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1,
  ]);
});
