import { availableParallelism } from "node:os";
import { expect, test } from "vitest";
import { pointThreads, workerEnv } from "./local.js";

// The budget of the test process itself (its environment may set PHYSML_THREADS).
const budget = process.env.PHYSML_THREADS?.trim()
  ? Number(process.env.PHYSML_THREADS)
  : availableParallelism();

test("side-by-side workers share the thread budget equally, at least one thread each", () => {
  expect(pointThreads(1)).toBe(budget);
  expect(pointThreads(2)).toBe(Math.max(1, Math.floor(budget / 2)));
  expect(pointThreads(budget + 1)).toBe(1);
  expect(pointThreads(10_000)).toBe(1);
});

test("a worker's environment: the share unless the sweep's own environment sets PHYSML_THREADS", () => {
  const base = { PATH: "/usr/bin", OTHER: "x" };
  expect(workerEnv(3, base)).toEqual({ ...base, PHYSML_THREADS: String(pointThreads(3)) });
  expect(workerEnv(3, { ...base, PHYSML_THREADS: "" })).toEqual({
    ...base,
    PHYSML_THREADS: String(pointThreads(3)),
  });
  const own = { ...base, PHYSML_THREADS: "5" };
  expect(workerEnv(3, own)).toBe(own);
});
