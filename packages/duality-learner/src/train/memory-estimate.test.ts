// The memory estimate of a duality run: linear in its sizes, and a run above the limit is refused
// before anything is allocated.
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { resolveConfig } from "../config.js";
import { checkDualityMemory, estimateDualityMemory } from "./memory-estimate.js";

describe("duality memory estimate", () => {
  test("counts the chains' spins and per-step configurations, and scales with the lattice and the chains", () => {
    const small = estimateDualityMemory(resolveConfig({ beta: 0.3, L: 16 }));
    // Default: 128 chains × 256 sites of int8 spins, 2 configurations per chain and step.
    expect(small.parts.spins).toBe(128 * 256);
    expect(small.parts.configurations).toBe(128 * 2 * 256);
    expect(small.total).toBeLessThan(64 * 2 ** 20);
    const bigger = estimateDualityMemory(resolveConfig({ beta: 0.3, L: 32 }));
    expect(bigger.parts.spins).toBe(4 * small.parts.spins);
    const huge = estimateDualityMemory(resolveConfig({ beta: 0.3, L: 512, candidate: { chains: 4096 } }));
    // 8192 samples × 2·262144 links of Float64 alone are 32 GiB.
    expect(huge.total).toBeGreaterThan(32 * 2 ** 30);
  });

  test("a run above --max-memory is refused naming L, its size and the limit", () => {
    expect(() => checkDualityMemory(resolveConfig({ beta: 0.3, L: 16, maxMemory: "1G" }))).not.toThrow();
    try {
      checkDualityMemory(resolveConfig({ beta: 0.3, L: 256, candidate: { chains: 1024 }, maxMemory: "1G" }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PhysmlInputError);
      expect((e as PhysmlInputError).field).toBe("L");
      expect((e as Error).message).toMatch(
        /memory limit of 1(\.00)? GB.*L = 256 with 1024 chains needs ≈ .*GB.*lower --L or --chains/,
      );
    }
  });
});
