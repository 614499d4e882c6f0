// The default thread count of large matrix products: the process's thread budget
// (PHYSML_THREADS) when set, else the cores, at most 4. It is read on first use, so each case
// loads a fresh copy of the module.
import { availableParallelism } from "node:os";
import { afterEach, expect, test, vi } from "vitest";

const fresh = async (value: string | undefined) => {
  vi.stubEnv("PHYSML_THREADS", value);
  vi.resetModules();
  return await import("./matmul-threads.js");
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

test("PHYSML_THREADS sets the count; unset, it is the cores, at most 4", async () => {
  expect((await fresh(undefined)).matmulThreads()).toBe(Math.min(4, availableParallelism()));
  expect((await fresh("")).matmulThreads()).toBe(Math.min(4, availableParallelism()));
  expect((await fresh("1")).matmulThreads()).toBe(1);
  expect((await fresh("6")).matmulThreads()).toBe(6);
  // Past the most threads a product can use (33), the budget is capped there.
  expect((await fresh("200")).matmulThreads()).toBe(33);
});

test("a bad PHYSML_THREADS is refused on first use, naming the variable, not at import", async () => {
  const m = await fresh("lots");
  expect(() => m.matmulThreads()).toThrow(
    "PHYSML_THREADS (environment variable): expected an integer in [1, 256], got lots",
  );
  // setMatmulThreads overrides the variable.
  m.setMatmulThreads(2);
  expect(m.matmulThreads()).toBe(2);
});
