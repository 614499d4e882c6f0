import { EnvironmentVariableError, PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { BACKEND_CHOICES, backendFromEnv, backendFromEnvIfSet } from "./backend-choice.js";
import { GpuError } from "./errors.js";

describe("backendFromEnv", () => {
  it("reads auto, cpu and webgpu in any letter case; unset is auto", () => {
    expect(backendFromEnv({})).toBe("auto");
    expect(backendFromEnvIfSet({})).toBeUndefined();
    for (const v of BACKEND_CHOICES) {
      expect(backendFromEnv({ PHYSML_BACKEND: v })).toBe(v);
      expect(backendFromEnv({ PHYSML_BACKEND: v.toUpperCase() })).toBe(v);
    }
  });

  it("a bad value is an input error naming the variable and the allowed values, not a GPU error", () => {
    for (const bad of ["bogus", "", "gpu", " cpu"]) {
      let caught: unknown;
      try {
        backendFromEnv({ PHYSML_BACKEND: bad });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(EnvironmentVariableError);
      expect(caught).toBeInstanceOf(PhysmlInputError);
      expect(caught).not.toBeInstanceOf(GpuError);
      const e = caught as EnvironmentVariableError;
      expect(e.variable).toBe("PHYSML_BACKEND");
      expect(e.received).toBe(bad);
      expect(e.message).toBe(
        `PHYSML_BACKEND (environment variable): expected one of auto|cpu|webgpu, got ${bad === "" ? '""' : bad}`,
      );
    }
  });
});
