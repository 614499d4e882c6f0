// Which thrown values are bad input (exit 2) and which are crashes (exit 1).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EnvironmentVariableError, PhysmlInputError } from "./errors.js";
import { FAILURE_EXIT_CODES, failureCategory } from "./failure-category.js";

describe("failureCategory", () => {
  it("calls input errors and schema errors bad input, with exit code 2", () => {
    const zod = z.object({ L: z.number() }).safeParse({ L: "x" }).error;
    for (const e of [
      new PhysmlInputError("L", "an integer", 0),
      new EnvironmentVariableError("PHYSML_THREADS", "a positive integer", "0"),
      zod,
    ]) {
      expect(failureCategory(e)).toBe("input");
      expect(FAILURE_EXIT_CODES[failureCategory(e)]).toBe(2);
    }
  });

  it("calls anything else a crash, with exit code 1", () => {
    for (const e of [new Error("boom"), new RangeError("r"), "a string", undefined]) {
      expect(failureCategory(e)).toBe("crash");
      expect(FAILURE_EXIT_CODES[failureCategory(e)]).toBe(1);
    }
  });
});
