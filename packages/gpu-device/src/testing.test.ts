import { describe, expect, test } from "vitest";
import { gpuPromised } from "./testing.js";

describe("test GPU policy", () => {
  test("a GPU is promised by VK_ICD_FILENAMES or PHYSML_REQUIRE_GPU=1, by nothing else", () => {
    expect(gpuPromised({})).toBe(false);
    expect(gpuPromised({ VK_ICD_FILENAMES: "/usr/lib/chromium/vk_swiftshader_icd.json" })).toBe(true);
    expect(gpuPromised({ PHYSML_REQUIRE_GPU: "1" })).toBe(true);
    expect(gpuPromised({ PHYSML_REQUIRE_GPU: "0" })).toBe(false);
    expect(gpuPromised({ VK_ICD_FILENAMES: "" })).toBe(false);
  });
});
